"""Member organisations, their contacts, the fee grid, memberships and payments.

Money is an integer number of euro cents. Rules that must hold whatever the entry point (form,
admin, task, shell) are database constraints, not only form checks.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from .storage import private_storage
from .validators import validate_departement, validate_rna, validate_siret


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


class FeeGrid(ClusterableModel):
    """The dues for one membership year, edited with its tiers in one admin form."""

    year = models.PositiveSmallIntegerField(_("année"), unique=True)
    notes = models.TextField(_("précisions"), blank=True)

    panels = [FieldPanel("year"), FieldPanel("notes"), InlinePanel("tiers", label=_("Tranches"))]

    class Meta:
        ordering = ["-year"]
        verbose_name = _("grille de cotisation")
        verbose_name_plural = _("grilles de cotisation")

    def __str__(self):
        return _("Grille %(year)s") % {"year": self.year}


class FeeTier(models.Model):
    """One line of a grid: who it applies to, and what they pay.

    The rule reads « organisations whose <basis> is at least `minimum` and below `maximum` ».
    A free amount (membre bienfaiteur) has a minimum instead of a fixed amount.
    """

    class Basis(models.TextChoices):
        EMPLOYEES = "employees", _("Nombre de salariés")
        BUDGET = "budget", _("Budget annuel (€)")

    grid = ParentalKey(FeeGrid, on_delete=models.CASCADE, related_name="tiers")
    label = models.CharField(_("libellé"), max_length=120)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    basis = models.CharField(_("critère"), max_length=20, choices=Basis.choices)
    minimum = models.PositiveIntegerField(_("à partir de"), default=0)
    maximum = models.PositiveIntegerField(
        _("jusqu’à (exclu)"), null=True, blank=True, help_text=_("Vide : sans limite.")
    )
    amount_cents = models.PositiveIntegerField(_("montant (centimes)"), null=True, blank=True)
    free_amount = models.BooleanField(_("montant libre"), default=False)
    minimum_cents = models.PositiveIntegerField(
        _("montant minimum (centimes)"), null=True, blank=True
    )

    class Meta:
        ordering = ["grid", "order", "minimum"]
        verbose_name = _("tranche de cotisation")
        verbose_name_plural = _("tranches de cotisation")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(free_amount=False, amount_cents__isnull=False, minimum_cents__isnull=True)
                    | Q(free_amount=True, amount_cents__isnull=True, minimum_cents__isnull=False)
                ),
                name="feetier_fixed_or_free_with_minimum",
                violation_error_message=_(
                    "Une tranche a soit un montant fixe, soit un montant libre avec un minimum."
                ),
            ),
            models.CheckConstraint(
                condition=Q(maximum__isnull=True) | Q(maximum__gt=models.F("minimum")),
                name="feetier_range_not_empty",
                violation_error_message=_("La borne haute doit dépasser la borne basse."),
            ),
        ]

    def __str__(self):
        return self.label

    def applies_to(self, organisation):
        if self.free_amount:
            return False  # chosen by the member, never computed
        value = (
            organisation.employees
            if self.basis == self.Basis.EMPLOYEES
            else organisation.budget_floor
        )
        return value >= self.minimum and (self.maximum is None or value < self.maximum)


class Membership(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de paiement")
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expirée")
        CANCELLED = "cancelled", _("Annulée")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    year = models.PositiveSmallIntegerField(_("année"))
    period_start = models.DateField(_("début"))
    period_end = models.DateField(_("fin"))
    tier = models.ForeignKey(FeeTier, on_delete=models.PROTECT, verbose_name=_("tranche"))
    amount_cents = models.PositiveIntegerField(_("montant (centimes)"))
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activée le"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "organisation__name"]
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        constraints = [
            # One live membership per organisation and year: a double click makes no second.
            models.UniqueConstraint(
                fields=["organisation", "year"],
                condition=~Q(status="cancelled"),
                name="membership_one_per_year",
                violation_error_message=_("Cette organisation a déjà une adhésion cette année."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="membership_period_not_empty",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.year}"


class Payment(models.Model):
    """One payment attempt for a membership, online or declared offline."""

    class Method(models.TextChoices):
        CARD = "card", _("Carte bancaire")
        SEPA = "sepa", _("Prélèvement SEPA")
        TRANSFER = "transfer", _("Virement")
        CHEQUE = "cheque", _("Chèque")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        SUCCEEDED = "succeeded", _("Reçu")
        FAILED = "failed", _("Échoué")
        REFUNDED = "refunded", _("Remboursé")
        CANCELLED = "cancelled", _("Annulé")

    membership = models.ForeignKey(
        Membership, verbose_name=_("adhésion"), on_delete=models.PROTECT, related_name="payments"
    )
    method = models.CharField(_("moyen de paiement"), max_length=20, choices=Method.choices)
    amount_cents = models.PositiveIntegerField(_("montant (centimes)"))
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    stripe_payment_intent_id = models.CharField(
        _("paiement Stripe (PaymentIntent)"), max_length=255, null=True, blank=True
    )
    stripe_charge_id = models.CharField(
        _("débit Stripe (Charge)"), max_length=255, null=True, blank=True
    )
    reference = models.CharField(
        _("référence"), max_length=40, unique=True, help_text=_("À rappeler sur le virement.")
    )
    received_at = models.DateTimeField(_("reçu le"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistré par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_payment_intent_id"], name="payment_unique_payment_intent"
            ),
            models.UniqueConstraint(fields=["stripe_charge_id"], name="payment_unique_charge"),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payment_positive"),
        ]

    def __str__(self):
        return self.reference


class StripeEvent(models.Model):
    """A Stripe webhook event already processed: each event id is handled once."""

    event_id = models.CharField(_("identifiant de l’événement"), max_length=255, unique=True)
    type = models.CharField(_("type"), max_length=100)
    received_at = models.DateTimeField(_("reçu le"), auto_now_add=True)

    class Meta:
        verbose_name = _("événement Stripe")
        verbose_name_plural = _("événements Stripe")

    def __str__(self):
        return self.event_id


class ReceiptSequence(models.Model):
    """The last receipt number given in a year. Locked while a number is taken, so numbers are
    gapless and never reused, even when receipts are made at the same time."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("numérotation des reçus")
        verbose_name_plural = _("numérotations des reçus")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Receipt(models.Model):
    """The reçu de cotisation / attestation d'adhésion of one received payment."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    year = models.PositiveSmallIntegerField(_("année"))
    sequence = models.PositiveIntegerField(_("numéro d’ordre"))
    number = models.CharField(_("numéro"), max_length=20, unique=True)
    issued_at = models.DateTimeField(_("émis le"), auto_now_add=True)
    # Kept as issued: a later change of the association's details does not alter a receipt.
    pdf = models.FileField(
        _("fichier PDF"), storage=private_storage, upload_to="receipts/%Y/", blank=True
    )
    emailed_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("reçu")
        verbose_name_plural = _("reçus")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="receipt_unique_sequence"),
        ]

    def __str__(self):
        return self.number


class MembershipReminder(models.Model):
    """A renewal reminder already sent: one per organisation, membership year and offset."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="reminders"
    )
    year = models.PositiveSmallIntegerField(_("année à renouveler"))
    offset_days = models.SmallIntegerField(_("décalage (jours)"))
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("relance d’adhésion")
        verbose_name_plural = _("relances d’adhésion")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "offset_days"], name="reminder_sent_once"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.year} ({self.offset_days:+d})"


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


# --- Settings ----------------------------------------------------------------------------------


def parse_offsets(value):
    """« -30, 0, 30 » -> [-30, 0, 30]: days from the end of the membership year."""
    try:
        return sorted({int(part) for part in value.replace(" ", "").split(",") if part})
    except ValueError as error:
        raise ValidationError(
            _("Indiquez des nombres de jours séparés par des virgules, par ex. « -30, 0, 30 ».")
        ) from error


def validate_offsets(value):
    parse_offsets(value)


@register_setting(icon="euro")
class MembershipSettings(BaseGenericSetting):
    """How memberships run: the year, renewals, reminders, and where offline payments go."""

    year_start_month = models.PositiveSmallIntegerField(
        _("mois de début de l’année d’adhésion"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1 pour une année civile (janvier à décembre)."),
    )
    renewal_opens_days = models.PositiveSmallIntegerField(
        _("ouverture du renouvellement (jours avant la fin)"), default=60
    )
    reminder_offsets = models.CharField(
        _("relances (jours par rapport à la fin de l’adhésion)"),
        max_length=100,
        default="-30, 0, 30",
        validators=[validate_offsets],
        help_text=_(
            "Par ex. « -30, 0, 30 » : 30 jours avant, le jour de l’échéance, 30 jours après."
        ),
    )
    bank_account_holder = models.CharField(_("titulaire du compte"), max_length=200, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    cheque_payable_to = models.CharField(_("chèque à l’ordre de"), max_length=200, blank=True)
    cheque_address = models.TextField(_("adresse d’envoi des chèques"), blank=True)
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("year_start_month"),
                FieldPanel("renewal_opens_days"),
                FieldPanel("reminder_offsets"),
            ],
            heading=_("Année d’adhésion et relances"),
        ),
        MultiFieldPanel(
            [FieldPanel("bank_account_holder"), FieldPanel("iban"), FieldPanel("bic")],
            heading=_("Virements"),
        ),
        MultiFieldPanel(
            [FieldPanel("cheque_payable_to"), FieldPanel("cheque_address")],
            heading=_("Chèques"),
        ),
    ]

    class Meta:
        verbose_name = _("adhésions")

    def offsets(self):
        return parse_offsets(self.reminder_offsets)
