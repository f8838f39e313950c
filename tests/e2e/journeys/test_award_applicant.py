"""Journey: an association applies to the award « La part des autres » with its partner company.

From the home page, by clicks only: the award's page, the open edition, « Candidater », the login
page, the dossier's four steps (a real PDF attached), the invitation of the partner company, whose
contact confirms from the link in their e-mail (in their own browser), then the preview and the
submission. Every page passed through is checked by axe (impact moderate and above).
"""

import io
import re
import time

from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect
from reportlab.pdfgen import canvas

from awards.models import Application, AwardEdition
from demo.factories.awards import PASSWORD
from demo.factories.members import valid_siret
from tests.e2e.application_steps import APPLICANT_EMAIL, fill_partnership, make_applicant
from tests.e2e.conftest import _local_only
from tests.e2e.journeys.conftest import Journey

PARTNER_EMAIL = "rse@batisseurs.example.com"

# The applicant's clicks: the home page's card « Prix « La part des autres » », « Voir l’appel à
# candidatures », « Candidater », « Se connecter », « Ouvrir le dossier », « Enregistrer le
# brouillon », « Inviter l’entreprise à confirmer », then « Enregistrer et continuer » at steps 1,
# 2, 3 and 4 with « Ajouter la pièce » at step 3, and « Déposer le dossier ».
CLICKS = 13
# The partner's: « Je confirme ce partenariat au nom de … ».
PARTNER_CLICKS = 1


def small_pdf():
    """A real one-page PDF, made here."""
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer)
    document.drawString(72, 760, "Convention de partenariat : Les Jardins Partagés")
    document.drawString(72, 740, "et Bâtisseurs Solidaires, signée le 1er septembre 2024.")
    document.showPage()
    document.save()
    return buffer.getvalue()


def open_edition():
    """The edition whose call is open now: load_demo_awards computes its dates from today."""
    editions = [edition for edition in AwardEdition.objects.all() if edition.call_is_open()]
    assert len(editions) == 1, editions
    return editions[0]


def heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def test_an_association_applies_with_its_partner_company(journey, live_server):
    started = time.monotonic()
    call_command("load_demo_content", verbosity=0)
    call_command("load_demo_members", verbosity=0)
    call_command("load_demo_awards", verbosity=0)
    edition = open_edition()
    year = edition.year
    make_applicant()
    siret = valid_siret(777)
    page = journey.page

    # The home page leads to the award, the award to its open edition.
    journey.start("/")
    # The home page's card « Prix « La part des autres » » (the whole card is its link).
    award = re.compile(r"^Prix\W+La part des autres\W+$")
    journey.click(page.get_by_role("main").get_by_role("link", name=award))
    heading(page, award)
    journey.click(page.get_by_role("link", name="Voir l’appel à candidatures"))
    heading(page, re.compile(rf"^Prix\W+La part des autres\W+{year}$"))
    journey.click(page.get_by_role("main").get_by_role("link", name="Candidater", exact=True))

    # « Candidater » asks to log in first, then comes back to the application's start.
    heading(page, "Espace membre")
    page.get_by_label("Adresse e-mail").fill(APPLICANT_EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    journey.click(page.get_by_role("button", name="Se connecter"))
    heading(page, f"Candidater au prix {year}")
    expect(page.get_by_label("Les Jardins Partagés")).to_be_checked()
    journey.click(page.get_by_role("button", name="Ouvrir le dossier"))

    # Step 1: the partner company, saved, then invited to confirm.
    heading(page, "Étape 1 : Les partenaires")
    page.get_by_label("Nom de l’entreprise partenaire").fill("Bâtisseurs Solidaires")
    page.get_by_label("SIRET de l’entreprise").fill(f"{siret[:9]} {siret[9:]}")
    page.get_by_label("Secteur d’activité").fill("Bâtiment")
    page.get_by_label("Nombre de salariés de l’entreprise").fill("45")
    page.get_by_label("Nom et prénom du contact dans l’entreprise").fill("Camille Durand")
    page.get_by_label("E-mail du contact").fill(PARTNER_EMAIL)
    journey.click(page.get_by_role("button", name="Enregistrer le brouillon"))
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()
    journey.click(page.get_by_role("button", name="Inviter l’entreprise à confirmer"))
    expect(page.get_by_text(f"L’invitation a été envoyée à {PARTNER_EMAIL}.")).to_be_visible()

    # The partner company's contact, in their own browser, follows the link they received.
    partner_context = page.context.browser.new_context()
    partner_context.route("**/*", _local_only)
    try:
        partner = Journey(partner_context.new_page(), journey.base_url, journey._axe)
        partner.follow_email_link(r"^/candidatures/partenaire/", to=PARTNER_EMAIL)
        heading(partner.page, "Confirmer le partenariat")
        partner.click(partner.page.get_by_role("button", name=re.compile("Je confirme")))
        expect(
            partner.page.get_by_text("le partenariat avec Les Jardins Partagés est confirmé")
        ).to_be_visible()
    finally:
        partner_context.close()

    # Back to the applicant: the other steps, then the preview and the submission.
    journey.click(page.get_by_role("button", name="Enregistrer et continuer"))
    heading(page, "Étape 2 : Le partenariat")
    fill_partnership(page)
    page.get_by_label("Perspectives").fill("Un second atelier, à Saint-Herblain.")
    journey.click(page.get_by_role("button", name="Enregistrer et continuer"))

    heading(page, "Étape 3 : Pièces jointes")
    page.get_by_label("Fichier").set_input_files(
        {"name": "convention.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}
    )
    page.get_by_label("Description de la pièce").fill("Convention de partenariat")
    journey.click(page.get_by_role("button", name="Ajouter la pièce"))
    expect(page.get_by_role("link", name="convention.pdf")).to_be_visible()
    journey.click(page.get_by_role("button", name="Enregistrer et continuer"))

    heading(page, "Étape 4 : Publication")
    page.get_by_label(re.compile("Nous acceptons que le dossier")).check()
    journey.click(page.get_by_role("button", name="Enregistrer et continuer"))

    heading(page, "Aperçu du dossier")
    expect(page.get_by_text("Du bois et des liens")).to_be_visible()
    mail.outbox = []
    journey.click(page.get_by_role("button", name="Déposer le dossier"))
    heading(page, f"Dossier {year} — Les Jardins Partagés")
    expect(page.get_by_text("Votre dossier est déposé.")).to_be_visible()

    application = Application.objects.get(
        edition=edition, organisation__name="Les Jardins Partagés"
    )
    assert application.status == Application.Status.SUBMITTED
    assert application.partner_confirmed_at is not None
    assert application.attachments.get().original_name == "convention.pdf"
    assert [m.to for m in mail.outbox] == [[APPLICANT_EMAIL]]

    print(
        f"\napplicant journey: {journey.clicks} clicks (+ {partner.clicks} for the partner), "
        f"{len(journey.pages) + len(partner.pages)} pages checked, "
        f"{time.monotonic() - started:.1f} s"
    )
    assert journey.clicks == CLICKS
    assert partner.clicks == PARTNER_CLICKS
