"""The member portal: each contact sees only the organisations they act for.

Every page is personal: login required, never cached, and another organisation's address
answers 404, as if it did not exist.
"""

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from home.models import SiteIdentity

from . import contacts as contact_rules
from . import portal_exports
from .contacts import may_be_invited, same_email
from .models import Contact, ContactInvitation, Membership, Payment
from .permissions import member_view, organisations_of
from .portal_forms import (
    ContactAddForm,
    ContactSelfForm,
    InvitationSignupForm,
    MemberPasswordResetForm,
    OrganisationEditForm,
)
from .tasks import send_invitation_after_commit

logger = logging.getLogger(__name__)

ONLINE_METHODS = (Payment.Method.CARD, Payment.Method.SEPA)


class EmailAuthenticationForm(AuthenticationForm):
    # An e-mail input (a "type" in the text input's attrs would be a duplicate attribute).
    username = UsernameField(widget=forms.EmailInput(attrs={"autofocus": True}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = gettext_lazy("Adresse e-mail")
        self.fields["username"].widget.attrs["autocomplete"] = "email"
        self.error_messages["invalid_login"] = gettext_lazy(
            "Adresse e-mail ou mot de passe incorrect. Vérifiez-les, puis réessayez."
        )


class LoginView(auth_views.LoginView):
    template_name = "members/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("members:portal")


def _association_name(request):

    return SiteIdentity.for_request(request).name


def _reset_link_days():
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


# --- Passwords ---------------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """« Mot de passe oublié » : whether the address is known or not, the same page follows, at
    once: the e-mail leaves from the task queue (MemberPasswordResetForm.send_mail)."""

    form_class = MemberPasswordResetForm
    template_name = "members/password_reset_form.html"
    email_template_name = "members/email/password_reset_body.txt"
    subject_template_name = "members/email/password_reset_subject.txt"
    success_url = reverse_lazy("members:password_reset_done")

    def form_valid(self, form):
        self.extra_email_context = {
            "association": _association_name(self.request),
            "days": _reset_link_days(),
        }
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "members/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Also where accounts made without a password (a paper bulletin entered by staff, the
    volunteering forms) choose their first one, through « Mot de passe oublié »."""

    template_name = "members/password_reset_confirm.html"
    success_url = reverse_lazy("members:password_reset_complete")
    post_reset_login = True
    post_reset_login_backend = "members.auth.EmailBackend"


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "members/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "members/password_change_form.html"
    success_url = reverse_lazy("members:portal")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Votre mot de passe a été modifié."))
        return response


# --- Portal home and organisation page ---------------------------------------------------------


def _memberships_prefetch():
    """Memberships with their tier, payments and receipts: three queries, however many rows."""
    payments = Payment.objects.select_related("receipt").order_by("-created_at")
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related("tier").prefetch_related(
            Prefetch("payments", queryset=payments)
        ),
    )


def _decorate(membership):
    """What the templates need to know of a membership, from the prefetched payments."""
    payments = membership.payment_list = list(membership.payments.all())
    for payment in payments:
        # A refunded payment's receipt no longer attests anything: no link (its download is 404).
        received = payment.status == Payment.Status.SUCCEEDED
        payment.receipt_or_none = portal_exports.receipt_of(payment) if received else None
    membership.is_pending = membership.status == Membership.Status.PENDING
    pending = next((p for p in payments if p.status == Payment.Status.PENDING), None)
    latest = pending or (payments[0] if payments else None)
    # Card or SEPA (or nothing chosen yet): the online payment page, which offers transfers
    # too when online payment is off; a declared transfer or cheque: its instructions.
    membership.pays_online = latest is None or latest.method in ONLINE_METHODS
    return membership


@member_view
def portal(request):
    organisations = list(organisations_of(request.user).prefetch_related(_memberships_prefetch()))
    for organisation in organisations:
        memberships = [_decorate(m) for m in organisation.memberships.all()]
        organisation.current_membership = memberships[0] if memberships else None
    return render(request, "members/portal.html", {"organisations": organisations})


def _own_organisation(request, pk):
    # Another organisation's page answers 404, as if it did not exist.
    return get_object_or_404(organisations_of(request.user), pk=pk)


@member_view
def organisation_detail(request, pk):
    organisation = get_object_or_404(
        organisations_of(request.user).prefetch_related("sectors", _memberships_prefetch()),
        pk=pk,
    )
    memberships = [_decorate(m) for m in organisation.memberships.all()]
    return render(
        request,
        "members/organisation_detail.html",
        {"organisation": organisation, "memberships": memberships},
    )


@member_view
def organisation_edit(request, pk):
    organisation = _own_organisation(request, pk)
    # The form changes its instance while it validates: the page's title keeps the saved name.
    saved_name = organisation.name
    form = OrganisationEditForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Les informations de l’organisation sont enregistrées."))
        return redirect("members:organisation", pk=organisation.pk)
    return render(
        request,
        "members/organisation_edit.html",
        {"organisation": organisation, "organisation_name": saved_name, "form": form},
    )


# --- Contacts ----------------------------------------------------------------------------------


def _contacts_page(request, organisation, self_form=None, add_form=None, status=200):
    contacts = list(
        organisation.contacts.select_related("user").order_by("-is_primary", "user__last_name")
    )
    me = next(c for c in contacts if c.user_id == request.user.pk)
    context = {
        "organisation": organisation,
        "contacts": contacts,
        "me": me,
        "invitations": organisation.invitations.pending().select_related("invited_by"),
        "invitation_days": ContactInvitation.VALIDITY.days,
        "self_form": self_form or ContactSelfForm(instance=me, prefix="me"),
        "add_form": add_form or ContactAddForm(organisation=organisation, prefix="new"),
        "can_remove": len(contacts) > 1,
    }
    return render(request, "members/contacts.html", context, status=status)


@member_view
def contacts(request, pk):
    return _contacts_page(request, _own_organisation(request, pk))


@member_view
@require_POST
def contact_update_self(request, pk):
    organisation = _own_organisation(request, pk)
    me = get_object_or_404(
        Contact.objects.select_related("user"), organisation=organisation, user=request.user
    )
    form = ContactSelfForm(request.POST, instance=me, prefix="me")
    if not form.is_valid():
        return _contacts_page(request, organisation, self_form=form)
    form.save()
    messages.success(request, _("Vos coordonnées sont enregistrées."))
    return redirect("members:contacts", pk=organisation.pk)


def site_url(request):
    """The site's address as this request reached it, for the links of the e-mails it causes."""
    return request.build_absolute_uri("/").rstrip("/")


@member_view
@require_POST
def contact_add(request, pk):
    """Invite a person by e-mail. Whether the address has an account or not, the page answers the
    same and lists the same pending invitation; only the e-mail differs (tasks.py). It leaves
    from the task queue once the invitation is committed: a mail server that is down loses
    nothing, and the invitation can be sent again (a new one replaces it)."""
    organisation = _own_organisation(request, pk)
    form = ContactAddForm(request.POST, organisation=organisation, prefix="new")
    if not form.is_valid():
        return _contacts_page(request, organisation, add_form=form)
    with transaction.atomic():
        invitation = form.save(invited_by=request.user)
        if invitation is not None:  # None: the same, made a moment ago, has its e-mail
            send_invitation_after_commit(invitation, site_url(request), get_language())
    messages.success(
        request,
        _("Une invitation a été envoyée à %(email)s.") % {"email": form.cleaned_data["email"]},
    )
    return redirect("members:contacts", pk=organisation.pk)


@member_view
@require_POST
def invitation_revoke(request, pk, invitation_pk):
    """A contact of the organisation cancels a pending invitation: its link stops working."""
    organisation = _own_organisation(request, pk)
    invitation = get_object_or_404(organisation.invitations, pk=invitation_pk)
    # A conditional update: an invitation accepted at the same moment stays accepted.
    if organisation.invitations.filter(pk=invitation.pk).revoke():
        messages.success(
            request,
            _("L’invitation de %(email)s est révoquée : son lien ne sert plus.")
            % {"email": invitation.email},
        )
    else:
        messages.info(request, _("Cette invitation n’était plus en attente."))
    return redirect("members:contacts", pk=organisation.pk)


# --- Accepting an invitation -------------------------------------------------------------------
#
# The link's token names a ContactInvitation row (by its SHA-256). An address that had an account
# when invited logs in with it and confirms; a new address chooses its password on the page (the
# link, sent to that address, proves it). Either way the row is locked and marked accepted in the
# transaction that makes the Contact, so the link serves once.


def _invitation_page(request, context, status=200):
    return render(request, "members/invitation_accept.html", context, status=status)


def _invitation_problem(invitation):
    """Why this invitation cannot be accepted, as (message, status), or None."""
    Status = ContactInvitation.Status
    if invitation is None:
        return _(
            "Ce lien d’invitation n’est pas valide. Copiez-le en entier depuis l’e-mail reçu, ou "
            "demandez une nouvelle invitation."
        ), 400
    if invitation.status == Status.ACCEPTED:
        return _(
            "Cette invitation a déjà servi : un lien d’invitation ne sert qu’une fois. Pour "
            "devenir contact de l’organisation, demandez une nouvelle invitation à l’un de ses "
            "contacts."
        ), 410
    if invitation.status == Status.REVOKED:
        return _(
            "Cette invitation a été annulée : un contact de l’organisation l’a révoquée ou "
            "remplacée par une plus récente, ou la personne qui l’a envoyée n’est plus contact. "
            "Demandez une nouvelle invitation si besoin."
        ), 410
    if invitation.is_expired:
        return _(
            "Cette invitation a expiré. Demandez à un contact de l’organisation de vous inviter "
            "de nouveau."
        ), 410
    organisation = invitation.organisation
    if organisation.pseudonymised_at is not None:
        return _("Cette organisation n’existe plus."), 404
    inviter_left = not organisation.contacts.filter(user_id=invitation.invited_by_id).exists()
    if invitation.origin == ContactInvitation.Origin.PORTAL and inviter_left:
        return _(
            "La personne qui vous a invité·e n’est plus contact de l’organisation : son "
            "invitation ne vaut plus. Demandez-en une nouvelle à un autre contact."
        ), 410
    return None


def _is_contact_already(user, invitation):
    """The invited person, logged in and already a contact (the link opened again)."""
    return (
        user.is_authenticated
        and same_email(user.email, invitation.email)
        and invitation.organisation.contacts.filter(user=user).exists()
    )


def _invitation_context(invitation):
    return {
        "organisation": invitation.organisation,
        "role": Contact.Role(contact_rules.role_of(invitation)).label,
        "invited_by": _name_of(invitation.invited_by) if invitation.invited_by else "",
    }


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """GET shows the invitation, only a POST accepts it (a mail scanner that opens the link
    changes nothing). With a link that is altered, used, revoked, expired, or whose inviter has
    left, nothing happens and the page says why."""
    invitation = (
        ContactInvitation.objects.select_related("organisation", "invited_by", "invitee")
        .filter(token_hash=ContactInvitation.digest(token))
        .first()
    )
    if invitation is not None and _is_contact_already(request.user, invitation):
        return _invitation_page(request, {**_invitation_context(invitation), "already": True})
    problem = _invitation_problem(invitation)
    if problem is not None:
        message, status = problem
        return _invitation_page(request, {"problem": message}, status=status)
    account = invitation.account()
    if account is None:
        return _accept_as_new_account(request, invitation)
    return _accept_with_account(request, invitation, account)


def _wrong_account(request, message, login_next):
    context = {"problem": message, "wrong_account": True, "login_next": login_next}
    return _invitation_page(request, context, status=403)


def _accept_with_account(request, invitation, account):
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), "members:login")
    if user.pk != account.pk or not same_email(user.email, invitation.email):
        problem = _(
            "Cette invitation a été envoyée à une autre adresse que celle de votre compte "
            "(%(email)s). Déconnectez-vous, puis connectez-vous avec l’adresse qui l’a reçue."
        ) % {"email": user.email}
        # After logging out, the login page brings the right account back here.
        return _wrong_account(
            request, problem, f"{reverse('members:login')}?{urlencode({'next': request.path})}"
        )
    if not may_be_invited(user):
        problem = _(
            "Ce compte ne peut pas être rattaché à une organisation depuis l’espace membre : "
            "contactez l’équipe du réseau."
        )
        return _invitation_page(request, {"problem": problem}, status=403)
    if request.method != "POST":
        return _invitation_page(request, _invitation_context(invitation))
    if contact_rules.accept(invitation, user) is None:
        return redirect(request.path)  # accepted or cancelled meanwhile: the page says which
    return _accepted(request, invitation)


def _accept_as_new_account(request, invitation):
    if request.user.is_authenticated:
        problem = _(
            "Cette invitation a été envoyée à une autre adresse que celle de votre compte "
            "(%(email)s). Déconnectez-vous pour l’accepter avec l’adresse qui l’a reçue."
        ) % {"email": request.user.email}
        return _wrong_account(request, problem, request.path)
    form = InvitationSignupForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = contact_rules.accept_with_new_account(
            invitation,
            first_name=data["first_name"],
            last_name=data["last_name"],
            password=data["password1"],
        )
        if user is None:
            messages.error(
                request,
                _(
                    "Votre compte n’a pas pu être créé avec cette invitation. Rouvrez le lien de "
                    "l’e-mail, ou écrivez à l’équipe du réseau."
                ),
            )
            return redirect(request.path)
        login(request, user, backend="members.auth.EmailBackend")
        return _accepted(request, invitation)
    context = {**_invitation_context(invitation), "signup_form": form, "email": invitation.email}
    return _invitation_page(request, context)


def _accepted(request, invitation):
    organisation = invitation.organisation
    messages.success(
        request,
        _("Vous êtes maintenant contact de %(organisation)s.") % {"organisation": organisation},
    )
    return redirect("members:organisation", pk=organisation.pk)


@member_view
@require_POST
def contact_remove(request, pk, contact_pk):
    organisation = _own_organisation(request, pk)
    try:
        contact = contact_rules.remove(organisation, contact_pk)
    except Contact.DoesNotExist as error:
        raise Http404 from error
    except contact_rules.LastContact:
        messages.error(
            request,
            _(
                "Une organisation garde au moins un contact : ajoutez d’abord la personne "
                "qui prendra le relais."
            ),
        )
        return redirect("members:contacts", pk=organisation.pk)
    name = contact.user.get_full_name() or contact.user.email
    if contact.user_id == request.user.pk:
        messages.success(
            request,
            _("Vous n’êtes plus contact de %(organisation)s.") % {"organisation": organisation},
        )
        return redirect("members:portal")
    messages.success(request, _("%(name)s n’est plus contact de l’organisation.") % {"name": name})
    return redirect("members:contacts", pk=organisation.pk)


def _name_of(user):
    return user.get_full_name() or user.email


# --- Export ------------------------------------------------------------------------------------


def _export_response(organisation, content, content_type, extension):
    filename = f"{slugify(organisation.name) or 'organisation'}-{timezone.localdate()}.{extension}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@member_view
def export_json(request, pk):
    organisation = _own_organisation(request, pk)
    return _export_response(
        organisation,
        portal_exports.as_json(organisation),
        "application/json; charset=utf-8",
        "json",
    )


@member_view
def export_csv(request, pk):
    organisation = _own_organisation(request, pk)
    return _export_response(
        organisation, portal_exports.as_csv(organisation), "text/csv; charset=utf-8", "csv"
    )
