"""Consents as records: the text accepted (by its hash), who, when, about what; withdrawn from
« Mes données » with its effect carried out by the app that asked for it."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import Application
from awards.pages import AwardPage, LaureatePage
from demo.factories.awards import ApplicationFactory, EditionFactory
from demo.factories.forms import MatchFactory, VolunteerOfferFactory
from forms.models import Match, VolunteerOffer
from privacy import consents
from privacy.models import Consent, ConsentText

pytestmark = pytest.mark.django_db


def test_a_text_is_stored_once_by_its_hash_and_a_new_version_replaces_the_old(django_user_model):
    user = django_user_model.objects.create_user("a@example.org", "a@example.org")
    application = ApplicationFactory()
    first = consents.record("award-publication", "Texte v1", obj=application, user=user)
    again = consents.record("award-publication", "Texte v1", obj=application, user=user)
    assert again.pk == first.pk  # ticked twice: one record
    assert ConsentText.objects.get().sha256 == ConsentText.digest("Texte v1")
    assert len(first.text.version) == 12

    second = consents.record("award-publication", "Texte v2", obj=application, user=user)
    first.refresh_from_db()
    assert first.withdrawn_at is not None and second.withdrawn_at is None
    assert second.object_model == "awards.application"
    assert second.object_id == str(application.pk)
    assert second.email == "a@example.org"


def test_the_consent_step_records_the_box_and_unticking_withdraws_it(client):
    application = ApplicationFactory()
    author = application.created_by
    client.force_login(author)
    url = reverse("awards:application_step", args=[application.pk, 4])
    client.post(url, {"publication_consent": "on"})
    consent = Consent.objects.get(kind="award-publication")
    assert consent.user == author
    assert consent.text.text.startswith("Nous acceptons que le dossier")
    assert consent.withdrawn_at is None

    client.post(url, {})  # unticked
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert not Application.objects.get().publication_consent


@pytest.fixture
def laureate(site_tree):
    """A laureate application whose page is live, and the author's recorded consent."""
    from awards import applications

    edition = EditionFactory()
    application = ApplicationFactory(edition=edition, submittable=True)
    applications.save_step(application, 4, {"publication_consent": False})
    applications.save_step(application, 4, {"publication_consent": True})
    award = AwardPage(title="Prix", slug="prix", edition=edition, introduction="Le prix.")
    site_tree["home"].add_child(instance=award)
    award.save_revision().publish()
    page = LaureatePage(
        title="Un partenariat",
        slug="un-partenariat",
        application=application,
        association_name="Les Jardins",
        company_name="Transports",
        introduction="Trois ans.",
    )
    award.add_child(instance=page)
    page.save_revision().publish()
    return application, page


def test_withdrawing_the_publication_consent_takes_the_laureate_page_down(
    client, laureate, django_capture_on_commit_callbacks
):
    application, page = laureate
    assert client.get(page.url).status_code == 200
    client.force_login(application.created_by)
    consent = Consent.objects.get(kind="award-publication", withdrawn_at=None)
    listing = client.get(reverse("privacy:my_data")).content.decode()
    assert "sa page est retirée du site aussitôt" in listing

    # Committed, as a request is: the unpublication starts a new content generation then, and
    # the page, found through the cache until then (home.models.HomePage.route), is gone.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:withdraw", args=[consent.pk]), follow=True)
    assert "Votre consentement est retiré." in response.content.decode()
    page.refresh_from_db()
    assert not page.live
    assert client.get(page.url).status_code == 404
    assert not Application.objects.get(pk=application.pk).publication_consent
    # A second click changes nothing and says nothing.
    again = client.post(reverse("privacy:withdraw", args=[consent.pk]), follow=True)
    assert "Votre consentement est retiré." not in again.content.decode()


def test_withdrawing_cancels_a_publication_scheduled_for_the_results(laureate):
    application, page = laureate
    page.unpublish()
    later = timezone.now() + datetime.timedelta(days=30)
    page.go_live_at = later
    page.save_revision(approved_go_live_at=later)
    consent = Consent.objects.get(kind="award-publication", withdrawn_at=None)
    assert consents.withdraw(consent)
    page.refresh_from_db()
    assert page.go_live_at is None
    assert not page.revisions.exclude(approved_go_live_at=None).exists()


def test_an_offer_s_consent_is_recorded_and_its_withdrawal_withdraws_the_offer(client):
    from forms import submissions
    from forms.models import Skill

    offer_data = {
        "first_name": "Lou",
        "last_name": "Martin",
        "hours_per_month": 4,
        "departements": ["44"],
        "motivation": "Aider une association de mon quartier.",
        "skills": [[Skill.objects.create(name="Finances", slug="finances").pk, 2]],
        "consent_at": "2031-01-05T10:00:00+00:00",
    }
    volunteer = VolunteerOfferFactory().user
    offer = submissions.create_offer(volunteer, offer_data, "en")
    consent = Consent.objects.get(kind="volunteering-offer")
    assert consent.given_at == datetime.datetime(2031, 1, 5, 10, tzinfo=datetime.UTC)
    assert consent.text.language == "en"
    assert consent.text.text.startswith("I agree")
    pending = MatchFactory(offer=offer)

    client.force_login(volunteer)
    client.post(reverse("privacy:withdraw", args=[consent.pk]))
    offer.refresh_from_db()
    pending.refresh_from_db()
    assert offer.status == VolunteerOffer.Status.WITHDRAWN
    assert pending.status == Match.Status.ENDED


def test_no_one_sees_or_withdraws_another_person_s_consent(client, laureate, django_user_model):
    application, page = laureate
    consent = Consent.objects.get(kind="award-publication", withdrawn_at=None)
    other = django_user_model.objects.create_user("b@example.org", "b@example.org")
    client.force_login(other)
    assert "Un partenariat" not in client.get(reverse("privacy:my_data")).content.decode()
    assert "Nous acceptons" not in client.get(reverse("privacy:my_data")).content.decode()
    response = client.post(reverse("privacy:withdraw", args=[consent.pk]))
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_the_bulletin_s_acceptances_are_recorded_but_not_withdrawable(client, django_user_model):
    user = django_user_model.objects.create_user("c@example.org", "c@example.org")
    organisation = ApplicationFactory().organisation
    acceptance = consents.record(
        "membership-statutes", "J’ai lu les statuts", obj=organisation, user=user
    )
    client.force_login(user)
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert "J’ai lu les statuts" in page
    assert reverse("privacy:withdraw", args=[acceptance.pk]) not in page
    response = client.post(reverse("privacy:withdraw", args=[acceptance.pk]), follow=True)
    assert "écrivez à l’association" in response.content.decode()
    acceptance.refresh_from_db()
    assert acceptance.withdrawn_at is None


def test_my_data_needs_a_login_and_downloads_json_and_csv(client, laureate):
    application, _page = laureate
    assert client.get(reverse("privacy:my_data"))["Location"].startswith(
        "/espace-membre/connexion/"
    )
    client.force_login(application.created_by)
    data = json.loads(client.get(reverse("privacy:download", args=["json"])).content)
    assert data["sections"]["account"]["rows"][0]["e-mail"] == application.created_by.email
    [consent] = data["sections"]["consents"]["rows"]
    assert consent["objet"] == "award-publication"
    response = client.get(reverse("privacy:download", args=["csv"]))
    assert response["Content-Disposition"].startswith('attachment; filename="mes-donnees-')
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert text.startswith("\ufeffCompte") or "Compte" in text.splitlines()[0]
    assert client.get(reverse("privacy:download", args=["xml"])).status_code == 404
