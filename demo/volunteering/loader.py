"""Demo content of the volunteer matching: the shared skill list, CSR partner companies, 20 board
needs from associations of the network, 40 volunteers' offers, and matches in every state.

It runs after the members' demo and uses its organisations (found by RNA) when they exist; it
adds associations of its own in Brittany and the Loire, so the needs spread over the territory.

Idempotent: skills are found by slug, companies by name, associations by RNA, needs by their
description, volunteers by e-mail (one offer each); a need's matches are made only when the
need itself is new. Deterministic: every random choice comes from a seeded generator, drawn
whether or not the row already exists, so two databases tell the same story.

Demo volunteers' accounts have unusable passwords: nobody can log in with them.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from wagtail.models import Site

from demo.factories.forms import (
    BoardNeedFactory,
    CompanyFactory,
    MatchFactory,
    SkillFactory,
    VolunteerOfferFactory,
    VolunteerUserFactory,
)
from demo.factories.members import OrganisationFactory, siret_with_key
from forms.matching import score_pair
from forms.models import (
    BoardNeed,
    Company,
    Match,
    VolunteerOffer,
)
from home.models import HomePage, StandardPage
from members.models import Organisation, Sector

from .data import (
    ACCEPTED,
    ASSOCIATIONS,
    CLOSED,
    COMPANIES,
    DECLINED_BY_ASSOCIATION,
    DECLINED_BY_VOLUNTEER,
    EMAIL_DOMAIN,
    ENDED,
    ENDED_NOTE,
    FILLED,
    INTEREST,
    INTEREST_MESSAGE,
    INTRODUCED,
    MATCH_PLAN,
    MEMBER_RNAS,
    MOTIVATIONS,
    NEARBY,
    NEEDS,
    OFFERS,
    PARTNERS,
    PROPOSED,
    SEED,
    SKILLS,
    WITHDRAWN,
)
from .form_pages import create_demo_form_pages


def ensure_skills():
    skills = {}
    for order, (slug, name) in enumerate(SKILLS):
        skills[slug] = SkillFactory(slug=slug, name=name, order=order)  # found by slug
    return skills


def ensure_companies():
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    companies = {}
    for key, (name, digits, sector, size, contact, programme) in COMPANIES.items():
        first = contact.split()[0].lower()
        last = contact.split()[-1].lower()
        company = Company.objects.filter(name=name).first()
        if company is None:
            company = CompanyFactory(
                name=name, siret=siret_with_key(digits) if digits else "",
                sector=sectors.get(sector), size=size, contact_name=contact, programme=programme,
                contact_email=f"{ascii_slug(first)}.{ascii_slug(last)}@{EMAIL_DOMAIN}",
            )  # fmt: skip
            if key in PARTNERS:
                company.partner_organisations.set(Organisation.objects.filter(rna=PARTNERS[key]))
        companies[key] = company
    return companies


def ascii_slug(text):

    return slugify(text).replace("-", "")


def ensure_associations():
    """Our own associations, by RNA; then every organisation the needs name, by RNA."""
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    for name, rna, city, postal, slugs, employees, volunteers, budget in ASSOCIATIONS:
        if Organisation.objects.filter(rna=rna).exists():
            continue
        organisation = OrganisationFactory(
            rna=rna, name=name, legal_form="association", address="3 rue des Associations",
            postal_code=postal, city=city, departement=postal[:2], employees=employees,
            volunteers=volunteers, budget_bracket=budget,
        )  # fmt: skip
        organisation.sectors.set([sectors[slug] for slug in slugs if slug in sectors])
    found = Organisation.objects.filter(rna__in=MEMBER_RNAS + [a[1] for a in ASSOCIATIONS])
    return {organisation.rna: organisation for organisation in found}


def organisation_for(rna, organisations):
    """The association a need names; a members' demo association that is not there is
    replaced by one of ours, always the same one."""
    if rna in organisations:
        return organisations[rna]
    ours = [a[1] for a in ASSOCIATIONS]
    return organisations[ours[MEMBER_RNAS.index(rna) % len(ours)]]


def ensure_volunteer(first, last):
    User = get_user_model()
    email = f"{ascii_slug(first)}.{ascii_slug(last)}@{EMAIL_DOMAIN}"
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = VolunteerUserFactory(
            username=email, email=email, first_name=first, last_name=last,
            password=make_password(None),  # unusable: the volunteer sets theirs by e-mail
        )  # fmt: skip
    return user


def ensure_offers(rng, companies, skills, now):
    sectors = list(Sector.objects.order_by("slug"))
    offers = []
    for index, (first, last, job, company, home, levels, hours) in enumerate(OFFERS):
        # Every draw happens for every offer, so an offer's story does not depend on which
        # others already exist.
        extra = rng.sample(NEARBY[home], k=rng.randint(0, 2))
        preferred = rng.sample(sectors, k=rng.choice([0, 1, 1, 2])) if sectors else []
        motivation = rng.choice(MOTIVATIONS)
        anonymous = rng.random() < 0.75
        age = rng.randint(20, 300)
        user = ensure_volunteer(first, last)
        offer = VolunteerOffer.objects.filter(user=user).first()
        if offer is None:
            offer = VolunteerOfferFactory(
                user=user, first_name=first, last_name=last, job_title=job,
                company=companies[company] if company else None, hours_per_month=hours,
                departements=[home, *extra], motivation=motivation, anonymous=anonymous,
                status=(
                    VolunteerOffer.Status.WITHDRAWN if index in WITHDRAWN
                    else VolunteerOffer.Status.AVAILABLE
                ),
                with_skills={skills[slug]: level for slug, level in levels.items()},
            )  # fmt: skip
            offer.preferred_sectors.set(preferred)
            when = now - datetime.timedelta(days=age)
            VolunteerOffer.objects.filter(pk=offer.pk).update(created_at=when, updated_at=when)
        offers.append(offer)
    return offers


@transaction.atomic
def load_demo_volunteering(now=None):
    """Loads what is missing; returns the number of needs created."""
    now = now or timezone.now()
    rng = random.Random(SEED)
    skills = ensure_skills()
    organisations = ensure_associations()
    companies = ensure_companies()
    offers = ensure_offers(rng, companies, skills, now)
    # Their skills loaded once, for choosing who is put in touch with which need.
    offers = list(
        VolunteerOffer.objects.filter(pk__in=[offer.pk for offer in offers])
        .prefetch_related("offer_skills__skill")
        .order_by("pk")
    )
    reserved = set(
        VolunteerOffer.objects.exclude(status=VolunteerOffer.Status.AVAILABLE).values_list(
            "pk", flat=True
        )
    )
    new_needs = []
    for index, spec in enumerate(NEEDS):
        rna, role, importances, hours, months, status, visibility, age, description = spec
        organisation = organisation_for(rna, organisations)
        if BoardNeed.objects.filter(description=description).exists():
            continue
        need = BoardNeedFactory(
            description=description, organisation=organisation, role=role,
            hours_per_month=hours, mandate_months=months, departement=organisation.departement,
            commune=organisation.city, visibility=visibility,
            with_skills={skills[slug]: importance for slug, importance in importances.items()},
        )  # fmt: skip
        new_needs.append((index, need))

    # The volunteers who took a mandate are chosen first: an engaged volunteer is not then
    # proposed elsewhere.
    def engages(item):
        return any(story[0] in (ACCEPTED, ENDED) for story in MATCH_PLAN.get(item[0], []))

    for index, need in sorted(new_needs, key=lambda item: not engages(item)):
        importances = NEEDS[index][2]
        for story in MATCH_PLAN.get(index, []):
            offer = best_offer(need, importances, offers, reserved)
            if offer is not None:
                tell(need, offer, story, now)
                if story[0] in (ACCEPTED, ENDED):
                    reserved.add(offer.pk)
    for index, need in new_needs:
        status, age = NEEDS[index][5], NEEDS[index][7]
        date_need(need, status, age, now)
    return len(new_needs)


def best_offer(need, importances, offers, reserved):
    """The offer that fits the need best by the skills it asks (then the territory), among
    those free, not yet put in touch with it and with no conflict of interest; None if none."""
    taken = set(need.matches.values_list("offer_id", flat=True))
    partners = set(need.organisation.partner_companies.values_list("pk", flat=True))

    def fit(offer):
        levels = {row.skill.slug: row.level for row in offer.offer_skills.all()}
        skill = sum(importances.get(slug, 0) * level for slug, level in levels.items())
        return (skill, need.departement in offer.departements, -offer.pk)

    candidates = [
        offer
        for offer in offers
        if offer.pk not in reserved
        and offer.pk not in taken
        and offer.company_id not in partners
        and offer.status == VolunteerOffer.Status.AVAILABLE
        and fit(offer)[0] > 0
    ]
    return max(candidates, key=fit, default=None)


def score(need, offer):

    return score_pair(need, offer)


def tell(need, offer, story, now):
    """A match at the stage its story says, with the dates and answers that lead there."""
    status, origin, age = story
    start = now - datetime.timedelta(days=age)

    def day(n):
        return start + datetime.timedelta(days=n, hours=n % 5)

    accepted, declined = Match.Answer.ACCEPTED, Match.Answer.DECLINED
    fields = {"origin": origin}
    if origin == INTEREST:
        fields["interest_message"] = INTEREST_MESSAGE
    if status == PROPOSED:
        fields["status"] = Match.Status.PROPOSED
    else:
        fields["introduced_at"] = day(1)
    if status == INTRODUCED:
        fields["status"] = Match.Status.INTRODUCED
        if age > 7:  # one side answered quickly, the other has not yet
            fields.update(volunteer_answer=accepted, volunteer_answered_at=day(2))
    elif status in (ACCEPTED, ENDED):
        fields.update(
            status=Match.Status.ACCEPTED, volunteer_answer=accepted,
            volunteer_answered_at=day(2), association_answer=accepted,
            association_answered_at=day(4), accepted_at=day(4),
        )  # fmt: skip
        if status == ENDED:
            fields.update(status=Match.Status.ENDED, ended_at=day(60), notes=ENDED_NOTE)
    elif status == DECLINED_BY_ASSOCIATION:
        fields.update(
            status=Match.Status.DECLINED, volunteer_answer=accepted, volunteer_answered_at=day(2),
            association_answer=declined, association_answered_at=day(5), declined_at=day(5),
            notes="L’association a préféré une candidature venue de son propre réseau.",
        )  # fmt: skip
    elif status == DECLINED_BY_VOLUNTEER:
        fields.update(
            status=Match.Status.DECLINED, volunteer_answer=declined,
            volunteer_answered_at=day(3), declined_at=day(3),
            notes="Le bénévole ne peut pas se rendre aux réunions en semaine.",
        )  # fmt: skip
    match = MatchFactory(need=need, offer=offer, score=score(need, offer), **fields)
    Match.objects.filter(pk=match.pk).update(created_at=start)
    # The volunteer offered their skills before anyone proposed them.
    VolunteerOffer.objects.filter(pk=offer.pk, created_at__gt=start).update(
        created_at=start - datetime.timedelta(days=3)
    )
    if status in (ACCEPTED, ENDED):
        VolunteerOffer.objects.filter(pk=offer.pk).update(status=VolunteerOffer.Status.ENGAGED)
        offer.status = VolunteerOffer.Status.ENGAGED
    return match


def date_need(need, status, age, now):
    """The need's final status and dates: posted `age` days ago; a need open for more than 90
    days is confirmed, waiting for its confirmation, or due for the request."""
    posted = now - datetime.timedelta(days=age)
    fields = {"status": status, "created_at": posted}
    if status in (FILLED, CLOSED):
        fields["closed_at"] = posted + datetime.timedelta(days=min(age - 10, 120))
    elif age >= 150:
        fields["confirmed_at"] = now - datetime.timedelta(days=40)
    elif age >= 120:
        fields["confirmation_requested_at"] = now - datetime.timedelta(days=20)
    BoardNeed.objects.filter(pk=need.pk).update(**fields)


# --- Pages: the editor-built forms, and the way from the presentation page to the matching -----

VOLUNTEERING_PAGE_SLUG = "benevolat-gouvernance"


def link_demo_pages():
    """Publish the demo form pages under the home page, and give the « Bénévolat de
    gouvernance » presentation page its calls to action towards the listing and the two
    forms (added once). Does nothing without the demo site (load_demo_content)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page.specific if site else None
    if not isinstance(home, HomePage):
        return
    _contact, study_day = create_demo_form_pages(home)
    page = StandardPage.objects.child_of(home).filter(slug=VOLUNTEERING_PAGE_SLUG).first()
    if page is None:
        return
    with translation.override("fr"):
        actions = [
            (
                "Les conseils d’administration qui cherchent",
                "Trésorerie, présidence, secrétariat : les besoins ouverts des associations, "
                "par territoire et par compétence.",
                "Voir les besoins",
                reverse("volunteering:needs"),
            ),
            (
                "Votre association cherche un administrateur ?",
                "Décrivez le rôle, les compétences et le temps demandé : nous vous présentons "
                "des bénévoles.",
                "Déposer un besoin",
                reverse("volunteering:need_submit"),
            ),
            (
                "Vous voulez vous engager ?",
                "Dites ce que vous savez faire et le temps dont vous disposez ; votre nom reste "
                "confidentiel jusqu’à votre accord.",
                "Proposer mes compétences",
                reverse("volunteering:offer_submit"),
            ),
        ]
    present = {
        block.value["link"]["url"] for block in page.body if block.block_type == "call_to_action"
    }
    added = False
    for title, text, label, url in actions:
        if url in present:
            continue
        link = {"label": label, "page": None, "url": url}
        page.body.append(("call_to_action", {"title": title, "text": text, "link": link}))
        added = True
    # The study day's registration form is not in the menu: it is announced here.
    linked_pages = {
        block.value["link"]["page"].pk
        for block in page.body
        if block.block_type == "call_to_action" and block.value["link"]["page"]
    }
    if study_day.pk not in linked_pages:
        link = {"label": "S’inscrire à la journée d’étude", "page": study_day, "url": ""}
        text = (
            "Une journée pour échanger entre administrateurs, bénévoles et salariés sur la "
            "gouvernance associative ; l’inscription est gratuite."
        )
        page.body.append(("call_to_action", {"title": study_day.title, "text": text, "link": link}))
        added = True
    if added:
        page.save_revision().publish()
