"""The baseline: the smallest Django WSGI app, served by gunicorn exactly like the site.

No settings module, no database, no middleware, no template: `settings.configure` in code, one
URL, one view returning a fixed HTML page. Its size in bytes comes from BENCH_BODY_BYTES (the
harness measures the site's home page first), so both targets send the same amount of data and
the difference between them is what the site does per request.

    BENCH_BODY_BYTES=30000 gunicorn bench.minimal:application
"""

import os

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-minimal-app-serves-a-fixed-page-and-holds-no-secret-at-all",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_I18N=False,
)
django.setup()


def _page(size: int) -> bytes:
    """A valid HTML document padded with a comment to exactly `size` bytes."""
    head = b'<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>Bench</title>'
    head += b"</head><body><p>Minimal Django view.</p><!-- "
    tail = b" --></body></html>\n"
    return head + b"x" * max(0, size - len(head) - len(tail)) + tail


BODY = _page(int(os.environ.get("BENCH_BODY_BYTES", "10000")))


def page(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("", page)]

application = get_wsgi_application()
