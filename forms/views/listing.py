"""The public listing of board needs (/benevolat/besoins/), a need's page, a volunteer's
expression of interest, and the company dashboard (/benevolat/entreprise/).

The listing and the need pages are public: they show a need and its organisation's public facts
(name, commune, sectors), never a contact's name or e-mail. They are not kept by the site's
page cache (it only keeps Wagtail pages): each costs a fixed, small number of queries instead.
A need that is not open and public answers 404, as if it did not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from .. import company_dashboard as dashboard_figures
from .. import introductions, listing
from ..forms.listing import InterestForm, NeedFilterForm
from ..models import Match
from ..permissions import companies_for

LOGIN_URL = "members:login"


@require_safe
def needs(request):
    form = NeedFilterForm(request.GET or None)
    filters = form.filters
    form.set_choices(listing.facets(filters))
    paginator = Paginator(listing.filter_needs(filters), listing.PER_PAGE)
    # get_page: a page number past the end shows the last page, a wrong one the first.
    page_obj = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filtered": bool(filters),
        "page_obj": page_obj,
        "paginator": paginator,
        "needs": page_obj.object_list,
    }
    return render(request, "forms/listing/needs.html", context)


def _listed_need(pk):
    need = listing.listed_need(pk)
    if need is None:
        raise Http404
    return need


def _detail(request, need, form=None, status=200):
    interest = None
    if request.user.is_authenticated:
        interest = listing.interest_for(need, request.user)
        if form is None and interest.can_express:
            form = InterestForm(user=request.user, offers=interest.offers)
    context = {
        "need": need,
        "organisation": need.organisation,
        "interest": interest,
        "interest_form": form,
        "login_url": reverse(LOGIN_URL),
    }
    response = render(request, "forms/listing/need_detail.html", context, status=status)
    if request.user.is_authenticated:
        # What the page says about the user's own interest is theirs only.
        add_never_cache_headers(response)
    return response


@require_safe
def need_detail(request, pk):
    return _detail(request, _listed_need(pk))


def _login_to_need(view):
    """login_required, but back to the need's page after logging in (a GET on the interest
    address itself would only answer 405)."""

    def wrapped(request, pk):
        if not request.user.is_authenticated:
            return redirect_to_login(reverse("volunteering:need_detail", args=[pk]), LOGIN_URL)
        return view(request, pk)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_POST
@never_cache
@_login_to_need
def need_interest(request, pk):
    """The logged-in volunteer puts one of their available offers forward for the need."""
    need = _listed_need(pk)
    interest = listing.interest_for(need, request.user)
    if interest.already:
        messages.info(request, _("Votre intérêt est déjà enregistré."))
        return redirect("volunteering:need_detail", pk=need.pk)
    if not interest.offers:
        messages.warning(
            request,
            _(
                "Pour exprimer votre intérêt, proposez d’abord vos compétences : l’équipe "
                "saura ainsi ce que vous apportez."
            ),
        )
        return redirect("volunteering:need_detail", pk=need.pk)
    form = InterestForm(request.POST, user=request.user, offers=interest.offers)
    if not form.is_valid():
        return _detail(request, need, form=form, status=400)

    # Imported here: the introductions module is the matching's own subject, and the listing
    # only hands the interest over to it.

    try:
        introductions.propose(
            need,
            form.cleaned_data["offer"],
            by=request.user,
            origin=Match.Origin.INTEREST,
            message=form.cleaned_data["message"],
        )
    except introductions.MatchError as error:
        messages.error(request, error.message)
        return redirect("volunteering:need_detail", pk=need.pk)
    messages.success(
        request,
        _(
            "Merci, votre intérêt est enregistré. L’équipe le transmet à l’association et "
            "revient vers vous par e-mail."
        ),
    )
    return redirect("volunteering:need_detail", pk=need.pk)


@require_safe
@never_cache
@login_required(login_url=LOGIN_URL)
def company_dashboard(request):
    """Aggregated figures of each company the user follows; 404 for anyone else."""
    companies = list(companies_for(request.user))
    if not companies:
        raise Http404
    sections = [dashboard_figures.dashboard(company) for company in companies]
    return render(
        request,
        "forms/company/dashboard.html",
        {"sections": sections, "min_shown": dashboard_figures.MIN_SHOWN},
    )
