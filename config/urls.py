from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from members.webhooks import stripe_webhook
from operations.health import health

urlpatterns = [
    path("health/", health, name="health"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    # The staff second factor's pages, before Wagtail's admin and its catch-all.
    path("admin/2fa/", include("home.staff_otp.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    # Outside the language prefixes: Stripe posts here whatever the visitor's language.
    path("stripe/webhook/", stripe_webhook, name="stripe_webhook"),
]

if settings.SERVE_MEDIA:
    # Development and tests only: in production the reverse proxy serves /media/.
    from django.views.static import serve

    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

# French at the root, English under /en/. Wagtail's catch-all page route comes last.
urlpatterns += i18n_patterns(
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("impact.urls")),
    path("espace-membre/", include("members.urls")),
    path("", include("awards.urls")),
    path("", include("forms.urls")),
    path("recherche/", include("search.urls")),
    path("mes-donnees/", include("privacy.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# A French 503 with Retry-After while the database is unreachable, the 500 page otherwise.
handler500 = "operations.errors.server_error"
