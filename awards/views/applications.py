"""The applicant's pages: their dossiers, the steps of a draft, the preview and submission, the
attachments, and the partner company's public confirmation page.

Every dossier page is personal (login required, never cached): another organisation's dossier
answers 404, as if it did not exist.
"""

import copy
import os
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from members.pages import MembershipPage
from members.permissions import member_view, organisations_of

from .. import applications as rules
from ..attachments import MAX_ATTACHMENTS, add_attachment, delete_attachment
from ..emails import send_partner_invitation
from ..forms import STEP_FORMS, AttachmentForm, StartForm
from ..models import Application, AwardEdition
from ..permissions import applications_of, attachments_for, sees_real_names


def _own_application(request, pk):
    return get_object_or_404(applications_of(request.user), pk=pk)


def _join_url():

    page = MembershipPage.objects.live().first()
    return page.url if page else reverse("members:portal")


def _steps(application, current):
    return [
        {
            "number": number,
            "label": label,
            "url": reverse("awards:application_step", args=[application.pk, number]),
            "current": number == current,
        }
        for number, label in rules.STEPS.items()
    ]


# --- List and start ----------------------------------------------------------------------------


@member_view
def application_list(request):
    now = timezone.now()
    applications = list(applications_of(request.user).order_by("-edition__year", "pk"))
    taken = {(a.edition_id, a.organisation_id) for a in applications}
    organisations = list(organisations_of(request.user))
    open_editions = [
        edition
        for edition in AwardEdition.objects.filter(call_opens_at__lte=now, call_closes_at__gte=now)
        # An edition stays on offer while one of the user's organisations has no dossier in it.
        if not organisations or any((edition.pk, o.pk) not in taken for o in organisations)
    ]
    return render(
        request,
        "awards/application_list.html",
        {
            "applications": applications,
            "open_editions": open_editions,
            "has_organisations": bool(organisations),
            "join_url": _join_url(),
        },
    )


@member_view
@require_http_methods(["GET", "POST"])
def application_start(request, year):
    edition = get_object_or_404(AwardEdition, year=year)
    organisations = list(organisations_of(request.user).order_by("name"))
    context = {"edition": edition, "join_url": _join_url()}
    if not organisations:
        return render(
            request, "awards/application_start.html", {**context, "no_organisation": True}
        )
    existing = {
        a.organisation_id: a
        for a in Application.objects.filter(edition=edition, organisation__in=organisations)
    }
    context["existing"] = [existing[o.pk] for o in organisations if o.pk in existing]
    available = [o for o in organisations if o.pk not in existing]
    if not edition.call_is_open():
        return render(request, "awards/application_start.html", {**context, "closed": True})
    if not available:
        return render(request, "awards/application_start.html", context)
    queryset = organisations_of(request.user).filter(pk__in=[o.pk for o in available])
    form = StartForm(request.POST or None, organisations=queryset.order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            application, created = rules.start_or_resume(
                form.cleaned_data["organisation"], edition, request.user
            )
        except rules.CallClosed as closed:
            messages.error(request, str(closed))
            return redirect("awards:application_list")
        if created:
            messages.success(
                request,
                _(
                    "Le dossier est ouvert : il est enregistré à chaque étape, reprenez-le "
                    "quand vous voulez."
                ),
            )
        return redirect("awards:application_step", application.pk, application.current_step)
    return render(request, "awards/application_start.html", {**context, "form": form})


# --- The steps ---------------------------------------------------------------------------------


def _step_page(request, application, step, form, status=200, **extra):
    context = {
        "application": application,
        "edition": application.edition,
        "step": step,
        "step_label": rules.STEPS[step],
        "steps": _steps(application, step),
        "form": form,
        "last_step": rules.LAST_STEP,
        "call_open": application.edition.call_is_open(),
        **extra,
    }
    if step == 1:
        context["can_invite"] = rules.can_invite_partner(application)
    if step == 3:
        context["attachments"] = list(application.attachments.all())
        context["max_attachments"] = MAX_ATTACHMENTS
    return render(request, f"awards/application_step{step}.html", context, status=status)


def _after_save(application, step, go_on):
    if go_on:
        if step >= rules.LAST_STEP:
            return redirect("awards:application_preview", application.pk)
        return redirect("awards:application_step", application.pk, step + 1)
    return redirect("awards:application_step", application.pk, step)


@member_view
@require_http_methods(["GET", "POST"])
def application_step(request, pk, step):
    application = _own_application(request, pk)
    if step not in rules.STEPS:
        raise Http404
    if not rules.is_editable(application):
        return redirect("awards:application_detail", application.pk)
    if step == 3:
        return _attachments_step(request, application)
    form_class = STEP_FORMS[step]
    if request.method != "POST":
        return _step_page(request, application, step, form_class(instance=application))
    # The form checks a copy: the dossier itself changes only through rules.save_step.
    form = form_class(request.POST, instance=copy.copy(application))
    valid = form.is_valid()
    go_on = "continue" in request.POST
    values = {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}
    try:
        reset = rules.save_step(
            application, step, values, step + 1 if valid and go_on else step, by=request.user
        )
    except rules.NotEditable:
        return redirect("awards:application_detail", application.pk)
    if reset:
        messages.warning(
            request,
            _(
                "Vous avez modifié le nom de l’entreprise, son SIRET ou l’e-mail de son "
                "contact : sa confirmation du partenariat est annulée. Envoyez-lui une "
                "nouvelle invitation."
            ),
        )
    if not valid:
        return _step_page(request, application, step, form, partial_save=True)
    if not go_on:
        messages.success(request, _("Brouillon enregistré."))
    return _after_save(application, step, go_on)


def _attachments_step(request, application):
    if request.method != "POST":
        return _step_page(request, application, 3, AttachmentForm())
    form = AttachmentForm(request.POST, request.FILES)
    go_on = "continue" in request.POST
    if form.is_valid() and form.cleaned_data["file"]:
        try:
            attachment = add_attachment(
                application, form.cleaned_data["file"], form.cleaned_data["description"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request, _("Pièce jointe ajoutée : %(name)s.") % {"name": attachment.original_name}
            )
    if not form.is_valid():
        return _step_page(request, application, 3, form)
    try:
        rules.save_step(application, 3, {}, 4 if go_on else 3)
    except rules.NotEditable:
        return redirect("awards:application_detail", application.pk)
    return _after_save(application, 3, go_on)


@member_view
@require_POST
def attachment_delete(request, pk, attachment_pk):
    application = _own_application(request, pk)
    if not rules.is_editable(application):
        raise Http404
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    delete_attachment(attachment)
    messages.success(
        request, _("Pièce jointe supprimée : %(name)s.") % {"name": attachment.original_name}
    )
    return redirect("awards:application_step", application.pk, 3)


@member_view
@require_POST
def autosave(request, pk, step):
    """The draft script's silent save: the valid fields of the step are kept; the answer says
    which were not."""
    application = _own_application(request, pk)
    if step not in STEP_FORMS or not rules.is_editable(application):
        return JsonResponse({"saved": False}, status=409)
    form = STEP_FORMS[step](request.POST, instance=copy.copy(application))
    form.is_valid()
    values = {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}
    try:
        rules.save_step(application, step, values, application.current_step, by=request.user)
    except rules.NotEditable:
        return JsonResponse({"saved": False}, status=409)
    return JsonResponse(
        {
            "saved": True,
            "at": timezone.localtime(application.updated_at).strftime("%H:%M"),
            "errors": sorted(form.errors),
        }
    )


# --- The partner company -----------------------------------------------------------------------


@member_view
@require_POST
def partner_invite(request, pk):
    application = _own_application(request, pk)
    if not rules.can_invite_partner(application):
        messages.error(
            request,
            _("Enregistrez d’abord le nom de l’entreprise et l’e-mail de son contact."),
        )
        return redirect("awards:application_step", application.pk, 1)
    if application.partner_confirmed_at:
        messages.info(request, _("L’entreprise a déjà confirmé le partenariat."))
        return redirect("awards:application_step", application.pk, 1)
    if rules.invited_too_recently(application):
        messages.error(
            request,
            _(
                "Une invitation vient d’être envoyée à %(email)s. Attendez au moins 10 minutes "
                "avant d’en envoyer une nouvelle : elle remplacerait le lien précédent."
            )
            % {"email": application.company_contact_email},
        )
        return redirect("awards:application_step", application.pk, 1)
    # The invitation's date goes into the link: a later invitation voids this one.
    rules.mark_partner_invited(application)
    token = rules.make_partner_token(application)
    confirm_url = request.build_absolute_uri(reverse("awards:partner_confirm", args=[token]))
    inviter = request.user.get_full_name() or request.user.email
    transaction.on_commit(
        partial(send_partner_invitation.enqueue, application.pk, confirm_url, inviter)
    )
    messages.success(
        request,
        _("L’invitation a été envoyée à %(email)s.") % {"email": application.company_contact_email},
    )
    return redirect("awards:application_step", application.pk, 1)


@never_cache
@require_http_methods(["GET", "POST"])
def partner_confirm(request, token):
    """Public: the company's contact reads the partnership's summary and confirms it."""
    try:
        application = rules.read_partner_token(token)
    except rules.PartnerLinkInvalid as invalid:
        return render(
            request,
            "awards/partner_confirm.html",
            {"problem": invalid.message},
            status=invalid.status,
        )
    context = {"application": application, "edition": application.edition}
    if application.partner_confirmed_at is not None:
        return render(request, "awards/partner_confirm.html", {**context, "already": True})
    if request.method == "POST":
        if rules.confirm_partner(application):
            return render(request, "awards/partner_confirm.html", {**context, "done": True})
        return render(request, "awards/partner_confirm.html", {**context, "already": True})
    return render(request, "awards/partner_confirm.html", context)


# --- Preview, submission, the dossier read-only ------------------------------------------------


def _summary_context(application):
    return {
        "application": application,
        "edition": application.edition,
        "attachments": list(application.attachments.all()),
    }


@member_view
@require_http_methods(["GET", "POST"])
def application_preview(request, pk):
    application = _own_application(request, pk)
    if not rules.is_editable(application):
        return redirect("awards:application_detail", application.pk)
    problems = rules.problems_before_submission(application)
    if request.method == "POST":
        try:
            rules.submit(application)
        except rules.SubmissionRefused as refused:
            problems = refused.problems
        else:
            messages.success(
                request,
                _("Votre dossier est déposé. Un e-mail de confirmation vous a été envoyé."),
            )
            return redirect("awards:application_detail", application.pk)
    context = {
        **_summary_context(application),
        "problems": problems,
        "steps": _steps(application, None),
        "refused": request.method == "POST",
    }
    return render(request, "awards/application_preview.html", context)


@member_view
def application_detail(request, pk):
    application = _own_application(request, pk)
    return render(request, "awards/application_detail.html", _summary_context(application))


# --- Attachments' download ---------------------------------------------------------------------


def _download_name(user, attachment):
    """The original name, except under blind judging for someone who is neither staff allowed
    to see the dossiers nor a contact of the organisation: a juror gets a neutral name, since
    the original one often names the association or the company."""
    if sees_real_names(user, attachment.application):
        return attachment.original_name
    extension = os.path.splitext(attachment.original_name)[1].lstrip(".").lower()
    if not extension:
        extension = os.path.splitext(attachment.file.name)[1].lstrip(".").lower()
    return f"piece-{attachment.pk}.{extension}" if extension else f"piece-{attachment.pk}"


@never_cache
@login_required(login_url="members:login")
def attachment_download(request, pk):
    # Anyone who may not see it gets a 404, as if it did not exist.
    attachment = get_object_or_404(attachments_for(request.user), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=_download_name(request.user, attachment),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
