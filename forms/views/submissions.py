"""The public forms « Déposer un besoin » and « Proposer mes compétences », the thank-you page
and the e-mailed verification link. The rules live in forms.submissions; these views only
read the request, pick the forms and answer.

Nothing here is cached (each page holds a CSRF token, some a person's data); every POST is
counted against a per-address rate limit, and a robot that fills the honeypot is sent to the
same thank-you page as everyone, with nothing stored or sent.
"""

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from home.ratelimit import rate_limited

from .. import submissions as rules
from ..forms.needs import NeedContactForm, NeedForm, NeedOrganisationForm
from ..forms.offers import OfferForm
from ..models import EmailVerification, Skill

# POSTs per address and form in RATE_PERIOD seconds (a form sent back with errors counts too).
RATE_LIMIT = 10
RATE_PERIOD = 3600

# What the thank-you page says (its ?suite=): the link to click, or the submission recorded.
NEXT_VERIFY = "verification"
NEXT_NEED = "besoin"
NEXT_OFFER = "offre"
NEXT_VERIFIED = "confirme"
NEXTS = {NEXT_VERIFY, NEXT_NEED, NEXT_OFFER, NEXT_VERIFIED}


def _thanks(step):
    return HttpResponseRedirect(f"{reverse('volunteering:submitted')}?{urlencode({'suite': step})}")


def _too_many(request):
    return render(request, "forms/submissions/rate_limited.html", status=429)


def _user(request):
    return request.user if request.user.is_authenticated else None


@never_cache
@require_http_methods(["GET", "POST"])
def need_submit(request):
    """A logged-in contact picks one of their organisations; a logged-in user without one,
    or a visitor, describes theirs too (a visitor also says who they are, and confirms by
    e-mail)."""
    user = _user(request)
    organisations = list(rules.organisations_of_contact(user)) if user else []
    has_organisation = bool(organisations)
    data = None
    if request.method == "POST":
        if rate_limited(request, "volunteering-need", RATE_LIMIT, RATE_PERIOD):
            return _too_many(request)
        data = request.POST
    form = NeedForm(
        data,
        skills=Skill.objects.all(),
        organisations=organisations,
    )
    organisation_form = contact_form = None
    if not has_organisation:
        organisation_form = NeedOrganisationForm(data, prefix="organisation")
        contact_form = NeedContactForm(data, prefix="contact", with_identity=user is None)
    all_forms = [f for f in (organisation_form, contact_form, form) if f is not None]
    if data is not None:
        if form.is_spam:
            return _thanks(NEXT_NEED if user else NEXT_VERIFY)
        if all([f.is_valid() for f in all_forms]):
            language = translation.get_language()
            if has_organisation:
                rules.create_need(form.cleaned_data["organisation"], form.payload(), user, language)
                return _thanks(NEXT_NEED)
            if user is None:
                rules.start_need_submission(
                    {
                        "organisation": organisation_form.payload(),
                        "contact": contact_form.payload(),
                        "need": form.payload(),
                    },
                    language,
                )
                return _thanks(NEXT_VERIFY)
            try:
                rules.create_organisation_and_need(
                    user,
                    organisation_form.payload(),
                    contact_form.payload(),
                    form.payload(),
                    language,
                )
            except rules.VerificationInvalid as refused:
                organisation_form.add_error(None, refused.message)
            else:
                return _thanks(NEXT_NEED)
    context = {
        "form": form,
        "organisation_form": organisation_form,
        "contact_form": contact_form,
        "all_forms": all_forms,
        "has_errors": any(f.errors for f in all_forms),
    }
    return render(request, "forms/submissions/need_form.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def offer_submit(request):
    """A logged-in volunteer's offer is created at once; a visitor's after they confirm their
    e-mail."""
    user = _user(request)
    data = None
    if request.method == "POST":
        if rate_limited(request, "volunteering-offer", RATE_LIMIT, RATE_PERIOD):
            return _too_many(request)
        data = request.POST
    form = OfferForm(data, skills=Skill.objects.all(), user=user)
    if data is not None:
        if form.is_spam:
            return _thanks(NEXT_OFFER if user else NEXT_VERIFY)
        if form.is_valid():
            language = translation.get_language()
            if user is not None:
                rules.create_offer(user, form.payload(), language)
                return _thanks(NEXT_OFFER)
            rules.start_offer_submission(form.payload(), language)
            return _thanks(NEXT_VERIFY)
    context = {
        "form": form,
        "all_forms": [form],
        "has_errors": bool(form.errors),
    }
    return render(request, "forms/submissions/offer_form.html", context)


@never_cache
@require_http_methods(["GET"])
def submitted(request):
    step = request.GET.get("suite")
    return render(
        request, "forms/submissions/submitted.html", {"step": step if step in NEXTS else None}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request, token):
    """GET shows what is about to be confirmed and a button; only the POST creates anything,
    so a mail scanner that opens the link changes nothing."""
    try:
        verification = rules.read_verification_token(token)
    except rules.VerificationInvalid as invalid:
        return _verify_page(request, {"problem": invalid.message}, invalid.status)
    if request.method == "POST":
        try:
            rules.confirm_verification(verification)
        except rules.VerificationInvalid as invalid:
            return _verify_page(request, {"problem": invalid.message}, invalid.status)
        return _thanks(NEXT_VERIFIED)
    return _verify_page(
        request,
        {
            "verification": verification,
            "is_need": verification.kind == EmailVerification.Kind.NEED,
            "data": verification.payload,
        },
    )


def _verify_page(request, context, status=200):
    return render(request, "forms/submissions/verify.html", context, status=status)
