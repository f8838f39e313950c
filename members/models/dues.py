"""The fee grid, memberships, payments, receipts, renewal reminders and the membership settings.

Money is an integer number of euro cents. Rules that must hold whatever the entry point (form,
admin, task, shell) are database constraints, not only form checks.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from ..storage import private_storage
from .organisations import Organisation


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
