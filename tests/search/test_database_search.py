"""The database backend (search/database.py): French words, accents, what is never shown,
filters and their counts, pagination, excerpts, suggestions."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from awards.models import AwardEdition
from awards.pages import AwardPage, LaureatePage
from demo.factories.forms import BoardNeedFactory, SkillFactory
from demo.factories.home import NewsPageFactory, StandardPageFactory
from forms.models import BoardNeed
from search import database
from search.results import SearchQuery

pytestmark = pytest.mark.django_db


def run(text, **filters):
    return database.search(SearchQuery(text=text, **filters))


def titles(results):
    return [hit.title for hit in results.hits]


def publish(page):
    page.save_revision().publish()
    return page


def make_edition(year):
    now = timezone.now()
    return AwardEdition.objects.create(
        year=year,
        call_opens_at=now - datetime.timedelta(days=400),
        call_closes_at=now - datetime.timedelta(days=370),
        scoring_deadline=now - datetime.timedelta(days=340),
        results_published_at=now - datetime.timedelta(days=310),
    )


def add_award(home, year, **fields):
    page = AwardPage(
        title=f"Prix « La part des autres » {year}",
        slug=f"prix-{year}",
        edition=make_edition(year),
        introduction=fields.pop("introduction", "Une édition du prix."),
        **fields,
    )
    home.add_child(instance=page)
    return publish(page)


def add_laureate(award, slug, title, introduction):
    page = LaureatePage(
        title=title,
        slug=slug,
        association_name="Les Jardins de Demain",
        company_name="Transports Ligériens",
        introduction=introduction,
    )
    award.add_child(instance=page)
    return publish(page)


def test_an_unaccented_query_finds_accented_words_in_needs():
    BoardNeedFactory(description="Nous cherchons un trésorier pour notre conseil.")

    needs = [hit for hit in run("tresorier").hits if hit.kind == "need"]
    assert len(needs) == 1
    # And the other way round: accents typed, none in the text.
    BoardNeedFactory(description="Association de quartier a Rezé, secretaire recherche.")
    assert [h.kind for h in run("secrétaire").hits] == ["need"]


def test_an_unaccented_query_finds_accented_words_in_pages(site_tree):
    # SQLite's FTS5 tokenizer and PostgreSQL's « french_unaccent » configuration both drop accents.
    StandardPageFactory(
        parent=site_tree["home"],
        title="Le bénévolat de gouvernance",
        introduction="Devenir administrateur bénévole d’une association.",
    )
    assert titles(run("benevolat")) == ["Le bénévolat de gouvernance"]
    assert titles(run("Bénévolat")) == ["Le bénévolat de gouvernance"]


@pytest.mark.postgresql
def test_french_plurals_match_on_postgresql(site_tree):
    StandardPageFactory(
        parent=site_tree["home"],
        title="Rejoindre le réseau",
        introduction="Chaque association adhérente reçoit la lettre du réseau.",
    )
    BoardNeedFactory(description="Notre association cherche une présidente.")

    results = run("associations")
    assert "Rejoindre le réseau" in titles(results)
    assert "need" in [hit.kind for hit in results.hits]


@pytest.mark.postgresql
def test_accents_and_plurals_together_on_postgresql(site_tree):
    StandardPageFactory(
        parent=site_tree["home"], title="Nos bénévoles", introduction="Des bénévoles engagés."
    )
    # Unaccented and plural against accented and plural: unaccent, then the French stemmer.
    assert titles(run("benevole")) == ["Nos bénévoles"]
    assert titles(run("BÉNÉVOLES")) == ["Nos bénévoles"]


def test_unpublished_private_pages_and_closed_or_network_needs_never_appear(site_tree):
    home = site_tree["home"]
    StandardPageFactory(parent=home, title="Gouvernance publique", introduction="gouvernance")
    draft = StandardPageFactory(parent=home, title="Gouvernance brouillon", introduction="x")
    draft.unpublish()
    private = StandardPageFactory(parent=home, title="Gouvernance privée", introduction="x")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    child = StandardPageFactory(parent=private, title="Gouvernance sous-page", introduction="x")
    BoardNeedFactory(description="Gouvernance ouverte")
    BoardNeedFactory(description="Gouvernance fermée", status=BoardNeed.Status.CLOSED)
    BoardNeedFactory(description="Gouvernance pourvue", status=BoardNeed.Status.FILLED)
    BoardNeedFactory(description="Gouvernance du réseau", visibility=BoardNeed.Visibility.NETWORK)

    results = run("gouvernance")

    assert sorted(h.kind for h in results.hits) == ["need", "page"]
    assert "Gouvernance publique" in titles(results)
    assert results.total == 2
    assert child.title not in titles(results)


def test_filters_by_kind_year_and_territory_with_counts(site_tree):
    home, news_index = site_tree["home"], site_tree["news_index"]
    NewsPageFactory(
        parent=news_index,
        title="Jardins 2025",
        introduction="jardins",
        date=datetime.date(2025, 3, 1),
    )
    NewsPageFactory(
        parent=news_index,
        title="Jardins 2026",
        introduction="jardins",
        date=datetime.date(2026, 3, 1),
    )
    award = add_award(home, 2025, introduction="Le prix des jardins.")
    add_laureate(award, "jardins", "Des jardins partagés", "Des jardins au pied des bureaux.")
    BoardNeedFactory(description="Association de jardins", departement="44")
    BoardNeedFactory(description="Jardins solidaires", departement="85")
    BoardNeedFactory(description="Jardins familiaux", departement="85")

    everything = run("jardins")
    assert everything.total == 7
    kinds = {f.value: f.count for f in everything.facets["kind"]}
    assert kinds == {"news": 2, "award": 1, "laureate": 1, "need": 3}
    assert [f.value for f in everything.facets["kind"]] == ["news", "award", "laureate", "need"]
    assert {f.value: f.count for f in everything.facets["year"]} == {"2026": 1, "2025": 3}
    assert {f.value: f.count for f in everything.facets["territory"]} == {"44": 1, "85": 2}

    news = run("jardins", kind="news")
    assert sorted(titles(news)) == ["Jardins 2025", "Jardins 2026"]
    # The kind facet still counts every kind (it is the one being chosen)…
    assert {f.value: f.count for f in news.facets["kind"]}["need"] == 3
    # …while the year facet counts within the chosen kind.
    assert {f.value: f.count for f in news.facets["year"]} == {"2026": 1, "2025": 1}

    year_2025 = run("jardins", year=2025)
    assert sorted(h.kind for h in year_2025.hits) == ["award", "laureate", "news"]
    assert [h.year for h in year_2025.hits] == [2025, 2025, 2025]

    vendee = run("jardins", territory="85")
    assert [h.kind for h in vendee.hits] == ["need", "need"]
    assert {h.territory for h in vendee.hits} == {"85"}
    assert [f for f in vendee.facets["territory"] if f.selected][0].value == "85"


def test_pagination_ten_per_page_and_out_of_range_pages(site_tree):
    for n in range(23):
        StandardPageFactory(
            parent=site_tree["home"], title=f"Coopération {n}", introduction="coopération"
        )

    first = run("cooperation")
    assert (first.total, first.num_pages, len(first.hits), first.page) == (23, 3, 10, 1)
    third = run("cooperation", page=3)
    assert len(third.hits) == 3
    assert not set(titles(first)) & set(titles(third))
    assert run("cooperation", page=99).page == 3
    assert run("cooperation", page=0).page == 1


def test_excerpt_marks_the_query_words_and_escapes_the_rest(site_tree):
    StandardPageFactory(
        parent=site_tree["home"],
        title="Trésorerie",
        introduction="<b>Gestion</b> de la trésorerie : les associations & leurs comptes.",
    )
    hit = run("associations comptes").hits[0]
    assert "<mark>associations</mark>" in hit.excerpt
    assert "<mark>comptes</mark>" in hit.excerpt
    assert "&amp;" in hit.excerpt
    assert "<b>" not in hit.excerpt


def test_highlight_cuts_around_the_first_match_and_handles_plural_and_accents():
    text = "Début. " + "mot " * 100 + "Les Associations du réseau." + " fin" * 100
    excerpt = database.highlight(text, "association reseau")
    assert excerpt.startswith("… ") and excerpt.endswith(" …")
    assert "<mark>Associations</mark>" in excerpt
    assert "<mark>réseau</mark>" in excerpt
    assert len(excerpt) < 300


def test_body_text_is_searched_and_excerpted(site_tree):
    StandardPageFactory(
        parent=site_tree["home"],
        title="Nos actions",
        introduction="",
        body=[{"type": "paragraph", "value": "<p>Un accompagnement des <i>fondations</i>.</p>"}],
    )
    hit = run("fondations").hits[0]
    assert hit.title == "Nos actions"
    assert "<mark>fondations</mark>" in hit.excerpt


def test_a_heading_level_is_neither_searched_nor_excerpted(site_tree):
    StandardPageFactory(
        parent=site_tree["home"],
        title="Nos actions",
        introduction="",
        body=[
            {"type": "heading", "value": {"text": "Nos fondations", "level": "h2"}},
            {"type": "paragraph", "value": "<p>Un accompagnement des structures.</p>"},
        ],
    )
    hit = run("fondations").hits[0]
    assert hit.excerpt.startswith("Nos <mark>fondations</mark> Un accompagnement")
    assert "h2" not in hit.excerpt
    assert run("h2").hits == []


def test_nothing_found_suggests_a_shorter_query_that_finds_something(site_tree):
    StandardPageFactory(parent=site_tree["home"], title="Mécénat", introduction="mécénat")

    results = run("mécénat zzzyx")
    assert results.total == 0
    assert results.suggestions == ["mécénat"]


def test_nothing_found_suggests_a_trusted_query_sharing_a_word(site_tree):
    """Trusted: found something for several visitors (or approved by staff, see
    test_suggestions_trust.py). A trusted query sharing no word is not suggested."""
    from search.query_log import record_search

    StandardPageFactory(
        parent=site_tree["home"],
        title="Mécénat",
        introduction="mécénat de compétences sans rapport",
    )
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        record_search("mécénat compétences", address)
        record_search("sans rapport", address)

    assert run("compétences qwzx").suggestions[:2] == ["compétences", "mécénat compétences"]
    assert run("qwzx").suggestions == []


def test_one_statement_finds_pages_and_needs_with_their_facets(
    site_tree, django_assert_num_queries
):
    """The search itself is one query, facets and years included; the shown pages' text is
    one more the first time they are shown (one page type here), none after; the needs' hits
    need none."""
    home, news_index = site_tree["home"], site_tree["news_index"]
    for year in (2025, 2026):
        NewsPageFactory(
            parent=news_index,
            title=f"Vergers {year}",
            introduction="vergers",
            date=datetime.date(year, 3, 1),
        )
    award = add_award(home, 2024, introduction="Le prix des vergers.")
    add_laureate(award, "vergers", "Des vergers partagés", "Des vergers solidaires.")
    BoardNeedFactory(description="Vergers solidaires", departement="85")
    run("vergers", kind="award")  # content types, site root paths (not the news items)

    with django_assert_num_queries(1):
        needs = run("vergers", kind="need")
    assert [(h.kind, h.territory) for h in needs.hits] == [("need", "85")]
    assert "<mark>Vergers</mark> solidaires" in needs.hits[0].excerpt
    with django_assert_num_queries(1 + 1):
        news = run("vergers", kind="news")
    with django_assert_num_queries(1):  # the news items' text kept
        assert run("vergers", kind="news").hits == news.hits
    assert sorted(h.year for h in news.hits) == [2025, 2026]
    years = {f.value: f.count for f in news.facets["year"]}
    assert years == {"2026": 1, "2025": 1}
    every_year = {f.value: f.count for f in run("vergers").facets["year"]}
    assert every_year == {"2026": 1, "2025": 1, "2024": 2}  # the award and its laureate
    with django_assert_num_queries(1):
        nothing = database.search(SearchQuery(text="qwzx"), suggest=False)
    assert nothing.total == 0


def test_a_page_under_a_view_restriction_is_left_out_before_the_cut(site_tree, monkeypatch):
    """Restricted pages are left out by the statement itself, so they never take the place of
    a public page among the MAX_HITS kept."""
    home = site_tree["home"]
    private = StandardPageFactory(parent=home, title="Espace privé", introduction="x")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    for n in range(3):
        StandardPageFactory(
            parent=private, title=f"Noisetiers {n}", introduction="Noisetiers, noisetiers."
        )
    StandardPageFactory(parent=home, title="Nos arbres", introduction="Des noisetiers.")
    assert len(run("noisetiers").hits) == 1
    monkeypatch.setattr(database, "MAX_HITS", 1)
    # The best 2 entries (CUT_FACTOR × 1) are restricted pages: the statement is asked again,
    # without the cut, rather than finding nothing.
    with CaptureQueriesContext(connection) as queries:
        assert titles(run("noisetiers")) == ["Nos arbres"]
    assert sum("best AS" in q["sql"] for q in queries) == 2
    monkeypatch.setattr(database, "MAX_HITS", 5)
    with CaptureQueriesContext(connection) as queries:
        assert titles(run("noisetiers")) == ["Nos arbres"]
    assert sum("best AS" in q["sql"] for q in queries) == 1  # all 4 entries within the cut


def test_empty_query_returns_nothing_without_searching(django_assert_num_queries):
    with django_assert_num_queries(0):
        results = run("   ")
    assert (results.total, results.hits) == (0, [])


def test_need_skills_and_organisation_name_are_searched(site_tree):
    skill = SkillFactory(name="Comptabilité", slug="comptabilite")
    need = BoardNeedFactory(description="Un poste au bureau.", with_skills={skill: 3})
    need.save()  # reindexed with its skills, as the forms' save does once skills are set
    need.organisation.name = "Les Amis du Marais"
    need.organisation.save()
    need.save()

    assert [h.title for h in run("comptabilite").hits] == [str(need)]
    assert [h.title for h in run("marais").hits] == [str(need)]


def test_an_excerpt_follows_the_page_once_it_is_published_again(
    site_tree, django_capture_on_commit_callbacks
):
    """A page's text is kept between searches under the content generation: a publication
    starts a new one, and the next search cuts the excerpt from the new text."""
    page = StandardPageFactory(
        parent=site_tree["home"], title="Le verger", introduction="Un verger de pommiers."
    )
    run("verger")  # its text kept
    assert "pommiers" in run("verger").hits[0].excerpt
    page.introduction = "Un verger de poiriers."
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    excerpt = run("verger").hits[0].excerpt
    assert "poiriers" in excerpt and "pommiers" not in excerpt
