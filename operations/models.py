from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One run of a scheduled job for one period (a day, or a slot of N minutes).

    The row is also the lock: it is inserted before the command starts, and the unique
    constraint on (job, period) lets only one scheduler insert it, however many run at once.
    Rows are written by the scheduler only: staff read them (operations/wagtail_hooks.py).
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("en cours")
        SUCCEEDED = "succeeded", _("réussie")
        FAILED = "failed", _("en échec")

    job = models.CharField(_("tâche"), max_length=100)
    period_start = models.DateTimeField(_("période"))
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.RUNNING
    )
    started_at = models.DateTimeField(_("début"))
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    host = models.CharField(_("machine"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("processus"), null=True, blank=True)
    output = models.TextField(_("sortie"), blank=True)
    error = models.TextField(_("erreur"), blank=True)

    class Meta:
        verbose_name = _("exécution de tâche planifiée")
        verbose_name_plural = _("tâches planifiées")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["job", "period_start"], name="job_run_once_per_period")
        ]

    def __str__(self):
        return f"{self.job} · {timezone.localtime(self.period_start):%Y-%m-%d %H:%M}"

    @property
    def duration(self):
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at


class Heartbeat(models.Model):
    """The last sign of life of a long-running process (the task worker, the scheduler), one
    row per process name and machine: /health/ and the admin tell from it whether it runs."""

    name = models.CharField(_("processus"), max_length=50)
    host = models.CharField(_("machine"), max_length=255)
    pid = models.PositiveIntegerField(_("numéro de processus"))
    last_beat = models.DateTimeField(_("dernier signe de vie"))

    class Meta:
        verbose_name = _("signe de vie")
        verbose_name_plural = _("signes de vie")
        constraints = [
            models.UniqueConstraint(fields=["name", "host"], name="heartbeat_one_per_host")
        ]

    def __str__(self):
        return f"{self.name}@{self.host}"


class QueuedMail(models.Model):
    """An e-mail the mail server could not take when it was written (operations/mail.py), kept
    as it would have been sent (its bytes and envelope) until `send_queued_mail` sends it.
    Sent rows are deleted after a week: they hold addresses and contents."""

    from_email = models.CharField(_("expéditeur"), max_length=320)
    recipients = models.TextField(_("destinataires"))  # one address per line
    subject = models.CharField(_("objet"), max_length=255, blank=True)
    content = models.BinaryField(_("message"))
    created_at = models.DateTimeField(_("mis en attente le"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"))
    last_error = models.TextField(_("dernière erreur"), blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    failed_at = models.DateTimeField(_("abandonné le"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail en attente")
        verbose_name_plural = _("e-mails en attente")
        ordering = ["next_attempt_at", "pk"]
        indexes = [
            models.Index(fields=["sent_at", "failed_at", "next_attempt_at"], name="queued_mail_due")
        ]

    def __str__(self):
        return f"{self.subject} → {self.recipients.replace(chr(10), ', ')}"
