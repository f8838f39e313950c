"""The matches staff propose (or a volunteer's interest starts) between a need and an offer,
and the answers of both sides."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .needs import BoardNeed
from .volunteers import VolunteerOffer


class Match(models.Model):
    """A need and an offer put in touch: proposed by staff (or from the volunteer's interest),
    introduced to both sides by e-mail, then accepted or declined, then ended."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposée")
        INTRODUCED = "introduced", _("mise en relation")
        ACCEPTED = "accepted", _("acceptée")
        DECLINED = "declined", _("déclinée")
        ENDED = "ended", _("terminée")

    class Origin(models.TextChoices):
        STAFF = "staff", _("proposée par l’équipe")
        INTEREST = "interest", _("intérêt du bénévole")

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", _("accepte")
        DECLINED = "declined", _("décline")

    need = models.ForeignKey(
        BoardNeed, on_delete=models.CASCADE, related_name="matches", verbose_name=_("besoin")
    )
    offer = models.ForeignKey(
        VolunteerOffer, on_delete=models.CASCADE, related_name="matches", verbose_name=_("offre")
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, default=0)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    origin = models.CharField(
        _("origine"), max_length=10, choices=Origin.choices, default=Origin.STAFF
    )
    # The volunteer's message when they expressed interest in the need themselves.
    interest_message = models.TextField(_("message du bénévole"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposée par"),
    )
    association_answer = models.CharField(
        _("réponse de l’association"), max_length=10, choices=Answer.choices, blank=True
    )
    association_answered_at = models.DateTimeField(_("répondu le (association)"), null=True)
    volunteer_answer = models.CharField(
        _("réponse du bénévole"), max_length=10, choices=Answer.choices, blank=True
    )
    volunteer_answered_at = models.DateTimeField(_("répondu le (bénévole)"), null=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    introduced_at = models.DateTimeField(_("mise en relation le"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    declined_at = models.DateTimeField(_("déclinée le"), null=True, blank=True)
    ended_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    # The association's reminder, 7 days after the introduction without an answer (once).
    reminder_sent_at = models.DateTimeField(_("relance envoyée le"), null=True, blank=True)
    notes = models.TextField(_("notes de suivi"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mise en relation")
        verbose_name_plural = _("mises en relation")
        constraints = [
            models.UniqueConstraint(fields=["need", "offer"], name="match_unique_pair"),
        ]

    def __str__(self):
        return _("%(need)s ↔ %(offer)s") % {"need": self.need, "offer": self.offer}

    @property
    def identities_revealed(self):
        """Both sides accepted: each may now see who the other is."""
        return (
            self.association_answer == self.Answer.ACCEPTED
            and self.volunteer_answer == self.Answer.ACCEPTED
        )
