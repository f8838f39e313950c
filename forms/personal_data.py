"""What the volunteer matching holds about one person (privacy.personal_data): their volunteer
offers and those offers' matches, the board needs they filed, the company dashboards they may
read, and the submissions waiting for their address to be confirmed; and its part of erasing
that person.

Offers are the person's own: they go, with their skills and their matches (CASCADE). A match
that was accepted is ended first (introductions.end), so that its need, « en cours » because of
this volunteer, is open again rather than waiting for someone who is gone. Board needs are their
association's: they stay (a need stores no contact details of whoever filed it, only the account,
which the privacy app anonymises).
"""

import json

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy.personal_data import Section, register_section

from .introductions import end
from .models import (
    BoardNeed,
    Company,
    EmailVerification,
    Match,
    NeedSkill,
    OfferSkill,
    VolunteerOffer,
)


def _listed(items):
    return ", ".join(str(item) for item in items)


def _offers_of(user):
    return VolunteerOffer.objects.filter(user=user)


def offer_rows(user):
    offers = (
        _offers_of(user)
        .select_related("company")
        .prefetch_related(
            Prefetch(
                "offer_skills",
                queryset=OfferSkill.objects.select_related("skill").order_by(
                    "skill__order", "skill__name"
                ),
            ),
            "preferred_sectors",
        )
        .order_by("-created_at", "-pk")
    )
    return [
        {
            _("offre"): offer.public_label,
            _("prénom"): offer.first_name,
            _("nom"): offer.last_name,
            _("téléphone"): offer.phone,
            _("entreprise"): offer.company.name if offer.company else None,
            _("métier"): offer.job_title,
            # « Finance (expert), Juridique (confirmé) »
            _("compétences"): _listed(offer.offer_skills.all()),
            _("disponibilité (heures par mois)"): offer.hours_per_month,
            _("départements"): _listed(offer.departements or []),
            _("secteurs préférés"): _listed(offer.preferred_sectors.all()),
            _("motivation"): offer.motivation,
            _("statut"): offer.get_status_display(),
            _("profil anonyme"): offer.anonymous,
            _("consentement donné le"): offer.consent_at,
            _("proposée le"): offer.created_at,
            _("modifiée le"): offer.updated_at,
        }
        for offer in offers
    ]


def need_rows(user):
    needs = (
        BoardNeed.objects.filter(created_by=user)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "need_skills",
                queryset=NeedSkill.objects.select_related("skill").order_by(
                    "skill__order", "skill__name"
                ),
            )
        )
        .order_by("-created_at", "-pk")
    )
    return [
        {
            _("association"): need.organisation.name,
            _("fonction recherchée"): need.get_role_display(),
            _("compétences"): _listed(need.need_skills.all()),
            _("temps demandé (heures par mois)"): need.hours_per_month,
            _("durée du mandat (mois)"): need.mandate_months,
            _("département"): need.departement,
            _("commune"): need.commune,
            _("description"): need.description,
            _("statut"): need.get_status_display(),
            _("visibilité"): need.get_visibility_display(),
            _("consentement donné le"): need.consent_at,
            _("déposé le"): need.created_at,
            _("fermé le"): need.closed_at,
        }
        for need in needs
    ]


def match_rows(user):
    # The staff's follow-up notes are left out: they are the team's working notes (they name
    # the staff members who acted), not something the volunteer gave or is described by.
    matches = (
        Match.objects.filter(offer__user=user)
        .select_related("offer", "need__organisation")
        .order_by("-created_at", "-pk")
    )
    return [
        {
            _("offre"): match.offer.public_label,
            _("association"): match.need.organisation.name,
            _("fonction recherchée"): match.need.get_role_display(),
            _("statut"): match.get_status_display(),
            _("origine"): match.get_origin_display(),
            _("message du bénévole"): match.interest_message,
            _("réponse du bénévole"): match.get_volunteer_answer_display(),
            _("réponse de l’association"): match.get_association_answer_display(),
            _("créée le"): match.created_at,
            _("mise en relation le"): match.introduced_at,
            _("acceptée le"): match.accepted_at,
            _("déclinée le"): match.declined_at,
            _("terminée le"): match.ended_at,
        }
        for match in matches
    ]


def company_rows(user):
    companies = Company.objects.filter(dashboard_users=user).order_by("name", "pk")
    return [{_("entreprise"): company.name, _("SIRET"): company.siret} for company in companies]


def _verifications_of(user):
    if not user.email:
        return EmailVerification.objects.none()
    return EmailVerification.objects.filter(email__iexact=user.email)


def verification_rows(user):
    return [
        {
            _("type"): verification.get_kind_display(),
            _("adresse e-mail"): verification.email,
            _("données saisies"): json.dumps(verification.payload, ensure_ascii=False),
            _("envoyée le"): verification.created_at,
            _("confirmée le"): verification.used_at,
        }
        for verification in _verifications_of(user).order_by("-created_at", "-pk")
    ]


def erase(user):
    """Delete the person's offers with their skills and matches (accepted ones ended first, see
    the module's docstring), take them off the company dashboards, and delete the submissions
    waiting for their address to be confirmed. Board needs stay. Returns the number of offers,
    matches, dashboards and submissions."""

    offers = _offers_of(user)
    for match in Match.objects.filter(offer__in=offers, status=Match.Status.ACCEPTED):
        end(match)
    count = Match.objects.filter(offer__in=offers).count()
    count += offers.count()
    offers.delete()  # matches, skills and sectors go by CASCADE
    companies = user.volunteering_companies.all()
    count += companies.count()
    user.volunteering_companies.clear()
    count += _verifications_of(user).delete()[0]
    return count


register_section(
    Section(
        "volunteer-offers",
        gettext_lazy("Offres de bénévolat"),
        offer_rows,
        erase,
        order=30,
    ),
    Section("board-needs", gettext_lazy("Besoins"), need_rows, order=31),
    Section("volunteer-matches", gettext_lazy("Mises en relation"), match_rows, order=32),
    Section("followed-companies", gettext_lazy("Entreprises suivies"), company_rows, order=33),
    Section(
        "volunteering-verifications",
        gettext_lazy("Envois en attente de confirmation"),
        verification_rows,
        order=34,
    ),
)
