"""« Mes données »: a signed-in person's consents (withdrawable where that makes sense) and the
download of everything the site holds about them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import consents, personal_data
from .models import Consent
from .permissions import can_withdraw


def _signed_in(view):
    return never_cache(login_required(login_url="members:login")(view))


@_signed_in
@require_GET
def my_data(request):
    rows = []
    for consent in consents.consents_of(request.user):
        kind = consents.kind(consent.kind) if consent.kind in consents.known_kinds() else None
        rows.append(
            {
                "consent": consent,
                "kind": kind,
                "can_withdraw": can_withdraw(request.user, consent)[0],
            }
        )
    sections = [(section, len(items)) for section, items in personal_data.collect(request.user)]
    return render(request, "privacy/my_data.html", {"consents": rows, "sections": sections})


@_signed_in
@require_GET
def download(request, fmt):
    if fmt == "json":
        body, content_type = personal_data.as_json(request.user), "application/json"
    elif fmt == "csv":
        body, content_type = personal_data.as_csv(request.user), "text/csv; charset=utf-8"
    else:
        raise Http404
    response = HttpResponse(body, content_type=f"{content_type}")
    name = f"mes-donnees-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@_signed_in
@require_POST
def withdraw(request, pk):
    consent = get_object_or_404(Consent, pk=pk)
    allowed, reason = can_withdraw(request.user, consent)
    if not allowed:
        # Someone else's consent is not found; one's own not withdrawable is said why.
        if not consents.belongs_to(consent, request.user):
            raise Http404
        messages.error(request, reason)
        return redirect("privacy:my_data")
    if consents.withdraw(consent):
        messages.success(request, _("Votre consentement est retiré."))
    return redirect("privacy:my_data")
