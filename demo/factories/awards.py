"""Factories of the award: an edition whose call is open (with its grid and a prize), dossiers,
jurors and their assignments. Kept general: every awards test may build on them."""

import datetime

import factory
from django.utils import timezone

from awards.models import (
    Application,
    AwardEdition,
    EvaluationCriterion,
    Juror,
    JuryAssignment,
    Prize,
)
from demo.factories.members import OrganisationFactory, UserFactory, valid_siret
from members.models import Contact

CRITERIA = [
    ("Réciprocité du partenariat", 3),
    ("Utilité sociale", 2),
    ("Caractère innovant", 1),
]


class EditionFactory(factory.django.DjangoModelFactory):
    """An edition whose call opened ten days ago and closes in thirty, with a three-criterion
    grid and one prize (pass `criteria=[]` for none)."""

    year = factory.Sequence(lambda n: 2100 + n)
    call_opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    call_closes_at = factory.LazyAttribute(lambda o: o.call_opens_at + datetime.timedelta(days=40))
    scoring_deadline = factory.LazyAttribute(
        lambda o: o.call_closes_at + datetime.timedelta(days=30)
    )
    results_published_at = factory.LazyAttribute(
        lambda o: o.scoring_deadline + datetime.timedelta(days=15)
    )

    class Meta:
        model = AwardEdition
        skip_postgeneration_save = True

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if not create:
            return
        rows = CRITERIA if extracted is None else extracted
        for order, (label, weight) in enumerate(rows):
            EvaluationCriterion.objects.create(
                edition=self, label=label, weight=weight, sort_order=order
            )

    @factory.post_generation
    def prizes(self, create, extracted, **kwargs):
        if not create:
            return
        for order, name in enumerate(["Prix du jury"] if extracted is None else extracted):
            Prize.objects.create(edition=self, name=name, sort_order=order)


def member(email=None, organisation=None, **user_fields):
    """A user who is a contact of an organisation (made if not given); returns the user."""
    user = UserFactory(**({"email": email, "username": email} if email else {}), **user_fields)
    organisation = organisation or OrganisationFactory()
    Contact.objects.create(organisation=organisation, user=user, role="president", is_primary=True)
    return user


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft dossier, filled in entirely (partner included) but not confirmed nor consented:
    pass `partner_confirmed_at` and `publication_consent=True` to make it submittable, or
    `complete=False` for an empty draft."""

    edition = factory.SubFactory(EditionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.LazyAttribute(lambda o: member(organisation=o.organisation))

    class Meta:
        model = Application

    class Params:
        complete = factory.Trait(
            title="Des salariés au conseil d’administration",
            summary="Des salariés de l’entreprise accompagnent la gouvernance de l’association.",
            start_date=datetime.date(2024, 9, 1),
            territory="Nantes Métropole",
            beneficiaries="120 familles accompagnées",
            association_contribution="Connaissance du terrain, bénévoles.",
            company_contribution="Mécénat de compétences, locaux.",
            results="Une gouvernance renouvelée, deux nouveaux services.",
            prospects="Étendre le partenariat à d’autres quartiers.",
            company_name=factory.Sequence(lambda n: f"Entreprise Solidaire n°{n}"),
            company_siret=factory.Sequence(lambda n: valid_siret(900000 + n)),
            company_sector="Bâtiment",
            company_size=45,
            company_contact_name="Camille Durand",
            company_contact_email=factory.Sequence(lambda n: f"rse{n}@entreprise.example.com"),
            company_contact_phone="02 40 00 00 00",
        )
        submittable = factory.Trait(
            complete=True,
            partner_confirmed_at=factory.LazyFunction(timezone.now),
            publication_consent=True,
        )
        submitted = factory.Trait(
            submittable=True,
            status=Application.Status.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
        )

    complete = True


class JurorFactory(factory.django.DjangoModelFactory):
    edition = factory.SubFactory(EditionFactory)
    user = factory.SubFactory(UserFactory)
    company_name = "Banque Coopérative"

    class Meta:
        model = Juror


class JuryAssignmentFactory(factory.django.DjangoModelFactory):
    application = factory.SubFactory(ApplicationFactory)
    juror = factory.LazyAttribute(lambda o: JurorFactory(edition=o.application.edition))

    class Meta:
        model = JuryAssignment
