"""Logs and error reports, configured from the settings.

- `logging_config()`: every line carries the request id (operations/request_id.py); in
  production (`LOG_FORMAT=json`) each line is one JSON object, for the host's log collector.
- `configure_sentry()`: errors go to Sentry when `SENTRY_DSN` is set. No personal data is sent
  (no cookies, no user, no client address, no form bodies), and a database outage is
  reported once, not once per request that met it.
"""

import logging
import re

from pythonjsonlogger.core import RESERVED_ATTRS

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"


def logging_config(log_format="text", level="INFO"):
    formatter = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            # Django's request log passes the request and the response's code in `extra`: the
            # code is kept, the request object (its repr) is left out.
            "reserved_attrs": [*RESERVED_ATTRS, "request"],
            # French stays readable in the log: « Publié » rather than \u00ab Publi\u00e9 \u00bb.
            "json_ensure_ascii": False,
        }
        if log_format == "json"
        else {"format": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "operations.request_id.RequestIdFilter"}},
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # One line per task at INFO drowns everything else; failures still log as errors.
            "django_tasks": {"level": "WARNING"},
            # Failed and locked-out logins are warnings; the bookkeeping around them is noise.
            "axes": {"level": "WARNING"},
        },
    }


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A path segment that looks like a secret: a password-reset or invitation token, a signed link.
_TOKEN_SEGMENT = re.compile(r"/[A-Za-z0-9_:-]{20,}(?=/|$)")


def scrub(text):
    """Text that may hold personal data or a secret (an exception's message, a log line, a URL):
    e-mail addresses and token-like path segments replaced."""
    if not isinstance(text, str):
        return text
    return _TOKEN_SEGMENT.sub("/[jeton]", _EMAIL.sub("[e-mail]", text))


def _before_send(event, hint):
    """Sentry hears of a request's exception before the 503 page marks the outage
    (operations/errors.py): the first request of an outage is reported, the next are not.
    What is sent is scrubbed: a database error quotes the values it refused (« Key (email)=… »),
    a log line may name a person, a URL may carry a token."""
    # Here, not at the top: the settings import this module before Django is set up, and
    # errors.py brings Django's database and template layers with it.
    from .errors import database_outage, is_database_outage

    error = (hint or {}).get("exc_info", (None, None))[1]
    if error is not None and is_database_outage(error) and database_outage.down:
        return None
    for value in (event.get("exception") or {}).get("values", []):
        value["value"] = scrub(value.get("value"))
    logentry = event.get("logentry") or {}
    for key in ("message", "formatted"):
        if key in logentry:
            logentry[key] = scrub(logentry[key])
    logentry.pop("params", None)
    if "message" in event:
        event["message"] = scrub(event["message"])
    request = event.get("request") or {}
    if "url" in request:
        request["url"] = scrub(request["url"])
    if "transaction" in event:
        event["transaction"] = scrub(event["transaction"])
    event.pop("server_name", None)
    return event


def configure_sentry(dsn, environment="production", release=None, traces_sample_rate=0.0):
    # Here, not at the top: only a site with SENTRY_DSN pays for loading the SDK.
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        # Errors logged on purpose (storage down, a mail given up) are events too; no log line
        # rides along as a breadcrumb (they may name people).
        integrations=[
            DjangoIntegration(),
            LoggingIntegration(event_level=logging.ERROR, breadcrumb_level=None),
        ],
        # RGPD: no user, no client address, no cookies, no bodies (bulletins hold personal
        # data), no query strings (searches may name someone), no local variables.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "http_headers": {
                "request": {"mode": "allowlist", "terms": ["host", "user-agent", "x-request-id"]}
            },
            "stack_frame_variables": False,
            "database_query_data": False,
        },
        traces_sample_rate=traces_sample_rate,
        before_send=_before_send,
    )
