"""The Elasticsearch index as data: the French analyser, the document's mapping, and the
definition of one concrete (dated) index. Nothing here talks to a server.

The site searches an ALIAS (settings.ELASTICSEARCH_INDEX); `manage.py search_index rebuild`
creates a new dated index from `index_definition(name)`, fills it, then moves the alias onto it.
"""

from elasticsearch.dsl import (
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    MetaField,
    Text,
    analyzer,
    token_filter,
)

# French elided articles and pronouns: « l’association » is indexed as « association ».
# Listed without the apostrophe; Elasticsearch splits on both ' and ’.
ELIDED = ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"]

french_elision = token_filter("french_elision", type="elision", articles_case=True, articles=ELIDED)
french_stop = token_filter("french_stop", type="stop", stopwords="_french_")
# light_french: plurals and feminines (« associations » → « association ») without the
# aggressive cuts of the full Snowball stemmer, which merges unrelated words.
french_stemmer = token_filter("french_stemmer", type="stemmer", language="light_french")

# Order matters: elision before lowercase would miss « L’ » (articles_case covers it anyway);
# stop words before asciifolding, since the French list is written with accents (« été »);
# asciifolding before the stemmer, so that « trésorier » and « tresorier » give one stem.
french = analyzer(
    "french_text",
    tokenizer="standard",
    filter=[french_elision, "lowercase", french_stop, "asciifolding", french_stemmer],
)

# Words as typed, only lowercased and without accents: the source of spelling suggestions
# (a stem such as « associ » is not a word to suggest).
french_plain = analyzer(
    "french_plain",
    tokenizer="standard",
    filter=[french_elision, "lowercase", "asciifolding"],
)


class SiteDocument(Document):
    """One search result: a page (standard, news, award, laureate) or an open public board need.
    Its id is « page-<pk> » or « need-<pk> » (see search.indexing)."""

    kind = Keyword()  # one of search.results.KINDS
    title = Text(analyzer=french, fields={"plain": Text(analyzer=french_plain)})
    excerpt = Text(analyzer=french)  # the introduction or the need's description
    body = Text(analyzer=french)  # the rest of the text, stripped of HTML
    url = Keyword(index=False)
    date = Date()
    year = Integer()
    territory = Keyword()  # a département code

    class Meta:
        # A field the mapping does not know is refused, not guessed: search.indexing builds
        # exactly these fields.
        dynamic = MetaField("strict")


def index_definition(name):
    """The concrete index `name`: settings, analysis and mapping, ready for `.create()`."""
    index = Index(name)
    index.settings(number_of_shards=1)  # a small site: one shard, replicas as the cluster sets
    index.document(SiteDocument)
    return index
