"""Loading the demo content that makes a fresh site look real: pages, news, images, identity.

The content is data (a tree of `PageSpec`, a list of `DemoImage`), written in French from the
association's own documents; `load_demo_content()` builds it. Running it again updates the same
pages (found by slug under their parent) and reuses the same images (found by title), so it never
makes duplicates, and it never touches pages it did not write, except Wagtail's initial « Welcome »
page, which it replaces.

Text is written with plain spaces and straight apostrophes; `typo()` turns them into French
typography (non-breaking spaces before « : ; ? ! », inside « », and ’) when the content is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.fields import StreamField
from wagtail.models import Page, Site

from home.models import HomePage, SiteIdentity

from .images import DEMO_IMAGES, IDENTITY, ensure_image
from .presentation import home_page_spec
from .text import HOME_SLUG, DaysAgo, DemoContentError, ImageRef, PageRef, PageSpec, typo

# --------------------------------------------------------------------------------------------
# Building


@dataclass
class DemoReport:
    images_created: int = 0
    images_reused: int = 0
    pages_created: int = 0
    pages_updated: int = 0
    welcome_pages_removed: int = 0
    pages: dict[str, Page] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"Pages : {self.pages_created} créées, {self.pages_updated} mises à jour ; "
            f"images : {self.images_created} créées, {self.images_reused} réutilisées ; "
            f"page d'accueil initiale supprimée : {'oui' if self.welcome_pages_removed else 'non'}."
        )


def site_has_home_page() -> bool:
    return HomePage.objects.exists()


def resolve(value, *, images: dict, pages: dict, in_stream: bool = False):
    """Turn the content's markers into real values, and plain text into French typography.

    Inside a StreamField, images and pages become their ids (Wagtail's raw JSON form); as model
    fields, images stay objects.
    """
    if isinstance(value, str):
        return typo(value)
    if isinstance(value, PageRef):
        return pages[value.slug].pk
    if isinstance(value, ImageRef):
        image = images[value.key]
        return image.pk if in_stream else image
    if isinstance(value, DaysAgo):
        return timezone.localdate() - timedelta(days=value.days)
    if isinstance(value, dict):
        return {
            k: resolve(v, images=images, pages=pages, in_stream=in_stream) for k, v in value.items()
        }
    if isinstance(value, list):
        return [resolve(v, images=images, pages=pages, in_stream=in_stream) for v in value]
    return value


def _is_stream_field(model, name: str) -> bool:
    return isinstance(model._meta.get_field(name), StreamField)


def find_existing_page(parent: Page, spec: PageSpec) -> Page | None:
    """The page this spec describes, if an earlier run (or an editor) already made it."""
    if spec.model is HomePage:
        found = HomePage.objects.order_by("path").first()
    else:
        found = parent.get_children().filter(slug=spec.slug).first()
    if found is None:
        return None
    found = found.specific
    if not isinstance(found, spec.model):
        raise DemoContentError(
            f"La page « {found.title} » ({found.url_path}) existe déjà mais n'est pas une "
            f"« {spec.model._meta.verbose_name} » : le contenu de démonstration ne la remplace "
            "pas. Renommez son slug ou supprimez-la, puis relancez la commande."
        )
    return found


def ensure_page(parent: Page, spec: PageSpec, images: dict, report: DemoReport) -> Page:
    """Find the page, or create it as a draft with its plain fields (content comes later)."""
    page = find_existing_page(parent, spec)
    if page is not None:
        report.pages_updated += 1
        return page
    plain_fields = {
        name: resolve(value, images=images, pages={})
        for name, value in spec.fields.items()
        if not _is_stream_field(spec.model, name)
    }
    page = spec.model(
        title=typo(spec.title),
        slug=spec.slug,
        live=False,
        show_in_menus=spec.show_in_menus,
        **plain_fields,
    )
    parent.add_child(instance=page)
    report.pages_created += 1
    return page


def publish_page(page: Page, spec: PageSpec, images: dict, pages: dict) -> Page:
    """Write the spec's content on the page and publish it through a revision, as an editor
    would."""
    page.title = typo(spec.title)
    page.draft_title = page.title
    page.show_in_menus = spec.show_in_menus
    for name, value in spec.fields.items():
        in_stream = _is_stream_field(spec.model, name)
        setattr(page, name, resolve(value, images=images, pages=pages, in_stream=in_stream))
    page.save_revision().publish()
    return page


def point_default_site(home: HomePage) -> Site:
    """Make `home` the root of the default site (the existing default site is kept)."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    if (site.hostname, site.port) == ("localhost", 80):
        # Wagtail's placeholder: use the site's public address (BASE_URL), which the sitemap and
        # the absolute links in e-mails are built from.
        address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        site.hostname = address.hostname or "localhost"
        site.port = address.port or (443 if address.scheme == "https" else 80)
    site.root_page = home
    if not site.site_name:
        site.site_name = typo(IDENTITY["name"])
    site.save()
    return site


def remove_welcome_pages() -> int:
    """Delete Wagtail's initial « Welcome to your new Wagtail site! » page once nothing uses it.

    Only a plain `wagtailcore.Page` directly under the root, with no children and root of no
    site, is removed: editors cannot create such pages (Page is not creatable in the admin).
    """
    site_roots = Site.objects.values_list("root_page_id", flat=True)
    candidates = Page.objects.filter(
        depth=2, numchild=0, content_type=ContentType.objects.get_for_model(Page)
    ).exclude(pk__in=site_roots)
    removed = 0
    for page in candidates:
        page.delete()
        removed += 1
    return removed


def update_site_identity(site: Site) -> SiteIdentity:
    # Not SiteIdentity.for_site(): it reads through a cache, and this must be the stored row.
    identity, _ = SiteIdentity.objects.get_or_create(site=site)
    for name, value in IDENTITY.items():
        setattr(identity, name, typo(value) if name in {"name", "tagline", "address"} else value)
    identity.full_clean()
    identity.save()
    return identity


@transaction.atomic
def load_demo_content() -> DemoReport:
    """Create or update the demo site. Safe to run again: it makes no duplicates."""
    report = DemoReport()
    images = {}
    for spec in DEMO_IMAGES:
        images[spec.key], created = ensure_image(spec)
        if created:
            report.images_created += 1
        else:
            report.images_reused += 1

    tree = home_page_spec()
    pages = report.pages
    parents = {HOME_SLUG: Page.get_first_root_node()}
    for spec in tree.walk():  # parents come before their children
        pages[spec.slug] = ensure_page(parents[spec.slug], spec, images, report)
        for child in spec.children:
            parents[child.slug] = pages[spec.slug]

    for spec in tree.walk():
        publish_page(pages[spec.slug], spec, images, pages)

    site = point_default_site(pages[HOME_SLUG])
    report.welcome_pages_removed = remove_welcome_pages()
    update_site_identity(site)
    return report
