"""The Elasticsearch index as data: the French analyser and the mapping (no server needed)."""

from search.documents import SiteDocument, index_definition


def definition():
    return index_definition("ess-site-20260101-000000").to_dict()


def test_the_french_analyser_elides_lowercases_removes_stop_words_folds_accents_then_stems():
    analysis = definition()["settings"]["analysis"]
    french = analysis["analyzer"]["french_text"]
    assert french["type"] == "custom"
    assert french["tokenizer"] == "standard"
    # In this order: stop words are listed with accents, and folding before stemming makes
    # « trésorier » and « tresorier » one stem.
    assert french["filter"] == [
        "french_elision",
        "lowercase",
        "french_stop",
        "asciifolding",
        "french_stemmer",
    ]
    elision = analysis["filter"]["french_elision"]
    assert elision["type"] == "elision"
    assert elision["articles_case"] is True
    for article in ("l", "d", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu"):
        assert article in elision["articles"]
    assert analysis["filter"]["french_stop"] == {"type": "stop", "stopwords": "_french_"}
    assert analysis["filter"]["french_stemmer"] == {"type": "stemmer", "language": "light_french"}


def test_the_plain_analyser_of_suggestions_does_not_stem():
    plain = definition()["settings"]["analysis"]["analyzer"]["french_plain"]
    assert plain["filter"] == ["french_elision", "lowercase", "asciifolding"]


def test_the_mapping_analyses_the_text_in_french_and_keeps_the_facets_as_keywords():
    mappings = definition()["mappings"]
    assert mappings["dynamic"] == "strict"  # an unknown field is an error, not a guess
    properties = mappings["properties"]
    for field in ("title", "excerpt", "body"):
        assert properties[field] == {**properties[field], "type": "text", "analyzer": "french_text"}
    assert properties["title"]["fields"]["plain"] == {"type": "text", "analyzer": "french_plain"}
    assert properties["kind"] == {"type": "keyword"}
    assert properties["territory"] == {"type": "keyword"}  # « 2A » and « 974 » stay whole
    assert properties["year"] == {"type": "integer"}
    assert properties["date"] == {"type": "date"}
    assert properties["url"] == {"type": "keyword", "index": False}


def test_one_shard_and_the_mapping_of_the_document_class():
    data = definition()
    assert data["settings"]["number_of_shards"] == 1
    assert SiteDocument._doc_type.mapping.to_dict() == data["mappings"]
