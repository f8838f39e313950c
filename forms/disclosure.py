"""What a match discloses of each side, and who speaks for an association.

An association sees an anonymous volunteer's name, e-mail and phone only once both sides have
accepted (or if the volunteer chose not to be anonymous): `visible_volunteer` is that rule,
written once for the pages, the e-mails and the staff screens. An association is reached
through its current contacts with an active account, never through whoever filed the need
(they may have left it).
"""

from django.db.models import Prefetch

from members.contacts import addresses_of
from members.models import Contact

from .models import OfferSkill


def is_revealed(match):
    """May the association know who the volunteer is?"""
    return match.identities_revealed or not match.offer.anonymous


def visible_volunteer(match, viewer_is_association=True):
    """What may be shown of the match's volunteer to the association (or, with
    viewer_is_association=False, to the volunteer themselves: everything).

    Before both accept, an anonymous volunteer is « Bénévole n° N » with the profile that helps
    to decide (skills and levels, hours, départements) but nothing that tells who they are: no
    name, e-mail, phone, company, nor their free-text job title, motivation or message (each
    may name them or their employer: « DAF chez … »). Prefetch offer__offer_skills__skill to
    avoid queries.
    """
    offer = match.offer
    revealed = not viewer_is_association or is_revealed(match)
    skills = sorted(
        offer.offer_skills.all(), key=lambda item: (-item.level, item.skill.order, item.skill.name)
    )
    profile = {
        "revealed": revealed,
        "label": offer.full_name if revealed else offer.public_label,
        "public_label": offer.public_label,
        "skills": [
            {"name": item.skill.name, "level": item.level, "level_label": item.get_level_display()}
            for item in skills
        ],
        "hours_per_month": offer.hours_per_month,
        "departements": list(offer.departements or []),
        "job_title": None,
        "name": None,
        "email": None,
        "phone": None,
        "company": None,
        "motivation": None,
        "message": None,
    }
    if revealed:
        profile.update(
            name=offer.full_name,
            email=offer.user.email,
            phone=offer.phone,
            company=offer.company.name if offer.company_id else "",
            job_title=offer.job_title,
            motivation=offer.motivation,
            message=match.interest_message,
        )
    return profile


def _current_contacts(need):
    """The need's association's contacts whose accounts are active, primary first. Reads the
    contacts prefetched on need.organisation (with their users) when the caller did."""
    organisation = need.organisation
    prefetched = getattr(organisation, "_prefetched_objects_cache", {}).get("contacts")
    if prefetched is None:
        contacts = list(
            Contact.objects.filter(organisation_id=need.organisation_id).select_related("user")
        )
    else:
        contacts = list(prefetched)
    contacts = [contact for contact in contacts if contact.user.is_active]
    return sorted(contacts, key=lambda contact: (not contact.is_primary, contact.pk))


def association_recipients(need):
    """The addresses that speak for the need's association: its current contacts with an
    active account, primary first, each address once. Not whoever filed the need: they may
    have left the association (a contact who filed it is in the list as a contact)."""
    return addresses_of(_current_contacts(need))


def association_contacts(need):
    """The association's contacts (active accounts), primary first, for the volunteer once both
    accepted."""
    return _current_contacts(need)


def skills_prefetch():
    """What visible_volunteer reads, for prefetch_related on a Match queryset."""
    return Prefetch(
        "offer__offer_skills", queryset=OfferSkill.objects.select_related("skill").order_by("pk")
    )
