"""The jury area (/jury/): each juror sees only the applications assigned to them.

Every page is personal: login required, never cached. Someone who is on no jury, or an
application that is not assigned to the juror, answers 404, as if it did not exist. The rules
themselves (deadline, completeness, conflicts) live in scoring.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .. import permissions, scoring, totals
from ..forms import ConflictForm, ScoreForm
from ..models import Application, EvaluationCriterion, JuryAssignment, Score


def jury_view(view):
    """A jury page: for logged-in jurors only, never kept by a cache."""
    return never_cache(login_required(login_url="members:login")(view))


def _roles(user):
    """The user's seats on juries, latest edition first; 404 for someone on no jury."""
    roles = permissions.jury_seats(user)
    if not roles:
        raise Http404
    return roles


def _assignment(user, application_pk):
    """The user's assignment to this application, or 404 (not assigned, or not a juror)."""
    assignment = permissions.assignment_of(user, application_pk)
    if assignment is None:
        raise Http404
    return assignment


def _criteria(edition):
    return list(EvaluationCriterion.objects.filter(edition=edition).order_by("sort_order", "pk"))


@require_GET
@jury_view
def home(request):
    roles = _roles(request.user)
    assignments = (
        JuryAssignment.objects.filter(juror__in=roles)
        .exclude(application__status=Application.Status.DRAFT)
        .select_related("application")
        .prefetch_related("scores")
        .order_by("application__pk")
    )
    by_juror = {}
    for assignment in assignments:
        by_juror.setdefault(assignment.juror_id, []).append(assignment)
    criteria_by_edition = {}
    for criterion in EvaluationCriterion.objects.filter(edition__in=[r.edition_id for r in roles]):
        criteria_by_edition.setdefault(criterion.edition_id, []).append(criterion)
    now = timezone.now()
    editions = []
    for juror in roles:
        rows = by_juror.get(juror.pk, [])
        criteria = criteria_by_edition.get(juror.edition_id, [])
        for assignment in rows:
            assignment.total = (
                None
                if assignment.status == JuryAssignment.Status.CONFLICT
                else scoring.weighted_total(list(assignment.scores.all()), criteria)
            )
            assignment.scored = len(assignment.scores.all())
        active = [a for a in rows if a.status != JuryAssignment.Status.CONFLICT]
        done = sum(1 for a in active if a.status == JuryAssignment.Status.SUBMITTED)
        editions.append(
            {
                "juror": juror,
                "edition": juror.edition,
                "assignments": rows,
                "done": done,
                "assigned": len(active),
                "criteria_count": len(criteria),
                "open": now <= juror.edition.scoring_deadline,
            }
        )
    return render(request, "awards/jury/home.html", {"editions": editions})


def _others(assignment, criteria):
    """Other jurors' submitted scores on the same application, labelled without their names."""
    others = (
        JuryAssignment.objects.filter(
            application_id=assignment.application_id, status=JuryAssignment.Status.SUBMITTED
        )
        .exclude(pk=assignment.pk)
        .prefetch_related(Prefetch("scores", queryset=Score.objects.all()))
        .order_by("pk")
    )
    rows = []
    for number, other in enumerate(others, start=1):
        values = {s.criterion_id: s for s in other.scores.all()}
        rows.append(
            {
                "number": number,
                "total": scoring.weighted_total(list(values.values()), criteria),
                "scores": [(c, values.get(c.pk)) for c in criteria],
            }
        )
    return rows


def _page(request, assignment, form=None, conflict_form=None, status=200):
    application = assignment.application
    edition = application.edition
    now = timezone.now()
    withdrawn = assignment.status == JuryAssignment.Status.CONFLICT
    criteria = _criteria(edition)
    scores = list(assignment.scores.all())
    if form is None:
        form = ScoreForm(criteria=criteria, scores=scores)
    submitted = assignment.status == JuryAssignment.Status.SUBMITTED
    context = {
        "assignment": assignment,
        "application": application,
        "edition": edition,
        "blind": edition.blind_judging,
        "withdrawn": withdrawn,
        "submitted": submitted,
        "scoring_open": now <= edition.scoring_deadline and not withdrawn,
        "form": form,
        "conflict_form": conflict_form or ConflictForm(),
        "criteria": criteria,
        "saved_total": scoring.weighted_total(scores, criteria),
        "scored": len(scores),
        "attachments": [] if withdrawn else list(application.attachments.all()),
        "others": _others(assignment, criteria)
        if submitted and edition.show_other_scores and now > edition.scoring_deadline
        else None,
        "progress": scoring.progress(assignment.juror),
    }
    return render(request, "awards/jury/application.html", context, status=status)


@require_GET
@jury_view
def application(request, pk):
    return _page(request, _assignment(request.user, pk))


@require_POST
@jury_view
def score(request, pk):
    assignment = _assignment(request.user, pk)
    criteria = _criteria(assignment.application.edition)
    form = ScoreForm(request.POST, criteria=criteria, scores=list(assignment.scores.all()))
    if not form.is_valid():
        return _page(request, assignment, form=form, status=400)
    now = timezone.now()
    submitting = "submit" in request.POST
    try:
        scoring.save_scores(assignment, form.cleaned_scores(), now)
        if submitting:
            scoring.submit_scores(assignment, now)
    except scoring.ScoringError as error:
        messages.error(request, error.message)
        assignment.refresh_from_db()
        if isinstance(error, scoring.IncompleteScores):
            messages.info(request, _("Vos notes sont enregistrées ; elles ne sont pas soumises."))
        return redirect("awards:jury_application", pk=pk)
    assignment.refresh_from_db()
    total = scoring.assignment_total(assignment, criteria)
    total_text = (
        _("aucune note pour le moment")
        if total is None
        else _("%(total)s sur 100") % {"total": _number(total)}
    )
    if submitting:
        messages.success(
            request,
            _(
                "Vos notes sont soumises (total pondéré : %(total)s). Vous pouvez les modifier "
                "jusqu’à la fin de la notation."
            )
            % {"total": total_text},
        )
    else:
        messages.success(
            request,
            _("Vos notes sont enregistrées (total pondéré : %(total)s).") % {"total": total_text},
        )
    return redirect("awards:jury_application", pk=pk)


def _number(value):
    """A total as the page shows it (one decimal, the way scoring.js and floatformat round)."""
    return number_format(totals.tenths(value), 1)


@require_POST
@jury_view
def conflict(request, pk):
    assignment = _assignment(request.user, pk)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        return _page(request, assignment, conflict_form=form, status=400)
    try:
        scoring.declare_conflict(assignment, form.cleaned_data["reason"], timezone.now())
    except scoring.ScoringError as error:
        messages.error(request, error.message)
        return redirect("awards:jury_application", pk=pk)
    messages.success(
        request,
        _(
            "Votre conflit d’intérêts est enregistré : ce dossier vous est retiré et l’équipe "
            "est prévenue."
        ),
    )
    return redirect("awards:jury_home")
