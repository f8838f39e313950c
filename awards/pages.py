"""The award's public pages: one page per edition, and its laureates' pages under it."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.documents import get_document_model
from wagtail.fields import StreamField

from home.blocks import BodyStreamBlock
from home.cache import invalidate_page_cache
from home.images import prefetch_page_images
from home.models import BasePage


@dataclass(frozen=True)
class CalendarStep:
    label: str
    when: object  # an aware datetime, shown in Europe/Paris
    done: bool


class AwardPage(BasePage):
    """An edition's page: presentation, calendar, rules, criteria, jury; « Candidater » while
    the call is open; its laureates once the results are out."""

    edition = models.OneToOneField(
        "awards.AwardEdition",
        verbose_name=_("édition"),
        on_delete=models.PROTECT,
        related_name="page",
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("présentation"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("edition"),
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["awards.LaureatePage"]

    class Meta:
        verbose_name = _("page d’une édition du prix")

    def load_for_serving(self):
        # Cached with the page (HomePage.route): an edition's change starts a new content
        # generation (_edition_changed below), so the page is found again with it.
        self.edition  # noqa: B018

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Loaded with the page, which comes from the cache (HomePage.route); everything else
        # is read inside cached fragments.
        edition = self.edition
        context["edition"] = edition
        context["call_is_open"] = edition.call_is_open()
        context["results_are_published"] = edition.results_are_published()
        # How many steps of the calendar are behind us, for the cached fragment's key: the
        # calendar marks each step done as its date passes (the end of scoring too, which
        # changes neither of the two above).
        context["calendar_phase"] = sum(step.done for step in self.calendar())
        return context

    # The methods below are called by the template inside its cached fragment: a visitor's
    # request runs none of their queries while the content is unchanged.

    def apply_url(self):
        """The application form of this edition."""
        return reverse("awards:application_start", args=[self.edition.year])

    def calendar(self, now=None):

        now = now or timezone.now()
        edition = self.edition
        steps = [
            (_("Ouverture des candidatures"), edition.call_opens_at),
            (_("Clôture des candidatures"), edition.call_closes_at),
            (_("Fin de la notation par le jury"), edition.scoring_deadline),
            (_("Publication des résultats"), edition.results_published_at),
        ]
        return [CalendarStep(label, when, when <= now) for label, when in steps]

    def rules_document(self):
        edition = self.edition
        if edition.rules_document_id is None:
            return None

        return get_document_model().objects.filter(pk=edition.rules_document_id).first()

    def prizes(self):
        return [
            {
                "name": prize.name,
                "description": prize.description,
                "amount_euros": (None if prize.amount_cents is None else prize.amount_cents // 100),
            }
            for prize in self.edition.prizes.all()
        ]

    def criteria(self):
        criteria = list(self.edition.criteria.all())
        total = sum(c.weight for c in criteria) or 1
        for criterion in criteria:
            criterion.share = round(100 * criterion.weight / total)
        return criteria

    def public_jurors(self):
        return list(self.edition.jurors.filter(is_public=True).select_related("user"))

    def other_editions(self):
        """The pages of the other editions, newest first."""
        return list(
            AwardPage.objects.sibling_of(self, inclusive=False)
            .live()
            .public()
            .select_related("edition")
            .order_by("-edition__year")
        )

    def laureates(self):
        pages = (
            LaureatePage.objects.child_of(self)
            .live()
            .public()
            .select_related("image")
            .order_by("path")
        )
        return prefetch_page_images(list(pages))


class LaureatePage(BasePage):
    """A laureate: the partnership told from its application, with photos and video."""

    application = models.OneToOneField(
        "awards.Application",
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="laureate_page",
    )
    prize_name = models.CharField(_("prix reçu"), max_length=150, blank=True)
    association_name = models.CharField(_("association"), max_length=200)
    company_name = models.CharField(_("entreprise"), max_length=200)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("le partenariat"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("prize_name"),
        FieldPanel("association_name"),
        FieldPanel("company_name"),
        FieldPanel("image"),
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    parent_page_types = ["awards.AwardPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lauréat")
        verbose_name_plural = _("lauréats")

    def social_image(self):
        return self.image

    def award_page(self):
        """The edition this laureate belongs to (its parent page)."""
        parent = self.get_parent()
        return parent.specific if parent is not None else None


def _edition_changed(sender, **kwargs):
    """The award pages show an edition's calendar, rules, prizes, grid and public jury, which
    are edited outside the page: forget the cached pages and fragments when they change."""
    transaction.on_commit(invalidate_page_cache)


def _user_saved(sender, instance, update_fields=None, **kwargs):
    """An edition's page names its public jurors: forget the cached pages and fragments when
    one of them is renamed (not at each login, which saves only last_login)."""
    if update_fields is not None and not {"first_name", "last_name", "username"} & set(
        update_fields
    ):
        return
    if instance.pk and instance.juror_roles.filter(is_public=True).exists():
        transaction.on_commit(invalidate_page_cache)


post_save.connect(_user_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="award-page-user")

for _sender in (
    "awards.AwardEdition",
    "awards.Prize",
    "awards.EvaluationCriterion",
    "awards.Juror",
):
    _uid = _sender.replace(".", "-").lower()
    post_save.connect(_edition_changed, sender=_sender, dispatch_uid=f"award-page-save-{_uid}")
    post_delete.connect(_edition_changed, sender=_sender, dispatch_uid=f"award-page-del-{_uid}")
