"""Journeys of the volunteer matching (« Bénévolat de gouvernance »), from the home page, by
clicks only.

An employee offers their board skills without an account, confirms their address from the
e-mailed link, chooses a password with « mot de passe oublié » and reaches their volunteering
space. An association's contact, logged in, posts a board need; staff introduce a volunteer; the
contact accepts from the link of the e-mail. Every page passed through is checked by axe (impact
moderate and above).
"""

import re
import time

from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from demo.factories.awards import PASSWORD
from demo.factories.members import UserFactory
from forms.introductions import introduce, propose
from forms.matching import suggestions_for_need
from forms.models import BoardNeed, Match, VolunteerOffer
from tests.e2e.volunteering_steps import (
    ASSOCIATION_EMAIL,
    VOLUNTEER_EMAIL,
    fill_need,
    fill_offer,
    make_association_contact,
)

STAFF_EMAIL = "equipe@reseau.example.org"
# A skill of the shared list load_demo_volunteering seeds.
FINANCE = "Finance et comptabilité"

# The volunteer's clicks: the home page's card « Bénévolat de gouvernance », « Proposer mes
# compétences », the form's « Proposer mes compétences », « Je confirme ma proposition » (on the
# e-mailed link's page), the footer's « Mon espace bénévolat » (it leads to the login page),
# « Mot de passe oublié ? Première connexion ? », « Recevoir le lien », « Enregistrer le mot de
# passe » (on the e-mailed link's page: it logs in), then the footer's « Mon espace bénévolat ».
VOLUNTEER_CLICKS = 9
# The association's clicks: the home page's card « Bénévolat de gouvernance », « Déposer un
# besoin », « Connectez-vous », « Se connecter », « Déposer le besoin », then « J’accepte la
# mise en relation » on the page of the e-mailed link.
ASSOCIATION_CLICKS = 6


def load_demo():
    """The demo site, its members, and the volunteering: the skills, and the calls to action of
    the « Bénévolat de gouvernance » page."""
    call_command("load_demo_content", verbosity=0)
    call_command("load_demo_members", verbosity=0)
    call_command("load_demo_volunteering", verbosity=0)


def heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def to_the_volunteering_page(journey):
    """The home page's card « Bénévolat de gouvernance » (the whole card is its link)."""
    page = journey.page
    main = page.get_by_role("main")
    journey.click(main.get_by_role("link", name=re.compile(r"^Bénévolat de gouvernance\W*$")))
    heading(page, "Bénévolat de gouvernance")


def test_an_employee_offers_their_skills_and_reaches_their_space(journey, live_server):
    started = time.monotonic()
    load_demo()
    page = journey.page

    journey.start("/")
    to_the_volunteering_page(journey)
    main = page.get_by_role("main")
    journey.click(main.get_by_role("link", name="Proposer mes compétences", exact=True))

    # The offer: no password is asked, the account is made without one.
    expect(page.get_by_label(re.compile("mot de passe", re.I))).to_have_count(0)
    fill_offer(page, FINANCE)
    journey.click(page.get_by_role("button", name="Proposer mes compétences"))
    heading(page, "Merci !")
    expect(page.get_by_text("Il reste une étape : confirmez votre adresse e-mail.")).to_be_visible()
    assert not VolunteerOffer.objects.filter(user__email=VOLUNTEER_EMAIL).exists()

    # The link of the e-mail, then the confirmation.
    journey.follow_email_link(r"^/benevolat/verifier/", to=VOLUNTEER_EMAIL)
    heading(page, "Confirmer votre envoi")
    journey.click(page.get_by_role("button", name="Je confirme ma proposition"))
    heading(page, "Merci !")
    expect(page.get_by_text("Votre adresse est confirmée")).to_be_visible()
    offer = VolunteerOffer.objects.get(user__email=VOLUNTEER_EMAIL)
    assert offer.status == VolunteerOffer.Status.AVAILABLE
    assert not offer.user.has_usable_password()

    # « Mon espace bénévolat » asks to log in; without a password yet: « mot de passe oublié ».
    footer = page.get_by_role("contentinfo")
    journey.click(footer.get_by_role("link", name="Mon espace bénévolat"))
    heading(page, "Espace membre")
    journey.click(page.get_by_role("link", name="Mot de passe oublié ? Première connexion ?"))
    heading(page, "Mot de passe oublié")
    mail.outbox = []
    page.get_by_label("Adresse e-mail").fill(VOLUNTEER_EMAIL)
    journey.click(page.get_by_role("button", name="Recevoir le lien"))
    heading(page, "Vérifiez votre messagerie")
    assert [m.to for m in mail.outbox] == [[VOLUNTEER_EMAIL]]

    # The reset link: the password chosen, the volunteer is logged in.
    journey.follow_email_link(r"^/espace-membre/mot-de-passe/nouveau/", to=VOLUNTEER_EMAIL)
    heading(page, "Choisir un mot de passe")
    page.get_by_label(re.compile(r"^\s*Nouveau mot de passe")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^\s*Confirmation du nouveau")).fill(PASSWORD)
    journey.click(page.get_by_role("button", name="Enregistrer le mot de passe"))
    heading(page, "Mot de passe enregistré")
    expect(page.get_by_text("vous êtes connecté·e")).to_be_visible()

    footer = page.get_by_role("contentinfo")
    journey.click(footer.get_by_role("link", name="Mon espace bénévolat"))
    assert journey.path() == "/benevolat/mon-espace/"
    heading(page, "Mon espace bénévolat")
    expect(page.get_by_role("heading", name="Mes offres de bénévolat")).to_be_visible()
    offer.user.refresh_from_db()
    assert offer.user.check_password(PASSWORD)

    print(
        f"\nvolunteer journey: {journey.clicks} clicks, {len(journey.pages)} pages checked, "
        f"{time.monotonic() - started:.1f} s"
    )
    assert journey.clicks == VOLUNTEER_CLICKS


def test_an_association_posts_a_need_and_accepts_an_introduction(journey, live_server):
    started = time.monotonic()
    load_demo()
    organisation = make_association_contact()
    staff = UserFactory(email=STAFF_EMAIL, username=STAFF_EMAIL, is_staff=True, is_superuser=True)
    page = journey.page

    journey.start("/")
    to_the_volunteering_page(journey)
    main = page.get_by_role("main")
    journey.click(main.get_by_role("link", name="Déposer un besoin", exact=True))
    heading(page, "Déposer un besoin d’administrateur·rice")

    # Known to the network: the contact logs in, and comes back to the form.
    journey.click(page.get_by_role("main").get_by_role("link", name="Connectez-vous"))
    heading(page, "Espace membre")
    page.get_by_label("Adresse e-mail").fill(ASSOCIATION_EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    journey.click(page.get_by_role("button", name="Se connecter"))
    heading(page, "Déposer un besoin d’administrateur·rice")

    fill_need(page, FINANCE)
    journey.click(page.get_by_role("button", name="Déposer le besoin"))
    heading(page, "Merci !")
    expect(page.get_by_text("Votre besoin est enregistré")).to_be_visible()
    need = BoardNeed.objects.get(organisation=organisation)
    assert need.status == BoardNeed.Status.OPEN

    # Staff propose the best suggestion and introduce it. Done through the services their
    # admin actions call (forms/admin_views.py: « Proposer », « Mettre en relation »): the
    # admin's side is tested elsewhere (tests/e2e/test_volunteering.py).
    suggestion = suggestions_for_need(need)[0]
    offer = suggestion.offer
    match = introduce(propose(need, offer, by=staff), by=staff)
    assert match.status == Match.Status.INTRODUCED

    # The association's contact follows the e-mail's « Pour accepter » link and accepts.
    url = journey.follow_email_link(r"^/benevolat/mise-en-relation/", to=ASSOCIATION_EMAIL)
    assert url.endswith("?choix=accepter")
    heading(page, "Répondre à une mise en relation")
    expect(page.get_by_text("Tenir les comptes et préparer le budget annuel.")).to_be_visible()
    journey.click(page.get_by_role("button", name="J’accepte la mise en relation"))
    expect(page.get_by_text("Vous avez accepté. Nous attendons maintenant")).to_be_visible()

    match.refresh_from_db()
    assert match.association_answer == Match.Answer.ACCEPTED
    assert match.association_answered_at is not None
    assert match.volunteer_answer == ""
    assert match.status == Match.Status.INTRODUCED  # until the volunteer accepts too

    print(
        f"\nassociation journey: {journey.clicks} clicks, {len(journey.pages)} pages checked, "
        f"{time.monotonic() - started:.1f} s"
    )
    assert journey.clicks == ASSOCIATION_CLICKS
