"""Member organisations, their sectors, their contacts and the invitations that make new ones.

Rules that must hold whatever the entry point (form, admin, task, shell) are database
constraints, not only form checks.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..validators import validate_departement, validate_rna, validate_siret


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("Association loi 1901")
    ASSOCIATION_RUP = "association_rup", _("Association reconnue d’utilité publique")
    COOPERATIVE = "cooperative", _("Coopérative (SCOP, SCIC…)")
    FONDATION = "fondation", _("Fondation")
    MUTUELLE = "mutuelle", _("Mutuelle")
    ENTREPRISE_ESS = "entreprise_ess", _("Entreprise de l’ESS (ESUS)")
    AUTRE = "autre", _("Autre")


class BudgetBracket(models.TextChoices):
    """Annual budget, in brackets; the value is the bracket's floor in euros."""

    UNDER_10K = "0", _("Moins de 10 000 €")
    UNDER_50K = "10000", _("De 10 000 à 50 000 €")
    UNDER_200K = "50000", _("De 50 000 à 200 000 €")
    UNDER_1M = "200000", _("De 200 000 € à 1 M€")
    UNDER_5M = "1000000", _("De 1 à 5 M€")
    OVER_5M = "5000000", _("Plus de 5 M€")


class Sector(models.Model):
    """A field of action (solidarité, médico-social…), shared with the volunteer matching."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("secteur")
        verbose_name_plural = _("secteurs")

    def __str__(self):
        return self.name


class Organisation(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    legal_form = models.CharField(_("forme juridique"), max_length=30, choices=LegalForm.choices)
    rna = models.CharField(_("numéro RNA"), max_length=10, blank=True, validators=[validate_rna])
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    address = models.CharField(_("adresse"), max_length=250)
    postal_code = models.CharField(_("code postal"), max_length=5)
    city = models.CharField(_("commune"), max_length=100)
    departement = models.CharField(
        _("département"), max_length=3, validators=[validate_departement]
    )
    sectors = models.ManyToManyField(Sector, verbose_name=_("secteurs"), blank=True)
    employees = models.PositiveIntegerField(_("salariés (ETP)"), default=0)
    volunteers = models.PositiveIntegerField(_("bénévoles"), default=0)
    budget_bracket = models.CharField(
        _("budget annuel"), max_length=10, choices=BudgetBracket.choices
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    pseudonymised_at = models.DateTimeField(
        _("données personnelles effacées le"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                # An organisation erased on request keeps neither (see erasure.py).
                condition=~Q(rna="") | ~Q(siret="") | Q(pseudonymised_at__isnull=False),
                name="organisation_has_rna_or_siret",
                violation_error_message=_("Indiquez un numéro RNA ou un SIRET."),
            ),
            models.UniqueConstraint(
                fields=["rna"],
                condition=~Q(rna=""),
                name="organisation_unique_rna",
                violation_error_message=_("Une organisation porte déjà ce numéro RNA."),
            ),
            models.UniqueConstraint(
                fields=["siret"],
                condition=~Q(siret=""),
                name="organisation_unique_siret",
                violation_error_message=_("Une organisation porte déjà ce SIRET."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # The database constraint reads pseudonymised_at, which forms do not show, so Django's
        # form validation skips it: say it here, in French, before the database refuses.
        super().clean()
        if self.pseudonymised_at is None and not (self.rna or self.siret):
            raise ValidationError(_("Indiquez un numéro RNA ou un SIRET."), code="rna_or_siret")

    @property
    def budget_floor(self):
        return int(self.budget_bracket)


class Contact(models.Model):
    """A person who acts for an organisation; they log in with their e-mail."""

    class Role(models.TextChoices):
        PRESIDENT = "president", _("Président·e")
        TREASURER = "treasurer", _("Trésorier·ère")
        SECRETARY = "secretary", _("Secrétaire")
        DIRECTOR = "director", _("Directeur·rice")
        OTHER = "other", _("Autre")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_contacts"
    )
    role = models.CharField(_("fonction"), max_length=20, choices=Role.choices)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    is_primary = models.BooleanField(_("contact principal"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="contact_unique_per_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.email} ({self.organisation})"


class ContactInvitationQuerySet(models.QuerySet):
    def pending(self):
        """The invitations that may still be accepted: pending and not expired."""
        return self.filter(status=ContactInvitation.Status.PENDING, expires_at__gt=timezone.now())

    def of_person(self, organisation, user=None, email=""):
        """The invitations of `organisation` that name `user` (as invitee or inviter) or are
        addressed to `email`."""
        person = Q(pk__in=[])
        if user is not None:
            person |= Q(invitee=user) | Q(invited_by=user)
        if email:
            person |= Q(email__iexact=email)
        return self.filter(person, organisation=organisation)

    def revoke(self):
        """Revoke those still pending (expired ones too: they are over either way)."""
        return self.filter(status=ContactInvitation.Status.PENDING).update(
            status=ContactInvitation.Status.REVOKED, revoked_at=timezone.now()
        )


class ContactInvitation(models.Model):
    """An invitation to become a contact of an organisation, sent by e-mail.

    Kept as a row, not only in a signed link, so that it can be used once, revoked, and refused
    once its inviter has left. The link carries a random token; only its SHA-256 is stored, so
    the table alone opens nothing. « Expired » is not stored: a pending invitation whose
    `expires_at` has passed is expired, with no job to run.
    """

    VALIDITY = timedelta(days=7)

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        ACCEPTED = "accepted", _("Acceptée")
        REVOKED = "revoked", _("Révoquée")

    class Origin(models.TextChoices):
        # A contact invited someone; or a bulletin was signed with an address that has an account.
        PORTAL = "portal", _("Espace membre")
        BULLETIN = "bulletin", _("Bulletin d’adhésion")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("adresse e-mail"), max_length=254)
    # The account the address had when invited; empty for a new address, whose account is made
    # when the invitation is accepted.
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte invité"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="member_invitations",
    )
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    role = models.CharField(_("fonction"), max_length=20, choices=Contact.Role.choices)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invité·e par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    origin = models.CharField(
        _("origine"), max_length=20, choices=Origin.choices, default=Origin.PORTAL
    )
    # Empty until the e-mail's task makes the token (see issue_token).
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)

    objects = ContactInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation de contact")
        verbose_name_plural = _("invitations de contact")
        constraints = [
            # A new invitation of the same person replaces the pending one (revoked first).
            models.UniqueConstraint(
                Lower("email"),
                "organisation",
                condition=Q(status="pending"),
                name="invitation_one_pending_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status="pending")
                | Q(status="accepted", accepted_at__isnull=False)
                | Q(status="revoked", revoked_at__isnull=False),
                name="invitation_dated_outcome",
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.organisation})"

    @staticmethod
    def digest(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def invite(cls, organisation, email, **fields):
        """A new pending invitation of `email`, revoking those it replaces; None when a request
        sent at the same moment (a double click) has just made it."""
        try:
            with transaction.atomic():
                cls.objects.filter(organisation=organisation, email__iexact=email).revoke()
                now = timezone.now()
                return cls.objects.create(
                    organisation=organisation,
                    email=email,
                    created_at=now,
                    expires_at=now + cls.VALIDITY,
                    **fields,
                )
        except IntegrityError:
            return None

    def issue_token(self):
        """A new token for the link (the one sent before stops working); only its hash is kept.
        Made by the task that sends the e-mail, so the token is never stored, not even in the
        task queue's arguments."""
        token = secrets.token_urlsafe(32)
        self.token_hash = self.digest(token)
        self.save(update_fields=["token_hash"])
        return token

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING and not self.is_expired

    def account(self):
        """The account this invitation is for: the one named when invited, else one made since
        with the invited address; None for an address that still has no account."""
        if self.invitee_id:
            return self.invitee
        users = get_user_model()._default_manager.filter(email__iexact=self.email)
        return users.first()

    def accept(self):
        self.status = self.Status.ACCEPTED
        self.accepted_at = timezone.now()
        self.save(update_fields=["status", "accepted_at"])
