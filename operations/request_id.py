"""A request id on every log line and every response.

The proxy in front (Caddy, see deploy/Caddyfile) sends `X-Request-ID`; the id is kept when it looks
like one (letters, digits, dashes, at most 64), made here otherwise. It goes back in the response's
`X-Request-ID` header, so that a visitor's report ("error at 10:42, id …") leads to the log lines of
that request on whichever app server served it.
"""

import contextvars
import logging
import re
import uuid

_request_id = contextvars.ContextVar("request_id", default="-")
_VALID = re.compile(r"[A-Za-z0-9._-]{8,64}")
HEADER = "X-Request-ID"


def current():
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request_id = given if _VALID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (a dash outside requests: the worker, commands)."""

    def filter(self, record):
        # Django logs a 404 or a 500 after the middleware has returned, with the request in
        # `extra`: its id is read there.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or _request_id.get()
        return True
