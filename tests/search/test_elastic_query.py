"""The Elasticsearch query as data, and a canned Elasticsearch response turned into
SearchResults (no server needed: the response is what Elasticsearch 9 sends)."""

import datetime

from search.elastic import build_query, results_from_response, safe_highlight
from search.results import SearchQuery


def test_a_text_is_searched_in_every_text_field_the_title_weighing_most():
    body = build_query(SearchQuery(text="associations bénévoles"))
    match = body["query"]["multi_match"]
    assert match["query"] == "associations bénévoles"
    assert match["fields"] == ["title^3", "excerpt^2", "body"]
    assert match["operator"] == "and"  # every word must be found
    assert match["type"] == "cross_fields"  # … in any of the fields
    assert "post_filter" not in body  # no filter chosen
    assert body["from"] == 0 and body["size"] == 10
    assert body["track_total_hits"] is True


def test_filters_are_filter_clauses_and_each_facet_counts_under_the_other_filters():
    body = build_query(SearchQuery(text="trésorier", kind="need", territory="2A", year=2025))
    kind = {"term": {"kind": "need"}}
    year = {"term": {"year": 2025}}
    territory = {"term": {"territory": "2A"}}
    assert body["post_filter"] == {"bool": {"filter": [kind, year, territory]}}
    aggs = body["aggs"]
    assert aggs["kind"]["filter"] == {"bool": {"filter": [year, territory]}}
    assert aggs["year"]["filter"] == {"bool": {"filter": [kind, territory]}}
    assert aggs["territory"]["filter"] == {"bool": {"filter": [kind, year]}}
    assert aggs["kind"]["aggs"]["values"]["terms"] == {"field": "kind", "size": 5}
    assert aggs["year"]["aggs"]["values"]["terms"]["field"] == "year"
    assert aggs["territory"]["aggs"]["values"]["terms"]["field"] == "territory"
    # The query itself is not filtered: the facets see every match.
    assert "multi_match" in body["query"]


def test_without_filters_the_facets_count_every_match():
    aggs = build_query(SearchQuery(text="prix"))["aggs"]
    for name in ("kind", "year", "territory"):
        assert aggs[name]["filter"] == {"match_all": {}}


def test_matched_words_are_highlighted_with_mark_and_the_text_escaped_by_the_server():
    highlight = build_query(SearchQuery(text="prix"))["highlight"]
    assert highlight["pre_tags"] == ["<mark>"]
    assert highlight["post_tags"] == ["</mark>"]
    assert highlight["encoder"] == "html"
    assert set(highlight["fields"]) == {"excerpt", "body"}
    assert highlight["fields"]["body"]["number_of_fragments"] == 1


def test_pages_of_results_and_the_deepest_page_elasticsearch_allows():
    body = build_query(SearchQuery(text="prix", page=3, per_page=20))
    assert (body["from"], body["size"]) == (40, 20)
    body = build_query(SearchQuery(text="prix", page=100_000, per_page=10))
    assert body["from"] + body["size"] <= 10_000


def test_spelling_suggestions_come_from_the_titles_words_as_typed():
    suggest = build_query(SearchQuery(text="asociation"))["suggest"]["spelling"]
    assert suggest["text"] == "asociation"
    assert suggest["term"]["field"] == "title.plain"


def test_no_text_lists_everything_newest_first_without_highlight():
    body = build_query(SearchQuery(text="  ", kind="news"))
    assert body["query"] == {"match_all": {}}
    assert body["sort"] == [{"date": {"order": "desc", "missing": "_last"}}]
    assert "highlight" not in body and "suggest" not in body


def canned_response():
    return {
        "took": 3,
        "timed_out": False,
        "hits": {
            "total": {"value": 23, "relation": "eq"},
            "max_score": 7.5,
            "hits": [
                {
                    "_index": "ess-site-20261123-120000",
                    "_id": "page-12",
                    "_score": 7.5,
                    "_source": {
                        "kind": "news",
                        "title": "Assemblée générale <2026>",
                        "excerpt": "Les associations du réseau se réunissent.",
                        "url": "/actualites/assemblee-generale/",
                        "date": "2026-03-14",
                        "year": 2026,
                        "territory": "",
                    },
                    "highlight": {
                        # The server escapes the text (encoder html) and adds our tags.
                        "excerpt": [
                            "Les <mark>associations</mark> du r&#233;seau &lt;b&gt;unis&lt;/b&gt;"
                        ]
                    },
                },
                {
                    "_index": "ess-site-20261123-120000",
                    "_id": "need-4",
                    "_score": 3.25,
                    "_source": {
                        "kind": "need",
                        "title": "Trésorier — Les Jardins",
                        "excerpt": "Tenir les comptes <script>alert(1)</script> & le budget.",
                        "url": "/benevolat/besoins/4/",
                        "date": "2026-10-01T08:00:00+00:00",
                        "year": None,
                        "territory": "44",
                    },
                },
            ],
        },
        "aggregations": {
            "kind": {
                "doc_count": 23,
                "values": {
                    "buckets": [
                        {"key": "need", "doc_count": 3},
                        {"key": "news", "doc_count": 20},
                    ]
                },
            },
            "year": {
                "doc_count": 20,
                "values": {
                    "buckets": [{"key": 2025, "doc_count": 12}, {"key": 2026, "doc_count": 8}]
                },
            },
            "territory": {
                "doc_count": 3,
                "values": {
                    "buckets": [
                        {"key": "974", "doc_count": 1},
                        {"key": "44", "doc_count": 1},
                        {"key": "2A", "doc_count": 1},
                    ]
                },
            },
        },
    }


def test_a_response_becomes_hits_with_safe_excerpts():
    results = results_from_response(canned_response(), SearchQuery(text="associations", page=2))
    assert results.backend == "elasticsearch" and not results.degraded
    assert results.total == 23 and results.page == 2 and results.num_pages == 3
    news, need = results.hits
    assert (news.kind, news.url, news.score) == ("news", "/actualites/assemblee-generale/", 7.5)
    assert news.title == "Assemblée générale <2026>"  # plain text: the template escapes it
    assert news.date == datetime.date(2026, 3, 14) and news.year == 2026
    # Only our <mark> is HTML; what the server escaped stays escaped once, not twice.
    assert news.excerpt.startswith("Les <mark>associations</mark> du réseau ")
    assert "&lt;b&gt;unis&lt;/b&gt;" in news.excerpt and "<b>" not in news.excerpt
    assert "&amp;lt;" not in news.excerpt
    # No highlight: the document's own excerpt, escaped.
    assert need.excerpt == (
        "Tenir les comptes &lt;script&gt;alert(1)&lt;/script&gt; &amp; le budget."
    )
    assert (need.territory, need.year, need.date) == ("44", None, datetime.date(2026, 10, 1))


def test_a_response_becomes_facets_with_counts_in_the_sites_order():
    results = results_from_response(canned_response(), SearchQuery(text="x", territory="44"))
    kinds = [(f.value, f.count, str(f.label)) for f in results.facets["kind"]]
    assert kinds == [("news", 20, "Actualité"), ("need", 3, "Besoin d’administrateur")]
    assert [(f.value, f.count) for f in results.facets["year"]] == [("2026", 8), ("2025", 12)]
    territories = results.facets["territory"]
    assert [f.value for f in territories] == ["2A", "44", "974"]
    assert [f.value for f in territories if f.selected] == ["44"]


def test_a_chosen_filter_with_no_match_any_more_stays_shown_at_zero():
    results = results_from_response(canned_response(), SearchQuery(text="x", year=2019))
    year_2019 = [f for f in results.facets["year"] if f.value == "2019"]
    assert len(year_2019) == 1 and year_2019[0].count == 0 and year_2019[0].selected


def test_a_search_that_found_nothing_suggests_the_corrected_words():
    response = {
        "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []},
        "aggregations": {},
        "suggest": {
            "spelling": [
                {
                    "text": "asociations",
                    "offset": 0,
                    "length": 11,
                    "options": [{"text": "associations", "score": 0.9, "freq": 12}],
                },
                {"text": "benevoles", "offset": 12, "length": 9, "options": []},
            ]
        },
    }
    results = results_from_response(response, SearchQuery(text="asociations benevoles"))
    assert results.total == 0 and results.hits == []
    assert results.suggestions == ["associations benevoles"]
    assert all(results.facets[name] == [] for name in ("kind", "year", "territory"))


def test_safe_highlight_escapes_everything_but_the_mark_tags():
    assert safe_highlight("<mark>prix</mark> <img src=x onerror=alert(1)>") == (
        "<mark>prix</mark> &lt;img src=x onerror=alert(1)&gt;"
    )
    assert safe_highlight("l&#x27;<mark>assoc") == "l&#x27;<mark>assoc</mark>"
