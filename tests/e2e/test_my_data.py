"""« Mes données » in a real browser: a juror, a volunteer and a member contact each start at
the home page, sign in from the footer, reach « Mes données » from their own space and download
everything the site holds about them; a volunteer withdraws a consent there."""

import json
import re

from django.utils import timezone
from playwright.sync_api import expect

from demo.factories.awards import (
    PASSWORD,
    application_to_score,
    assign,
    make_juror,
    make_user,
    scoring_edition,
)
from demo.factories.forms import VolunteerOfferFactory
from demo.factories.members import OrganisationFactory
from forms.models import VolunteerOffer
from members.models import Contact
from privacy import consents


def _sign_in_from_the_footer(page, base_url, space, email):
    page.goto(base_url + "/")
    page.locator("footer").get_by_role("link", name=space).click()
    expect(page).to_have_url(re.compile(r"/espace-membre/connexion/"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def _download_json(page):
    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger en JSON").click()
    download = info.value
    assert re.fullmatch(r"mes-donnees-\d{4}-\d\d-\d\d\.json", download.suggested_filename)
    with open(download.path(), encoding="utf-8") as file:
        return json.load(file)["sections"]


def test_a_juror_downloads_their_jury_work(page, demo_server, axe):
    edition = scoring_edition(year=2046)
    application = application_to_score(edition, name="Les Jardins", title="Potagers solidaires")
    juror = make_juror(edition, make_user("juliette"))
    assign(application, juror)

    _sign_in_from_the_footer(page, demo_server, "Espace jury", juror.user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace jury")
    page.get_by_role("link", name="Mes données : télécharger, consentements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données")
    assert axe(page) == []

    sections = _download_json(page)
    assert sections["account"]["rows"][0]["e-mail"] == juror.user.email
    [assignment] = sections["jury-assignments"]["rows"]
    assert "Potagers solidaires" in assignment.values()
    assert sections["volunteer-offers"]["rows"] == []


def test_a_volunteer_downloads_their_offer_and_withdraws_its_consent(page, demo_server, axe):
    volunteer = make_user("victor")
    offer = VolunteerOfferFactory(user=volunteer, first_name="Victor", motivation="Aider.")
    consents.record(
        "volunteering-offer", "J’accepte…", obj=offer, user=volunteer, at=timezone.now()
    )

    _sign_in_from_the_footer(page, demo_server, "Mon espace bénévolat", volunteer.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace bénévolat")
    page.get_by_role("link", name="Mes données : télécharger, consentements").click()
    sections = _download_json(page)
    [row] = sections["volunteer-offers"]["rows"]
    assert "Victor" in row.values()
    assert sections["consents"]["rows"][0]["objet"] == "volunteering-offer"

    page.get_by_role("button", name="Retirer ce consentement").click()
    expect(page.get_by_role("status")).to_contain_text("Votre consentement est retiré.")
    expect(page.get_by_role("button", name="Retirer ce consentement")).to_have_count(0)
    assert axe(page) == []
    offer.refresh_from_db()
    assert offer.status == VolunteerOffer.Status.WITHDRAWN


def test_a_member_contact_downloads_their_organisation_s_data_as_csv(page, demo_server):
    user = make_user("marie")
    organisation = OrganisationFactory(name="Les Jardins Partagés")
    Contact.objects.create(organisation=organisation, user=user, role="treasurer")

    _sign_in_from_the_footer(page, demo_server, "Espace membre", user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace membre")
    page.get_by_role("link", name="Mes données", exact=True).click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger en CSV (tableur)").click()
    with open(info.value.path(), encoding="utf-8-sig") as file:
        text = file.read()
    assert "Contacts" in text and "Les Jardins Partagés" in text
    assert user.email in text
