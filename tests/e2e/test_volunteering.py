"""The volunteer matching in a real browser: an association posts a board need, a volunteer
offers their skills (confirming their address by the e-mailed link), staff propose the match
and introduce them, and both accept — one from their space, the other from the e-mail's link.
Every public page on the way is checked with axe-core."""

import re
from urllib.parse import urlsplit

from django.core import mail
from playwright.sync_api import expect

from demo.factories.forms import SkillFactory
from demo.factories.members import OrganisationFactory, UserFactory
from forms.models import BoardNeed, Match, VolunteerOffer
from members.models import Contact
from tests.e2e.conftest import sign_in_to_admin

PASSWORD = "un-mot-de-passe-solide-42"
ASSOCIATION_EMAIL = "tresorerie@jardins.example.org"
VOLUNTEER_EMAIL = "camille.durand@exemple.fr"


def _user(email, password, **fields):
    user = UserFactory(email=email, username=email, **fields)
    user.set_password(password)
    user.save()
    return user


def _link(base_url, pattern):
    """The last e-mailed link whose path matches `pattern`, on the live server."""
    for message in reversed(mail.outbox):
        for url in re.findall(r"https?://\S+", message.body):
            path = urlsplit(url)
            if re.search(pattern, path.path):
                return base_url + path.path + (f"?{path.query}" if path.query else "")
    raise AssertionError(f"no e-mailed link matching {pattern}")


def _heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_contain_text(text)


def test_a_need_and_an_offer_are_matched_and_both_accept(page, demo_server, axe, screenshot):
    base = demo_server
    finance = SkillFactory(name="Finance", slug="finance")
    SkillFactory(name="Juridique", slug="juridique")
    association_user = _user(ASSOCIATION_EMAIL, PASSWORD, first_name="Inès", last_name="Morel")
    organisation = OrganisationFactory(name="Les Jardins Partagés", departement="44")
    Contact.objects.create(
        organisation=organisation, user=association_user, role="president", is_primary=True
    )
    _user("equipe@reseau.example.org", PASSWORD, is_staff=True, is_superuser=True)

    # 1. The association, logged in, posts its need.
    page.goto(base + "/espace-membre/connexion/")
    page.get_by_label("Adresse e-mail").fill(ASSOCIATION_EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_label("Mot de passe").press("Enter")
    _heading(page, "Espace membre")
    page.goto(base + "/benevolat/besoins/deposer/")
    assert axe(page) == []
    page.get_by_label("Fonction recherchée").select_option("treasurer")
    page.get_by_label("Finance").select_option("3")
    page.get_by_label("Temps demandé (heures par mois)").fill("6")
    page.get_by_label("Durée du mandat (mois)").fill("36")
    page.get_by_label("Département").fill("44")
    page.get_by_label("Commune").fill("Nantes")
    page.get_by_label("Description").fill("Tenir les comptes et préparer le budget annuel.")
    page.get_by_label(re.compile("J’accepte que ces informations")).check()
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
    page.get_by_label("Prénom").fill("Camille")
    page.locator("#id_last_name").fill("Durand")
    page.get_by_label("Adresse e-mail").fill(VOLUNTEER_EMAIL)
    page.get_by_label("Finance").select_option("3")
    page.get_by_label("Disponibilité (heures par mois)").fill("8")
    page.get_by_label("Départements où vous pouvez siéger").fill("44, 49")
    page.get_by_label("Motivation").fill("Mettre ma pratique de la finance au service d’un CA.")
    page.get_by_label(re.compile("J’accepte que ces informations")).check()
    page.get_by_role("button", name="Proposer mes compétences").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert not VolunteerOffer.objects.exists()  # not before the address is confirmed
    page.goto(_link(base, r"/benevolat/verifier/"))
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
    page.goto(base + "/espace-membre/connexion/")
    page.get_by_label("Adresse e-mail").fill(ASSOCIATION_EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_label("Mot de passe").press("Enter")
    _heading(page, "Espace membre")
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
    manager = _user("rse@banque.example.com", PASSWORD)
    company.dashboard_users.add(manager)
    need = BoardNeedFactory()

    # The association's contact opens the « still open? » link from the 90-day e-mail.
    page.goto(base + f"/benevolat/besoins/{need.pk}/confirmer/{make_need_token(need)}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert axe(page) == []

    page.goto(base + "/espace-membre/connexion/")
    page.get_by_label("Adresse e-mail").fill("rse@banque.example.com")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_label("Mot de passe").press("Enter")
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
