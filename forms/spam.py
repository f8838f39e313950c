"""What keeps robots out of the public forms: a honeypot field and a rate limit per address.

A robot that fills the honeypot is shown the usual thank-you page, so it learns nothing, but
nothing is stored and nothing is sent. The rate limit counts requests per client address and
scope in the cache (shared by every worker when REDIS_URL is set).
"""

import hashlib

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "site_web"


class HoneypotMixin(forms.Form):
    """Adds a field people never see (hidden by CSS and from assistive technologies) and robots
    fill in. Check `form.is_spam` before `is_valid()`'s result is used. Render it with
    `{% include "forms/includes/honeypot.html" with field=form.site_web %}` and keep it out of
    crispy's layout."""

    site_web = forms.CharField(
        label=_("Ne remplissez pas ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_spam(self):
        return bool((self.data.get(self.add_prefix(HONEYPOT_FIELD)) or "").strip())


def client_address(request):
    """The client's address. Behind RATE_LIMIT_PROXY_COUNT trusted reverse proxies, each
    appends the address it received the request from to X-Forwarded-For: the client is then
    the entry that many places from the right (what is to its left, the client may have
    written). With no proxy (the default), or a header shorter than that, REMOTE_ADDR."""
    proxies = int(getattr(settings, "RATE_LIMIT_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def rate_limited(request, scope, limit, period):
    """Count this request against `limit` per `period` seconds for the client and `scope`;
    True once the limit is passed (the request must then be refused)."""
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{address}"
    cache.add(key, 0, period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, period)
        count = 1
    return count > limit
