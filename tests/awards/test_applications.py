"""The dossier de candidature, applicant side: drafts, the partner's confirmation, submission
before the deadline, the confirmation e-mail, and who may see what."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from awards import applications as rules
from awards.models import Application
from demo.factories.awards import ApplicationFactory, EditionFactory, member
from demo.factories.members import OrganisationFactory, UserFactory, valid_siret
from members.models import Contact

pytestmark = pytest.mark.django_db


def step_url(application, step):
    return reverse("awards:application_step", args=[application.pk, step])


# --- Rules -------------------------------------------------------------------------------------


def test_one_draft_per_organisation_and_edition():
    edition = EditionFactory()
    user = member()
    organisation = user.member_contacts.get().organisation
    first, created = rules.start_or_resume(organisation, edition, user)
    again, created_again = rules.start_or_resume(organisation, edition, user)
    assert created and not created_again
    assert first.pk == again.pk
    assert Application.objects.count() == 1


def test_no_new_draft_outside_the_call():
    now = timezone.now()
    edition = EditionFactory(
        call_opens_at=now - datetime.timedelta(days=60),
        call_closes_at=now - datetime.timedelta(days=1),
    )
    user = member()
    with pytest.raises(rules.CallClosed):
        rules.start_or_resume(user.member_contacts.get().organisation, edition, user)


def test_submission_one_second_after_the_deadline_is_refused():
    application = ApplicationFactory(submittable=True)
    deadline = application.edition.call_closes_at
    with pytest.raises(rules.SubmissionRefused) as refused:
        rules.submit(application, now=deadline + datetime.timedelta(seconds=1))
    assert "clos" in refused.value.problems[0]
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.submitted_at is None

    rules.submit(application, now=deadline)  # at the deadline itself, it goes
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at == deadline


def test_the_closing_date_is_written_in_the_locale_format():
    from django.utils.formats import date_format
    from django.utils.translation import override

    application = ApplicationFactory(submittable=True)
    deadline = application.edition.call_closes_at
    local = timezone.localtime(deadline)
    with override("fr"):
        problems = rules.problems_before_submission(
            application, now=deadline + datetime.timedelta(seconds=1)
        )
        expected = date_format(local, "DATETIME_FORMAT")
    assert expected in problems[0]
    assert local.strftime("%d/%m/%Y") not in problems[0]


def test_submission_needs_the_partner_and_lists_missing_fields_but_not_the_consent():
    application = ApplicationFactory(title="", territory="", company_size=None)
    with pytest.raises(rules.SubmissionRefused) as refused:
        rules.submit(application)
    text = " ".join(refused.value.problems)
    assert "Titre du partenariat" in text
    assert "Territoire" in text
    assert "Salariés de l’entreprise" in text
    assert "n’a pas encore confirmé le partenariat" in text
    assert "publication" not in text
    assert Application.objects.get().status == Application.Status.DRAFT

    # The publication consent is free (RGPD art. 7.4): without it the dossier competes, and is
    # only left unpublished if it wins (awards/laureates.py).
    application.title, application.territory, application.company_size = "Titre", "Nantes", 12
    application.partner_confirmed_at = timezone.now()
    application.publication_consent = False
    application.save()
    rules.submit(application)
    assert Application.objects.get().status == Application.Status.SUBMITTED


def test_submission_sends_the_confirmation_email_after_the_commit(
    django_capture_on_commit_callbacks,
):
    application = ApplicationFactory(submittable=True)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        rules.submit(application)
        assert mail.outbox == []  # nothing leaves before the commit
    [message] = mail.outbox
    assert message.to == [application.created_by.email]
    assert "bien reçu" in message.subject
    assert application.title in message.body
    assert reverse("awards:application_detail", args=[application.pk]) in message.body


def test_a_submitted_dossier_is_not_submitted_twice():
    application = ApplicationFactory(submittable=True)
    rules.submit(application)
    with pytest.raises(rules.SubmissionRefused):
        rules.submit(application)


def test_changing_the_company_after_its_confirmation_withdraws_it():
    application = ApplicationFactory(submittable=True)
    assert not rules.save_step(application, 1, {"company_sector": "Énergie"})
    assert application.partner_confirmed_at is not None
    assert rules.save_step(application, 1, {"company_name": "Autre Entreprise"})
    application.refresh_from_db()
    assert application.partner_confirmed_at is None
    assert application.company_sector == "Énergie"


# --- The steps in the browser's place ----------------------------------------------------------


@pytest.fixture
def applicant(client):
    user = member(email="alice@jardins.example.org")
    client.force_login(user)
    return user


def test_the_draft_is_kept_across_steps_and_visits(client, applicant):
    edition = EditionFactory()
    organisation = applicant.member_contacts.get().organisation
    response = client.get(reverse("awards:application_start", args=[edition.year]))
    assert response.status_code == 200
    response = client.post(
        reverse("awards:application_start", args=[edition.year]),
        {"organisation": organisation.pk},
    )
    application = Application.objects.get()
    assert response["Location"] == step_url(application, 1)

    # Step 1, with a wrong SIRET: the valid fields are kept, what was typed is shown again.
    response = client.post(
        step_url(application, 1),
        {
            "company_name": "Bâtisseurs Solidaires",
            "company_siret": "12345678901234",
            "company_contact_email": "rse@batisseurs.example.com",
            "continue": "1",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce numéro SIRET n’existe pas" in html
    assert 'value="12345678901234"' in html
    # The summary says the valid fields are saved, and links the wrong one.
    assert "Les champs corrects sont enregistrés." in html
    assert 'id="form-errors"' in html and 'href="#id_company_siret"' in html
    application.refresh_from_db()
    assert application.company_name == "Bâtisseurs Solidaires"
    assert application.current_step == 1

    siret = valid_siret(4242)
    response = client.post(
        step_url(application, 1),
        {
            "company_name": "Bâtisseurs Solidaires",
            "company_siret": f"{siret[:3]} {siret[3:]}",
            "company_contact_email": "rse@batisseurs.example.com",
            "continue": "1",
        },
    )
    assert response["Location"] == step_url(application, 2)
    response = client.post(
        step_url(application, 2),
        {"title": "Du bois et des liens", "start_date": "2024-09-01", "draft": "1"},
    )
    assert response["Location"] == step_url(application, 2)

    # Another visit: the list offers the draft where it was left.
    client.logout()
    client.force_login(applicant)
    listing = client.get(reverse("awards:application_list")).content.decode()
    assert "Brouillon" in listing
    assert step_url(application, 2) in listing
    page = client.get(step_url(application, 2)).content.decode()
    assert 'value="Du bois et des liens"' in page
    assert 'value="2024-09-01"' in page
    application.refresh_from_db()
    assert application.company_siret == siret
    assert application.current_step == 2


def test_someone_without_organisation_is_told_to_join_first(client):
    edition = EditionFactory()
    client.force_login(UserFactory())
    response = client.get(reverse("awards:application_start", args=[edition.year]))
    assert response.status_code == 200
    assert "adhérez d’abord" in response.content.decode()
    assert client.post(reverse("awards:application_start", args=[edition.year])).status_code == 200
    assert not Application.objects.exists()


def test_anonymous_visitors_are_sent_to_login(client):
    edition = EditionFactory()
    application = ApplicationFactory(edition=edition)
    for url in [
        reverse("awards:application_list"),
        reverse("awards:application_start", args=[edition.year]),
        step_url(application, 1),
        reverse("awards:application_preview", args=[application.pk]),
        reverse("awards:application_detail", args=[application.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/espace-membre/connexion/"), url


def test_owner_sees_their_dossier_and_another_member_gets_404(client):
    application = ApplicationFactory()
    pages = [
        step_url(application, 1),
        step_url(application, 2),
        step_url(application, 3),
        step_url(application, 4),
        reverse("awards:application_preview", args=[application.pk]),
        reverse("awards:application_detail", args=[application.pk]),
    ]
    client.force_login(application.created_by)
    for url in pages:
        assert client.get(url).status_code == 200, url
    # Another contact of the same organisation sees it too.
    colleague = member(organisation=application.organisation)
    client.force_login(colleague)
    assert client.get(pages[0]).status_code == 200

    client.force_login(member())
    for url in pages:
        assert client.get(url).status_code == 404, url
    response = client.post(pages[0], {"company_name": "Piratage", "draft": "1"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.company_name != "Piratage"
    assert (
        client.post(reverse("awards:application_preview", args=[application.pk])).status_code == 404
    )


def test_preview_lists_what_is_missing_then_submits(client, django_capture_on_commit_callbacks):
    application = ApplicationFactory()
    client.force_login(application.created_by)
    preview = reverse("awards:application_preview", args=[application.pk])
    response = client.post(preview)
    html = response.content.decode()
    assert "Le dossier n’a pas été déposé" in html
    assert "confirmé le partenariat" in html

    application.partner_confirmed_at = timezone.now()
    application.save()
    client.post(step_url(application, 4), {"publication_consent": "on", "continue": "1"})
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(preview)
    assert response["Location"] == reverse("awards:application_detail", args=[application.pk])
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert len(mail.outbox) == 1
    # Read-only from now on: the steps send back to the dossier.
    assert client.get(step_url(application, 1))["Location"] == response["Location"]
    detail = client.get(response["Location"]).content.decode()
    assert "Déposé" in detail and "Enregistrer" not in detail


def test_the_list_shows_each_status_and_the_ineligibility_reason(client):
    user = member()
    organisation = user.member_contacts.get().organisation
    ApplicationFactory(
        organisation=organisation,
        created_by=user,
        submitted=True,
        status=Application.Status.INELIGIBLE,
        ineligibility_reason="Partenariat commencé après la date limite.",
    )
    ApplicationFactory(organisation=organisation, created_by=user, submitted=True,
                       status=Application.Status.LAUREATE)  # fmt: skip
    client.force_login(user)
    html = client.get(reverse("awards:application_list")).content.decode()
    assert "Non recevable" in html
    assert "Partenariat commencé après la date limite." in html
    assert "Lauréat" in html


def test_the_portal_links_to_the_applications(client, applicant):
    html = client.get(reverse("members:portal")).content.decode()
    assert reverse("awards:application_list") in html
    assert "Mes candidatures au prix" in html


def test_autosave_keeps_the_valid_fields(client, applicant):
    organisation = applicant.member_contacts.get().organisation
    application = ApplicationFactory(organisation=organisation, created_by=applicant,
                                     complete=False)  # fmt: skip
    response = client.post(
        reverse("awards:application_autosave", args=[application.pk, 2]),
        {"title": "Tapé sans cliquer", "start_date": "pas une date"},
    )
    assert response.status_code == 200
    assert response.json()["errors"] == ["start_date"]
    application.refresh_from_db()
    assert application.title == "Tapé sans cliquer"


def test_a_stale_autosave_does_not_undo_the_partner_confirmation():
    application = ApplicationFactory(complete=False)
    stale = Application.objects.get(pk=application.pk)
    assert rules.confirm_partner(application)
    rules.save_step(stale, 2, {"title": "Tapé pendant la confirmation"})
    application.refresh_from_db()
    assert application.partner_confirmed_at is not None
    assert application.title == "Tapé pendant la confirmation"
    assert stale.partner_confirmed_at is not None


def test_a_stale_autosave_does_not_change_a_submitted_dossier():
    application = ApplicationFactory(submittable=True)
    stale = Application.objects.get(pk=application.pk)
    rules.submit(application)
    with pytest.raises(rules.NotEditable):
        rules.save_step(stale, 2, {"title": "Trop tard"})
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.title != "Trop tard"


def test_autosave_answers_409_when_the_dossier_was_submitted_meanwhile(
    client, applicant, monkeypatch
):
    organisation = applicant.member_contacts.get().organisation
    application = ApplicationFactory(organisation=organisation, created_by=applicant,
                                     submittable=True)  # fmt: skip
    real_save_step = rules.save_step

    def submitted_meanwhile(*args, **kwargs):
        Application.objects.filter(pk=application.pk).update(
            status=Application.Status.SUBMITTED, submitted_at=timezone.now()
        )
        return real_save_step(*args, **kwargs)

    monkeypatch.setattr(rules, "save_step", submitted_meanwhile)
    response = client.post(
        reverse("awards:application_autosave", args=[application.pk, 2]),
        {"title": "Trop tard"},
    )
    assert response.status_code == 409
    application.refresh_from_db()
    assert application.title != "Trop tard"


# --- The partner company -----------------------------------------------------------------------


def invite(client, application):
    mail.outbox = []
    client.force_login(application.created_by)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("awards:partner_invite", args=[application.pk]))
    [message] = mail.outbox
    assert message.to == [application.company_contact_email]
    return re.search(r"https?://\S+(/candidatures/partenaire/\S+/)", message.body).group(1)


def test_the_partner_link_confirms_once(client):
    application = ApplicationFactory()
    link = invite(client, application)
    application.refresh_from_db()
    assert application.partner_invited_at is not None
    client.logout()  # the company's contact has no account

    page = client.get(link)
    assert page.status_code == 200
    assert application.title in page.content.decode()
    response = client.post(link)
    assert "est confirmé" in response.content.decode()
    application.refresh_from_db()
    first = application.partner_confirmed_at
    assert first is not None

    again = client.post(link)
    assert "déjà confirmé" in again.content.decode()
    application.refresh_from_db()
    assert application.partner_confirmed_at == first
    assert "déjà confirmé" in client.get(link).content.decode()


def test_an_expired_partner_link_is_refused(client, monkeypatch):
    application = ApplicationFactory()
    token = rules.make_partner_token(application)
    later = signing.time.time() + (rules.PARTNER_LINK_DAYS + 1) * 86400
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.post(reverse("awards:partner_confirm", args=[token]))
    assert response.status_code == 410
    assert "Ce lien a expiré" in response.content.decode()
    application.refresh_from_db()
    assert application.partner_confirmed_at is None


def test_an_altered_partner_link_is_refused(client):
    application = ApplicationFactory()
    token = rules.make_partner_token(application)
    altered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.post(reverse("awards:partner_confirm", args=[altered]))
    assert response.status_code == 400
    assert "Ce lien n’est pas valide" in response.content.decode()
    application.refresh_from_db()
    assert application.partner_confirmed_at is None


def test_a_link_sent_before_the_company_changed_no_longer_confirms(client):
    application = ApplicationFactory()
    token = rules.make_partner_token(application)
    rules.save_step(application, 1, {"company_contact_email": "autre@entreprise.example.com"})
    response = client.post(reverse("awards:partner_confirm", args=[token]))
    assert response.status_code == 410
    application.refresh_from_db()
    assert application.partner_confirmed_at is None


def test_changing_the_siret_withdraws_the_confirmation_and_voids_the_link(client):
    application = ApplicationFactory(submittable=True)
    rules.mark_partner_invited(application)
    token = rules.make_partner_token(application)
    assert rules.save_step(application, 1, {"company_siret": valid_siret(42)})
    application.refresh_from_db()
    assert application.partner_confirmed_at is None
    response = client.post(reverse("awards:partner_confirm", args=[token]))
    assert response.status_code == 410
    application.refresh_from_db()
    assert application.partner_confirmed_at is None


def test_a_resent_invitation_voids_the_previous_link(client):
    application = ApplicationFactory()
    first = invite(client, application)
    application.refresh_from_db()
    # Ten minutes later, the applicant sends it again.
    Application.objects.filter(pk=application.pk).update(
        partner_invited_at=application.partner_invited_at - datetime.timedelta(minutes=11)
    )
    second = invite(client, application)
    assert second != first
    client.logout()
    response = client.post(first)
    assert response.status_code == 410
    assert "remplacé par une invitation plus récente" in response.content.decode()
    application.refresh_from_db()
    assert application.partner_confirmed_at is None
    assert "est confirmé" in client.post(second).content.decode()


def test_a_new_invitation_waits_ten_minutes(client):
    application = ApplicationFactory()
    invite(client, application)
    mail.outbox = []
    response = client.post(reverse("awards:partner_invite", args=[application.pk]), follow=True)
    assert mail.outbox == []
    assert "Attendez au moins 10 minutes" in response.content.decode()


def test_a_link_from_before_a_reset_no_longer_confirms(client):
    application = ApplicationFactory(submittable=True)
    original = application.company_name
    rules.mark_partner_invited(application)
    token = rules.make_partner_token(application)
    # The confirmation is reset (the company changed), then the name is set back as it was.
    assert rules.save_step(application, 1, {"company_name": "Autre Entreprise"})
    rules.save_step(application, 1, {"company_name": original})
    response = client.post(reverse("awards:partner_confirm", args=[token]))
    assert response.status_code == 410
    application.refresh_from_db()
    assert application.partner_confirmed_at is None


def test_no_invitation_without_the_contact_email(client):
    application = ApplicationFactory(company_contact_email="")
    client.force_login(application.created_by)
    mail.outbox = []
    response = client.post(reverse("awards:partner_invite", args=[application.pk]))
    assert response.status_code == 302
    assert mail.outbox == []


def test_changing_the_company_on_the_page_says_the_confirmation_is_withdrawn(client):
    application = ApplicationFactory(submittable=True)
    client.force_login(application.created_by)
    data = {name: getattr(application, name) for name in rules.STEP_FIELDS[1]}
    data.update(company_name="Nouveau Nom", draft="1")
    response = client.post(step_url(application, 1), data, follow=True)
    assert "confirmation du partenariat est annulée" in response.content.decode()
    application.refresh_from_db()
    assert application.partner_confirmed_at is None


def test_another_contact_organisation_is_not_offered(client):
    """Starting a dossier for an organisation one is not a contact of is refused."""
    edition = EditionFactory()
    user = member()
    stranger = OrganisationFactory()
    Contact.objects.create(organisation=stranger, user=UserFactory(), role="president")
    client.force_login(user)
    response = client.post(
        reverse("awards:application_start", args=[edition.year]), {"organisation": stranger.pk}
    )
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_a_closed_edition_offers_no_new_dossier(client, applicant):
    now = timezone.now()
    edition = EditionFactory(
        call_opens_at=now - datetime.timedelta(days=60),
        call_closes_at=now - datetime.timedelta(seconds=1),
    )
    organisation = applicant.member_contacts.get().organisation
    url = reverse("awards:application_start", args=[edition.year])
    assert "n’est pas ouvert" in client.get(url).content.decode()
    client.post(url, {"organisation": organisation.pk})
    assert not Application.objects.exists()
    listing = client.get(reverse("awards:application_list")).content.decode()
    assert url not in listing


def test_a_juror_does_not_reach_the_applicant_pages(client):
    from demo.factories.awards import JuryAssignmentFactory

    assignment = JuryAssignmentFactory()
    client.force_login(assignment.juror.user)
    application = assignment.application
    assert client.get(step_url(application, 1)).status_code == 404
    assert (
        client.get(reverse("awards:application_detail", args=[application.pk])).status_code == 404
    )
