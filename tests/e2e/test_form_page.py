"""An editor-built form page in a real browser: filled in with the keyboard's labels, errors in
French, the thank-you page; axe finds nothing serious on the form, its errors or the landing."""

from playwright.sync_api import expect

from demo.volunteering.form_pages import create_demo_form_pages
from home.models import HomePage


def test_a_visitor_registers_to_the_study_day(page, demo_server, axe, screenshot):
    from wagtail.contrib.forms.models import FormSubmission

    _, study_day = create_demo_form_pages(HomePage.objects.get())
    page.goto(demo_server + study_day.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(study_day.title)
    assert axe(page) == []

    page.get_by_label("Nom et prénom").fill("Camille Martin")
    page.get_by_label("Adresse e-mail").fill("pas-une-adresse")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("alert")).to_contain_text("corrigez les champs signalés")
    expect(page.get_by_label("Nom et prénom")).to_have_value("Camille Martin")
    assert axe(page) == []  # the form with its errors
    screenshot(page, "form-page-errors")

    page.get_by_label("Adresse e-mail").fill("camille@example.org")
    page.get_by_label("Association ou entreprise").fill("Les Jardins partagés")
    page.get_by_label("Dirigeant·e bénévole d’association").check()
    page.get_by_label("Renouveler son conseil d’administration").check()
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("status")).to_contain_text("Votre inscription est enregistrée")
    assert axe(page) == []
    screenshot(page, "form-page-landing")
    assert FormSubmission.objects.filter(page=study_day).count() == 1
