"""The e-mail verifications of public submissions: what a sender typed waits here until they
prove their address."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailVerification(models.Model):
    """A public submission waiting for its sender to click the link e-mailed to them.

    The typed data waits here (not in the real tables) until the address is proven, so a
    stranger's address never receives an account or a published need it did not ask for.
    """

    class Kind(models.TextChoices):
        NEED = "need", _("besoin d’administrateur")
        OFFER = "offer", _("offre de bénévolat")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    email = models.EmailField(_("e-mail"))
    payload = models.JSONField(_("données saisies"))
    language = models.CharField(_("langue"), max_length=10, default="fr")
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    used_at = models.DateTimeField(_("utilisée le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("vérification d’e-mail")
        verbose_name_plural = _("vérifications d’e-mail")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.email}"
