"""A member reports its social utility in a real browser: from the home page to the portal, the
report form (keyboard, autosave, an error explained in French), the submission and the
read-only report; no serious accessibility issue on any page."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from demo.factories.impact import CampaignFactory, IndicatorFactory, make_breakdown
from demo.factories.members import OrganisationFactory
from impact import services
from impact.models import Indicator, Report
from impact.services import AnswerInput
from tests.e2e.portal_steps import contact_who_logs_in, follow_with_keyboard, type_credentials

Kind = Indicator.Kind


def test_a_member_reports_saves_is_corrected_and_submits(page, demo_server, axe):
    volunteers = IndicatorFactory(name="Bénévoles actifs", kind=Kind.COUNT)
    volunteers.breakdowns.add(make_breakdown())
    trained = IndicatorFactory(name="Part des bénévoles formés", kind=Kind.PERCENTAGE)
    charter = IndicatorFactory(name="Charte du bénévolat", kind=Kind.YES_NO, unit="")
    CampaignFactory(
        year=2026, title="Utilité sociale 2026", indicators=[volunteers, trained, charter]
    )
    jardins = OrganisationFactory(name="Les Jardins Partagés")
    contact_who_logs_in("alice@jardins.example.org", jardins)

    page.goto(demo_server + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Espace membre").click()
    expect(page).to_have_url(re.compile(r"/espace-membre/connexion/"))
    type_credentials(page, "alice@jardins.example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace membre")

    follow_with_keyboard(page, page.get_by_role("link", name="Notre utilité sociale"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Notre utilité sociale")
    assert axe(page) == []
    follow_with_keyboard(page, page.get_by_role("link", name="Utilité sociale 2026"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Utilité sociale 2026")
    assert axe(page) == []

    # The keyboard alone: the count, then its women, a Tab further.
    volunteers_group = page.get_by_role("group", name="Bénévoles actifs")
    volunteers_group.get_by_label("Valeur (personnes)").focus()
    page.keyboard.type("30")
    page.keyboard.press("Tab")
    page.keyboard.type("18")
    page.keyboard.press("Tab")  # leaving a field saves the draft in the background
    expect(
        page.get_by_text(re.compile(r"Brouillon enregistré automatiquement à \d\d:\d\d"))
    ).to_be_visible()
    assert Report.objects.get().answers.get(indicator=volunteers).value == 30

    trained_group = page.get_by_role("group", name="Part des bénévoles formés")
    trained_group.get_by_label("bénévoles formés").fill("50")
    trained_group.get_by_label("bénévoles", exact=True).fill("40")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Le numérateur dépasse le dénominateur")
    expect(trained_group.get_by_label("bénévoles formés")).to_have_value("50")
    assert axe(page) == []
    alert.get_by_role("link", name=re.compile("Part des bénévoles formés")).click()
    expect(trained_group.get_by_label("bénévoles formés")).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("12")

    page.get_by_role("group", name="Charte du bénévolat").get_by_label("Oui").check()
    page.get_by_role("button", name="Remettre le rapport").click()
    expect(page.get_by_text("Rapport remis : merci ! Il va être relu.")).to_be_visible()
    expect(page.get_by_role("button", name="Remettre le rapport")).to_have_count(0)
    expect(page.get_by_text("30 personnes")).to_be_visible()
    assert axe(page) == []
    report = Report.objects.get()
    assert report.status == Report.Status.SUBMITTED
    assert report.answers.get(indicator=trained).percentage == 30

    # Its own report over the years, to hand to a funder.
    follow_with_keyboard(page, page.get_by_role("link", name="Notre utilité sociale"))
    follow_with_keyboard(
        page, page.get_by_role("link", name="Le bilan de Les Jardins Partagés au fil des années")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Le bilan de Les Jardins Partagés")
    expect(page.get_by_role("cell", name="30 personnes")).to_be_visible()
    assert axe(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="télécharger le PDF").click()
    assert download.value.suggested_filename == "utilite-sociale.pdf"


def test_a_peer_returns_a_report_and_the_member_sees_the_remark(page, demo_server, axe):
    volunteers = IndicatorFactory(name="Bénévoles actifs", kind=Kind.COUNT)
    budget = IndicatorFactory(name="Budget annuel", kind=Kind.AMOUNT, unit="€")
    campaign = CampaignFactory(
        year=2026, title="Utilité sociale 2026", indicators=[volunteers, budget]
    )
    jardins = OrganisationFactory(name="Les Jardins Partagés")
    contact_who_logs_in("alice@jardins.example.org", jardins)
    peer = contact_who_logs_in("bruno@velo.example.org", OrganisationFactory(name="Atelier Vélo"))
    report = services.report_for(jardins, campaign)
    services.save_answers(
        report, {volunteers.pk: AnswerInput(value="30"), budget.pk: AnswerInput(value="1")}
    )
    services.submit(report)
    Report.objects.filter(pk=report.pk).update(reviewer=peer)

    page.goto(demo_server + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Espace membre").click()
    type_credentials(page, "bruno@velo.example.org")
    follow_with_keyboard(page, page.get_by_role("link", name="Notre utilité sociale"))
    follow_with_keyboard(page, page.get_by_role("link", name="Rapports à relire"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapports à relire")
    assert axe(page) == []
    follow_with_keyboard(page, page.get_by_role("link", name="Les Jardins Partagés"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Relecture : Les Jardins Partagés")
    assert axe(page) == []
    page.get_by_role("group", name="Bénévoles actifs").get_by_label("Validée").check()
    budget_group = page.get_by_role("group", name="Budget annuel")
    budget_group.get_by_label("À revoir").check()
    budget_group.get_by_label("Remarque pour l’adhérent").fill("1 € ? Donnez le budget annuel.")
    page.get_by_role("button", name="Terminer la relecture").click()
    expect(page.get_by_text("Rapport renvoyé à l’adhérent, avec vos remarques.")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    page.goto(demo_server + "/espace-membre/")
    type_credentials(page, "alice@jardins.example.org")
    follow_with_keyboard(page, page.get_by_role("link", name="Notre utilité sociale"))
    follow_with_keyboard(page, page.get_by_role("link", name="Utilité sociale 2026"))
    expect(page.get_by_text("1 € ? Donnez le budget annuel.")).to_be_visible()
    assert axe(page) == []


def test_a_visitor_reads_the_networks_figures_with_their_tables(page, demo_server, axe):
    call_command("load_demo_impact", verbosity=0)
    page.goto(demo_server + "/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="L’association", exact=True
    ).click()
    follow_with_keyboard(page, page.get_by_role("link", name="L’impact du réseau"))
    expect(page.get_by_role("heading", level=1)).to_have_text("L’impact du réseau")
    chart = page.get_by_role("img", name=re.compile("Bénévoles actifs, par année"))
    expect(chart).to_be_visible()
    table = page.get_by_role("table", name=re.compile("^Bénévoles actifs, par année"))
    expect(table.get_by_role("rowheader")).to_have_count(2)  # the two reviewed years
    assert axe(page) == []
    page.locator("details > summary").first.click()
    expect(page.get_by_role("table", name=re.compile("par département")).first).to_be_visible()
    assert axe(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Données ouvertes (CSV)").click()
    assert download.value.suggested_filename == "utilite-sociale.csv"


def test_the_renewal_invites_the_member_to_report(page, demo_server, axe):
    """From the portal's « Renouveler » to the bulletin, which asks for the open campaign's
    report too; its link leads to the report."""
    call_command("load_demo_members", verbosity=0)
    CampaignFactory(
        year=2026, title="Utilité sociale 2026", indicators=[IndicatorFactory(name="Bénévoles")]
    )
    jardins = OrganisationFactory(name="Les Jardins Partagés", employees=0)
    contact_who_logs_in("alice@jardins.example.org", jardins)

    page.goto(demo_server + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Espace membre").click()
    type_credentials(page, "alice@jardins.example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace membre")
    main = page.get_by_role("main")
    main.get_by_role("link", name=re.compile("^(Renouveler|Adhérer)$")).first.click()
    expect(page.locator("#id_org-name")).to_have_value("Les Jardins Partagés")
    invitation = page.get_by_role("region", name="Pendant que vous y êtes")
    expect(invitation).to_contain_text("« Utilité sociale 2026 » est ouverte jusqu’au")
    assert axe(page) == []
    follow_with_keyboard(page, invitation.get_by_role("link", name="Remplir le rapport"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Utilité sociale 2026")
