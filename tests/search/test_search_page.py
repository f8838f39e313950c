"""The search page, /recherche/: results with badges, filters as links with counts, pagination,
the empty state, promotions first, queries logged, never a 500, a constant query budget."""

import pytest
from django.urls import reverse
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from demo.factories.forms import BoardNeedFactory
from demo.factories.home import StandardPageFactory
from forms.models import BoardNeed
from search.models import SearchTerm
from search.query_log import record_search, suggestable

pytestmark = pytest.mark.django_db

URL = "/recherche/"


def main(response):
    """The page below its header and menu (which list pages too) and above its footer."""
    html = response.content.decode()
    return html[html.index("<h1") : html.index("<footer")]


def pages(site_tree, count, word="solidarité"):
    return [
        StandardPageFactory(parent=site_tree["home"], title=f"Page {word} {n}", introduction=word)
        for n in range(count)
    ]


def test_the_address_is_the_search_namespace():
    assert reverse("search:results") == URL
    assert reverse("search:autocomplete") == URL + "autocomplete/"


def test_results_show_titles_badges_excerpts_and_needs(client, site_tree):
    StandardPageFactory(
        parent=site_tree["home"], title="Le bénévolat", introduction="Le bénévolat de gouvernance."
    )
    need = BoardNeedFactory(description="Bénévolat au conseil d’administration.")

    response = client.get(URL, {"q": "bénévolat"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Le bénévolat" in html
    assert "<mark>bénévolat</mark>" in html
    assert f'href="/benevolat/besoins/{need.pk}/"' in html
    assert "Besoin d’administrateur</span>" in html
    assert "2 résultats pour « bénévolat »" in html
    assert "<h1>" in html and html.count("<h1") == 1


def test_an_empty_query_shows_the_empty_state_and_logs_nothing(client, site_tree):
    response = client.get(URL, {"q": "   "})
    assert response.status_code == 200
    assert "Saisissez un ou plusieurs mots" in response.content.decode()
    assert not Query.objects.exists()


def test_nothing_found_says_so_with_suggestions(client, site_tree):
    StandardPageFactory(parent=site_tree["home"], title="Mécénat", introduction="mécénat")
    html = client.get(URL, {"q": "mécénat xyzzyq"}).content.decode()
    assert "Aucun résultat" in html
    assert 'href="?q=m%C3%A9c%C3%A9nat"' in html


def test_bad_parameters_never_break_the_page(client, site_tree):
    pages(site_tree, 12)
    for params in (
        {"q": "solidarité", "page": "abc"},
        {"q": "solidarité", "page": "-3"},
        {"q": "solidarité", "page": "999999999999"},
        {"q": "solidarité", "annee": "deux-mille"},
        {"q": "solidarité", "type": "<script>"},
        {"q": "solidarité", "territoire": "ZZZZZZ"},
        {"q": "\"'(*) AND OR NOT NEAR -"},
        {"q": "x" * 5000},
        {"q": "***"},
        {"q": "_"},
    ):
        response = client.get(URL, params)
        assert response.status_code == 200, params
    last = client.get(URL, {"q": "solidarité", "page": "50"}).content.decode()
    assert 'aria-current="page">2</a>' in last


def test_pagination_links_keep_the_query_and_filters(client, site_tree):
    pages(site_tree, 12)
    html = client.get(URL, {"q": "solidarité", "type": "page"}).content.decode()
    assert 'aria-label="Pages de résultats"' in html
    assert 'aria-current="page">1</a>' in html
    assert 'href="?q=solidarit%C3%A9&amp;type=page&amp;page=2"' in html
    assert html.count('class="py-3 border-bottom search-hit"') == 10
    second = client.get(URL, {"q": "solidarité", "type": "page", "page": 2}).content.decode()
    assert second.count('class="py-3 border-bottom search-hit"') == 2


def test_filters_are_links_with_counts(client, site_tree):
    pages(site_tree, 2)
    BoardNeedFactory(description="Solidarité locale", departement="85")
    html = client.get(URL, {"q": "solidarité"}).content.decode()
    assert 'href="?q=solidarit%C3%A9&amp;type=need">Besoin d’administrateur' in html
    assert "(1)" in html and "(2)" in html
    assert 'href="?q=solidarit%C3%A9&amp;territoire=85">85' in html
    chosen = main(client.get(URL, {"q": "solidarité", "type": "need"}))
    assert 'aria-current="true">Besoin d’administrateur (1)</span>' in chosen
    assert "Page solidarité 0" not in chosen


def test_the_query_is_logged_for_editors(client, site_tree):
    client.get(URL, {"q": "Solidarité"}, HTTP_SEC_FETCH_SITE="same-origin")
    client.get(URL, {"q": "solidarité", "page": 2}, HTTP_REFERER="http://testserver/recherche/")
    query = Query.objects.get()
    assert query.query_string == "solidarité"
    assert sum(query.daily_hits.values_list("hits", flat=True)) == 2


def test_a_query_that_found_something_counts_its_visitor_once(client, site_tree):
    """Towards suggesting it to others (tests/search/test_suggestions_trust.py)."""
    pages(site_tree, 1)
    client.get(URL, {"q": "Solidarité"}, HTTP_SEC_FETCH_SITE="same-origin")
    client.get(URL, {"q": "solidarité", "page": 2}, HTTP_REFERER="http://testserver/recherche/")
    term = SearchTerm.objects.get()
    assert term.text == "solidarité"
    assert term.visits.count() == 1


def test_searches_from_another_site_are_not_counted(client, site_tree):
    """A link or an image elsewhere makes visitors' browsers search: that plants nothing, in
    the editors' statistics or the suggestions (finding 9 of the security review)."""
    pages(site_tree, 1)
    client.get(URL, {"q": "Solidarité"}, HTTP_SEC_FETCH_SITE="cross-site")
    client.get(URL, {"q": "Solidarité"}, HTTP_REFERER="https://ailleurs.example/")
    client.get(URL, {"q": "Solidarité"})  # no header at all: not known to come from here
    assert not Query.objects.exists() and not SearchTerm.objects.exists()
    assert (
        client.get(URL, {"q": "Solidarité"}, HTTP_SEC_FETCH_SITE="same-origin").status_code == 200
    )
    assert SearchTerm.objects.get().text == "solidarité"


def test_promoted_results_come_first(client, site_tree):
    pages(site_tree, 3)
    promoted = StandardPageFactory(
        parent=site_tree["home"], title="Notre charte", introduction="sans rapport"
    )
    SearchPromotion.objects.create(
        query=Query.get("solidarité"),
        page=promoted,
        description="La charte du réseau.",
        sort_order=0,
    )
    SearchPromotion.objects.create(
        query=Query.get("solidarité"),
        external_link_url="https://example.org/guide",
        external_link_text="Le guide",
        sort_order=1,
    )
    hidden = StandardPageFactory(parent=site_tree["home"], title="Brouillon promu")
    hidden.unpublish()
    SearchPromotion.objects.create(query=Query.get("solidarité"), page=hidden, sort_order=2)

    html = main(client.get(URL, {"q": "solidarité"}))

    assert "Notre charte" in html and "La charte du réseau." in html
    assert html.index("Notre charte") < html.index("Le guide") < html.index("Page solidarité")
    assert "Brouillon promu" not in html


def test_closed_needs_never_appear_on_the_page(client, site_tree):
    BoardNeedFactory(description="Trésorerie fermée", status=BoardNeed.Status.CLOSED)
    BoardNeedFactory(description="Trésorerie réseau", visibility=BoardNeed.Visibility.NETWORK)
    html = main(client.get(URL, {"q": "trésorerie"}))
    assert "0 résultat" in html and "Aucun résultat" in html
    assert "Trésorerie" not in html


def test_the_header_has_a_labelled_search_box(client, site_tree):
    html = client.get("/").content.decode()
    assert 'role="search"' in html
    assert 'action="/recherche/"' in html
    assert '<label for="site-search-q"' in html
    assert 'data-autocomplete-url="/recherche/autocomplete/"' in html
    assert "js/search-autocomplete.js" in html


@pytest.mark.parametrize("count", [3, 25])
def test_constant_query_budget_whatever_the_number_of_results(
    client, site_tree, count, django_assert_num_queries
):
    """One statement finds the pages and the needs (search/candidates.py), one query reads the
    text of the shown pages (one type here), one the editors' promotions; the same search again
    costs nothing."""
    pages(site_tree, count)
    for n in range(count):
        BoardNeedFactory(description=f"Solidarité {n}", departement="44" if n % 2 else "85")
    # Warms the site's root paths and content types, with another search (another entry).
    client.get(URL, {"q": "solidarité", "type": "need"})
    with django_assert_num_queries(3):
        response = client.get(URL, {"q": "solidarité"})
    assert response.status_code == 200
    assert response.context["results"].total == 2 * count
    with django_assert_num_queries(0):
        again = client.get(URL, {"q": "solidarité"})
    assert again.content == response.content


@pytest.mark.parametrize("popular", [1, 10])
def test_constant_query_budget_when_nothing_is_found(
    client, site_tree, popular, django_assert_max_num_queries, django_assert_num_queries
):
    """Suggestions are checked with a bounded number of searches, however many trusted queries
    were logged before: the search, the trusted queries, at most four checks. Again, only the
    trusted queries are read (the checks are kept)."""
    for n in range(popular):
        for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
            record_search(f"qwz populaire {n}", address)
    assert len(suggestable()) == popular
    client.get(URL, {"q": "qwz"})
    with django_assert_max_num_queries(6):
        response = client.get(URL, {"q": "qwz populaire rien"})
    assert response.status_code == 200
    assert response.context["results"].total == 0
    with django_assert_num_queries(1):
        client.get(URL, {"q": "qwz populaire rien"})


def test_query_budget_with_every_kind_on_the_page(client, site_tree, django_assert_num_queries):
    """Each page type shown costs one query to read its pages' text for the excerpts: four
    types here; the needs' hits come from the search's own statement. Then the promotions."""
    from demo.factories.home import NewsPageFactory
    from tests.search.test_database_search import add_award, add_laureate

    pages(site_tree, 2)
    NewsPageFactory(parent=site_tree["news_index"], title="Solidarité en actes", introduction="x")
    award = add_award(site_tree["home"], 2025, introduction="Le prix de la solidarité.")
    add_laureate(award, "solidaire", "Une solidarité d’entreprise", "La solidarité au travail.")
    BoardNeedFactory(description="Solidarité rurale")
    client.get(URL, {"q": "solidarité", "type": "need"})
    with django_assert_num_queries(1 + 4 + 1):
        response = client.get(URL, {"q": "solidarité"})
    kinds = {hit.kind for hit in response.context["results"].hits}
    assert kinds == {"page", "news", "award", "laureate", "need"}
