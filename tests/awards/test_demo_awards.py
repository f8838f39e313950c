"""The award's demo data: 2016, 2018 (19 pairs, a jury of 6 who scored, 3 laureates) and an
open current edition; loading it again changes nothing."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page

from awards.models import (
    Application,
    AwardEdition,
    EvaluationCriterion,
    Juror,
    JuryAssignment,
    Prize,
    Score,
)
from awards.pages import AwardPage, LaureatePage
from members.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo_site(db):
    call_command("load_demo_content", verbosity=0)


def load(*args):
    out = StringIO()
    call_command("load_demo_awards", *args, stdout=out)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            AwardEdition,
            Prize,
            EvaluationCriterion,
            Application,
            Juror,
            JuryAssignment,
            Score,
            Organisation,
            get_user_model(),
            Page,
            get_image_model(),
        )
    }


def test_demo_awards_editions_jury_scores_and_laureates(demo_site):
    load()
    years = set(AwardEdition.objects.values_list("year", flat=True))
    current = timezone.localdate().year
    assert years == {2016, 2018, current}

    edition = AwardEdition.objects.get(year=2018)
    assert edition.applications.count() == 19
    assert edition.criteria.count() == 8
    assert edition.prizes.count() == 3
    assert all(c.weight > 0 for c in edition.criteria.all())
    assert edition.applications.filter(publication_consent=True).count() == 19
    # A jury of 6, three jurors per application, balanced, every assignment submitted.
    jurors = list(edition.jurors.all())
    assert len(jurors) == 6
    per_application = Counter(
        JuryAssignment.objects.filter(application__edition=edition).values_list(
            "application_id", flat=True
        )
    )
    assert set(per_application.values()) == {3} and len(per_application) == 19
    load_per_juror = Counter(
        JuryAssignment.objects.filter(juror__edition=edition).values_list("juror_id", flat=True)
    )
    assert sorted(load_per_juror.values()) == [9, 9, 9, 10, 10, 10]
    assert not JuryAssignment.objects.exclude(status=JuryAssignment.Status.SUBMITTED).exists()
    # Every assignment has one score per criterion; « sans objet » only where allowed.
    assert Score.objects.filter(assignment__juror__edition=edition).count() == 19 * 3 * 8
    assert not Score.objects.filter(
        value__isnull=True, criterion__allow_not_applicable=False
    ).exists()
    # Demo accounts cannot log in without DEMO_PASSWORD.
    assert not any(j.user.has_usable_password() for j in jurors)

    # Three published laureates, one per prize, under the 2018 page.
    page_2018 = AwardPage.objects.get(edition=edition)
    laureates = LaureatePage.objects.child_of(page_2018).live()
    assert laureates.count() == 3
    assert {lp.application.prize.name for lp in laureates} == set(
        edition.prizes.values_list("name", flat=True)
    )
    assert all(lp.image_id for lp in laureates)
    assert edition.results_are_published()

    # 2016: over, with its page and laureates; the current edition: open, with its page.
    assert AwardPage.objects.get(edition__year=2016).live
    assert LaureatePage.objects.child_of(AwardPage.objects.get(edition__year=2016)).exists()
    open_edition = AwardEdition.objects.get(year=current)
    assert open_edition.call_is_open()
    assert open_edition.criteria.count() == 8 and open_edition.prizes.count() == 3
    # The pages live under the demo site's award page.
    assert {p.get_parent().slug for p in AwardPage.objects.all()} == {"prix-la-part-des-autres"}


def test_second_run_changes_nothing(demo_site):
    load()
    first = counts()
    load()
    assert counts() == first


def test_if_empty_does_nothing_once_an_edition_exists(demo_site):
    load()
    first = counts()
    assert "existe déjà" in load("--if-empty")
    assert counts() == first


def test_demo_pages_render(demo_site, client):
    load()
    for page in AwardPage.objects.live():
        response = client.get(page.url)
        assert response.status_code == 200
    open_page = AwardPage.objects.get(edition__year=timezone.localdate().year)
    assert ">Candidater</a>" in client.get(open_page.url).content.decode()
    page_2018 = AwardPage.objects.get(edition__year=2018)
    html = client.get(page_2018.url).content.decode()
    assert "Les lauréats" in html and "Hélène Marchais" in html
    for laureate in LaureatePage.objects.live():
        assert client.get(laureate.url).status_code == 200
