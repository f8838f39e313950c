"""What other apps ask of a member who renews, shown beside the renewal: the bulletin filled for
an organisation, and the payment's return page once paid. The impact report is one.

`members` sits below those apps in the layers and cannot import them: they register a function
under the Wagtail hook `RENEWAL_INVITATIONS` (in their wagtail_hooks.py). It receives the
organisation and returns a list of `Invitation`s, empty when it has nothing to ask."""

from dataclasses import dataclass

from wagtail import hooks

RENEWAL_INVITATIONS = "members_renewal_invitations"


@dataclass(frozen=True)
class Invitation:
    text: str  # what is asked, in a sentence
    label: str  # the link's words
    url: str


def renewal_invitations(organisation):
    """Every registered app's invitations for this organisation (none without one)."""
    if organisation is None or organisation.pk is None:
        return []
    return [
        invitation
        for ask in hooks.get_hooks(RENEWAL_INVITATIONS)
        for invitation in ask(organisation)
    ]
