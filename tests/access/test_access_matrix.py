"""The access matrix: every address of ours × every kind of person, and the answer each must get.

EXPECTED has one row per URL pattern (the names tests/access/catalogue.py's `routes()` gives),
and each row the expected answer to a GET for each of the world's ROLES (tests/access/world.py):
anonymous, member of A, member of B, assigned juror, unassigned juror, juror with a conflict,
volunteer, company contact, moderator, editor, staff. The rows are written from the rules (the
apps' permissions.py and the views), not recorded from the server: a cell where the server
answers otherwise is either a bug to fix or, until it is fixed, an entry of KNOWN_DIVERGENCES.

- A pattern without a row, or a row without a pattern, fails
  `test_every_pattern_has_a_row_and_every_row_a_pattern`: a new address cannot go unexamined.
- `test_access_matrix[role]`: one test per role, every address opened with GET (each in a
  savepoint rolled back afterwards, as tests/access/test_get_never_writes.py does); a failure
  lists every (role, URL, expected, got) at once. Cells of KNOWN_DIVERGENCES are left to:
- `test_known_divergences_still_diverge`: each listed finding must still answer what it is
  recorded to answer, so the list stays true; once fixed, the cell's intended answer is checked
  by the matrix again after its entry is removed.
- `test_pages[role]`: one live page of each of our page types (catalogue.page_urls).

What a cell says:
- a status code: only the status is compared (200, 403, 404, 405; 302 for a redirect elsewhere
  than a login or a refusal: where it leads is the business of the view's own tests);
- LOGIN: a redirect to the portal's login page (/espace-membre/connexion/…);
- ADMIN_LOGIN: a redirect to Wagtail's login page (/admin/login/…): no access to the admin;
- DENIED: Wagtail's refusal inside the admin (`wagtail.admin.auth.permission_denied`: a message
  and a redirect to the dashboard, /admin/): admin access, but not this permission.

The moderator, the editor and staff come in as they do on the site after their second factor
(tests/conftest.py patches `force_login` to mark admin users verified).
"""

import traceback
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse

from .catalogue import page_urls, routes, urls
from .world import ROLES

pytestmark = pytest.mark.django_db


# --- What a cell says ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Redirect:
    """A 302 to the address of `url_name`: its start (a login page, with its ?next=), or the
    whole path when `exact` (the admin's dashboard, where Wagtail sends a refusal)."""

    label: str
    url_name: str
    exact: bool = False

    def matches(self, response):
        if response.status_code != 302:
            return False
        target = reverse(self.url_name)
        location = response["Location"]
        if self.exact:
            return location.split("?", 1)[0] == target
        return location.startswith(target)

    def __str__(self):
        return f"302 {self.label} ({reverse(self.url_name)})"


LOGIN = Redirect("to the portal's login", "members:login")
ADMIN_LOGIN = Redirect("to the admin's login", "wagtailadmin_login")
DENIED = Redirect("refused by the admin", "wagtailadmin_home", exact=True)

STATUSES = {200, 302, 403, 404, 405}


def answers(response, expected):
    if isinstance(expected, Redirect):
        return expected.matches(response)
    return response.status_code == expected


def described(response):
    location = response.get("Location")
    return f"{response.status_code} → {location}" if location else str(response.status_code)


# --- Who is who ----------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
ADMIN_USERS = ("moderator", "editor", "staff")  # wagtailadmin.access_admin
NO_ADMIN_ACCESS = tuple(role for role in ROLES if role not in ADMIN_USERS)
JURORS = ("juror_assigned", "juror_unassigned", "juror_conflict")


def row(default, **cells):
    """Every role answers `default`, except those named."""
    unknown = set(cells) - set(ROLES)
    assert not unknown, f"not roles of the world: {sorted(unknown)}"
    return {role: cells.get(role, default) for role in ROLES}


def admin(*allowed):
    """A page of Wagtail's admin: without admin access, its login page (require_admin_access);
    with admin access but not the page's permission, DENIED (the modeladmin permission helpers,
    our admin views' PermissionDenied, caught by Wagtail); `allowed` see the page."""
    cells = {role: ADMIN_LOGIN for role in NO_ADMIN_ACCESS}
    cells.update({role: 200 if role in allowed else DENIED for role in ADMIN_USERS})
    return row(None, **cells)


# --- The access profiles -------------------------------------------------------------------------

# The public site: everyone, signed in or not.
PUBLIC = row(200)
# A signed link e-mailed by the site (partner confirmation, offer verification, a match's answer,
# « still open? »): the link is the proof, whoever opens it; its GET shows a button, a POST acts.
TOKEN = row(200)
# Views that only take POST: 405 to a GET before anything else is checked.
POST_ONLY = row(405)
# The same behind the portal's login_required, which answers first.
SIGNED_IN_POST_ONLY = row(405, anonymous=LOGIN)
# Any signed-in person; the page shows only their own things (possibly none).
SIGNED_IN = row(200, anonymous=LOGIN)
# The portal's login page: a signed-in person is sent on (redirect_authenticated_user).
SIGNED_OUT_ONLY = row(302, anonymous=200)

# Organisation A's pages (members.permissions.organisations_of): its contact only; anyone else
# 404, as if it did not exist. Being staff grants nothing in the portal.
MEMBER_A_ONLY = row(404, anonymous=LOGIN, member_a=200)
# A's memberships and receipts: its contact, and staff holding members.view_organisation
# (payable_organisations) or members.view_receipt (receipts_for) in a verified session.
MEMBER_A_OR_STAFF = row(404, anonymous=LOGIN, member_a=200, staff=200)
# The online payment page of B's membership (the catalogue points it at B).
MEMBER_B_OR_STAFF = row(404, anonymous=LOGIN, member_b=200, staff=200)

# awards.permissions: the jury area is for those with a seat on a jury (jury_seats) …
ON_A_JURY = row(404, anonymous=LOGIN, **{role: 200 for role in JURORS})
# … a dossier for the jurors assigned to it (assignment_of). The juror who declared a conflict
# keeps the page, which says the dossier is withdrawn and shows none of it (_page in
# awards/views/jury.py,
# tests/awards/test_jury.py::test_declaring_a_conflict_withdraws_the_assignment_and_tells_staff).
ASSIGNED_JURORS = row(404, anonymous=LOGIN, juror_assigned=200, juror_conflict=200)
# B's submitted dossier's attachment (attachments_for): B's contact, its assigned juror unless in
# conflict, staff with awards.view_application.
SCORED_ATTACHMENT = row(404, anonymous=LOGIN, member_b=200, juror_assigned=200, staff=200)

# forms.permissions.companies_for: the accounts named on the company, and no one else.
COMPANY_FOLLOWER = row(404, anonymous=LOGIN, company_contact=200)

# Wagtail's admin (see admin()).
ANY_ADMIN = admin(*ADMIN_USERS)
STAFF_ADMIN = admin("staff")  # a permission only the superuser holds in the world
VOLUNTEERING_ADMIN = admin("moderator", "staff")  # forms.view_* / change_* (MODERATOR_PERMISSIONS)
FEE_GRID_ADMIN = admin("editor", "staff")  # members.view/add/change_feegrid (the editors')
NO_ONE_ADMIN = admin()  # a generic view switched off for everyone, superusers included
# The second factor's sign-in steps (verify, enrol, recovery codes) in a session that passed it:
# nothing left to do, sent on; without admin access, the admin's login.
SIGN_IN_STEP = row(302, **{role: ADMIN_LOGIN for role in NO_ADMIN_ACCESS})


def modeladmin(prefix, **actions):
    """The rows of one wagtail-modeladmin list: « <prefix>_modeladmin_<action> »."""
    return {f"{prefix}_modeladmin_{action}": profile for action, profile in actions.items()}


# The list's own views for a services-only model: list, inspect and history, no generic form.
_SERVICES_ONLY = dict(
    index=STAFF_ADMIN,
    create=NO_ONE_ADMIN,
    edit=NO_ONE_ADMIN,
    delete=NO_ONE_ADMIN,
    inspect=STAFF_ADMIN,
    history=STAFF_ADMIN,
)
_ALL_STAFF = dict(
    index=STAFF_ADMIN, create=STAFF_ADMIN, edit=STAFF_ADMIN, delete=STAFF_ADMIN, history=STAFF_ADMIN
)
# Made by the public forms only (NoCreatePermissionHelper); the moderator views and changes,
# deleting takes the delete permission.
_PUBLIC_SUBMISSIONS = dict(
    index=VOLUNTEERING_ADMIN,
    create=NO_ONE_ADMIN,
    edit=VOLUNTEERING_ADMIN,
    delete=STAFF_ADMIN,
    inspect=VOLUNTEERING_ADMIN,
    history=VOLUNTEERING_ADMIN,
)
# Kept by the moderator (view, change), added and deleted by staff with those permissions.
_VOLUNTEERING_REFERENCE = dict(
    index=VOLUNTEERING_ADMIN,
    create=STAFF_ADMIN,
    edit=VOLUNTEERING_ADMIN,
    delete=STAFF_ADMIN,
    history=VOLUNTEERING_ADMIN,
)


EXPECTED = {
    # config/urls.py
    "health": PUBLIC,
    "robots_txt": PUBLIC,
    "stripe_webhook": POST_ONLY,  # Stripe posts; require_POST
    # The staff second factor (home/staff_otp/views.py)
    "staff_otp_manage": ANY_ADMIN,
    "staff_otp_verify": SIGN_IN_STEP,
    "staff_otp_enrol": SIGN_IN_STEP,  # a device already: back to the settings page
    "staff_otp_recovery_codes": SIGN_IN_STEP,  # shown once, right after enrolment
    "staff_otp_regenerate": POST_ONLY,
    "staff_otp_disable": POST_ONLY,
    "staff_otp_reset": STAFF_ADMIN,  # superusers only, else permission_denied
    # Our modeladmin lists (members, awards, forms, impact, search, home/login_lockout.py).
    # History pages ask what the list asks (home/admin_history.py).
    **modeladmin(
        "axes_accessattempt",
        index=STAFF_ADMIN,
        create=NO_ONE_ADMIN,  # LockedLoginPermissionHelper: unlocking is deleting
        edit=NO_ONE_ADMIN,
        delete=STAFF_ADMIN,
        history=STAFF_ADMIN,
    ),
    **modeladmin("members_organisation", **_ALL_STAFF, inspect=STAFF_ADMIN),  # erased ones too
    **modeladmin("members_membership", **_SERVICES_ONLY),  # made by the bulletin, not a form
    **modeladmin("members_payment", **_SERVICES_ONLY),  # recorded through admin_views
    **modeladmin(
        "members_feegrid",
        index=FEE_GRID_ADMIN,
        create=FEE_GRID_ADMIN,
        edit=FEE_GRID_ADMIN,
        delete=STAFF_ADMIN,  # the editors have no delete_feegrid
        history=FEE_GRID_ADMIN,
    ),
    "members_admin:record_payment": STAFF_ADMIN,  # members.change_payment
    "members_admin:refund_payment": STAFF_ADMIN,  # members.change_payment
    "members_admin:pseudonymise_organisation": STAFF_ADMIN,  # members.delete_organisation
    **modeladmin("awards_awardedition", **_ALL_STAFF),
    **modeladmin("awards_application", **_SERVICES_ONLY),  # written by applicants only
    **modeladmin("awards_juror", **_ALL_STAFF),
    **modeladmin(
        "awards_juryassignment",
        index=STAFF_ADMIN,
        create=STAFF_ADMIN,
        edit=NO_ONE_ADMIN,  # AssignmentPermissionHelper: remove and assign again
        delete=STAFF_ADMIN,
        inspect=STAFF_ADMIN,
        history=STAFF_ADMIN,
    ),
    "awards_admin:ranking": STAFF_ADMIN,  # awards.view_application
    "awards_admin:scores_csv": STAFF_ADMIN,
    "awards_admin:summary_pdf": STAFF_ADMIN,
    "awards_admin:progress": STAFF_ADMIN,
    "awards_admin:auto_assign": STAFF_ADMIN,  # awards.add_juryassignment
    "awards_admin:publish_laureates": STAFF_ADMIN,  # awards.change_application + publish
    "awards_admin:decision": STAFF_ADMIN,  # awards.change_application
    **modeladmin("forms_boardneed", **_PUBLIC_SUBMISSIONS),
    **modeladmin("forms_volunteeroffer", **_PUBLIC_SUBMISSIONS),
    **modeladmin(
        "forms_match",  # ServicesOnlyPermissionHelper: proposed and ended through admin_views
        index=VOLUNTEERING_ADMIN,
        create=NO_ONE_ADMIN,
        edit=NO_ONE_ADMIN,
        delete=NO_ONE_ADMIN,
        inspect=VOLUNTEERING_ADMIN,
        history=VOLUNTEERING_ADMIN,
    ),
    **modeladmin("forms_company", **_VOLUNTEERING_REFERENCE),
    **modeladmin("forms_skill", **_VOLUNTEERING_REFERENCE),
    # forms.permissions.follows_matches: view or change matches
    "volunteering_admin:need_suggestions": VOLUNTEERING_ADMIN,
    "volunteering_admin:offer_suggestions": VOLUNTEERING_ADMIN,
    "volunteering_admin:match_detail": VOLUNTEERING_ADMIN,
    "privacy:my_data": SIGNED_IN,
    "privacy:download": SIGNED_IN,  # the person's own data only (tests/privacy)
    "privacy:withdraw": SIGNED_IN_POST_ONLY,
    "privacy_admin:register": STAFF_ADMIN,  # privacy.view_register
    # Scheduled jobs' runs: operations.view_jobrun, which only the superuser holds.
    "job_runs:index": STAFF_ADMIN,
    "job_runs:index_results": STAFF_ADMIN,
    "job_runs:inspect": STAFF_ADMIN,
    "privacy_admin:people": STAFF_ADMIN,  # privacy.erase_person
    "privacy_admin:person": STAFF_ADMIN,
    "privacy_admin:person_download": STAFF_ADMIN,
    "privacy_admin:register_csv": STAFF_ADMIN,
    "privacy_admin:register_pdf": STAFF_ADMIN,
    # impact: the framework and the campaigns are staff's; the reports come from the portal.
    **modeladmin("impact_campaign", **_ALL_STAFF),
    **modeladmin("impact_report", **{**_SERVICES_ONLY, "edit": STAFF_ADMIN}),  # its reviewer
    **modeladmin("impact_indicator", **_ALL_STAFF),
    **modeladmin("impact_dimension", **_ALL_STAFF),
    **modeladmin("impact_breakdown", **_ALL_STAFF),
    **modeladmin("search_searchterm", **_ALL_STAFF),  # search.*_searchterm: no group has them
    # The member portal (members/urls.py)
    "members:portal": SIGNED_IN,
    "members:login": SIGNED_OUT_ONLY,
    "members:logout": POST_ONLY,  # Django's LogoutView
    "members:password_reset": PUBLIC,
    "members:password_reset_done": PUBLIC,
    # Django swaps the link's token for the session and redirects to the set-password page.
    "members:password_reset_confirm": row(302),
    "members:password_reset_complete": PUBLIC,
    "members:password_change": SIGNED_IN,
    "members:organisation": MEMBER_A_ONLY,
    "members:organisation_edit": MEMBER_A_ONLY,
    "members:contacts": MEMBER_A_ONLY,
    "members:contact_update_self": SIGNED_IN_POST_ONLY,
    "members:contact_add": SIGNED_IN_POST_ONLY,
    # An invitation to a new address: the signup form for a visitor; a signed-in account is
    # not the address invited (403, « déconnectez-vous »).
    "members:invitation_accept": row(403, anonymous=200),
    "members:invitation_revoke": SIGNED_IN_POST_ONLY,
    "members:contact_remove": SIGNED_IN_POST_ONLY,
    "members:export_json": MEMBER_A_ONLY,
    "members:export_csv": MEMBER_A_ONLY,
    # Paying (members/views/payments.py: payable_memberships) and receipts (receipts_for)
    "members:pay": MEMBER_B_OR_STAFF,
    "members:payment_return": MEMBER_A_OR_STAFF,
    "members:payment_status": MEMBER_A_OR_STAFF,
    "members:offline": MEMBER_A_OR_STAFF,
    "members:bulletin_pdf": MEMBER_A_OR_STAFF,
    # Renewing: sent on to the bulletin page for the organisation (payable_organisations).
    "members:renew": row(404, anonymous=LOGIN, member_a=302, staff=302),
    "members:receipt": MEMBER_A_OR_STAFF,
    # Applications (awards/views/applications.py: applications_of, attachments_for)
    # impact/views.py: a member's own organisations' reports; the review for staff with
    # impact.change_report and the designated peer (impact/permissions.py reviewable_reports).
    "impact:portal": SIGNED_IN,
    "impact:report": MEMBER_A_ONLY,
    "impact:report_autosave": SIGNED_IN_POST_ONLY,
    "impact:own": MEMBER_A_ONLY,
    "impact:own_pdf": MEMBER_A_ONLY,
    "impact:own_csv": MEMBER_A_ONLY,
    "impact:review_list": SIGNED_IN,  # each sees the reports they may review, maybe none
    "impact:review": row(404, anonymous=LOGIN, staff=200),  # B's submitted report
    "impact:open_data_csv": PUBLIC,  # the network's published figures (impact/open_data.py)
    "impact:open_data_json": PUBLIC,
    "impact:data_dictionary": PUBLIC,
    "awards:application_list": SIGNED_IN,  # one's own dossiers, or how to join
    "awards:application_start": SIGNED_IN,  # « no organisation » for those without one
    "awards:application_detail": MEMBER_A_ONLY,
    "awards:application_step": MEMBER_A_ONLY,
    "awards:application_autosave": SIGNED_IN_POST_ONLY,
    "awards:attachment_delete": SIGNED_IN_POST_ONLY,
    "awards:partner_invite": SIGNED_IN_POST_ONLY,
    "awards:application_preview": MEMBER_A_ONLY,
    "awards:attachment": SCORED_ATTACHMENT,
    "awards:partner_confirm": TOKEN,
    # The jury area (awards/views/jury.py)
    "awards:jury_home": ON_A_JURY,
    "awards:jury_application": ASSIGNED_JURORS,
    "awards:jury_score": POST_ONLY,  # require_POST before login_required
    "awards:jury_conflict": POST_ONLY,
    # Volunteering (forms/*_views.py)
    "volunteering:need_submit": PUBLIC,
    "volunteering:offer_submit": PUBLIC,
    "volunteering:verify": TOKEN,
    "volunteering:submitted": PUBLIC,
    "volunteering:needs": PUBLIC,
    "volunteering:need_detail": PUBLIC,  # an open, public need (listing.listed_need)
    "volunteering:need_interest": POST_ONLY,
    "volunteering:company_dashboard": COMPANY_FOLLOWER,
    "volunteering:match_answer": TOKEN,
    "volunteering:my_space": SIGNED_IN,
    "volunteering:my_space_answer": POST_ONLY,
    "volunteering:need_confirm": TOKEN,
    # Search
    "search:results": PUBLIC,
    "search:autocomplete": PUBLIC,
}

# One live page of each of our page types (catalogue.page_urls): all public in the world (no
# view restriction), the bulletin included (it is how one joins).
EXPECTED_PAGES = {
    "home.HomePage": PUBLIC,
    "home.StandardPage": PUBLIC,
    "home.NewsIndexPage": PUBLIC,
    "home.NewsPage": PUBLIC,
    "members.MembershipPage": PUBLIC,
    "awards.AwardPage": PUBLIC,
    "awards.LaureatePage": PUBLIC,
    "forms.FormPage": PUBLIC,
    "impact.ImpactPage": PUBLIC,
    "privacy.LegalNoticePage": PUBLIC,
    "privacy.PrivacyNoticePage": PUBLIC,
    "privacy.AccessibilityStatementPage": PUBLIC,
}


@dataclass(frozen=True)
class Divergence:
    """A cell where the server does not answer what the rules intend: a finding to fix."""

    pattern: str  # a key of EXPECTED
    role: str  # one of ROLES
    actual: object  # what it answers today: a status code or a Redirect
    reason: str  # one line: why the intended answer is the one in EXPECTED


# Findings still open: the matrix skips these cells, test_known_divergences_still_diverge checks
# each still answers `actual` (remove the entry once fixed: the matrix then checks the cell).
# None today: every cell of EXPECTED, written from the rules, is what the server answers.
KNOWN_DIVERGENCES = []


def _divergent_cells():
    return {(d.pattern, d.role): d for d in KNOWN_DIVERGENCES}


# --- Checks of the table itself (no request) -----------------------------------------------------


def test_every_pattern_has_a_row_and_every_row_a_pattern():
    found = {route.name: route for route in routes()}
    missing = [found[name] for name in found if name not in EXPECTED]
    stale = sorted(set(EXPECTED) - set(found))
    problems = []
    if missing:
        problems.append(
            "Patterns without a row in EXPECTED (tests/access/test_access_matrix.py): decide, "
            "from the view and its permissions, what each role must get:\n"
            + "\n".join(f"  {r.name}: {r.pattern} ({r.view})" for r in missing)
        )
    if stale:
        problems.append("Rows of EXPECTED that name no pattern any more: " + ", ".join(stale))
    assert not problems, "\n".join(problems)


def test_each_row_says_something_for_every_role():
    bad = []
    for name, cells in {**EXPECTED, **EXPECTED_PAGES}.items():
        if set(cells) != set(ROLES):
            bad.append(f"{name}: roles {sorted(set(cells) ^ set(ROLES))}")
        for role, expected in cells.items():
            if not (isinstance(expected, Redirect) or expected in STATUSES):
                bad.append(f"{name}[{role}]: {expected!r}")
    assert not bad, "\n".join(bad)


def test_known_divergences_name_real_cells():
    bad = []
    seen = set()
    for d in KNOWN_DIVERGENCES:
        if d.pattern not in EXPECTED or d.role not in ROLES:
            bad.append(f"{d}: no such cell")
        elif d.actual == EXPECTED[d.pattern][d.role]:
            bad.append(f"{d}: `actual` is the intended answer")
        if (d.pattern, d.role) in seen:
            bad.append(f"{d}: listed twice")
        seen.add((d.pattern, d.role))
        if not d.reason.strip():
            bad.append(f"{d}: no reason")
    assert not bad, "\n".join(bad)


# --- The requests --------------------------------------------------------------------------------


def _signed_in(client, world, role):
    # A 500 is reported with the other findings rather than stopping at the first one.
    client.raise_request_exception = False
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return client


def _get(client, url):
    """GET in a savepoint rolled back afterwards: every address is opened in the same world."""
    with transaction.atomic():
        response = client.get(url)
        transaction.set_rollback(True)
    return response


def _got(response):
    got = described(response)
    if response.status_code >= 500 and response.exc_info:
        lines = "".join(traceback.format_exception(*response.exc_info)).rstrip().splitlines()
        got += "\n      " + "\n      ".join(lines[-6:])
    return got


def _report(title, mismatches):
    return f"{title} ({len(mismatches)}): (role, URL, expected, got)\n" + "\n".join(mismatches)


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(role, world_once, client, stripe_settings):
    # stripe_settings: Stripe is configured (localstripe), so the payment page answers as on the
    # site (without it, it redirects to the transfer page).
    world = world_once
    _signed_in(client, world, role)
    divergent = _divergent_cells()
    mismatches = []
    for route, url in urls(world):
        if route.name not in EXPECTED:
            continue  # reported by test_every_pattern_has_a_row_and_every_row_a_pattern
        if (route.name, role) in divergent:
            continue  # test_known_divergences_still_diverge
        expected = EXPECTED[route.name][role]
        response = _get(client, url)
        if not answers(response, expected):
            mismatches.append(f"  ({role}, {url}, {expected}, {_got(response)})  [{route.name}]")
    assert not mismatches, _report("Answers other than the matrix's", mismatches)


@pytest.mark.parametrize("role", ROLES)
def test_pages(role, world_once, client):
    world = world_once
    _signed_in(client, world, role)
    pages = page_urls(world)
    types = {what for what, _url in pages}
    assert types == set(EXPECTED_PAGES), (
        f"EXPECTED_PAGES and our page types differ: {sorted(types ^ set(EXPECTED_PAGES))}"
    )
    mismatches = []
    for what, url in pages:
        expected = EXPECTED_PAGES[what][role]
        response = _get(client, url)
        if not answers(response, expected):
            mismatches.append(f"  ({role}, {url}, {expected}, {_got(response)})  [{what}]")
    assert not mismatches, _report("Pages answering other than expected", mismatches)


def test_known_divergences_still_diverge(world_once, client, stripe_settings):
    """Each finding of KNOWN_DIVERGENCES still answers what it is recorded to answer. A cell
    that now answers as intended was fixed: remove its entry (the matrix will check it)."""
    if not KNOWN_DIVERGENCES:
        return
    world = world_once
    url_of = {route.name: url for route, url in urls(world)}
    problems = []
    for role in ROLES:
        cells = [d for d in KNOWN_DIVERGENCES if d.role == role]
        if not cells:
            continue
        client.logout()
        _signed_in(client, world, role)
        for d in cells:
            url = url_of[d.pattern]
            response = _get(client, url)
            intended = EXPECTED[d.pattern][role]
            if answers(response, intended):
                problems.append(
                    f"  ({role}, {url}): fixed, answers {intended} as intended; remove it from "
                    f"KNOWN_DIVERGENCES  [{d.pattern}]"
                )
            elif not answers(response, d.actual):
                problems.append(
                    f"  ({role}, {url}): recorded as {d.actual}, now {_got(response)}; intended "
                    f"{intended}  [{d.pattern}]"
                )
    assert not problems, "KNOWN_DIVERGENCES no longer true:\n" + "\n".join(problems)
