"""The member portal: each contact sees only the organisations they act for.

Every page is personal: login required, never cached, and another organisation's address
answers 404, as if it did not exist.
"""

import logging
from datetime import timedelta
from functools import partial

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import content_disposition_header, urlencode, urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import portal_exports
from .models import Contact, Membership, Organisation, Payment
from .portal_forms import (
    ContactAddForm,
    ContactSelfForm,
    MemberPasswordResetForm,
    OrganisationEditForm,
    may_be_invited,
    same_email,
)

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


def organisations_of(user):
    """The organisations this user is a contact of: the only ones they may see."""
    return Organisation.objects.filter(contacts__user=user).distinct()


def member_view(view):
    """A portal page: for logged-in members only, never kept by a cache."""
    return never_cache(login_required(login_url="members:login")(view))


def _association_name(request):
    from home.models import SiteIdentity

    return SiteIdentity.for_request(request).name


def _reset_link_days():
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


# --- Passwords ---------------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """« Mot de passe oublié » : whether the address is known or not, the same page follows."""

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
    """Also the page an invited contact lands on to choose their first password."""

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


@member_view
@require_POST
def contact_add(request, pk):
    """Add a contact by e-mail; the answer is the same whether the address had an account or not.

    A new address: its account and Contact are made, and it gets a link to choose a password. An
    existing account is never attached here: its owner gets an invitation to accept (staff,
    superuser and inactive accounts get nothing, and the page does not say so).
    """
    organisation = _own_organisation(request, pk)
    form = ContactAddForm(request.POST, organisation=organisation, prefix="new")
    outcome = form.save() if form.is_valid() else None
    if outcome is None:
        return _contacts_page(request, organisation, add_form=form)
    data = form.cleaned_data
    sent = _("Une invitation a été envoyée à %(email)s.") % {"email": data["email"]}
    if outcome.contact is not None:
        send = partial(send_contact_invitation, request, outcome.contact)
        failed = _(
            "Le contact est enregistré, mais l’e-mail n’a pas pu partir : %(email)s pourra "
            "choisir son mot de passe avec « Mot de passe oublié » sur la page de connexion."
        ) % {"email": data["email"]}
        # Sent once the contact is saved for good; a failure loses nothing of it.
        transaction.on_commit(partial(_send_or_warn, request, organisation, send, sent, failed))
    elif outcome.invitee is not None:
        send = partial(
            send_contact_link_invitation,
            request,
            organisation,
            outcome.invitee,
            role=data["role"],
            phone=data["phone"],
        )
        failed = _(
            "L’invitation n’a pas pu partir : rien n’a été enregistré, réessayez dans quelques "
            "minutes."
        )
        _send_or_warn(request, organisation, send, sent, failed)
    else:
        messages.success(request, sent)
    return redirect("members:contacts", pk=organisation.pk)


def _send_or_warn(request, organisation, send, sent_message, failed_message):
    """Send an e-mail; if the server fails, keep what was saved and say so (no error page)."""
    try:
        send()
    except Exception:
        logger.exception("E-mail to a contact of organisation %s not sent", organisation.pk)
        messages.warning(request, failed_message)
    else:
        messages.success(request, sent_message)


def send_contact_invitation(request, contact):
    """Tell a person whose account was just made that they act for the organisation, with a link
    to choose a password (the password reset page: the same token, valid
    PASSWORD_RESET_TIMEOUT)."""
    user = contact.user
    link = request.build_absolute_uri(
        reverse(
            "members:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    )
    context = {
        "organisation": contact.organisation,
        "invited_by": _name_of(request.user),
        "user": user,
        "set_password_url": link,
        "login_url": request.build_absolute_uri(reverse("members:login")),
        "association": _association_name(request),
        "days": _reset_link_days(),
    }
    _send_email("members/email/contact_invitation", context, user.email)


def _send_email(template_prefix, context, to):
    subject = render_to_string(f"{template_prefix}_subject.txt", context)
    body = render_to_string(f"{template_prefix}_body.txt", context)
    EmailMultiAlternatives("".join(subject.splitlines()), body, None, [to]).send()


def _name_of(user):
    return user.get_full_name() or user.email


# --- Invitations of existing accounts -----------------------------------------------------------
#
# The link carries the invitation, signed and dated (nothing is stored): the organisation, the
# account and its e-mail, the role and phone typed by the contact who invited, and who did.

INVITATION_SALT = "members.contact_invitation"
INVITATION_DAYS = 7


def make_invitation_token(organisation, user, *, role, phone, invited_by):
    payload = {
        "o": organisation.pk,
        "u": user.pk,
        "e": user.email,
        "r": role,
        "p": phone,
        "b": invited_by.pk,
    }
    return signing.dumps(payload, salt=INVITATION_SALT, compress=True)


def read_invitation_token(token):
    """The invitation's data; raises signing.SignatureExpired after INVITATION_DAYS, or
    signing.BadSignature for a link altered or made elsewhere."""
    return signing.loads(token, salt=INVITATION_SALT, max_age=timedelta(days=INVITATION_DAYS))


def send_contact_link_invitation(request, organisation, invitee, *, role, phone):
    """Invite an existing account to become a contact of the organisation: nothing changes
    until its owner, logged in, accepts."""
    token = make_invitation_token(
        organisation, invitee, role=role, phone=phone, invited_by=request.user
    )
    context = {
        "organisation": organisation,
        "invited_by": _name_of(request.user),
        "role": Contact.Role(role).label,
        "accept_url": request.build_absolute_uri(
            reverse("members:invitation_accept", args=[token])
        ),
        "password_reset_url": request.build_absolute_uri(reverse("members:password_reset")),
        "association": _association_name(request),
        "days": INVITATION_DAYS,
    }
    _send_email("members/email/contact_link", context, invitee.email)


def _invitation_page(request, context, status=200):
    return render(request, "members/invitation_accept.html", context, status=status)


@member_view
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The invited person, logged in with the invited account, confirms (POST) to become a
    contact; for anyone else, or with an expired or altered link, nothing happens."""
    try:
        invitation = read_invitation_token(token)
    except signing.SignatureExpired:
        return _invitation_page(
            request,
            {
                "problem": _(
                    "Cette invitation a expiré. Demandez à un contact de l’organisation de vous "
                    "inviter de nouveau."
                )
            },
            status=410,
        )
    except signing.BadSignature:
        return _invitation_page(
            request,
            {
                "problem": _(
                    "Ce lien d’invitation n’est pas valide. Copiez-le en entier depuis l’e-mail "
                    "reçu, ou demandez une nouvelle invitation."
                )
            },
            status=400,
        )
    organisation = Organisation.objects.filter(
        pk=invitation["o"], pseudonymised_at__isnull=True
    ).first()
    if organisation is None:
        return _invitation_page(
            request, {"problem": _("Cette organisation n’existe plus.")}, status=404
        )
    user = request.user
    if user.pk != invitation["u"] or not same_email(user.email, invitation["e"]):
        problem = _(
            "Cette invitation a été envoyée à une autre adresse que celle de votre compte "
            "(%(email)s). Déconnectez-vous, puis connectez-vous avec l’adresse qui l’a reçue."
        ) % {"email": user.email}
        context = {
            "problem": problem,
            "wrong_account": True,
            # After logging out, the login page brings the right account back here.
            "login_next": f"{reverse('members:login')}?{urlencode({'next': request.path})}",
        }
        return _invitation_page(request, context, status=403)
    if not may_be_invited(user):
        problem = _(
            "Ce compte ne peut pas être rattaché à une organisation depuis l’espace membre : "
            "contactez l’équipe du réseau."
        )
        return _invitation_page(request, {"problem": problem}, status=403)
    role = invitation["r"] if invitation["r"] in Contact.Role.values else Contact.Role.OTHER
    context = {
        "organisation": organisation,
        "role": Contact.Role(role).label,
        "invited_by": _inviter_name(invitation["b"]),
    }
    if organisation.contacts.filter(user=user).exists():
        return _invitation_page(request, {**context, "already": True})
    if request.method != "POST":
        return _invitation_page(request, context)
    try:
        with transaction.atomic():
            Contact.objects.create(
                organisation=organisation,
                user=user,
                role=role,
                phone=invitation.get("p", ""),
                is_primary=not organisation.contacts.exists(),
            )
    except IntegrityError:
        # The same link confirmed twice at once: the first made the contact.
        return _invitation_page(request, {**context, "already": True})
    messages.success(
        request,
        _("Vous êtes maintenant contact de %(organisation)s.") % {"organisation": organisation},
    )
    return redirect("members:organisation", pk=organisation.pk)


def _inviter_name(pk):
    inviter = get_user_model()._default_manager.filter(pk=pk).first()
    return _name_of(inviter) if inviter else ""


@member_view
@require_POST
def contact_remove(request, pk, contact_pk):
    organisation = _own_organisation(request, pk)
    with transaction.atomic():
        # Locked, so that two contacts removing each other at once cannot leave none.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        contact = get_object_or_404(organisation.contacts.select_related("user"), pk=contact_pk)
        remaining = organisation.contacts.exclude(pk=contact.pk).order_by("pk")
        if not remaining.exists():
            messages.error(
                request,
                _(
                    "Une organisation garde au moins un contact : ajoutez d’abord la personne "
                    "qui prendra le relais."
                ),
            )
            return redirect("members:contacts", pk=organisation.pk)
        contact.delete()
        if contact.is_primary:
            successor = remaining.first()
            successor.is_primary = True
            successor.save(update_fields=["is_primary"])
    name = contact.user.get_full_name() or contact.user.email
    if contact.user_id == request.user.pk:
        messages.success(
            request,
            _("Vous n’êtes plus contact de %(organisation)s.") % {"organisation": organisation},
        )
        return redirect("members:portal")
    messages.success(request, _("%(name)s n’est plus contact de l’organisation.") % {"name": name})
    return redirect("members:contacts", pk=organisation.pk)


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
