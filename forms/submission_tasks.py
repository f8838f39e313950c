"""Background work of the public submissions (django-tasks): the verification link, the
confirmation to the sender, the staff's notice. Each returns whether its e-mail left; a failure
is logged by forms.emails.send and never undoes what was submitted."""

from django.conf import settings
from django_tasks import task

from . import emails
from .models import BoardNeed, EmailVerification, VolunteerOffer
from .tokens import VERIFICATION_MAX_AGE, make_verification_token


def _admin_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/"


@task()
def send_verification(verification_id):
    """E-mail the signed link that turns a visitor's submission into a real one."""

    verification = EmailVerification.objects.filter(pk=verification_id, used_at=None).first()
    if verification is None:
        return False
    data = verification.payload
    context = {
        "verify_url": emails.absolute_reverse(
            "volunteering:verify",
            kwargs={"token": make_verification_token(verification)},
            language=verification.language,
        ),
        "hours": int(VERIFICATION_MAX_AGE.total_seconds() // 3600),
    }
    if verification.kind == EmailVerification.Kind.NEED:
        template = "need_verify"
        context["organisation_name"] = data["organisation"]["name"]
        context["first_name"] = data["contact"]["first_name"]
    else:
        template = "offer_verify"
        context["first_name"] = data["first_name"]
    return emails.send(template, context, [verification.email], language=verification.language)


def _password_reset_url(language):
    return emails.absolute_reverse("members:password_reset", language=language)


@task()
def send_need_received(need_id, language="fr"):
    """Confirm to whoever submitted the need that it is recorded and open."""

    need = (
        BoardNeed.objects.select_related("organisation", "created_by")
        .prefetch_related("need_skills__skill")
        .filter(pk=need_id)
        .first()
    )
    if need is None or need.created_by is None:
        return False
    user = need.created_by
    context = {
        "need": need,
        "organisation": need.organisation,
        "first_name": user.first_name,
        "skills": [str(need_skill) for need_skill in need.need_skills.all()],
        "set_password": not user.has_usable_password(),
        "password_reset_url": _password_reset_url(language),
        "portal_url": emails.absolute_reverse("members:portal", language=language),
    }
    return emails.send("need_received", context, [user.email], language=language)


@task()
def send_offer_received(offer_id, language="fr"):
    """Confirm to the volunteer that their offer is recorded."""

    offer = (
        VolunteerOffer.objects.select_related("user", "company")
        .prefetch_related("offer_skills__skill")
        .filter(pk=offer_id)
        .first()
    )
    if offer is None:
        return False
    context = {
        "offer": offer,
        "first_name": offer.first_name,
        "skills": [str(offer_skill) for offer_skill in offer.offer_skills.all()],
        "departements": ", ".join(offer.departements),
        "set_password": not offer.user.has_usable_password(),
        "password_reset_url": _password_reset_url(language),
    }
    return emails.send("offer_received", context, [offer.user.email], language=language)


@task()
def notify_staff_of_submission(kind, pk):
    """One e-mail to the staff per new need or offer, pointing at the admin."""

    if kind == "need":
        need = BoardNeed.objects.select_related("organisation").filter(pk=pk).first()
        if need is None:
            return False
        context = {"kind": "need", "need": need, "organisation": need.organisation}
    else:
        offer = VolunteerOffer.objects.select_related("company").filter(pk=pk).first()
        if offer is None:
            return False
        context = {"kind": "offer", "offer": offer}
    context["admin_url"] = _admin_url()
    return emails.send("staff_new_submission", context, emails.staff_recipients())
