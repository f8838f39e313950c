"""The public site's pages and the association's identity (a Wagtail site setting)."""

import hashlib

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.core.validators import RegexValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from .blocks import BodyStreamBlock, PromoCardBlock
from .cache import MAX_CACHED_PAGE, cached
from .images import prefetch_page_images

siret_validator = RegexValidator(r"^\d{14}$", _("Un numéro SIRET compte 14 chiffres, sans espace."))
rna_validator = RegexValidator(
    r"^W\d{9}$", _("Un numéro RNA commence par W suivi de 9 chiffres (par ex. W442001234).")
)


def default_site_name():
    """Until the association names itself in its settings: SITE_NAME from the environment."""
    return settings.SITE_NAME_DEFAULT


@register_setting(icon="site")
class SiteIdentity(BaseSiteSetting):
    """Who the association is: shown in the footer, receipts and e-mails."""

    name = models.CharField(_("nom de l'association"), max_length=200, default=default_site_name)
    tagline = models.CharField(_("accroche"), max_length=250, blank=True)
    address = models.TextField(_("adresse postale"), blank=True)
    email = models.EmailField(_("e-mail de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[siret_validator])
    rna = models.CharField(_("numéro RNA"), max_length=10, blank=True, validators=[rna_validator])
    facebook_url = models.URLField(_("page Facebook"), blank=True)
    linkedin_url = models.URLField(_("page LinkedIn"), blank=True)
    instagram_url = models.URLField(_("compte Instagram"), blank=True)
    youtube_url = models.URLField(_("chaîne YouTube"), blank=True)
    mastodon_url = models.URLField(_("compte Mastodon"), blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("tagline"), FieldPanel("siret"), FieldPanel("rna")],
            heading=_("Identité"),
        ),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("email"), FieldPanel("phone")],
            heading=_("Coordonnées"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("facebook_url"),
                FieldPanel("linkedin_url"),
                FieldPanel("instagram_url"),
                FieldPanel("youtube_url"),
                FieldPanel("mastodon_url"),
            ],
            heading=_("Réseaux sociaux"),
        ),
    ]

    class Meta:
        verbose_name = _("identité de l'association")

    @classmethod
    def for_site(cls, site):
        """Read through the shared cache: the footer shows it on every page."""
        return cached(f"site-identity:{site.pk}", lambda: super(SiteIdentity, cls).for_site(site))

    def social_links(self):
        """(label, url) pairs for the footer, in a fixed order, skipping empty ones."""
        links = [
            ("Facebook", self.facebook_url),
            ("LinkedIn", self.linkedin_url),
            ("Instagram", self.instagram_url),
            ("YouTube", self.youtube_url),
            ("Mastodon", self.mastodon_url),
        ]
        return [(label, url) for label, url in links if url]


class BasePage(Page):
    """What every public page shares: an introduction used as the meta description."""

    introduction = models.TextField(
        _("introduction"),
        blank=True,
        max_length=600,
        help_text=_(
            "Un ou deux paragraphes ; reprise comme description pour les moteurs de recherche."
        ),
    )

    search_fields = Page.search_fields + [index.SearchField("introduction")]

    class Meta:
        abstract = True

    def meta_description(self):
        return self.search_description or self.introduction

    def social_image(self):
        """The image shared on social networks (Open Graph, in base.html), if any."""
        return None

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # Content pages may be shared from the anonymous page cache (home/cache.py).
        response.page_cacheable = True
        return response

    # Set only on a page found through the route cache (HomePage.route): the view restrictions
    # of the page and its ancestors, read with it, which Wagtail checks before serving it.
    _served_view_restrictions = None

    def get_view_restrictions(self):
        if self._served_view_restrictions is not None:
            return self._served_view_restrictions
        return super().get_view_restrictions()

    def load_for_serving(self):
        """Load what serving the page reads besides its own row (a related object of
        get_context, not what its cached fragments show), before HomePage.route caches it."""


class HomePage(BasePage):
    hero_title = models.CharField(_("titre d'accroche"), max_length=200)
    hero_text = models.TextField(_("texte d'accroche"), blank=True, max_length=400)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image d'accroche"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image_alt = models.CharField(
        _("texte alternatif de l'image"),
        max_length=250,
        blank=True,
        help_text=_("Laisser vide si l'image est décorative."),
    )
    highlights = StreamField(
        [("card", PromoCardBlock())],
        verbose_name=_("rubriques mises en avant"),
        blank=True,
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("contenu"), blank=True)
    news_count = models.PositiveSmallIntegerField(_("nombre d'actualités affichées"), default=3)

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_image_alt"),
            ],
            heading=_("Accroche"),
        ),
        FieldPanel("introduction"),
        FieldPanel("highlights"),
        FieldPanel("body"),
        FieldPanel("news_count"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("hero_text"),
        index.SearchField("body"),
    ]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("page d'accueil")

    # latest_news and news_index are called by the template inside a cached fragment, so that a
    # visitor's request runs neither query while the content is unchanged.
    def latest_news(self):
        news = (
            NewsPage.objects.live()
            .public()
            .order_by("-date", "-pk")
            .select_related("image")[: self.news_count]
        )
        return prefetch_page_images(list(news))

    def news_index(self):
        return NewsIndexPage.objects.live().first()

    def social_image(self):
        return self.hero_image

    def route(self, request, path_components):
        """Find the page at this address (below the site's root, which this page is) through the
        cache: once a page was served, a visit asks the database nothing to find it.

        Wagtail walks the tree, two queries per level, then reads the view restrictions of the
        page and its ancestors (two more): the cache keeps the page found, its restrictions and
        what load_for_serving loaded, until content changes (a publication, a move, a deletion
        or new restrictions start a new content generation, home/signals.py). Only GET and HEAD:
        a POST handler may save the page, and must not save the cached copy. Only our pages
        (BasePage): the others (forms) are found as Wagtail does. Addresses that lead nowhere
        are not kept: junk paths make no entries."""
        if request.method not in ("GET", "HEAD"):
            return super().route(request, path_components)
        walk = super().route
        found = []

        def from_database():
            try:
                result = walk(request, path_components)
            except Http404:
                return None
            found.append(result)
            page = result.page
            if not isinstance(page, BasePage):
                return None
            page.load_for_serving()
            # What the page's own get_view_restrictions reads (the aliases resolved), at once.
            page._served_view_restrictions = list(Page.get_view_restrictions(page))
            return (page, result.args, result.kwargs)

        # Hashed: a visitor's address may be long or hold characters a cache key cannot.
        address = hashlib.sha256("/".join(path_components).encode()).hexdigest()[:32]
        entry = cached(f"route:{self.pk}:{address}", from_database, request)
        if entry is not None:
            return RouteResult(*entry)
        if found:
            return found[0]
        raise Http404


class StandardPage(BasePage):
    body = StreamField(BodyStreamBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    class Meta:
        verbose_name = _("page de contenu")

    def section_children(self):
        """The live public pages under this one, listed on it so that none is out of reach
        (called inside a cached fragment of the template)."""
        return list(self.get_children().live().public().specific())


class NewsIndexPage(BasePage):
    per_page = 10

    content_panels = BasePage.content_panels + [FieldPanel("introduction")]
    subpage_types = ["home.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("liste des actualités")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A page number or 1, so that junk in the address makes no new cache entry.
        number = request.GET.get("page", "")
        context["page_number"] = int(number) if number.isdigit() and 0 < int(number) < 10_000 else 1
        # The cached fragment's key: past MAX_CACHED_PAGE the fragment is not kept (see
        # content_cache_key) and all such numbers share one key, so typing them adds nothing.
        context["page_key"] = min(context["page_number"], MAX_CACHED_PAGE + 1)
        # Evaluated by the template only when its cached fragment has to be rebuilt.
        context["listing"] = SimpleLazyObject(lambda: self.paginate(context["page_number"]))
        return context

    def paginate(self, page_number):
        """The requested page of news, newest first; past the end, the last page."""
        news = (
            NewsPage.objects.child_of(self)
            .live()
            .public()
            .order_by("-date", "-pk")
            .select_related("image")
        )
        paginator = Paginator(news, self.per_page)
        try:
            page_obj = paginator.page(page_number)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
        prefetch_page_images(page_obj.object_list)
        return {"page_obj": page_obj, "paginator": paginator}


class NewsPage(BasePage):
    date = models.DateField(_("date de publication"), default=timezone.localdate)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("texte alternatif de l'image"),
        max_length=250,
        blank=True,
        help_text=_("Laisser vide si l'image est décorative."),
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("date"),
        FieldPanel("introduction"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image")),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["home.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")

    def social_image(self):
        return self.image
