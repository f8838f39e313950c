"""Every address of ours, and the concrete URL of each in the access tests' world.

- `routes()` walks the URLconf (through every include and namespace) and keeps the patterns whose
  view is ours: defined in one of OUR_APPS (the admin views our wagtail hooks register, our
  modeladmin lists included), or declared in one of our URLconf modules (members:logout is
  Django's LogoutView, set up by members/urls.py). Wagtail's and Django's own views are
  left out, the page catch-all and the /media/ file server with them: the pages are listed by
  `page_urls()` instead.
- `urls(world)` gives each route its URL from URL_KWARGS (and QUERIES), and raises
  CatalogueError when a route has no entry (or an entry names no route): a new address cannot
  be forgotten by the access tests.
- `page_urls(world)` gives one published page of each of our page types, and raises when the
  world has none of a page type.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

OUR_APPS = (
    "members", "awards", "forms", "impact", "search", "privacy", "home", "operations", "config"
)  # fmt: skip


class CatalogueError(Exception):
    """The catalogue and the URLconf disagree: say which patterns, and what to do."""


@dataclass(frozen=True)
class Route:
    name: str  # what reverse() takes: « members:pay », « members_organisation_modeladmin_edit »
    pattern: str  # the full pattern, e.g. « espace-membre/adhesion/<int:pk>/paiement/ »
    view: str  # where the view is defined, e.g. « members.views.payments.pay »

    def __str__(self):
        return self.name


# --- Walking the URLconf -----------------------------------------------------------------------


def _is_ours(module_name):
    return bool(module_name) and module_name.split(".")[0] in OUR_APPS


def _described(thing):
    """« module.qualname » of a function, method or class."""
    owner = getattr(thing, "__self__", None)
    if owner is not None and not isinstance(owner, type):  # a bound method: its class's
        thing = type(owner)
    module = getattr(thing, "__module__", "") or ""
    return f"{module}.{getattr(thing, '__qualname__', repr(thing))}"


def _innermost_view(callback, depth=0):
    """The function, method or class a URL pattern's callback ends up calling, through the
    decorators (functools.wraps' __wrapped__, or the closure of those that do not use it, such
    as Wagtail's require_admin_access), a class-based view's view_class, and modeladmin's bound
    methods."""
    if depth > 20:
        return callback
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return view_class
    if getattr(callback, "__self__", None) is not None:
        return callback
    wrapped = getattr(callback, "__wrapped__", None)
    if wrapped is not None:
        return _innermost_view(wrapped, depth + 1)
    inner = [
        cell.cell_contents
        for cell in getattr(callback, "__closure__", None) or ()
        if _cell_is_callable(cell)
    ]
    views = [c for c in inner if isinstance(c, type) or hasattr(c, "__code__") or _bound(c)]
    if len(views) == 1:
        return _innermost_view(views[0], depth + 1)
    return callback


def _cell_is_callable(cell):
    try:
        return callable(cell.cell_contents)
    except ValueError:  # an empty cell
        return False


def _bound(thing):
    return getattr(thing, "__self__", None) is not None and hasattr(thing, "__func__")


def _module_name(urlconf_module):
    return getattr(urlconf_module, "__name__", None)


def _walk(resolver, prefix="", namespace="", module=None):
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner_namespace = namespace
            if entry.namespace:
                inner_namespace = f"{namespace}{entry.namespace}:"
            # A list of patterns (i18n_patterns, a hook's include((list, namespace))) belongs to
            # the module that declared it.
            inner_module = _module_name(entry.urlconf_module) or module
            yield from _walk(entry, pattern, inner_namespace, inner_module)
        elif isinstance(entry, URLPattern):
            yield entry, pattern, namespace, module


def routes():
    """Our URL patterns, in URLconf order (see the module's docstring for which are ours)."""
    root = get_resolver()
    root_module = _module_name(root.urlconf_module) or settings.ROOT_URLCONF
    found, unnamed, seen = [], [], {}
    for entry, pattern, namespace, module in _walk(root, module=root_module):
        view = _described(_innermost_view(entry.callback))
        declared_by_us = module != root_module and _is_ours(module)
        if not (_is_ours(view) or declared_by_us):
            continue
        if not entry.name:
            unnamed.append(f"{pattern} ({view})")
            continue
        route = Route(name=f"{namespace}{entry.name}", pattern=pattern, view=view)
        if route.name in seen:
            raise CatalogueError(
                f"Two of our patterns share the name {route.name!r}: {seen[route.name]!r} and "
                f"{pattern!r}. Give each its own name."
            )
        seen[route.name] = pattern
        found.append(route)
    if unnamed:
        raise CatalogueError(
            "Patterns of ours without a name (the access tests reverse every address by name): "
            + "; ".join(unnamed)
        )
    return found


# --- The URL of each route in the world --------------------------------------------------------


def none(world):
    return {}


def _pk(attribute):
    return lambda world: {"pk": getattr(world, attribute).pk}


# Each route's kwargs, from the world (tests/access/world.py). Organisation-scoped addresses point
# at A's objects (member_a owns them, member_b must not reach them), except the online payment
# page, which points at B's membership: B's pending payment is the online one.
URL_KWARGS = {
    # /health/, /robots.txt, the Stripe webhook (config/urls.py)
    "health": none,
    "robots_txt": none,
    "stripe_webhook": none,
    # The member portal (members/urls.py)
    "members:portal": none,
    "members:login": none,
    "members:logout": none,
    "members:password_reset": none,
    "members:password_reset_done": none,
    "members:password_reset_confirm": lambda w: {
        "uidb64": w.tokens.password_reset_uid,
        "token": w.tokens.password_reset_token,
    },
    "members:password_reset_complete": none,
    "members:password_change": none,
    "members:organisation": _pk("organisation_a"),
    "members:organisation_edit": _pk("organisation_a"),
    "members:contacts": _pk("organisation_a"),
    "members:contact_update_self": _pk("organisation_a"),
    "members:contact_add": _pk("organisation_a"),
    "members:invitation_accept": lambda w: {"token": w.tokens.invitation},
    "members:invitation_revoke": lambda w: {
        "pk": w.organisation_a.pk,
        "invitation_pk": w.invitation.pk,
    },
    "members:contact_remove": lambda w: {
        "pk": w.organisation_a.pk,
        "contact_pk": w.treasurer_a_contact.pk,
    },
    "members:export_json": _pk("organisation_a"),
    "members:export_csv": _pk("organisation_a"),
    # Paying (members/views/payments.py) and receipts (members/views/receipts.py)
    "members:pay": _pk("membership_b_pending"),
    "members:payment_return": _pk("membership_a_pending"),
    "members:payment_status": _pk("membership_a_pending"),
    "members:offline": _pk("membership_a_pending"),
    "members:bulletin_pdf": _pk("membership_a_pending"),
    "members:renew": _pk("organisation_a"),
    "members:receipt": _pk("receipt_a"),
    # Applications (awards/urls.py, under /candidatures/)
    "impact:portal": none,
    "impact:report": lambda w: {"organisation_pk": w.organisation_a.pk, "year": w.campaign.year},
    "impact:report_autosave": lambda w: {
        "organisation_pk": w.organisation_a.pk,
        "year": w.campaign.year,
    },
    "impact:own": lambda w: {"organisation_pk": w.organisation_a.pk},
    "impact:own_pdf": lambda w: {"organisation_pk": w.organisation_a.pk},
    "impact:own_csv": lambda w: {"organisation_pk": w.organisation_a.pk},
    "impact:review_list": none,
    "impact:review": _pk("report_b"),
    "impact:open_data_csv": none,
    "impact:open_data_json": none,
    "impact:data_dictionary": none,
    "awards:application_list": none,
    "awards:application_start": lambda w: {"year": w.edition_open.year},
    "awards:application_detail": _pk("application_draft"),
    "awards:application_step": lambda w: {"pk": w.application_draft.pk, "step": 1},
    "awards:application_autosave": lambda w: {"pk": w.application_draft.pk, "step": 1},
    "awards:attachment_delete": lambda w: {
        "pk": w.application_draft.pk,
        "attachment_pk": w.attachment_draft.pk,
    },
    "awards:partner_invite": _pk("application_draft"),
    "awards:application_preview": _pk("application_draft"),
    # The scored application's attachment: its assigned juror may download it, not the others.
    "awards:attachment": _pk("attachment_scored"),
    "awards:partner_confirm": lambda w: {"token": w.tokens.partner},
    # The jury area (awards/urls.py, under /jury/)
    "awards:jury_home": none,
    "awards:jury_application": _pk("application_scored"),
    "awards:jury_score": _pk("application_scored"),
    "awards:jury_conflict": _pk("application_scored"),
    # Volunteering (forms/urls.py)
    "volunteering:need_submit": none,
    "volunteering:offer_submit": none,
    "volunteering:verify": lambda w: {"token": w.tokens.verification},
    "volunteering:submitted": none,
    "volunteering:needs": none,
    "volunteering:need_detail": _pk("need"),
    "volunteering:need_interest": _pk("need"),
    "volunteering:company_dashboard": none,
    "volunteering:match_answer": lambda w: {"token": w.tokens.match_volunteer},
    "volunteering:my_space": none,
    "volunteering:my_space_answer": lambda w: {"pk": w.match.pk, "side": "volunteer"},
    "volunteering:need_confirm": lambda w: {
        "pk": w.need.pk,
        "token": w.tokens.need_confirmation,
    },
    # Search (search/urls.py)
    "search:results": none,
    "search:autocomplete": none,
    # The staff second factor (home/staff_otp/urls.py, under /admin/2fa/)
    "staff_otp_manage": none,
    "staff_otp_verify": none,
    "staff_otp_enrol": none,
    "staff_otp_recovery_codes": none,
    "staff_otp_regenerate": none,
    "staff_otp_disable": none,
    "staff_otp_reset": lambda w: {"user_id": w.users["member_a"].pk},
    # Our admin views (register_admin_urls hooks)
    "members_admin:record_payment": _pk("membership_a_pending"),
    "members_admin:refund_payment": _pk("payment_a_past"),
    "members_admin:pseudonymise_organisation": _pk("organisation_a"),
    "awards_admin:ranking": _pk("edition_scoring"),
    "awards_admin:scores_csv": _pk("edition_scoring"),
    "awards_admin:summary_pdf": _pk("edition_scoring"),
    "awards_admin:progress": _pk("edition_scoring"),
    "awards_admin:auto_assign": _pk("edition_scoring"),
    "awards_admin:publish_laureates": _pk("edition_scoring"),
    "awards_admin:decision": _pk("application_scored"),
    "volunteering_admin:need_suggestions": _pk("need"),
    "volunteering_admin:offer_suggestions": _pk("offer"),
    "volunteering_admin:match_detail": _pk("match"),
    "privacy:my_data": none,
    "privacy:download": lambda w: {"fmt": "json"},
    "privacy:withdraw": lambda w: {"pk": w.consent_a.pk},
    "privacy_admin:register": none,
    "privacy_admin:people": none,
    "privacy_admin:person": lambda w: {"pk": w.users["member_a"].pk},
    "privacy_admin:person_download": lambda w: {"pk": w.users["member_a"].pk},
    "privacy_admin:register_csv": none,
    "privacy_admin:register_pdf": none,
    "job_runs:index": none,
    "job_runs:index_results": none,
    "job_runs:inspect": lambda w: {"pk": _job_run().pk},
}


def _job_run():
    """One recorded run of a scheduled job, for its admin page."""
    from django.utils import timezone

    from operations.models import JobRun

    now = timezone.now()
    return JobRun.objects.get_or_create(
        job="clearsessions", period_start=now.replace(microsecond=0), defaults={"started_at": now}
    )[0]


# Our modeladmin lists (wagtail-modeladmin names their patterns « <app>_<model>_modeladmin_
# <action> »): the row their edit, delete, inspect and history views are shown for. The list and
# the create form take no argument.
MODELADMIN_ROWS = {
    "members_organisation": lambda w: w.organisation_a,
    "members_membership": lambda w: w.membership_a_pending,
    "members_payment": lambda w: w.payment_a_pending,
    "members_feegrid": lambda w: w.membership_a_pending.tier.grid,
    "awards_awardedition": lambda w: w.edition_scoring,
    "awards_application": lambda w: w.application_scored,
    "awards_juror": lambda w: w.juror_assigned,
    "awards_juryassignment": lambda w: w.assignment,
    "forms_boardneed": lambda w: w.need,
    "forms_volunteeroffer": lambda w: w.offer,
    "forms_match": lambda w: w.match,
    "forms_company": lambda w: w.company,
    "forms_skill": lambda w: w.skill,
    "impact_campaign": lambda w: w.campaign,
    "impact_report": lambda w: w.report_a,
    "impact_indicator": lambda w: w.indicator,
    "impact_dimension": lambda w: w.indicator.dimension,
    "impact_breakdown": lambda w: w.breakdown,
    "search_searchterm": lambda w: w.search_term,
    "axes_accessattempt": lambda w: w.access_attempt,  # home/login_lockout.py
}
MODELADMIN_MARK = "_modeladmin_"
MODELADMIN_WITHOUT_ROW = ("index", "create")

# A query string for the GET, where the page is about one.
QUERIES = {
    "search:results": "q=jardins",
    "search:autocomplete": "q=jard",
}


def _kwargs_function(name):
    if name in URL_KWARGS:
        return URL_KWARGS[name]
    if MODELADMIN_MARK in name:
        model, action = name.rsplit(MODELADMIN_MARK, 1)
        row = MODELADMIN_ROWS.get(model)
        if row is not None:
            if action in MODELADMIN_WITHOUT_ROW:
                return none
            return lambda world: {"instance_pk": row(world).pk}
    return None


def check(found=None):
    """Raise CatalogueError unless every route has its kwargs, and every entry its route."""
    found = routes() if found is None else found
    names = {route.name for route in found}
    missing = [route for route in found if _kwargs_function(route.name) is None]
    problems = []
    if missing:
        problems.append(
            "No URL for these patterns: add each to URL_KWARGS (or, for a modeladmin, its model to "
            "MODELADMIN_ROWS) in tests/access/catalogue.py, pointing at the world's objects "
            "(tests/access/world.py):\n"
            + "\n".join(f"  {route.name}: {route.pattern} ({route.view})" for route in missing)
        )
    stale = sorted(set(URL_KWARGS) - names)
    modeladmins = {name.rsplit(MODELADMIN_MARK, 1)[0] for name in names if MODELADMIN_MARK in name}
    stale += sorted(f"MODELADMIN_ROWS[{model!r}]" for model in set(MODELADMIN_ROWS) - modeladmins)
    if stale:
        problems.append(
            "Entries of tests/access/catalogue.py that name no pattern any more (remove them): "
            + ", ".join(stale)
        )
    if problems:
        raise CatalogueError("\n".join(problems))
    return found


def url_for(route, world):
    url = reverse(route.name, kwargs=_kwargs_function(route.name)(world))
    query = QUERIES.get(route.name)
    return f"{url}?{query}" if query else url


def urls(world):
    """[(route, url)] for every route of ours; raises CatalogueError (see check)."""
    return [(route, url_for(route, world)) for route in check()]


# --- Pages -------------------------------------------------------------------------------------


def page_urls(world):
    """[(page type, url)]: one live page of each of our page types, from the world's site.
    Raises CatalogueError when the world has no page of one of them."""
    from wagtail.models import get_page_models

    ours = [model for model in get_page_models() if _is_ours(model.__module__)]
    by_type = {}
    pages = world.site.root_page.get_descendants(inclusive=True).live().specific()
    for page in pages.order_by("path"):
        by_type.setdefault(type(page), page)
    missing = [model.__name__ for model in ours if model not in by_type]
    if missing:
        raise CatalogueError(
            "The world of tests/access/world.py has no live page of these page types: "
            + ", ".join(missing)
            + ". Add one to it."
        )
    return [(f"{model._meta.app_label}.{model.__name__}", by_type[model].url) for model in ours]
