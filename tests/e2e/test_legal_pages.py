"""The legal texts in a real browser: reached from the footer of the demo site, readable by
everyone (axe-core), the statutes a real PDF."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect


@pytest.fixture
def legal_server(demo_server):
    call_command("load_demo_legal", verbosity=0)
    return demo_server


def _footer_link(page, name):
    return page.get_by_role("navigation", name="Informations légales").get_by_role(
        "link", name=name
    )


@pytest.mark.parametrize(
    "link, heading, says",
    [
        ("Mentions légales", "Mentions légales", "Hébergement Exemple SAS"),
        (
            "Politique de confidentialité",
            "Politique de confidentialité",
            "Stripe Payments Europe Ltd",
        ),
        (
            "Accessibilité : partiellement conforme",
            "Déclaration d’accessibilité",
            "Défenseur des droits",
        ),
    ],
)
def test_each_legal_page_is_reached_from_the_footer_and_accessible(
    page, legal_server, axe, link, heading, says
):
    page.goto(legal_server + "/")
    _footer_link(page, link).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("main")).to_contain_text(says)
    assert axe(page) == []


def test_the_statutes_link_of_the_footer_gives_a_pdf(page, legal_server):
    page.goto(legal_server + "/")
    href = _footer_link(page, "Statuts de l’association").get_attribute("href")
    response = page.request.get(legal_server + href)
    assert response.ok
    assert response.body()[:5] == b"%PDF-"


def test_the_privacy_notice_jumps_to_the_reader_s_own_section(page, legal_server):
    page.goto(legal_server + "/")
    _footer_link(page, "Politique de confidentialité").click()
    page.get_by_role("link", name="Membres du jury").click()
    expect(page).to_have_url(re.compile(r"#for-juror$"))
    expect(page.get_by_role("heading", name="Membres du jury", level=2)).to_be_in_viewport()
