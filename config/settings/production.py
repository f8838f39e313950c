"""Production: every secret comes from the environment, HTTPS everywhere.

`SECRET_KEY=… ALLOWED_HOSTS=… python manage.py check --deploy --fail-level WARNING` is clean.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import SECRET_KEY, env, env_bool, env_list, logging_config

DEBUG = False

if not SECRET_KEY or len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production, "
        "for example: python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )
if not env_list("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names in production.")

# Static files are hashed and compressed at build time (collectstatic) and served by WhiteNoise.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# That proxy also appends the client's address to X-Forwarded-For (forms/spam.py).
RATE_LIMIT_PROXY_COUNT = int(env("RATE_LIMIT_PROXY_COUNT", "1"))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# /health/ is probed over plain HTTP inside the container.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# A copy of the database and the files every night (operations/jobs.py), unless the host
# has its own backups.
BACKUP_DAILY = env_bool("BACKUP_DAILY", True)

# One JSON object per log line unless told otherwise (LOG_FORMAT=text).
LOGGING = logging_config(env("LOG_FORMAT", "json"), env("LOG_LEVEL", "INFO"))

TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
