"""Settings shared by every environment.

Every value that differs between deployments is read from the environment (see README.md,
« Variables d'environnement »). dev.py, test.py and production.py only adjust what they must.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from operations.observability import configure_sentry, logging_config
from operations.storage_settings import object_storage_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SITE_DIR = BASE_DIR / "site"


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {value!r}.")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# No script of ours reads the CSRF cookie (forms carry the token), so scripts may not either.
CSRF_COOKIE_HTTPONLY = True

INSTALLED_APPS = [
    # Production machinery beneath every app: scheduler, heartbeats, health, backups.
    "operations",
    "home",
    "privacy",
    "members",
    "awards",
    "forms",
    "impact",
    "search",
    # The demo content and the factories the tests share with it, above every app it fills.
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks",
    "django_tasks_db",
    # Login throttling (failed attempts in the database: see AXES_* below).
    "axes",
    # The staff second factor (home/staff_otp/): TOTP devices and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: every log line of the request, whichever layer writes it, carries its id.
    "operations.request_id.RequestIdMiddleware",
    "operations.errors.DatabaseRecoveryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "home.cache.ContentGenerationMiddleware",
    # The site first: the page cache keys by its id.
    "home.cache.CachedSiteMiddleware",
    "home.cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whether this session passed the second factor, then the admin closed until it has.
    "django_otp.middleware.OTPMiddleware",
    "home.staff_otp.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The object storage down: a French 503 rather than a 500, and no half-saved upload.
    "operations.storage_errors.StorageErrorMiddleware",
    "home.ratelimit.RateLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite next to the code unless DATABASE_URL says otherwise (PostgreSQL in production
# and in CI). Connections are kept between requests (a new one costs more than most queries),
# checked before reuse.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and a writer work together (gunicorn workers, the task worker).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, else memory local to each process.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down means slower pages, not errors (see home/cache_backends.py).
            "BACKEND": "home.cache_backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "ess"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
        # What is keyed by the content generation (home/cache.py): in Redis, with a copy in
        # each process in front of it (home/cache_backends.LayeredCache).
        "content": {
            "BACKEND": "home.cache_backends.LayeredCache",
            "OPTIONS": {
                "REMOTE": "default",
                "LOCAL_ENTRIES": int(env("CONTENT_CACHE_LOCAL_ENTRIES", "200")),
                "LOCAL_SECONDS": int(env("CONTENT_CACHE_LOCAL_SECONDS", "300")),
            },
        },
        # Rate-limit counters apart from the pages (home/ratelimit.py), shared by every server.
        "ratelimit": {
            "BACKEND": "home.cache_backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "ess") + "-ratelimit",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ess-portal",
        },
        # The same memory as "default" (same LOCATION): already in the process.
        "content": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ess-portal",
        },
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ess-portal-ratelimit",
        },
    }

# Sessions: with Redis, read from it (written to the database too, so a Redis restart logs
# no one out): a logged-in page no longer asks the database for its session. Without Redis, in
# the database only: a copy in each process would outlive a logout made in another.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Menus, the site and its identity are cached until content changes. Without Redis each process
# has its own cache and only the process that saw the change forgets at once: keep it short.
CONTENT_CACHE_SECONDS = int(env("CONTENT_CACHE_SECONDS", "3600" if REDIS_URL else "60"))

# Members log in with their e-mail; staff may also use their user name.
AUTHENTICATION_BACKENDS = [
    # First: refuses any login, right password or not, while the account is locked out here.
    "axes.backends.AxesStandaloneBackend",
    "members.auth.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Sessions end 12 hours after they were last saved (OWASP ASVS 3.3.2, level 2): a member or
# staff logs in again each working day. The cookie never reaches scripts (HttpOnly, Django's
# default) nor other sites' requests (SameSite=Lax, Django's default).
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(12 * 60 * 60)))

# NIST SP 800-63B: length and a check against common and personal passwords, no composition
# rules (hence no NumericPasswordValidator). Validators run only when a password is set: shorter
# passwords chosen before keep working until their owner changes them.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Languages: French at the root, English under /en/.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# Static files: built by `make static` (Bootstrap copied from node_modules into
# site/static/vendor/), collected into STATIC_ROOT and served by WhiteNoise.
STATICFILES_DIRS = [SITE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Django serves uploaded files itself only in development and tests (see config/urls.py).
SERVE_MEDIA = False
# Receipts and (later) award attachments: outside MEDIA_ROOT, served only by views that check
# who asks.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
# Files on this server's disk unless the S3_* variables below are set (`make run` sets none).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Object storage (S3 API, django-storages), so that every app server sees the same files: the
# "default" and "private" storages above become two buckets when these are set (checked by
# operations/storage_settings.py: a partial set stops the site at startup). Static files stay
# with WhiteNoise.
#   S3_MEDIA_BUCKET        bucket of Wagtail's images, renditions and documents; anyone may read
#                          its images (bucket policy: manage.py create_storage_buckets)
#   S3_PRIVATE_BUCKET      bucket of receipts and award attachments, read only by our views
#   S3_MEDIA_URL           public address of the media bucket, ending with "/":
#                          https://cdn.example.org/, or /media/ when the reverse proxy forwards
#                          /media/ to the bucket (default: the bucket's own address)
#   S3_ENDPOINT_URL        the S3 API of a provider other than AWS (Scaleway, OVH, MinIO, moto)
#   S3_REGION              the buckets' region, e.g. eu-west-3 or fr-par
#   S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY
#                          credentials (default: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,
#                          then boto3's own sources such as an instance role)
OBJECT_STORAGE = object_storage_settings(os.environ)
# Where images may come from besides this site, for the Content-Security-Policy below.
MEDIA_ORIGINS = []
if OBJECT_STORAGE:
    STORAGES.update(OBJECT_STORAGE["storages"])
    MEDIA_URL = OBJECT_STORAGE["media_url"]
    MEDIA_ORIGINS = OBJECT_STORAGE["media_origins"]
# Documents are always served by Wagtail's view, which applies their collection's privacy; its
# default for remote storage would redirect to the bucket, where no such check happens.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Award attachments (PDF, PNG, JPEG): the largest file an applicant may join, in bytes.
AWARD_ATTACHMENT_MAX_BYTES = int(env("AWARD_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))

# Where `manage.py backup` writes its dated folders (operations/backup.py): outside the code,
# ideally on another disk than the database's, and copied off the server.
BACKUP_DIR = Path(env("BACKUP_DIR", BASE_DIR / "backups"))
# The scheduler backs up every night at 01:30 when true (production's default), keeping the
# BACKUP_KEEP last copies.
BACKUP_DAILY = env_bool("BACKUP_DAILY", False)
BACKUP_KEEP = int(env("BACKUP_KEEP", "14"))

# E-mail: console in development unless EMAIL_URL names an SMTP server
# (smtp://user:password@host:port, smtp+tls://… for STARTTLS).
EMAIL_URL = env("EMAIL_URL", "")
if EMAIL_URL:
    from urllib.parse import unquote, urlparse

    _email = urlparse(EMAIL_URL)
    if _email.scheme not in {"smtp", "smtp+tls", "smtp+ssl"}:
        raise ImproperlyConfigured("EMAIL_URL must start with smtp://, smtp+tls:// or smtp+ssl://.")
    # Sent at once when the server takes it, kept in the outbox and sent again by the scheduler
    # when it cannot (operations/mail.py): a mail server outage loses no e-mail.
    EMAIL_BACKEND = "operations.mail.OutboxBackend"
    EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    # Seconds to wait for the server: an outage must not hold a request or a task for long.
    EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "10"))
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}[_email.scheme]
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = _email.scheme == "smtp+tls"
    EMAIL_USE_SSL = _email.scheme == "smtp+ssl"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Stripe (dues paid online). Without the keys, the bulletin offers transfers and cheques only.
# STRIPE_API_BASE points the SDK elsewhere than api.stripe.com: the tests' localstripe.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = env("STRIPE_API_BASE", "")
STRIPE_MAX_NETWORK_RETRIES = int(env("STRIPE_MAX_NETWORK_RETRIES", "2"))

# Background work (e-mails, receipts, reminders, indexing) through the tasks API. Development
# runs tasks at once; production uses django-tasks-db's database queue and its `db_worker`.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# Wagtail
# The admin names the site as the public site does: the association's name from its site
# settings (home.identity), read when shown; SITE_NAME only until that setting exists.
SITE_NAME_DEFAULT = env("SITE_NAME", "Réseau ESS")


def _association_name():
    from home.identity import site_name

    return site_name()


WAGTAIL_SITE_NAME = lazy(_association_name, str)()


def _totp_issuer(device):
    # The name the authenticator app shows beside the code. django-otp calls a callable with
    # the device (a lazy string would be ignored: it is not a str).
    return _association_name()


# The staff second factor (home/staff_otp/). django-otp throttles wrong codes per device,
# 1, 2, 4, 8… seconds after each consecutive failure: a factor of 0 would turn that off.
OTP_TOTP_ISSUER = _totp_issuer
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# django-otp's own admin pages never show a device's secret key.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
WAGTAILADMIN_BASE_URL = env("BASE_URL", "http://127.0.0.1:8000")
# Private pages send visitors to the member portal's login form.
WAGTAIL_FRONTEND_LOGIN_URL = "/espace-membre/connexion/"
WAGTAILADMIN_USER_LOGIN_FORM = "home.admin_forms.AdminLoginForm"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Wagtail's responsive wrapper uses an inline style, which the CSP forbids; the video block
# template sizes the frame with Bootstrap's .ratio instead.
WAGTAILEMBEDS_RESPONSIVE_HTML = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILSEARCH_BACKENDS = {
    "default": {
        # Wagtail's database backend, ranked in one pass on SQLite (search/backend.py).
        "BACKEND": "search.backend",
        # PostgreSQL: French stemming without accents (search/migrations/0001_french_unaccent.py).
        "SEARCH_CONFIG": "french_unaccent",
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Anonymous page cache (see home/cache.py): seconds a published page is kept for visitors
# without a session. 0 turns it off.
# Whole anonymous pages, kept until content changes (home/cache.py). On by default with Redis
# (a publication reaches every process at once); off without it (make run), where each process
# would keep its own pages.
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "300" if REDIS_URL else "0"))

# Content Security Policy (django-csp 4). Bootstrap's JS and our own scripts are same-origin;
# video embeds come from the usual providers.
CONTENT_SECURITY_POLICY = {
    # Wagtail's admin relies on inline scripts and styles; the policy guards the public site.
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": [
            "'self'",
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
            "https://www.dailymotion.com",
        ],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Logs: one line per event with the request id; `LOG_FORMAT=json` (production's default) makes
# each line a JSON object for the host's log collector (operations/observability.py).
LOGGING = logging_config(env("LOG_FORMAT", "text"), env("LOG_LEVEL", "INFO"))

# Errors to Sentry (sentry-sdk) when SENTRY_DSN is set; never any personal data.
SENTRY_DSN = env("SENTRY_DSN", "")
if SENTRY_DSN:
    configure_sentry(
        SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", "production"),
        release=env("SENTRY_RELEASE", ""),
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Reverse proxies in front of the site that append the client's address to X-Forwarded-For:
# rate limits and login throttling count per client, not per proxy (home/ratelimit.py).
RATE_LIMIT_PROXY_COUNT = int(env("RATE_LIMIT_PROXY_COUNT", "0"))

# Everything that sends e-mail or writes for someone not yet known, limited per client address
# and per target address typed in the form (home/ratelimit.py). `views` are URL names, `pages`
# Wagtail page types. Over the limit: a French 429 page, nothing stored, nothing sent.
_HOUR = 60 * 60
# Every form that checks a password: the portal's, the admin's, and Wagtail's own login page
# (/_util/login/, for pages restricted to logged-in visitors).
_LOGIN_VIEWS = ["members:login", "wagtailadmin_login", "wagtailcore_login"]
_RESET_VIEWS = ["members:password_reset", "wagtailadmin_password_reset"]
RATE_LIMITS = [
    # Logins: django-axes locks one account at one address after 5 wrong passwords (below);
    # these catch one address trying many accounts, and many addresses guessing one account
    # (50 wrong passwords an hour, whoever sends them; its owner then waits, with a message).
    {"scope": "login", "views": _LOGIN_VIEWS, "limit": 30, "period": 15 * 60},
    {
        "scope": "login-account",
        "views": _LOGIN_VIEWS,
        "key": "field:username",
        "limit": 50,
        "period": _HOUR,
        "failed_logins_only": True,
    },
    {"scope": "password-reset", "views": _RESET_VIEWS, "limit": 10, "period": _HOUR},
    {
        "scope": "password-reset-to",
        "views": _RESET_VIEWS,
        "key": "field:email",
        "limit": 3,
        "period": _HOUR,
    },
    {"scope": "invitation", "views": ["members:contact_add"], "limit": 20, "period": _HOUR},
    {
        "scope": "invitation-to",
        "views": ["members:contact_add"],
        "key": "field:new-email",
        "limit": 3,
        "period": _HOUR,
    },
    {
        "scope": "partner-invitation",
        "views": ["awards:partner_invite"],
        "limit": 20,
        "period": _HOUR,
    },
    {
        "scope": "bulletin",
        "pages": ["members.MembershipPage"],
        "limit": 10,
        "period": _HOUR,
    },
    {
        "scope": "bulletin-to",
        "pages": ["members.MembershipPage"],
        "key": "field:contact-email",
        "limit": 3,
        "period": _HOUR,
    },
    {
        "scope": "volunteering-to",
        "views": ["volunteering:offer_submit"],
        "key": "field:email",
        "limit": 3,
        "period": _HOUR,
    },
    {
        "scope": "volunteering-need-to",
        "views": ["volunteering:need_submit"],
        "key": "field:contact-email",
        "limit": 3,
        "period": _HOUR,
    },
    # The password of a page an editor restricted with one.
    {
        "scope": "page-password",
        "views": ["wagtailcore_authenticate_with_password"],
        "limit": 10,
        "period": 15 * 60,
    },
    {"scope": "search", "views": ["search:results"], "methods": ["GET"], "limit": 60, "period": 60},
]

# Login throttling (django-axes): failed attempts are rows in the database, shared by every
# server and kept through restarts. The 6th wrong password for one account from one address
# within the window locks that pair out for AXES_COOLOFF_TIME, right password or not; another
# address is not locked by those guesses (the account-wide rate limit above is the backstop).
# Staff unlock in the admin (Paramètres › Connexions bloquées).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=int(env("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Tries during a lockout neither extend it nor count: a locked address adds nothing more to the
# account-wide count of failures (RATE_LIMITS « login-account »).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "home.login_lockout.username_of"
AXES_CLIENT_IP_CALLABLE = "home.ratelimit.axes_client_address"
AXES_LOCKOUT_CALLABLE = "home.login_lockout.lockout_response"
# No Django admin here (the Wagtail admin lists the attempts), and no log of successful logins.
AXES_ENABLE_ADMIN = False
AXES_DISABLE_ACCESS_LOG = True

# Site search (search/): the database by default; Elasticsearch when this is set
# (e.g. http://127.0.0.1:9200), with a short timeout so a slow server never holds a page.
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX = env("ELASTICSEARCH_INDEX", "ess-site")
ELASTICSEARCH_TIMEOUT = float(env("ELASTICSEARCH_TIMEOUT", "2"))
