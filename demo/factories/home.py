"""Factories for the public site's pages (wagtail-factories) and images."""

import datetime

import factory
import wagtail_factories
from wagtail.models import Page, Site

from home.models import HomePage, NewsIndexPage, NewsPage, SiteIdentity, StandardPage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Accueil"
    slug = "accueil"
    hero_title = "Un réseau pour les associations de l’ESS"
    hero_text = "Adhésion, prix, bénévolat de gouvernance."

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Page de contenu {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    introduction = "Une page de présentation."
    show_in_menus = True

    class Meta:
        model = StandardPage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "Actualités"
    slug = "actualites"
    show_in_menus = True

    class Meta:
        model = NewsIndexPage


class NewsPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Actualité {n}")
    slug = factory.Sequence(lambda n: f"actualite-{n}")
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    introduction = "Une nouvelle du réseau."

    class Meta:
        model = NewsPage


def make_site(root_page):
    """Point the default site at `root_page`, as the demo loader does."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = root_page
    site.save()
    SiteIdentity.objects.update_or_create(
        site=site,
        defaults={
            "name": "Réseau Test ESS",
            "address": "1 rue de l'Économie sociale\n44000 Nantes",
            "email": "contact@example.org",
            "phone": "02 40 00 00 00",
            "siret": "12345678900011",
            "rna": "W442001234",
        },
    )
    return site


def build_site():
    """A home page with a content page, a news index and news, set as the default site."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root)
    make_site(home)
    about = StandardPageFactory(parent=home, title="L'association", slug="association")
    news_index = NewsIndexPageFactory(parent=home)
    news = [NewsPageFactory(parent=news_index) for _ in range(3)]
    return {"home": home, "about": about, "news_index": news_index, "news": news}
