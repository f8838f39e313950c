"""Search finds every public page type, and a page whose title holds the words searched comes
before pages that only mention them in their text, on SQLite and on PostgreSQL alike."""

import pytest
from django.utils import timezone

from demo.factories.home import StandardPageFactory
from demo.factories.members import make_grid
from forms.pages import FormPage
from members.models import FeeTier
from members.pages import MembershipPage
from search import database
from search.results import SearchQuery

pytestmark = pytest.mark.django_db


def titles(text):
    return [hit.title for hit in database.search(SearchQuery(text=text)).hits]


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_a_title_match_ranks_above_pages_that_mention_the_word(site_tree):
    home = site_tree["home"]
    text = "La gouvernance partagée est au cœur de notre projet associatif. " * 3
    for n in range(3):
        StandardPageFactory(parent=home, title=f"Nos ateliers {n}", introduction=text)
    StandardPageFactory(
        parent=home,
        title="Bénévolat de gouvernance",
        introduction="Des salariés rejoignent un conseil d’administration.",
    )
    found = titles("gouvernance")
    assert found[0] == "Bénévolat de gouvernance"
    assert len(found) == 4
    # Every word must be in the title: « gouvernance ateliers » puts the workshops first.
    assert titles("gouvernance ateliers")[0].startswith("Nos ateliers")
    # …but not the little words, which the page need not hold either: « la gouvernance ».
    assert titles("la gouvernance")[0] == "Bénévolat de gouvernance"
    assert titles("gouvernance pour les ateliers")[0].startswith("Nos ateliers")


def test_title_matches_keep_the_backend_order_within_each_group():
    class P:
        def __init__(self, title):
            self.title = title

    pages = [P("Un texte"), P("Gouvernance 1"), P("Autre texte"), P("La gouvernance 2")]
    ordered = [p.title for p in database.title_matches_first(pages, "gouvernances")]
    assert ordered == ["Gouvernance 1", "La gouvernance 2", "Un texte", "Autre texte"]


def test_the_bulletin_is_found_by_its_fee_grid(site_tree):
    make_grid(timezone.localdate().year)
    make_grid(timezone.localdate().year + 1)
    bulletin = publish(
        site_tree["home"],
        MembershipPage(
            title="Bulletin d’adhésion",
            slug="bulletin",
            introduction="Rejoignez le réseau pour un an.",
        ),
    )
    assert titles("bulletin") == ["Bulletin d’adhésion"]
    # « cotisation » and a tier's name are only in the grid the page shows.
    assert "Membre bienfaiteur" in bulletin.fee_grid_text()
    assert titles("cotisation") == ["Bulletin d’adhésion"]
    assert titles("bienfaiteur") == ["Bulletin d’adhésion"]
    hit = database.search(SearchQuery(text="bulletin")).hits[0]
    assert hit.kind == "page" and hit.url == bulletin.get_url()


@pytest.mark.django_db(transaction=True)
def test_a_new_tier_is_found_once_the_grid_changes(site_tree, monkeypatch):
    """Real commits (a transactional test): the bulletin's entry follows its grid, re-indexed
    once per transaction however many tiers it saves."""
    from django.db import transaction

    from members import signals
    from members.bulletin import bulletin_grid

    year = timezone.localdate().year
    make_grid(year)
    make_grid(year + 1)
    publish(site_tree["home"], MembershipPage(title="Bulletin d’adhésion", slug="bulletin"))
    assert titles("mécène") == []
    grid = bulletin_grid()  # the grid of the year a bulletin is for (its settings are made)
    runs = []
    reindex = signals.reindex_bulletin_pages
    monkeypatch.setattr(signals, "reindex_bulletin_pages", lambda: runs.append(1) or reindex())
    with transaction.atomic():
        for n, label in enumerate(["Entreprise mécène", "Fondation partenaire"]):
            FeeTier.objects.create(
                grid=grid, label=label, order=20 + n, basis="employees", minimum=0,
                amount_cents=100000,
            )  # fmt: skip
    assert runs == [1]
    assert titles("mécène") == ["Bulletin d’adhésion"]
    assert titles("fondation") == ["Bulletin d’adhésion"]


def test_form_pages_are_found_by_their_title_and_introduction(site_tree):
    publish(
        site_tree["home"],
        FormPage(
            title="Journée d’étude",
            slug="journee-etude",
            intro="<p>Inscription à la rencontre des trésoriers &amp; bénévoles.</p>",
        ),
    )
    assert titles("journée") == ["Journée d’étude"]
    found = database.search(SearchQuery(text="trésoriers")).hits
    assert [h.title for h in found] == ["Journée d’étude"]
    assert "<mark>trésoriers</mark> &amp; bénévoles" in found[0].excerpt  # escaped once
