"""System checks of the members app (run by every `manage.py check`, and so by runserver)."""

from django.conf import settings
from django.core.checks import Warning, register


@register()
def stripe_keys_without_webhook_secret(app_configs, **kwargs):
    # The keys alone would let a member pay, but only the webhook activates a membership: so
    # stripe_gateway.is_configured() keeps online payment off until the secret is set too.
    if (
        settings.STRIPE_SECRET_KEY
        and settings.STRIPE_PUBLISHABLE_KEY
        and not settings.STRIPE_WEBHOOK_SECRET
    ):
        return [
            Warning(
                "STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY are set but STRIPE_WEBHOOK_SECRET "
                "is not: online payment stays off and members can only pay by transfer or "
                "cheque.",
                hint="Set STRIPE_WEBHOOK_SECRET to the signing secret of the Stripe webhook "
                "endpoint that points at /stripe/webhook/.",
                id="members.W001",
            )
        ]
    return []
