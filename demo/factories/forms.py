"""Factories for the volunteer matching (forms/)."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from demo.factories.members import OrganisationFactory
from forms.models import (
    BoardNeed,
    BoardRole,
    Company,
    Match,
    NeedSkill,
    OfferSkill,
    Skill,
    VolunteerOffer,
)


class SkillFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Compétence {n}")
    slug = factory.Sequence(lambda n: f"competence-{n}")

    class Meta:
        model = Skill
        django_get_or_create = ("slug",)


class CompanyFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Entreprise {n}")
    contact_name = "Claire Martin"
    contact_email = factory.Sequence(lambda n: f"rse{n}@entreprise.example")

    class Meta:
        model = Company


class BoardNeedFactory(factory.django.DjangoModelFactory):
    organisation = factory.SubFactory(OrganisationFactory)
    role = BoardRole.TREASURER
    hours_per_month = 6
    mandate_months = 36
    departement = "44"
    commune = "Nantes"
    description = "Nous cherchons une personne pour tenir les comptes et préparer le budget."

    class Meta:
        model = BoardNeed
        skip_postgeneration_save = True

    @factory.post_generation
    def with_skills(self, create, extracted, **kwargs):
        """with_skills={skill: importance}."""
        for skill, importance in (extracted or {}).items():
            NeedSkill.objects.create(need=self, skill=skill, importance=importance)


class VolunteerUserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"benevole{n}@exemple.fr")
    email = factory.SelfAttribute("username")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Durand{n}")

    class Meta:
        model = get_user_model()


class VolunteerOfferFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(VolunteerUserFactory)
    first_name = factory.SelfAttribute("user.first_name")
    last_name = factory.SelfAttribute("user.last_name")
    hours_per_month = 8
    departements = factory.LazyFunction(lambda: ["44"])
    motivation = "Mettre mes compétences au service d’une association de mon territoire."

    class Meta:
        model = VolunteerOffer
        skip_postgeneration_save = True

    @factory.post_generation
    def with_skills(self, create, extracted, **kwargs):
        """with_skills={skill: level}."""
        for skill, level in (extracted or {}).items():
            OfferSkill.objects.create(offer=self, skill=skill, level=level)


class MatchFactory(factory.django.DjangoModelFactory):
    need = factory.SubFactory(BoardNeedFactory)
    offer = factory.SubFactory(VolunteerOfferFactory)
    score = 50
    status = Match.Status.PROPOSED
    # A match past PROPOSED was introduced: views show only introduced matches.
    introduced_at = factory.LazyAttribute(
        lambda match: None if match.status == Match.Status.PROPOSED else timezone.now()
    )

    class Meta:
        model = Match
