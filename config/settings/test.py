"""Test settings: fast hashing, in-memory cache and e-mail, tasks run at once."""

from .base import *  # noqa: F401,F403
from .base import env

SECRET_KEY = "test-only-secret-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]  # the test client and live_server use several host names
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # The same memory as "default" (same, empty, LOCATION): cache.clear() forgets both.
    "content": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ratelimit",
    },
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PRIVATE_MEDIA_ROOT = BASE_DIR / "test-artifacts" / "private"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    # No manifest needed: tests read static files through the finders.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"  # noqa: F405
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "0"))
# Keep test output readable: tasks and page events log at INFO.
LOGGING["loggers"].update(  # noqa: F405
    {"django_tasks": {"level": "WARNING"}, "wagtail": {"level": "WARNING"}}
)
SERVE_MEDIA = True
