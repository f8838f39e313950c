"""The public forms « Déposer un besoin » and « Proposer mes compétences »: created at once for
a logged-in user, after the e-mailed link for a visitor; honeypot, rate limit, errors, e-mails."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from demo.factories.forms import CompanyFactory, SkillFactory, VolunteerUserFactory
from demo.factories.members import OrganisationFactory, UserFactory
from forms import submissions, tokens
from forms.models import BoardNeed, EmailVerification, VolunteerOffer
from forms.views import submissions as submission_views
from members.models import Contact, Organisation

pytestmark = pytest.mark.django_db

User = get_user_model()
NEED_URL = reverse("volunteering:need_submit")
OFFER_URL = reverse("volunteering:offer_submit")


@pytest.fixture
def skills():
    return [
        SkillFactory(name="Finance", slug="finance"),
        SkillFactory(name="Juridique", slug="juridique"),
        SkillFactory(name="Numérique", slug="numerique"),
    ]


@pytest.fixture
def staff_user():
    return User.objects.create_superuser("equipe@reseau.example", "equipe@reseau.example", "x")


@pytest.fixture
def contact(db):
    """A user who is the contact of one organisation."""
    user = UserFactory(first_name="Nadia", last_name="Benali")
    organisation = OrganisationFactory(name="Les Jardins partagés")
    Contact.objects.create(organisation=organisation, user=user, role="president", is_primary=True)
    return user


def need_fields(skills, **overrides):
    data = {
        "role": "treasurer",
        f"skill_{skills[0].pk}": "3",
        f"skill_{skills[1].pk}": "1",
        "hours_per_month": "6",
        "mandate_months": "36",
        "departement": "44",
        "commune": "Nantes",
        "description": "Tenir les comptes et préparer le budget avec la directrice.",
        "visibility": "public",
        "consent": "on",
    }
    data.update(overrides)
    return data


def organisation_fields(**overrides):
    data = {
        "organisation-name": "Compagnie des Possibles",
        "organisation-legal_form": "association",
        "organisation-rna": "w 443 001 234",
        "organisation-siret": "",
        "organisation-address": "3 quai de la Fosse",
        "organisation-postal_code": "44000",
        "organisation-city": "Nantes",
        "organisation-departement": "44",
        "organisation-budget_bracket": "10000",
        "contact-first_name": "Élise",
        "contact-last_name": "Morvan",
        "contact-email": "Elise.Morvan@Exemple.fr",
        "contact-role": "president",
    }
    data.update(overrides)
    return data


def offer_fields(skills, **overrides):
    data = {
        "first_name": "Julien",
        "last_name": "Le Goff",
        "phone": "06 12 34 56 78",
        "job_title": "Contrôleur de gestion",
        f"level_{skills[0].pk}": "3",
        f"level_{skills[2].pk}": "2",
        "hours_per_month": "8",
        "departements": "44, 49 ; 85",
        "motivation": "Rendre à mon territoire un peu de ce qu’il m’a donné.",
        "anonymous": "on",
        "consent": "on",
    }
    data.update(overrides)
    return data


def verify_link(message):
    return re.search(r"https?://\S+/benevolat/verifier/\S+/", message.body).group(0)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


# --- Logged in: created at once ----------------------------------------------------------------


def test_logged_in_contact_need_is_created_at_once_with_emails(
    settings, client, contact, skills, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    organisation = Organisation.objects.get(contacts__user=contact)
    client.force_login(contact)
    data = need_fields(skills, organisation=str(organisation.pk))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEED_URL, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteering:submitted") + "?suite=besoin"
    need = BoardNeed.objects.get()
    assert need.organisation == organisation
    assert need.created_by == contact
    assert need.status == BoardNeed.Status.OPEN
    assert need.confirmed_at is not None
    assert need.consent_at == need.confirmed_at  # the consent ticked in the form sent now
    assert need.visibility == "public"
    assert {(s.skill.slug, s.importance) for s in need.need_skills.all()} == {
        ("finance", 3),
        ("juridique", 1),
    }
    assert sorted(m.to[0] for m in mailoutbox) == sorted([contact.email, staff_user.email])
    to_staff = next(m for m in mailoutbox if m.to == [staff_user.email])
    assert "Les Jardins partagés" in to_staff.subject
    assert settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/" in to_staff.body
    to_sender = next(m for m in mailoutbox if m.to == [contact.email])
    assert "Les Jardins partagés" in to_sender.subject
    assert "Finance (indispensable)" in to_sender.body
    assert not EmailVerification.objects.exists()


def test_contact_cannot_submit_for_another_organisation(client, contact, skills, mailoutbox):
    other = OrganisationFactory(name="Pas la mienne")
    client.force_login(contact)
    response = client.post(NEED_URL, need_fields(skills, organisation=str(other.pk)))
    assert response.status_code == 200
    assert "Choisissez l’une des associations dont vous êtes contact." in response.text
    assert not BoardNeed.objects.exists()
    assert mailoutbox == []
    # The form offers only their own organisations.
    page = client.get(NEED_URL).text
    assert "Les Jardins partagés" in page
    assert "Pas la mienne" not in page


def test_logged_in_offer_is_created_at_once(
    client, skills, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    user = VolunteerUserFactory(first_name="Julien", last_name="Le Goff")
    company = CompanyFactory(name="Banque Atlantique")
    client.force_login(user)
    # The account's e-mail is used: an e-mail typed in the POST is ignored.
    data = offer_fields(skills, company=str(company.pk), email="autre@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(OFFER_URL, data)
    assert response.status_code == 302
    assert response["Location"].endswith("?suite=offre")
    offer = VolunteerOffer.objects.get()
    assert offer.user == user
    assert offer.company == company
    assert offer.departements == ["44", "49", "85"]
    assert offer.anonymous is True
    assert offer.status == VolunteerOffer.Status.AVAILABLE
    assert {(s.skill.slug, s.level) for s in offer.offer_skills.all()} == {
        ("finance", 3),
        ("numerique", 2),
    }
    assert sorted(m.to[0] for m in mailoutbox) == sorted([user.email, staff_user.email])


def test_logged_in_user_without_organisation_creates_it_at_once(
    client, skills, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(first_name="Élise", last_name="Morvan")
    client.force_login(user)
    page = client.get(NEED_URL).text
    assert 'name="organisation-name"' in page
    assert 'name="contact-email"' not in page  # the account's address is used
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEED_URL, {**need_fields(skills), **organisation_fields()})
    assert response["Location"].endswith("?suite=besoin")
    contact = Contact.objects.get()
    assert (contact.user, contact.is_primary, contact.role) == (user, True, "president")
    need = BoardNeed.objects.get()
    assert (need.organisation, need.created_by) == (contact.organisation, user)
    assert not EmailVerification.objects.exists()
    assert [m.to for m in mailoutbox] == [[user.email]]


def test_the_same_form_sent_twice_makes_one_need_and_one_offer(client, contact, skills, mailoutbox):
    organisation = Organisation.objects.get(contacts__user=contact)
    client.force_login(contact)
    data = need_fields(skills, organisation=str(organisation.pk))
    assert client.post(NEED_URL, data).status_code == 302
    assert client.post(NEED_URL, data).status_code == 302  # a double click, a reload
    assert BoardNeed.objects.count() == 1
    # Another need of the same organisation is a new one.
    client.post(NEED_URL, {**data, "description": "Un second poste, au secrétariat."})
    assert BoardNeed.objects.count() == 2

    volunteer = VolunteerUserFactory()
    client.force_login(volunteer)
    client.post(OFFER_URL, offer_fields(skills))
    client.post(OFFER_URL, offer_fields(skills))
    assert VolunteerOffer.objects.filter(user=volunteer).count() == 1


def test_a_staff_account_cannot_make_itself_an_organisation_contact(client, skills, staff_user):
    client.force_login(staff_user)
    response = client.post(NEED_URL, {**need_fields(skills), **organisation_fields()})
    assert response.status_code == 200
    assert "Cette adresse ne peut pas être utilisée ici" in response.text
    assert not Contact.objects.filter(user=staff_user).exists()
    assert not BoardNeed.objects.exists() and not Organisation.objects.exists()


# --- Anonymous: through the e-mailed link ------------------------------------------------------


def test_anonymous_need_waits_for_the_link_then_creates_everything_once(
    client, skills, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEED_URL, {**need_fields(skills), **organisation_fields()})
    assert response.status_code == 302
    assert response["Location"].endswith("?suite=verification")
    # Nothing real yet: only the verification, and one e-mail, to the address typed.
    assert not Organisation.objects.exists()
    assert not BoardNeed.objects.exists()
    assert not User.objects.filter(email__iexact="elise.morvan@exemple.fr").exists()
    verification = EmailVerification.objects.get()
    assert verification.kind == EmailVerification.Kind.NEED
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["Elise.Morvan@exemple.fr"]
    link = path_of(verify_link(mailoutbox[0]))

    thanks = client.get(response["Location"])
    assert "confirmez votre adresse e-mail" in thanks.text

    # A mail scanner opening the link creates nothing.
    page = client.get(link)
    assert page.status_code == 200
    assert "Compagnie des Possibles" in page.text
    assert not Organisation.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 302
    assert response["Location"].endswith("?suite=confirme")
    organisation = Organisation.objects.get()
    assert organisation.rna == "W443001234"
    user = User.objects.get(email__iexact="elise.morvan@exemple.fr")
    assert user.username == "elise.morvan@exemple.fr"
    assert not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("Élise", "Morvan")
    contact = Contact.objects.get()
    assert (contact.organisation, contact.user, contact.is_primary) == (organisation, user, True)
    need = BoardNeed.objects.get()
    assert (need.organisation, need.created_by, need.status) == (organisation, user, "open")
    # The consent dates from the form, not from the click on the link.
    assert abs(need.consent_at - verification.created_at).total_seconds() < 1
    assert need.consent_at < need.created_at
    assert need.need_skills.count() == 2
    verification.refresh_from_db()
    assert verification.used_at is not None
    sent = {m.to[0]: m for m in mailoutbox[1:]}
    assert set(sent) == {user.email, staff_user.email}
    assert reverse("members:password_reset") in sent[user.email].body
    confirmed = client.get(response["Location"])
    assert reverse("members:password_reset") in confirmed.text

    # Second use: refused, nothing more.
    again = client.post(link)
    assert again.status_code == 410
    assert "déjà servi" in again.text
    assert client.get(link).status_code == 410
    assert (Organisation.objects.count(), BoardNeed.objects.count(), User.objects.count()) == (
        1,
        1,
        2,
    )


def test_anonymous_need_reuses_the_account_of_the_email(
    client, skills, mailoutbox, django_capture_on_commit_callbacks
):
    existing = UserFactory(username="elise", email="elise.morvan@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEED_URL, {**need_fields(skills), **organisation_fields()})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path_of(verify_link(mailoutbox[0])))
    assert Contact.objects.get().user == existing
    assert BoardNeed.objects.get().created_by == existing
    assert User.objects.count() == 1


def test_anonymous_offer_through_the_link(
    client, skills, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    data = offer_fields(skills, email="julien.legoff@exemple.fr", anonymous="")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(OFFER_URL, data)
    assert response["Location"].endswith("?suite=verification")
    assert not VolunteerOffer.objects.exists()
    assert [m.to for m in mailoutbox] == [["julien.legoff@exemple.fr"]]
    link = path_of(verify_link(mailoutbox[0]))
    assert client.get(link).status_code == 200
    assert not VolunteerOffer.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    offer = VolunteerOffer.objects.get()
    assert offer.user.email == "julien.legoff@exemple.fr"
    assert offer.consent_at is not None and offer.consent_at < offer.created_at
    assert offer.anonymous is False
    assert offer.departements == ["44", "49", "85"]
    assert {m.to[0] for m in mailoutbox[1:]} == {"julien.legoff@exemple.fr", staff_user.email}
    assert client.post(link).status_code == 410
    assert VolunteerOffer.objects.count() == 1


def test_expired_link_is_refused_and_creates_nothing(
    client, skills, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    client.post(OFFER_URL, offer_fields(skills, email="julien.legoff@exemple.fr"))
    verification = EmailVerification.objects.get()
    # The link as it was signed 49 hours ago: past its 48 hours.
    signed_at = time.time() - 49 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: signed_at)
        token = tokens.make_verification_token(verification)
    link = reverse("volunteering:verify", args=[token])
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 410
        assert "expiré" in response.text
    assert not VolunteerOffer.objects.exists()
    assert not User.objects.exists()
    # The same link signed just now works: only its age was refused.
    fresh = reverse("volunteering:verify", args=[tokens.make_verification_token(verification)])
    assert client.post(fresh).status_code == 302


def test_altered_link_is_refused(client):
    response = client.get(reverse("volunteering:verify", args=["pas-un-vrai-lien"]))
    assert response.status_code == 400
    assert "n’est pas valide" in response.text


def test_existing_rna_or_siret_is_refused_on_its_field(client, skills, mailoutbox):
    OrganisationFactory(rna="W443001234", siret="73282932000074")
    response = client.post(NEED_URL, {**need_fields(skills), **organisation_fields()})
    assert response.status_code == 200
    assert "Cette association est déjà connue" in response.text
    assert (
        response.context["organisation_form"]
        .errors["rna"][0]
        .startswith("Cette association est déjà connue")
    )
    fields = organisation_fields(
        **{"organisation-rna": "", "organisation-siret": "732 829 320 00074"}
    )
    response = client.post(NEED_URL, {**need_fields(skills), **fields})
    assert (
        response.context["organisation_form"]
        .errors["siret"][0]
        .startswith("Cette association est déjà connue")
    )
    assert not EmailVerification.objects.exists()
    assert mailoutbox == []


def test_organisation_known_since_the_submission_is_refused_at_confirmation(
    client, skills, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEED_URL, {**need_fields(skills), **organisation_fields()})
    OrganisationFactory(rna="W443001234")
    response = client.post(path_of(verify_link(mailoutbox[0])))
    assert response.status_code == 409
    assert "déjà connue" in response.text
    assert not BoardNeed.objects.exists()
    assert not User.objects.filter(email__iexact="elise.morvan@exemple.fr").exists()


# --- Errors, spam, rate limit ------------------------------------------------------------------


def test_errors_are_french_and_keep_what_was_typed(client, skills):
    data = {
        **need_fields(skills, departement="99", description="Un poste de trésorier"),
        **organisation_fields(**{"contact-email": "pas-une-adresse"}),
    }
    del data[f"skill_{skills[0].pk}"], data[f"skill_{skills[1].pk}"]
    del data["consent"]
    response = client.post(NEED_URL, data)
    assert response.status_code == 200
    text = response.text
    assert "Rien n’a été envoyé" in text
    assert "Indiquez un numéro de département" in text
    assert "Saisissez une adresse e-mail valide" in text
    assert "Choisissez au moins une compétence recherchée" in text
    assert "Cochez cette case" in text
    assert 'value="Compagnie des Possibles"' in text
    assert "Un poste de trésorier" in text
    assert 'value="pas-une-adresse"' in text
    assert not EmailVerification.objects.exists()

    response = client.post(
        OFFER_URL, offer_fields(skills, email="x@exemple.fr", departements="44, 100")
    )
    assert "Ce ne sont pas des numéros de département : 100" in response.text
    assert 'value="44, 100"' in response.text
    assert 'value="Julien"' in response.text
    assert not EmailVerification.objects.exists()


def test_filled_honeypot_stores_and_sends_nothing_but_thanks(
    client, skills, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        need = client.post(
            NEED_URL,
            {**need_fields(skills), **organisation_fields(), "site_web": "http://spam.example"},
        )
        offer = client.post(
            OFFER_URL,
            offer_fields(skills, email="robot@spam.example", site_web="http://spam.example"),
        )
    for response in (need, offer):
        assert response.status_code == 302
        # The same page as a real visitor's: the robot learns nothing.
        assert response["Location"].endswith("?suite=verification")
    assert not EmailVerification.objects.exists()
    assert not Organisation.objects.exists()
    assert not VolunteerOffer.objects.exists()
    assert mailoutbox == []


def test_logged_in_honeypot_stores_nothing(client, contact, skills, mailoutbox):
    client.force_login(contact)
    organisation = Organisation.objects.get()
    data = need_fields(skills, organisation=str(organisation.pk), site_web="x")
    response = client.post(NEED_URL, data)
    assert response["Location"].endswith("?suite=besoin")
    assert not BoardNeed.objects.exists()


@pytest.mark.parametrize("url", [NEED_URL, OFFER_URL])
def test_rate_limit_answers_429_and_keeps_nothing(client, skills, url, monkeypatch):
    monkeypatch.setattr(submission_views, "RATE_LIMIT", 2)
    data = (
        {**need_fields(skills), **organisation_fields()}
        if url == NEED_URL
        else offer_fields(skills, email="julien@exemple.fr")
    )
    for _ in range(2):
        assert client.post(url, data).status_code == 302
    assert EmailVerification.objects.count() == 2
    response = client.post(url, data)
    assert response.status_code == 429
    assert "Trop d’envois" in response.text
    assert EmailVerification.objects.count() == 2
    # Another client is not blocked (with another e-mail address: three posts naming one
    # address are a limit of their own, RATE_LIMITS « volunteering-to »).
    other = {
        **data,
        **{key: "camille@exemple.fr" for key in ("email", "contact-email") if key in data},
    }
    assert client.post(url, other, REMOTE_ADDR="10.0.0.9").status_code == 302


# --- E-mails -----------------------------------------------------------------------------------


def test_three_posts_naming_one_address_are_the_limit_whoever_sends_them(client, skills):
    """Nobody fills someone else's mailbox with verification e-mails from many places."""
    data = offer_fields(skills, email="julien@exemple.fr")
    for n in range(3):
        assert client.post(OFFER_URL, data, REMOTE_ADDR=f"10.0.1.{n}").status_code == 302
    response = client.post(OFFER_URL, data, REMOTE_ADDR="10.0.1.99")
    assert response.status_code == 429
    assert EmailVerification.objects.count() == 3


def test_smtp_failure_keeps_the_submission(
    client, contact, skills, staff_user, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.forms.test_submissions.BrokenBackend"
    BrokenBackend.attempts = 0
    client.force_login(contact)
    organisation = Organisation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEED_URL, need_fields(skills, organisation=str(organisation.pk)))
    assert response.status_code == 302
    assert BoardNeed.objects.count() == 1
    assert BrokenBackend.attempts >= 2  # the sender's and the staff's were tried


def test_smtp_failure_keeps_the_anonymous_submission_waiting(
    client, skills, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.forms.test_submissions.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(OFFER_URL, offer_fields(skills, email="julien@exemple.fr"))
    assert response.status_code == 302
    assert EmailVerification.objects.count() == 1


class BrokenBackend(BaseEmailBackend):
    """An SMTP server that refuses everything (the edge that cannot run in tests)."""

    attempts = 0

    def send_messages(self, messages):
        BrokenBackend.attempts += 1
        raise OSError("SMTP down")


# --- Pages -------------------------------------------------------------------------------------


def test_pages_are_never_cached(client, skills):
    for url in (NEED_URL, OFFER_URL, reverse("volunteering:submitted")):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


def test_consent_links_the_privacy_notice_when_there_is_one(
    client, site_tree, skills, django_capture_on_commit_callbacks
):
    from privacy.pages import PrivacyNoticePage

    assert "politique de confidentialité" not in client.get(OFFER_URL).text
    notice = PrivacyNoticePage(title="Vos données", slug="vos-donnees")
    site_tree["home"].add_child(instance=notice)
    with django_capture_on_commit_callbacks(execute=True):  # the cached address is forgotten
        notice.save_revision().publish()
    for url in (NEED_URL, OFFER_URL):
        text = client.get(url).text
        assert "Lire la politique de confidentialité" in text
        assert f'href="{notice.url}"' in text
        assert "effacée au bout de 30 jours" in text


def test_english_submission_gets_an_english_link(
    client, skills, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en" + OFFER_URL, offer_fields(skills, email="julia@example.com"))
    assert "/en/benevolat/verifier/" in verify_link(mailoutbox[0])
    assert EmailVerification.objects.get().language == "en"


def test_purge_deletes_the_verifications_whose_link_expired(skills):
    old = EmailVerification.objects.create(kind="offer", email="a@exemple.fr", payload={})
    recent = EmailVerification.objects.create(kind="offer", email="b@exemple.fr", payload={})
    EmailVerification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - tokens.VERIFICATION_MAX_AGE - timedelta(minutes=1)
    )
    assert submissions.purge_verifications() == 1
    assert list(EmailVerification.objects.all()) == [recent]


def test_empty_forms_query_budget(client, skills, django_assert_max_num_queries):
    CompanyFactory.create_batch(3)
    client.get(NEED_URL)  # the site's settings rows are made on the first visit
    for url in (NEED_URL, OFFER_URL):
        with django_assert_max_num_queries(8):
            response = client.get(url)
        assert response.status_code == 200
        assert "Finance" in response.text


def test_logged_in_need_form_query_budget(client, contact, skills, django_assert_max_num_queries):
    client.force_login(contact)
    client.get(NEED_URL)  # the site's settings rows are made on the first visit
    with django_assert_max_num_queries(12):
        response = client.get(NEED_URL)
    assert response.status_code == 200
    assert "Les Jardins partagés" in response.text
    assert "organisation-name" not in response.text
