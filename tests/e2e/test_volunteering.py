"""The volunteer matching in a real browser: an association posts a board need, a volunteer
offers their skills (confirming their address by the e-mailed link), staff propose the match
and introduce them, and both accept — one from their space, the other from the e-mail's link.
Every public page on the way is checked with axe-core."""

import re
from urllib.parse import urlsplit

from django.core import mail
from playwright.sync_api import expect

from demo.factories.awards import PASSWORD
from demo.factories.forms import SkillFactory
from forms.models import BoardNeed, Match, VolunteerOffer
from tests.e2e.conftest import sign_in_to_admin
from tests.e2e.mail_steps import email_link
from tests.e2e.portal_steps import log_in, user_who_logs_in
from tests.e2e.volunteering_steps import (
    ASSOCIATION_EMAIL,
    VOLUNTEER_EMAIL,
    fill_need,
    fill_offer,
    make_association_contact,
)


def _heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_contain_text(text)


def test_a_need_and_an_offer_are_matched_and_both_accept(page, demo_server, axe, screenshot):
    base = demo_server
    finance = SkillFactory(name="Finance", slug="finance")
    SkillFactory(name="Juridique", slug="juridique")
    organisation = make_association_contact()
    user_who_logs_in("equipe@reseau.example.org", is_staff=True, is_superuser=True)

    # 1. The association, logged in, posts its need.
    log_in(page, base, ASSOCIATION_EMAIL)
    page.goto(base + "/benevolat/besoins/deposer/")
    assert axe(page) == []
    fill_need(page, "Finance")
    page.get_by_role("button", name="Déposer le besoin").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    need = BoardNeed.objects.get(organisation=organisation)
    assert need.status == BoardNeed.Status.OPEN
    page.goto(base + "/benevolat/besoins/")
    assert axe(page) == []
    card = page.locator("article").filter(has_text="Les Jardins Partagés")
    card.get_by_role("link", name="Trésorier·ère").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trésorier")
    assert axe(page) == []
    page.context.clear_cookies()

    # 2. A volunteer, without an account, offers their skills and confirms by e-mail.
    page.goto(base + "/benevolat/proposer/")
    assert axe(page) == []
    fill_offer(page, "Finance")
    page.get_by_role("button", name="Proposer mes compétences").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert not VolunteerOffer.objects.exists()  # not before the address is confirmed
    page.goto(email_link(base, r"/benevolat/verifier/"))
    assert axe(page) == []
    page.get_by_role("button", name="Je confirme ma proposition").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    offer = VolunteerOffer.objects.get(user__email=VOLUNTEER_EMAIL)
    assert offer.anonymous

    # 3. Staff see the volunteer among the need's suggestions, propose and introduce.
    # The password, then the code of the authenticator app (the staff member enrolled before).
    sign_in_to_admin(page, base, "equipe@reseau.example.org", PASSWORD)
    page.goto(base + f"/admin/benevolat/besoin/{need.pk}/suggestions/")
    expect(page.get_by_text("Camille Durand").first).to_be_visible()
    page.get_by_role("button", name="Proposer Camille Durand").click()
    page.get_by_role("button", name="Mettre en relation").first.click()
    match = Match.objects.get(need=need, offer=offer)
    assert match.status == Match.Status.INTRODUCED
    screenshot(page, "volunteering-staff-suggestions")
    page.context.clear_cookies()

    # 4a. The volunteer accepts from the e-mailed link, without logging in.
    volunteer_mail = next(
        m for m in mail.outbox if m.to == [VOLUNTEER_EMAIL] and "?choix" in m.body
    )
    answer = re.search(
        r"https?://\S+/benevolat/mise-en-relation/\S+?(?=\?|\s)", volunteer_mail.body
    )
    page.goto(base + urlsplit(answer.group(0)).path)
    assert axe(page) == []
    page.get_by_role("button", name="J’accepte la mise en relation").click()
    expect(page.get_by_text(re.compile("réponse", re.I)).first).to_be_visible()

    # 4b. The association accepts from its space; it saw the volunteer's number, not the name.
    log_in(page, base, ASSOCIATION_EMAIL)
    page.goto(base + "/benevolat/mon-espace/")
    assert axe(page) == []
    expect(page.get_by_text(f"Bénévole n° {offer.pk}").first).to_be_visible()
    assert "Durand" not in page.content()
    screenshot(page, "volunteering-association-space")
    page.get_by_role("button", name="J’accepte la mise en relation").click()

    match.refresh_from_db()
    assert match.status == Match.Status.ACCEPTED
    # Both accepted: now the association knows who the volunteer is.
    page.goto(base + "/benevolat/mon-espace/")
    expect(page.get_by_text("Camille Durand").first).to_be_visible()
    assert finance in need.skills.all()


def test_the_company_dashboard_and_the_need_confirmation_are_accessible(page, demo_server, axe):
    from demo.factories.forms import BoardNeedFactory, CompanyFactory
    from forms.tokens import make_need_token

    base = demo_server
    company = CompanyFactory(name="Banque Coopérative de l’Ouest")
    manager = user_who_logs_in("rse@banque.example.com")
    company.dashboard_users.add(manager)
    need = BoardNeedFactory()

    # The association's contact opens the « still open? » link from the 90-day e-mail.
    page.goto(base + f"/benevolat/besoins/{need.pk}/confirmer/{make_need_token(need)}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert axe(page) == []

    log_in(page, base, "rse@banque.example.com")
    page.goto(base + "/benevolat/entreprise/")
    expect(page.get_by_text("Banque Coopérative de l’Ouest").first).to_be_visible()
    assert axe(page) == []


def test_a_refused_form_keeps_what_was_typed_and_brings_focus_to_the_errors(page, demo_server, axe):
    SkillFactory(name="Finance", slug="finance")
    for path in ("/benevolat/proposer/", "/benevolat/besoins/deposer/"):
        page.goto(demo_server + path)
        assert axe(page) == []
        page.get_by_label("Adresse e-mail").first.fill("pas-une-adresse")
        page.get_by_role(
            "button", name=re.compile("Proposer mes compétences|Déposer le besoin")
        ).click()
        summary = page.locator("#form-errors")
        # The summary gets the focus (a script file: the CSP refuses inline scripts).
        expect(summary).to_be_focused()
        expect(page.get_by_label("Adresse e-mail").first).to_have_value("pas-une-adresse")
        assert axe(page) == []
    assert not VolunteerOffer.objects.exists() and not BoardNeed.objects.exists()
