"""The jury: an edition's jurors, the applications each is asked to score, the reminders sent to
them and their scores.

A score is an integer on the criterion's scale, or NULL for « sans objet » (never a magic
number).
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .editions import AwardEdition, EvaluationCriterion


class Juror(models.Model):
    """A member of an edition's jury. Their employer is kept to avoid conflicts of interest:
    a juror never scores the application of the company they work for."""

    edition = models.ForeignKey(AwardEdition, on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="juror_roles"
    )
    company_name = models.CharField(_("employeur"), max_length=200, blank=True)
    company_siret = models.CharField(_("SIRET de l’employeur"), max_length=14, blank=True)
    bio = models.TextField(_("présentation publique"), blank=True)
    is_public = models.BooleanField(_("nom affiché sur la page du prix"), default=True)

    class Meta:
        ordering = ["edition", "user__last_name", "user__first_name"]
        verbose_name = _("juré")
        verbose_name_plural = _("jurés")
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="juror_once_per_edition"),
        ]

    def __str__(self):
        return self.user.get_full_name() or self.user.email


class JuryAssignment(models.Model):
    """A juror asked to score an application."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("À noter")
        SUBMITTED = "submitted", _("Notes soumises")
        CONFLICT = "conflict", _("Conflit d’intérêts déclaré")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="assignments")
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.ASSIGNED
    )
    assigned_at = models.DateTimeField(_("affecté le"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    conflict_reason = models.TextField(_("motif du conflit d’intérêts"), blank=True)
    conflict_declared_at = models.DateTimeField(_("conflit déclaré le"), null=True, blank=True)

    class Meta:
        ordering = ["application", "juror"]
        verbose_name = _("affectation")
        verbose_name_plural = _("affectations")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "juror"], name="assignment_once_per_juror"
            ),
            models.CheckConstraint(
                condition=~Q(status="conflict") | ~Q(conflict_reason=""),
                name="assignment_conflict_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.juror} — {self.application}"


def juror_workload():
    """Annotations of a Juror queryset: `done` (submitted), `todo` (left to score) and
    `assigned` (both; conflicts and applications sent back to draft do not count), the same
    figures for the juror's progress bar, staff's progress page and the reminders."""
    counted = ~Q(assignments__application__status=Application.Status.DRAFT)
    status = "assignments__status"
    return {
        "done": Count(
            "assignments", filter=counted & Q(**{status: JuryAssignment.Status.SUBMITTED})
        ),
        "todo": Count(
            "assignments", filter=counted & Q(**{status: JuryAssignment.Status.ASSIGNED})
        ),
        "assigned": Count(
            "assignments", filter=counted & ~Q(**{status: JuryAssignment.Status.CONFLICT})
        ),
    }


class JuryReminder(models.Model):
    """A scheduled reminder already sent to a juror, so the daily job sends each one once (a
    reminder staff send by hand is not recorded: it does not replace the scheduled ones)."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="reminders")
    # Which reminder: the number of days before the deadline it stands for (7, 2…).
    days_before = models.PositiveSmallIntegerField(_("jours avant l’échéance"))
    # The scoring deadline it was counted from: a postponed deadline has its own reminders.
    deadline = models.DateTimeField(_("échéance"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("relance de juré")
        verbose_name_plural = _("relances de jurés")
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "days_before", "deadline"], name="jury_reminder_once_per_offset"
            ),
        ]

    def __str__(self):
        return f"{self.juror} — J-{self.days_before}"


class Score(models.Model):
    """One juror's score on one criterion of one application. NULL value: « sans objet »."""

    assignment = models.ForeignKey(JuryAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        EvaluationCriterion, on_delete=models.PROTECT, related_name="scores"
    )
    value = models.PositiveSmallIntegerField(_("note"), null=True, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="score_once_per_criterion"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {'—' if self.value is None else self.value}"
