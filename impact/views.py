"""Social utility's own addresses. In the portal: the campaigns of a member's organisations, the
report form, saved as a draft (by its buttons, or by the autosave script while the member
types) and submitted before the close, and the review. In public: the open data.

Every portal page is personal: login required, never cached, and another organisation's report
answers 404, as if it did not exist."""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from home.cache import cached
from members.permissions import member_view, organisations_of

from . import open_data, services
from .aggregates import network_figures
from .forms import ReportForm
from .models import Answer, Campaign, Report
from .pages import ImpactPage
from .permissions import can_edit_report, edit_deadline, reviewable_reports


@member_view
def portal(request):
    """Each organisation of the member, with this year's open campaigns and its past reports."""
    organisations = list(organisations_of(request.user).order_by("name"))
    today = timezone.localdate()
    campaigns = list(Campaign.objects.filter(opens_on__lte=today).order_by("-year"))
    reports = {
        (r.organisation_id, r.campaign_id): r
        for r in Report.objects.filter(organisation__in=organisations)
    }
    rows = [
        {
            "organisation": organisation,
            "campaigns": [
                {
                    "campaign": campaign,
                    "report": reports.get((organisation.pk, campaign.pk)),
                    "open": campaign.is_open(today),
                }
                for campaign in campaigns
                if campaign.is_open(today) or (organisation.pk, campaign.pk) in reports
            ],
        }
        for organisation in organisations
    ]
    to_review = reviewable_reports(request.user).exists()
    return render(request, "impact/portal.html", {"rows": rows, "to_review": to_review})


def _own_report(request, organisation_pk, year):
    """The member's report for the campaign. While the campaign is open, a report not started
    yet is made by the first save (a GET shows an empty one and writes nothing); after the
    close, only a started report is shown. Another organisation's: 404."""
    organisation = get_object_or_404(organisations_of(request.user), pk=organisation_pk)
    campaign = get_object_or_404(Campaign, year=year, opens_on__lte=timezone.localdate())
    report = Report.objects.filter(organisation=organisation, campaign=campaign).first()
    if report is not None:
        return report
    if not campaign.is_open():
        raise Http404
    if request.method == "POST":
        return services.report_for(organisation, campaign)
    return Report(organisation=organisation, campaign=campaign)


def _form(report, data=None):
    indicators = (
        report.campaign.indicators()
        .select_related("dimension")
        .prefetch_related("breakdowns__categories")
    )
    answers = {}
    if report.pk is not None:
        answers = {
            a.indicator_id: a
            for a in report.answers.prefetch_related("parts").select_related("indicator")
        }
    return ReportForm(data, indicators=indicators, answers=answers)


@member_view
def report(request, organisation_pk, year):
    report = _own_report(request, organisation_pk, year)
    editable = can_edit_report(report)
    form = _form(report, request.POST if request.method == "POST" and editable else None)
    if request.method == "POST" and editable:
        form.is_valid()  # what the form refuses is left out of the save, and shown
        try:
            errors = services.save_answers(report, form.inputs())
            if errors or form.errors:
                form.add_rule_errors(errors)
                messages.error(
                    request,
                    _("Ce qui est juste est enregistré ; corrigez les champs signalés."),
                )
            elif "submit" in request.POST:
                services.submit(report)
                messages.success(request, _("Rapport remis : merci ! Il va être relu."))
                return redirect("impact:report", organisation_pk, year)
            else:
                messages.success(request, _("Brouillon enregistré."))
                return redirect("impact:report", organisation_pk, year)
        except services.ReportError as error:
            messages.error(request, str(error))
        report.refresh_from_db()
        editable = can_edit_report(report)
    return render(
        request,
        "impact/report.html",
        {
            "report": report,
            "organisation": report.organisation,
            "campaign": report.campaign,
            "form": form,
            "editable": editable,
            "deadline": edit_deadline(report),
            "returned": report.status == Report.Status.RETURNED,
            "to_change": Answer.Review.TO_CHANGE,
        },
    )


@member_view
@require_POST
def autosave(request, organisation_pk, year):
    """The autosave script's silent save: what is right is kept; the answer lists the fields in
    error (the buttons' save shows them)."""
    report = _own_report(request, organisation_pk, year)
    form = _form(report, request.POST)
    form.is_valid()
    try:
        errors = services.save_answers(report, form.inputs())
    except services.ReportError:
        return JsonResponse({"saved": False}, status=409)
    return JsonResponse(
        {
            "saved": True,
            "at": timezone.localtime().strftime("%H:%M"),
            "errors": sorted(
                {
                    f"i{pk}_{field.replace('part-', 'part_')}"
                    for pk, fields in errors.items()
                    for field in fields
                }
                | set(form.errors)
            ),
        }
    )


# --- Review (co-evaluation) ---------------------------------------------------------------------


@member_view
def review_list(request):
    """The submitted reports this person may review: every one for staff with the permission,
    those they were designated for otherwise."""
    reports = reviewable_reports(request.user).select_related("organisation", "campaign")
    return render(
        request,
        "impact/review_list.html",
        {"reports": reports.order_by("submitted_at")},
    )


@member_view
def review(request, pk):
    """Answer by answer: accepted, or to change with a remark; then the report is reviewed, or
    returned to the member. Another's report, or one not submitted: 404."""
    report = get_object_or_404(
        reviewable_reports(request.user).select_related("organisation", "campaign"), pk=pk
    )
    answers = list(
        report.answers.select_related("indicator__dimension")
        .prefetch_related("parts__category")
        .order_by("indicator__dimension__sort_order", "indicator__sort_order", "indicator__pk")
    )
    errors = {}
    if request.method == "POST":
        for answer in answers:
            verdict = request.POST.get(f"a{answer.pk}_review", "")
            remark = request.POST.get(f"a{answer.pk}_remark", "")
            if not verdict:
                continue
            try:
                services.review_answer(answer, verdict, remark)
            except services.ReportError as error:
                errors[answer.pk] = str(error)
            answer.review, answer.review_comment = verdict, remark
        if errors:
            messages.error(
                request, _("Ce qui est juste est enregistré ; voyez les remarques signalées.")
            )
        elif "finish" in request.POST:
            try:
                report = services.finish_review(report)
            except services.ReportError as error:
                messages.error(request, str(error))
            else:
                if report.status == Report.Status.RETURNED:
                    messages.success(
                        request, _("Rapport renvoyé à l’adhérent, avec vos remarques.")
                    )
                else:
                    messages.success(request, _("Rapport relu : merci."))
                return redirect("impact:review_list")
        else:
            messages.success(request, _("Relecture enregistrée."))
            return redirect("impact:review", report.pk)
    return render(
        request,
        "impact/review.html",
        {
            "report": report,
            "answers": answers,
            "errors": errors,
            "accepted": Answer.Review.ACCEPTED,
            "to_change": Answer.Review.TO_CHANGE,
        },
    )


# --- Open data ---------------------------------------------------------------------------------


def _figures(request):
    return cached("impact-network-figures", network_figures, request)


def _published(view):
    """The open data exists once the network's figures are published: while no live page
    « L'impact du réseau » shows them, its addresses answer 404."""

    def guarded(request, *args, **kwargs):
        if not ImpactPage.objects.live().public().exists():
            raise Http404
        return view(request, *args, **kwargs)

    return guarded


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@_published
def open_data_csv(request):
    """The network's figures, one row per indicator, year and slice (Etalab 2.0)."""
    return _download(
        open_data.as_csv(_figures(request)), "text/csv; charset=utf-8", "utilite-sociale.csv"
    )


@_published
def open_data_json(request):
    data = open_data.as_json(_figures(request), request.build_absolute_uri())
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})


@_published
def data_dictionary(request):
    return _download(
        open_data.dictionary_csv(_figures(request)),
        "text/csv; charset=utf-8",
        "utilite-sociale-dictionnaire.csv",
    )


# --- « Notre utilité sociale »: an organisation's own report over the years --------------------


@member_view
def own(request, organisation_pk):
    from . import own_report  # reportlab on first use (home/pdf.py)

    organisation = get_object_or_404(organisations_of(request.user), pk=organisation_pk)
    years, sections = own_report.own_report(organisation, _figures(request))
    return render(
        request,
        "impact/own_report.html",
        {"organisation": organisation, "years": years, "sections": sections},
    )


@member_view
def own_pdf(request, organisation_pk):
    from . import own_report  # reportlab on first use (home/pdf.py)

    organisation = get_object_or_404(organisations_of(request.user), pk=organisation_pk)
    return _download(
        own_report.as_pdf(organisation, _figures(request)), "application/pdf", "utilite-sociale.pdf"
    )


@member_view
def own_csv(request, organisation_pk):
    from . import own_report  # reportlab on first use (home/pdf.py)

    organisation = get_object_or_404(organisations_of(request.user), pk=organisation_pk)
    return _download(
        own_report.as_csv(organisation, _figures(request)),
        "text/csv; charset=utf-8",
        "utilite-sociale.csv",
    )
