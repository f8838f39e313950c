"""Answering an introduction, from the signed link of its e-mail or from one's own space, and
confirming a need is still open.

A GET never changes anything (mail scanners open links before people do): it shows the match
and the buttons; only the POST they send records the answer. The rules live in
introductions.py and availability.py; these views only find the match and check who is asking.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.models import Contact

from .. import availability, introductions
from ..disclosure import skills_prefetch, visible_volunteer
from ..introductions import ASSOCIATION, SIDES, VOLUNTEER, MatchError
from ..models import BoardNeed, Match, VolunteerOffer
from ..tokens import LinkInvalid, check_need_link, read_answer_token, read_need_token

CHOICES = {"accepter": True, "decliner": False}


def space_view(view):
    """A personal page: for logged-in people only, never kept by a cache."""
    return never_cache(login_required(login_url="members:login")(view))


def _answer_context(match, side):
    """What `side` may see of the match: the association sees the volunteer through
    visible_volunteer; the volunteer sees the association's public details."""
    return {
        "match": match,
        "side": side,
        "need": match.need,
        "organisation": match.need.organisation,
        "volunteer": visible_volunteer(match, viewer_is_association=(side == ASSOCIATION)),
        "answered": getattr(match, f"{side}_answer"),
        "answerable": match.status == Match.Status.INTRODUCED
        and not getattr(match, f"{side}_answer"),
    }


def _matches():
    return Match.objects.select_related(
        "need__organisation", "offer__user", "offer__company"
    ).prefetch_related(skills_prefetch())


def _choice(request):
    return CHOICES.get(request.POST.get("answer", ""))


@never_cache
@require_http_methods(["GET", "POST"])
def match_answer(request, token):
    """Public: the signed link is the proof of who answers (no login)."""
    template = "forms/introductions/answer.html"
    try:
        match_id, side = read_answer_token(token)
    except LinkInvalid as invalid:
        return render(request, template, {"problem": invalid.message}, status=invalid.status)
    match = _matches().filter(pk=match_id).first()
    if match is None:
        return render(
            request,
            template,
            {"problem": _("Cette mise en relation n’existe plus.")},
            status=404,
        )
    context = {"preselected": request.GET.get("choix", "")}
    if request.method == "POST":
        accepted = _choice(request)
        if accepted is None:
            context["problem_inline"] = _("Choisissez d’accepter ou de décliner.")
        else:
            try:
                match = introductions.answer(match, side, accepted)
            except MatchError as refused:
                context["problem_inline"] = refused.message
                match = _matches().get(pk=match.pk)
            else:
                context["done"] = True
                match = _matches().get(pk=match.pk)
    context.update(_answer_context(match, side))
    status = 409 if request.method == "POST" and "problem_inline" in context else 200
    return render(request, template, context, status=status)


def _seen_by(match, side):
    """Give `match` the answer of `side` (the person's own, in « Mon espace ») and whether
    they may still give it."""
    match.my_answer = match.association_answer if side == ASSOCIATION else match.volunteer_answer
    match.answerable = match.status == Match.Status.INTRODUCED and not match.my_answer


@require_GET
@space_view
def my_space(request):
    """The person's offers with their matches, and the needs of the associations they are a
    contact of, with theirs. A match never introduced (still proposed, or ended by staff before
    any introduction) is internal: not shown, except the volunteer's own expressions of
    interest, to the volunteer. A match of the
    person's own offer is shown on the volunteer's side only, never to answer for the
    association (see _own_match)."""
    user = request.user
    shown_to_volunteer = Q(introduced_at__isnull=False) | Q(origin=Match.Origin.INTEREST)
    offers = list(
        VolunteerOffer.objects.filter(user=user)
        .select_related("company")
        .prefetch_related(
            Prefetch(
                "matches",
                queryset=Match.objects.filter(shown_to_volunteer)
                .select_related("need__organisation")
                .order_by("-created_at"),
            )
        )
        .order_by("-created_at")
    )
    # The user's organisations as a subquery: the needs come in one query, not two.
    organisation_ids = Contact.objects.filter(user=user).values("organisation_id")
    needs = list(
        BoardNeed.objects.filter(organisation_id__in=organisation_ids)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "matches",
                queryset=_matches()
                .filter(introduced_at__isnull=False)
                .exclude(offer__user=user)
                .order_by("-created_at"),
            )
        )
        .order_by("-created_at")
    )
    for need in needs:
        for match in need.matches.all():
            match.volunteer = visible_volunteer(match, viewer_is_association=True)
            _seen_by(match, ASSOCIATION)
    for offer in offers:
        for match in offer.matches.all():
            _seen_by(match, VOLUNTEER)
    return render(
        request,
        "forms/introductions/my_space.html",
        {"offers": offers, "needs": needs, "ASSOCIATION": ASSOCIATION, "VOLUNTEER": VOLUNTEER},
    )


def _own_match(user, pk, side):
    """The match `user` may answer for `side`, or 404 (someone else's, or not introduced).
    Nobody answers for the association on a match of their own offer, even as its contact."""
    if side not in SIDES:
        raise Http404
    matches = Match.objects.filter(pk=pk, introduced_at__isnull=False)
    if side == VOLUNTEER:
        matches = matches.filter(offer__user=user)
    else:
        matches = matches.filter(need__organisation__contacts__user=user).exclude(offer__user=user)
    match = matches.first()
    if match is None:
        raise Http404
    return match


@require_POST
@space_view
def my_space_answer(request, pk, side):
    match = _own_match(request.user, pk, side)
    accepted = _choice(request)
    if accepted is None:
        messages.error(request, _("Choisissez d’accepter ou de décliner."))
        return redirect("volunteering:my_space")
    try:
        match = introductions.answer(match, side, accepted)
    except MatchError as refused:
        messages.error(request, refused.message)
    else:
        if not accepted:
            messages.success(request, _("Votre réponse est enregistrée : vous avez décliné."))
        elif match.status == Match.Status.ACCEPTED:
            messages.success(
                request,
                _(
                    "Vous avez accepté, comme l’autre partie : vous recevez ses coordonnées "
                    "par e-mail."
                ),
            )
        else:
            messages.success(
                request,
                _("Vous avez accepté. Nous attendons maintenant la réponse de l’autre partie."),
            )
    return redirect("volunteering:my_space")


@never_cache
@require_http_methods(["GET", "POST"])
def need_confirm(request, pk, token):
    """Public: the association's contact, from the reminder's signed link, says whether the
    need is still open (it stays listed) or closes it (only an open need). The link serves
    once: afterwards it answers 410 « ce lien a déjà servi »."""
    template = "forms/introductions/need_confirm.html"
    try:
        need_id, link = read_need_token(token)
    except LinkInvalid as invalid:
        return render(request, template, {"problem": invalid.message}, status=invalid.status)
    if need_id != pk:
        return render(request, template, {"problem": _("Ce lien n’est pas valide.")}, status=400)
    need = BoardNeed.objects.select_related("organisation").filter(pk=pk).first()
    if need is None:
        return render(request, template, {"problem": _("Ce besoin n’existe plus.")}, status=404)
    try:
        check_need_link(need, link)
    except LinkInvalid as used:
        context = {"problem": used.message, "need": need, "used": True}
        return render(request, template, context, status=used.status)
    context = {"need": need}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            # The link is checked again on the locked row: two clicks at once act once.
            if action == "confirm":
                need = availability.confirm_need_open(need, link=link)
                context["done"] = "confirmed"
            elif action == "close":
                need = availability.close_need(need, link=link)
                context["done"] = "closed"
            else:
                context["problem_inline"] = _("Choisissez une réponse.")
        except MatchError as refused:
            context["problem_inline"] = refused.message
        context["need"] = need
    context["active"] = need.status in introductions.ACTIVE_NEED_STATUSES
    context["closable"] = need.status == BoardNeed.Status.OPEN
    status = 409 if "problem_inline" in context else 200
    return render(request, template, context, status=status)
