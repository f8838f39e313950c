"""What the site remembers of its searches to suggest some of them to others, and nothing about
who searched: see search/query_log.py for the rule and the digests."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchTerm(models.Model):
    """A query that found something, or that staff named: a candidate suggestion.

    Typed by anyone, so shown to others only when trusted (search.query_log.suggestable):
    approved by staff, or searched by enough distinct visitors, and never when blocked."""

    class Status(models.TextChoices):
        PENDING = "pending", _("À examiner")
        APPROVED = "approved", _("Approuvée")
        BLOCKED = "blocked", _("Bloquée")

    # As Wagtail's search log writes it (lowercase, single spaces): one row per query.
    text = models.CharField(_("recherche"), max_length=255, unique=True)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        help_text=_(
            "« À examiner » : suggérée seulement si assez de visiteurs distincts l’ont faite avec "
            "des résultats. « Approuvée » : toujours suggérée quand elle trouve quelque chose. "
            "« Bloquée » : jamais suggérée."
        ),
    )
    created_at = models.DateTimeField(_("première recherche"), auto_now_add=True)

    class Meta:
        verbose_name = _("suggestion de recherche")
        verbose_name_plural = _("suggestions de recherche")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "blocked"]),
                name="search_term_status_known",
            )
        ]

    def __str__(self):
        return self.text


class SearchVisit(models.Model):
    """One visitor searched this term and found something, in this period: counted once.

    `visitor` is a keyed digest of the visitor's network and the term, with a key of the period
    that is deleted once the period is over: it tells visitors apart within a period and says
    nothing about who they are."""

    term = models.ForeignKey(SearchTerm, on_delete=models.CASCADE, related_name="visits")
    period = models.DateField()  # the period's first day
    visitor = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["term", "period", "visitor"], name="search_visit_once_per_period"
            )
        ]
        indexes = [models.Index(fields=["period"], name="search_visit_period")]  # the purge

    def __str__(self):
        return f"{self.term_id} / {self.period}"  # never the digest: it means nothing to read


class VisitorKey(models.Model):
    """The random half of one period's digest key (the other half is SECRET_KEY). Deleted when
    its period ends: after that, nobody, even with SECRET_KEY and the whole database, can
    compute an address's digest again and so match it against the stored ones."""

    period = models.DateField(unique=True)
    secret = models.CharField(max_length=64)

    def __str__(self):
        return self.period.isoformat()  # never the secret
