"""One small, realistic world for the access tests: every kind of person the site knows, with
what each of them owns and what they must not see, built the way the site builds it (the
project's factories, fixtures and services), as it stands after a few weeks of use.

    world = build_world()             # or the `world` fixture of tests/access/conftest.py
    world.user("member_a")            # the account of a role; None for "anonymous"
    world.organisation_a, world.application_draft, world.tokens.invitation, world.pages["news"]

The people (ROLES; the account of each is `world.users[role]`):

- member_a, member_b: the primary contact of organisation A, of organisation B. Each
  organisation has this year's membership, pending, and last year's, active: paid by transfer,
  recorded by staff, with its receipt (numbered, rendered and e-mailed by the receipt task).
  A declared it pays this year by transfer (a pending transfer payment); B chose to pay online
  (a pending card payment whose Stripe PaymentIntent the payment page has not made yet: the
  state just after the « Payer par carte » button).
  A also has a second contact (`treasurer_a`, an account without a password yet, the one of the
  password reset link) and a pending invitation of a third person.
- juror_assigned, juror_unassigned, juror_conflict: three jurors of the edition being scored.
  The first is assigned to B's submitted application and has scored one criterion (not
  submitted); the second is on the jury but assigned nothing; the third was assigned the same
  application and declared a conflict of interest.
- volunteer: an employee of the company who offered board skills (an offer, anonymous).
- company_contact: an account that follows the company's dashboard (Company.dashboard_users).
- moderator: the volunteering's staff: admin access and the permissions to view and change
  board needs, offers, matches, companies and skills (what forms/admin_views.py and
  forms/wagtail_hooks.py ask for; the project has no group of its own for it).
- editor: Wagtail's « Moderators » group (made by Wagtail's migrations: edits and publishes
  pages, images, documents), as tests/home/test_editing.py uses it, plus the fee grid, which
  editors keep (DESIGN.md); no member, payment, award or volunteering data.
- staff: a superuser.
The moderator, the editor and staff have used the admin before: Wagtail made their profile.

The award: `edition_open` (its call is open; A has a complete draft there, with an attachment,
whose partner company was invited), `edition_scoring` (call closed, jury scoring B's submitted
application, which has an attachment) and `edition_past` (results out, one laureate page).

Volunteering: a board need of A (`need`, asking its confirmation), the volunteer's `offer`, and
the `match` between them, proposed and introduced by the moderator. A visitor's offer waits for
its e-mail to be confirmed (`verification`).

Site: `site_tree` of tests/conftest.py (home, a standard page, the news index and news) plus the
bulletin (members.MembershipPage), the award pages, a laureate page and a form page; the site's
settings rows exist and are filled in, as on any site in use.

`tokens` holds the links' secrets, made with the project's own functions: see Tokens.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from wagtail.users.models import UserProfile

ROLES = (
    "anonymous",
    "member_a",
    "member_b",
    "juror_assigned",
    "juror_unassigned",
    "juror_conflict",
    "volunteer",
    "company_contact",
    "moderator",
    "editor",
    "staff",
)

PASSWORD = "un-mot-de-passe-solide-42"
# A minimal valid PDF, as tests/awards/test_attachments.py uploads.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"

MODERATOR_PERMISSIONS = [
    "wagtailadmin.access_admin",
    *(
        f"forms.{action}_{model}"
        for model in ("boardneed", "volunteeroffer", "match", "company", "skill")
        for action in ("view", "change")
    ),
]
EDITOR_EXTRA_PERMISSIONS = ["members.view_feegrid", "members.add_feegrid", "members.change_feegrid"]


@dataclass
class Tokens:
    """The secrets of the links e-mailed by the site, each made as the site makes it."""

    invitation: str  # members:invitation_accept — ContactInvitation.issue_token()
    partner: str  # awards:partner_confirm — applications.make_partner_token(), after the invite
    verification: str  # volunteering:verify — tokens.make_verification_token()
    match_association: str  # volunteering:match_answer — tokens.make_answer_token(association)
    match_volunteer: str  # volunteering:match_answer — tokens.make_answer_token(volunteer)
    need_confirmation: str  # volunteering:need_confirm — tokens.make_need_token(), once asked
    password_reset_uid: str  # members:password_reset_confirm, for world.treasurer_a
    password_reset_token: str  # default_token_generator, as members.emails.send_password_reset


class World:
    """What build_world made; see the module's docstring. Attributes are set by build_world."""

    def __init__(self):
        self.users = {}
        self.pages = {}

    def user(self, role):
        """The account of `role` (one of ROLES); None for "anonymous"."""
        if role == "anonymous":
            return None
        return self.users[role]


def _permissions(*names):
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _site_settings(world, site):
    """The site's settings rows, made and filled in as an installed site has them: Wagtail
    makes a missing one on first read, which is not what these tests are about."""
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.contrib.settings.registry import registry

    from members.models import MembershipSettings

    for model in registry:
        if issubclass(model, BaseSiteSetting):
            model.for_site(site)
        elif issubclass(model, BaseGenericSetting):
            model.load()
    membership_settings = MembershipSettings.load()
    membership_settings.bank_account_holder = "Réseau Test ESS"
    membership_settings.iban = "FR7630001007941234567890185"
    membership_settings.bic = "BDFEFRPPCCT"
    membership_settings.cheque_payable_to = "Réseau Test ESS"
    membership_settings.cheque_address = "1 rue de l'Économie sociale\n44000 Nantes"
    membership_settings.save()


def _people(world):
    from django.contrib.auth.models import User

    from demo.factories.awards import make_user
    from demo.factories.forms import VolunteerUserFactory
    from demo.factories.members import UserFactory

    users = world.users
    users["member_a"] = UserFactory(
        username="alice@jardins.example.org",
        email="alice@jardins.example.org",
        first_name="Alice",
        last_name="Martin",
    )
    users["member_b"] = UserFactory(
        username="bruno@velo.example.org",
        email="bruno@velo.example.org",
        first_name="Bruno",
        last_name="Durand",
    )
    users["juror_assigned"] = make_user("jure-affecte")
    users["juror_unassigned"] = make_user("jure-sans-dossier")
    users["juror_conflict"] = make_user("jure-en-conflit")
    users["volunteer"] = VolunteerUserFactory(
        username="camille.benevole@banque.example", email="camille.benevole@banque.example"
    )
    users["company_contact"] = UserFactory(
        username="rse@banque.example", email="rse@banque.example", first_name="Claire"
    )

    moderator = UserFactory(
        username="moderation@reseau.example", email="moderation@reseau.example", is_staff=True
    )
    moderators = Group.objects.create(name="Bénévolat (test d’accès)")
    moderators.permissions.add(*_permissions(*MODERATOR_PERMISSIONS))
    moderator.groups.add(moderators)
    users["moderator"] = moderator

    editor = UserFactory(
        username="redaction@reseau.example", email="redaction@reseau.example", is_staff=True
    )
    editor.groups.add(Group.objects.get(name="Moderators"))
    editor.user_permissions.add(*_permissions(*EDITOR_EXTRA_PERMISSIONS))
    users["editor"] = editor

    users["staff"] = User.objects.create_superuser(
        "equipe@reseau.example", "equipe@reseau.example", PASSWORD
    )
    for role, user in users.items():
        if role != "staff":  # everyone has signed in with a password of their own
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
    # Wagtail makes a user's admin profile the first time it shows them its admin or its
    # userbar (UserProfile.get_for_user): the staff of a site in use have theirs.
    for role in ("moderator", "editor", "staff"):
        UserProfile.get_for_user(users[role])


def _organisation(world, suffix, user, name, rna):
    from demo.factories.members import OrganisationFactory
    from members.models import Contact

    organisation = OrganisationFactory(name=name, rna=rna, employees=4)
    Contact.objects.create(
        organisation=organisation, user=user, role=Contact.Role.PRESIDENT, is_primary=True
    )
    setattr(world, f"organisation_{suffix}", organisation)
    return organisation


def _memberships(world, suffix, method):
    """This year's membership, pending with a payment of `method`; last year's, paid by
    transfer and recorded by staff, its receipt issued by the receipt task after the commit."""
    from members.models import FeeGrid
    from members.services import payment_for, record_offline_payment, start_membership

    organisation = getattr(world, f"organisation_{suffix}")
    current = FeeGrid.objects.get(year=world.membership_year)
    past = FeeGrid.objects.get(year=world.membership_year - 1)

    pending = start_membership(organisation, current)
    payment = payment_for(pending, method)

    paid = start_membership(organisation, past)
    received_at = timezone.make_aware(datetime.datetime(paid.year, 3, 14, 10, 0))
    with TestCase.captureOnCommitCallbacks(execute=True):
        record_offline_payment(
            paid,
            method="transfer",
            amount_cents=paid.amount_cents,
            received_at=received_at,
            recorded_by=world.users["staff"],
        )
    paid.refresh_from_db()
    past_payment = paid.payments.get(status="succeeded")
    setattr(world, f"membership_{suffix}_pending", pending)
    setattr(world, f"payment_{suffix}_pending", payment)
    setattr(world, f"membership_{suffix}_past", paid)
    setattr(world, f"payment_{suffix}_past", past_payment)
    setattr(world, f"receipt_{suffix}", past_payment.receipt)


def _members(world):
    from demo.factories.members import UserFactory, make_grid
    from members import renewals
    from members.models import Contact, ContactInvitation, Payment

    years = renewals.open_years()
    world.membership_year = years[0]
    for year in sorted({world.membership_year - 1, *years}):
        make_grid(year)

    _organisation(world, "a", world.users["member_a"], "Les Jardins Partagés", "W442000101")
    _organisation(world, "b", world.users["member_b"], "Atelier Vélo Solidaire", "W442000102")
    _memberships(world, "a", Payment.Method.TRANSFER)
    _memberships(world, "b", Payment.Method.CARD)

    # A's treasurer: a contact whose account has no password yet (entered from a paper
    # bulletin); they choose one through the reset link.
    treasurer = UserFactory(
        username="tresoriere@jardins.example.org",
        email="tresoriere@jardins.example.org",
        first_name="Thérèse",
        last_name="Leroy",
    )
    treasurer.set_unusable_password()
    treasurer.save(update_fields=["password"])
    world.treasurer_a = treasurer
    world.treasurer_a_contact = Contact.objects.create(
        organisation=world.organisation_a, user=treasurer, role=Contact.Role.TREASURER
    )

    # member_a invited a new person to become a contact of A.
    world.invitation = ContactInvitation.invite(
        world.organisation_a,
        "nouvelle.secretaire@jardins.example.org",
        role=Contact.Role.SECRETARY,
        first_name="Sophie",
        last_name="Nguyen",
        invited_by=world.users["member_a"],
    )
    world.invitation_token = world.invitation.issue_token()


def _award(world):
    from awards import applications, scoring
    from awards.attachments import add_attachment
    from awards.models import Application
    from awards.pages import AwardPage, LaureatePage
    from demo.factories import awards as award_factories
    from demo.factories.awards import ApplicationFactory, EditionFactory
    from privacy.models import Consent

    year = timezone.localdate().year
    now = timezone.now()
    users = world.users

    # Open: A has a complete draft with an attachment; its partner company was invited.
    world.edition_open = EditionFactory(year=year)
    draft = ApplicationFactory(
        edition=world.edition_open, organisation=world.organisation_a, created_by=users["member_a"]
    )
    world.attachment_draft = add_attachment(
        draft, SimpleUploadedFile("convention.pdf", PDF, content_type="application/pdf")
    )
    applications.mark_partner_invited(draft)
    draft.refresh_from_db()
    world.application_draft = draft
    world.partner_token = applications.make_partner_token(draft)
    # A's publication consent, as the consent step records it (privacy.consents).
    applications.save_step(draft, 4, {"publication_consent": False})
    applications.save_step(draft, 4, {"publication_consent": True}, by=users["member_a"])
    world.consent_a = Consent.objects.get(object_id=str(draft.pk), withdrawn_at=None)

    # Being scored: B's submitted application, an attachment, three jurors.
    edition = award_factories.scoring_edition(
        year=year - 1, deadline_in=datetime.timedelta(days=20)
    )
    world.edition_scoring = edition
    world.criteria = award_factories.make_grid(edition)
    scored = ApplicationFactory(
        edition=edition,
        organisation=world.organisation_b,
        created_by=users["member_b"],
        submittable=True,
        status=Application.Status.SUBMITTED,
        submitted_at=edition.call_closes_at - datetime.timedelta(days=2),
    )
    world.attachment_scored = add_attachment(
        scored, SimpleUploadedFile("budget.pdf", PDF, content_type="application/pdf")
    )
    world.application_scored = scored

    world.juror_assigned = award_factories.make_juror(edition, users["juror_assigned"])
    world.assignment = award_factories.assign(scored, world.juror_assigned)
    first = world.criteria[0]
    scoring.save_scores(
        world.assignment, {first: {"value": 4, "comment": "Un partenariat réciproque."}}, now
    )
    world.juror_unassigned = award_factories.make_juror(edition, users["juror_unassigned"])
    world.juror_conflict = award_factories.make_juror(edition, users["juror_conflict"])
    conflict = award_factories.assign(scored, world.juror_conflict)
    with TestCase.captureOnCommitCallbacks(execute=True):  # staff are told, as on the site
        world.assignment_conflict = scoring.declare_conflict(
            conflict, "J’ai travaillé pour l’entreprise partenaire.", now
        )

    # Over: results published, one laureate page.
    world.edition_past = award_factories.make_edition(year=year - 2)
    home = world.pages["home"]
    world.pages["award"] = _publish(
        home,
        AwardPage(
            title=f"Prix « La part des autres » {year}",
            slug=f"prix-{year}",
            edition=world.edition_open,
            introduction="L’appel à candidatures est ouvert.",
        ),
    )
    _publish(
        home,
        AwardPage(
            title=f"Prix « La part des autres » {year - 1}",
            slug=f"prix-{year - 1}",
            edition=edition,
            introduction="Le jury note les dossiers.",
        ),
    )
    past_page = _publish(
        home,
        AwardPage(
            title=f"Prix « La part des autres » {year - 2}",
            slug=f"prix-{year - 2}",
            edition=world.edition_past,
            introduction="Les lauréats de l’édition.",
        ),
    )
    world.pages["laureate"] = _publish(
        past_page,
        LaureatePage(
            title="Des jardins au pied des bureaux",
            slug="jardins-au-pied-des-bureaux",
            prize_name="Prix du jury",
            association_name="Les Jardins de Demain",
            company_name="Transports Ligériens",
            introduction="Un partenariat de trois ans.",
        ),
    )


def _volunteering(world):
    from demo.factories.forms import (
        BoardNeedFactory,
        CompanyFactory,
        SkillFactory,
        VolunteerOfferFactory,
    )
    from forms import introductions, submissions
    from forms import tokens as link_tokens
    from forms.forms.offers import OfferForm
    from forms.models import BoardNeed, NeedSkill, OfferSkill, Skill

    users = world.users
    finance = SkillFactory(name="Finance", slug="finance")
    law = SkillFactory(name="Juridique", slug="juridique")
    world.skill = finance
    world.company = CompanyFactory(
        name="Banque Coopérative de l’Ouest", contact_name="Claire Rousseau"
    )
    world.company.dashboard_users.add(users["company_contact"])
    world.offer = VolunteerOfferFactory(
        user=users["volunteer"],
        company=world.company,
        job_title="Contrôleuse de gestion",
        consent_at=timezone.now(),
        with_skills={finance: OfferSkill.Level.EXPERT, law: OfferSkill.Level.BASIC},
    )
    world.need = BoardNeedFactory(
        organisation=world.organisation_a,
        created_by=users["member_a"],
        consent_at=timezone.now(),
        with_skills={finance: NeedSkill.Importance.ESSENTIAL},
    )
    match = introductions.propose(world.need, world.offer, by=users["moderator"])
    with TestCase.captureOnCommitCallbacks(execute=True):  # the introduction's e-mails
        world.match = introductions.introduce(match, by=users["moderator"])

    # The « still open? » request, stamped as forms/reminders.py stamps it before its link.
    BoardNeed.objects.filter(pk=world.need.pk).update(confirmation_requested_at=timezone.now())
    world.need.refresh_from_db()

    # A visitor offered their skills and has not clicked the e-mailed link yet.
    form = OfferForm(
        {
            "first_name": "Julien",
            "last_name": "Le Goff",
            "email": "julien.legoff@exemple.fr",
            f"level_{finance.pk}": "3",
            "hours_per_month": "8",
            "departements": "44, 49",
            "motivation": "Rendre à mon territoire un peu de ce qu’il m’a donné.",
            "anonymous": "on",
            "consent": "on",
        },
        skills=Skill.objects.all(),
    )
    assert form.is_valid(), form.errors
    with TestCase.captureOnCommitCallbacks(execute=True):
        world.verification = submissions.start_offer_submission(form.payload(), "fr")

    world.tokens = Tokens(
        invitation=world.invitation_token,
        partner=world.partner_token,
        verification=link_tokens.make_verification_token(world.verification),
        match_association=link_tokens.make_answer_token(world.match, link_tokens.ASSOCIATION),
        match_volunteer=link_tokens.make_answer_token(world.match, link_tokens.VOLUNTEER),
        need_confirmation=link_tokens.make_need_token(world.need),
        password_reset_uid=urlsafe_base64_encode(force_bytes(world.treasurer_a.pk)),
        password_reset_token=default_token_generator.make_token(world.treasurer_a),
    )


def _pages(world, site_tree):
    from forms.pages import FormField, FormPage
    from impact.pages import ImpactPage
    from members.pages import MembershipPage
    from privacy.pages import AccessibilityStatementPage, LegalNoticePage, PrivacyNoticePage

    home = site_tree["home"]
    world.pages.update(
        home=home,
        standard=site_tree["about"],
        news_index=site_tree["news_index"],
        news=site_tree["news"][0],
    )
    world.pages["legal_notice"] = _publish(
        home, LegalNoticePage(title="Mentions légales", slug="mentions-legales")
    )
    world.pages["privacy"] = _publish(
        home, PrivacyNoticePage(title="Politique de confidentialité", slug="confidentialite")
    )
    world.pages["accessibility"] = _publish(
        home, AccessibilityStatementPage(title="Accessibilité", slug="accessibilite")
    )
    world.pages["bulletin"] = _publish(
        home,
        MembershipPage(title="Adhérer", slug="adherer", introduction="Rejoignez le réseau."),
    )
    world.pages["impact"] = _publish(home, ImpactPage(title="L’impact du réseau", slug="impact"))
    world.pages["form"] = _publish(
        home,
        FormPage(
            title="Inscription au webinaire",
            slug="webinaire",
            intro="<p>Un webinaire sur la trésorerie associative.</p>",
            thank_you_text="<p>Merci, à bientôt en ligne !</p>",
            to_address="equipe@example.org",
            from_address="site@example.org",
            subject="Nouvelle inscription au webinaire",
            form_fields=[
                FormField(label="Nom", field_type="singleline", required=True),
                FormField(label="Adresse e-mail", field_type="email", required=True),
            ],
        ),
    )


def _admin_rows(world):
    """Rows only the admin lists show: a locked login (django-axes), a search suggestion."""
    from axes.models import AccessAttempt

    from search.models import SearchTerm

    world.access_attempt = AccessAttempt.objects.create(
        username="alice@jardins.example.org",
        ip_address="203.0.113.7",
        user_agent="Mozilla/5.0",
        http_accept="text/html",
        path_info="/espace-membre/connexion/",
        get_data="",
        post_data="username=alice%40jardins.example.org",
        failures_since_start=5,
    )
    world.search_term = SearchTerm.objects.create(
        text="gouvernance", status=SearchTerm.Status.APPROVED
    )


def _impact(world):
    """The social-utility framework (an indicator broken down by gender), this year's campaign,
    A's draft report in it and B's submitted one."""
    from demo.factories.impact import (
        CampaignFactory,
        IndicatorFactory,
        ReportFactory,
        make_breakdown,
    )
    from impact.models import Report

    world.breakdown = make_breakdown()
    world.indicator = IndicatorFactory(name="Bénévoles actifs")
    world.indicator.breakdowns.add(world.breakdown)
    world.campaign = CampaignFactory(indicators=[world.indicator])
    world.report_a = ReportFactory(campaign=world.campaign, organisation=world.organisation_a)
    world.report_b = ReportFactory(
        campaign=world.campaign, organisation=world.organisation_b, status=Report.Status.SUBMITTED
    )


def build_world(site_tree=None):
    """Build the world in the database (inside the test's transaction) and return it.

    `site_tree`: what demo.factories.home.build_site returned (the `site_tree` fixture); built here
    when not given."""
    from demo.factories.home import build_site

    site_tree = site_tree or build_site()
    world = World()
    world.site = site_tree["home"].get_site()
    _people(world)
    _pages(world, site_tree)
    _site_settings(world, world.site)
    _members(world)
    _award(world)
    _volunteering(world)
    _impact(world)
    _admin_rows(world)
    return world
