"""An applicant fills in the award application over two visits (the draft is kept between them),
has the partner company confirm, attaches a PDF and submits; every new page is checked by axe,
and each step keeps a screenshot."""

import re

from django.core import mail
from playwright.sync_api import expect

from awards.models import Application
from demo.factories.awards import EditionFactory
from demo.factories.members import valid_siret
from tests.e2e.application_steps import APPLICANT_EMAIL, fill_partnership, make_applicant
from tests.e2e.portal_steps import log_in

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def test_an_applicant_fills_in_over_two_visits_and_submits(page, demo_server, axe, screenshot):
    make_applicant()
    edition = EditionFactory()
    siret = valid_siret(777)

    # First visit: from the portal to the dossier's first step.
    log_in(page, demo_server, APPLICANT_EMAIL)
    page.get_by_role("link", name="Mes candidatures au prix").click()
    heading(page, "Mes candidatures au prix")
    assert axe(page) == []
    screenshot(page, "award-application-1-list")

    page.get_by_role("link", name=f"Candidater au prix {edition.year}").click()
    heading(page, f"Candidater au prix {edition.year}")
    assert axe(page) == []
    page.get_by_role("button", name="Ouvrir le dossier").click()

    heading(page, "Étape 1 : Les partenaires")
    assert axe(page) == []
    page.get_by_label("Nom de l’entreprise partenaire").fill("Bâtisseurs Solidaires")
    page.get_by_label("SIRET de l’entreprise").fill("123")  # a mistake first
    page.get_by_label("Secteur d’activité").fill("Bâtiment")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_role("alert")).to_contain_text("Un numéro SIRET compte 14 chiffres.")
    expect(page.get_by_label("SIRET de l’entreprise")).to_have_value("123")
    assert axe(page) == []  # the form with its errors
    screenshot(page, "award-application-2-step1-errors")
    page.get_by_label("SIRET de l’entreprise").fill(f"{siret[:9]} {siret[9:]}")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()

    # Log out: the draft stays on the server.
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_have_count(0)

    # Second visit: the draft is found again where it was left.
    log_in(page, demo_server, APPLICANT_EMAIL)
    page.get_by_role("link", name="Mes candidatures au prix").click()
    expect(page.get_by_text("Brouillon", exact=True)).to_be_visible()
    page.get_by_role("link", name=re.compile("Reprendre le brouillon")).click()
    heading(page, "Étape 1 : Les partenaires")
    expect(page.get_by_label("Nom de l’entreprise partenaire")).to_have_value(
        "Bâtisseurs Solidaires"
    )
    expect(page.get_by_label("SIRET de l’entreprise")).to_have_value(siret)
    page.get_by_label("Nombre de salariés de l’entreprise").fill("45")
    page.get_by_label("Nom et prénom du contact dans l’entreprise").fill("Camille Durand")
    page.get_by_label("E-mail du contact").fill("rse@batisseurs.example.com")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()

    # The company is invited and confirms through the link it receives (no account needed).
    mail.outbox = []
    page.get_by_role("button", name="Inviter l’entreprise à confirmer").click()
    expect(
        page.get_by_text("L’invitation a été envoyée à rse@batisseurs.example.com.")
    ).to_be_visible()
    [message] = [m for m in mail.outbox if m.to == ["rse@batisseurs.example.com"]]
    link = re.search(r"https?://\S+/candidatures/partenaire/\S+/", message.body).group(0)
    step1 = page.url
    page.goto(link)
    heading(page, "Confirmer le partenariat")
    assert axe(page) == []
    screenshot(page, "award-application-3-partner")
    page.get_by_role("button", name=re.compile("Je confirme ce partenariat")).click()
    expect(
        page.get_by_text("le partenariat avec Les Jardins Partagés est confirmé")
    ).to_be_visible()

    page.goto(step1)
    expect(page.get_by_text("L’entreprise a confirmé le partenariat")).to_be_visible()
    page.get_by_role("button", name="Enregistrer et continuer").click()

    heading(page, "Étape 2 : Le partenariat")
    assert axe(page) == []
    fill_partnership(page)
    # The draft script saves the step in the background when a field loses focus.
    page.get_by_label("Perspectives").focus()
    expect(page.locator("[data-autosave-status]")).to_contain_text(
        "Brouillon enregistré automatiquement à"
    )
    for _ in range(50):  # the last field's save may follow the first one's
        if Application.objects.get().results == "Douze jeunes en emploi.":
            break
        page.wait_for_timeout(100)
    assert Application.objects.get().results == "Douze jeunes en emploi."
    screenshot(page, "award-application-4-step2")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    heading(page, "Étape 3 : Pièces jointes")
    assert axe(page) == []
    page.get_by_label("Fichier").set_input_files(
        {"name": "convention.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_label("Description de la pièce").fill("Convention de partenariat")
    page.get_by_role("button", name="Ajouter la pièce").click()
    expect(page.get_by_role("link", name="convention.pdf")).to_be_visible()
    assert axe(page) == []
    screenshot(page, "award-application-5-attachments")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    heading(page, "Étape 4 : Publication")
    assert axe(page) == []
    page.get_by_label(re.compile("Nous acceptons que le dossier")).check()
    page.get_by_role("button", name="Enregistrer et continuer").click()

    heading(page, "Aperçu du dossier")
    assert axe(page) == []
    expect(page.get_by_text("Du bois et des liens")).to_be_visible()
    screenshot(page, "award-application-6-preview")
    mail.outbox = []
    page.get_by_role("button", name="Déposer le dossier").click()

    heading(page, f"Dossier {edition.year} — Les Jardins Partagés")
    expect(page.get_by_text("Votre dossier est déposé.")).to_be_visible()
    expect(page.locator("p.lead")).to_contain_text("Déposé")
    assert axe(page) == []
    screenshot(page, "award-application-7-submitted")

    application = Application.objects.get()
    assert application.status == Application.Status.SUBMITTED
    assert application.attachments.count() == 1
    assert [m.to for m in mail.outbox] == [[APPLICANT_EMAIL]]
