"""Factories of the award, for the demo and the tests.

- factory_boy factories: an edition whose call is open (with its grid and a prize), dossiers,
  jurors and their assignments;
- builders of scenes: an edition being scored with a grid whose totals are easy to check by
  hand (`scene_being_scored`), score sheets for the ranking, and a large edition built with
  bulk_create for the benchmark (`build_large_edition`).
"""

import datetime
import itertools
import random

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from awards.models import (
    Application,
    Attachment,
    AwardEdition,
    EvaluationCriterion,
    Juror,
    JuryAssignment,
    Prize,
    Score,
)
from demo.factories.members import OrganisationFactory, UserFactory, valid_siret
from members.models import Contact, Organisation

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


def make_attachment(application, name, description="Bilan signé par Camille Durand"):
    """A stored PDF piece of the dossier, its description naming a person (personal data)."""
    attachment = Attachment(
        application=application,
        original_name=name,
        content_type="application/pdf",
        size=9,
        description=description,
    )
    attachment.file.save(name, ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    return attachment


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


# --------------------------------------------------------------------------------------------
# Scenes: plain builders, for tests that read better with explicit values


PASSWORD = "un-mot-de-passe-solide-42"

_counter = itertools.count(1)


def make_user(prefix="user", password=None, **fields):
    """A user named after `prefix` (prefix1@example.org…), with PASSWORD unless given."""
    n = next(_counter)
    email = f"{prefix}{n}@example.org"
    values = dict(username=email, email=email, first_name=prefix.title(), last_name=f"N{n}")
    values.update(fields)
    user = UserFactory.build(**values)
    user.set_password(password or PASSWORD)
    user.save()
    return user


def make_edition(year=2030, **fields):
    """An edition on a fixed calendar: the call opens on 10 January of `year`."""
    opens = timezone.make_aware(datetime.datetime(year, 1, 10, 9, 0))
    values = dict(
        call_opens_at=opens,
        call_closes_at=opens + datetime.timedelta(days=60),
        scoring_deadline=opens + datetime.timedelta(days=90),
        results_published_at=opens + datetime.timedelta(days=120),
        jurors_per_application=2,
        disagreement_threshold=15,
    )
    values.update(fields)
    return EditionFactory(year=year, criteria=[], prizes=[], **values)


def scoring_edition(year=2031, deadline_in=datetime.timedelta(days=10), **fields):
    """An edition whose call is closed and whose scoring deadline is `deadline_in` from now."""
    deadline = timezone.now() + deadline_in
    values = dict(
        call_opens_at=deadline - datetime.timedelta(days=90),
        call_closes_at=deadline - datetime.timedelta(days=30),
        scoring_deadline=deadline,
        results_published_at=deadline + datetime.timedelta(days=30),
    )
    values.update(fields)
    return EditionFactory(year=year, criteria=[], prizes=[], **values)


def make_grid(edition):
    """Three criteria: (weight 3, 0–5), (weight 2, 1–10), (weight 1, 0–5, « sans objet »)."""
    return [
        make_criterion(edition, "Qualité du partenariat", weight=3, scale_max=5, order=0,
                       guidance="Ce que chacun apporte, et comment."),
        make_criterion(edition, "Utilité sociale", weight=2, scale_min=1, scale_max=10, order=1),
        make_criterion(edition, "Essaimage", weight=1, scale_max=5, na=True, order=2),
    ]  # fmt: skip


def make_criterion(edition, label, weight=1, scale_min=0, scale_max=5, na=False, order=0, **fields):
    return EvaluationCriterion.objects.create(
        edition=edition, label=label, weight=weight, scale_min=scale_min, scale_max=scale_max,
        allow_not_applicable=na, sort_order=order, **fields,
    )  # fmt: skip


def make_prize(edition, name="Grand prix", order=0):
    return Prize.objects.create(edition=edition, name=name, sort_order=order)


def make_application(edition, title="", status=Application.Status.ELIGIBLE, **fields):
    """A dossier at `status` (eligible by default), submitted now unless a draft."""
    organisation = fields.pop("organisation", None) or OrganisationFactory()
    created_by = fields.pop("created_by", None) or make_user("candidat")
    submitted_at = fields.pop(
        "submitted_at", None if status == Application.Status.DRAFT else timezone.now()
    )
    return Application.objects.create(
        edition=edition, organisation=organisation, created_by=created_by, status=status,
        title=title, submitted_at=submitted_at, **fields,
    )  # fmt: skip


def application_to_score(edition, name=None, company="Boulangerie Lemoine", **fields):
    """An eligible dossier submitted the day before the call closed, its texts filled in."""
    n = next(_counter)
    values = dict(
        organisation=OrganisationFactory(name=name or f"Association Jury {n}"),
        submitted_at=edition.call_closes_at - datetime.timedelta(days=1),
        title=f"Partenariat n°{n}",
        summary="Des ateliers partagés entre salariés et bénévoles.",
        territory="Loire-Atlantique",
        company_name=company,
        company_siret="73282932000074",
        company_sector="Alimentation",
        company_size=12,
        association_contribution="L’accueil des publics.",
        company_contribution="Du mécénat de compétences.",
    )
    values.update(fields)
    return make_application(edition, **values)


def make_juror(edition, user=None, *, name="Juré", **fields):
    return Juror.objects.create(
        edition=edition, user=user or make_user("jure", first_name=name), **fields
    )


def assign(application, juror, **fields):
    return JuryAssignment.objects.create(application=application, juror=juror, **fields)


def score_sheet(application, juror, values, status=JuryAssignment.Status.SUBMITTED, reason=""):
    """An assignment with its scores: `values` maps criteria to a value (None: sans objet)."""
    assignment = assign(
        application, juror, status=status,
        conflict_reason=reason or ("Conflit" if status == JuryAssignment.Status.CONFLICT else ""),
        submitted_at=timezone.now() if status == JuryAssignment.Status.SUBMITTED else None,
    )  # fmt: skip
    Score.objects.bulk_create(
        Score(assignment=assignment, criterion=criterion, value=value)
        for criterion, value in values.items()
    )
    return assignment


def scene_being_scored():
    """An edition being scored, its grid, two applications, two jurors assigned to the first,
    one to the second; returns a dict."""
    edition = scoring_edition()
    criteria = make_grid(edition)
    first = application_to_score(edition, name="Les Jardins Partagés", title="Potagers solidaires")
    second = application_to_score(edition, name="Atelier Vélo", company="Cycles Martin")
    alice = make_juror(edition, make_user("alice"), company_name="Banque Coopérative")
    bruno = make_juror(edition, make_user("bruno"))
    return {
        "edition": edition,
        "criteria": criteria,
        "first": first,
        "second": second,
        "alice": alice,
        "bruno": bruno,
        "alice_first": assign(first, alice),
        "bruno_first": assign(first, bruno),
        "bruno_second": assign(second, bruno),
    }


def build_large_edition(applications=300, jurors=5, criteria=8, year=2031, seed=7):
    """An edition of `applications` × `jurors` × `criteria`, every sheet submitted, through
    bulk_create (a few dozen queries). Values follow a fixed pseudo-random pattern."""
    rng = random.Random(seed)
    edition = make_edition(year=year, jurors_per_application=jurors)
    grid = EvaluationCriterion.objects.bulk_create(
        EvaluationCriterion(
            edition=edition,
            label=f"Critère {i + 1}",
            weight=1 + i % 3,
            scale_min=0,
            scale_max=5 if i % 2 else 10,
            allow_not_applicable=i == 0,
            sort_order=i,
        )  # fmt: skip
        for i in range(criteria)
    )
    owner = make_user("porteur")
    n = next(_counter)
    organisations = Organisation.objects.bulk_create(
        OrganisationFactory.build(
            name=f"Association {n}-{i}",
            rna=f"W{n % 100:02d}{i:07d}",
            address="1 rue",
            employees=1,
        )  # fmt: skip
        for i in range(applications)
    )
    now = timezone.now()
    apps = Application.objects.bulk_create(
        Application(
            edition=edition,
            organisation=organisation,
            created_by=owner,
            status=Application.Status.ELIGIBLE,
            title=f"Partenariat {i}",
            submitted_at=now,
            company_name=f"Entreprise {i}",
        )  # fmt: skip
        for i, organisation in enumerate(organisations)
    )
    users = UserFactory._meta.model.objects.bulk_create(
        UserFactory.build(username=f"jure-{n}-{j}@example.org", first_name="Juré", last_name=str(j))
        for j in range(jurors)
    )
    jury = Juror.objects.bulk_create(Juror(edition=edition, user=user) for user in users)
    assignments = JuryAssignment.objects.bulk_create(
        JuryAssignment(
            application=app, juror=juror, status=JuryAssignment.Status.SUBMITTED, submitted_at=now
        )
        for app in apps
        for juror in jury
    )
    Score.objects.bulk_create(
        (
            Score(
                assignment=assignment,
                criterion=criterion,
                value=None
                if criterion.allow_not_applicable and rng.random() < 0.1
                else rng.randint(criterion.scale_min, criterion.scale_max),
            )
            for assignment in assignments
            for criterion in grid
        ),
        batch_size=2000,
    )
    return edition
