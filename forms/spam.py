"""What keeps robots out of the public forms: a honeypot field and a rate limit per address.

A robot that fills the honeypot is shown the usual thank-you page, so it learns nothing, but
nothing is stored and nothing is sent. The rate limit (home/ratelimit.py) counts requests per
client address and scope in a cache of its own (shared by every worker when REDIS_URL is set).
"""

from django import forms
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
