"""Builders for the jury area's tests: an edition being scored, its grid, jurors, applications.

Beside demo/factories/awards.py, whose factories make the users and organisations. The grid
is chosen so that totals are easy to check by hand: weights 3, 2 and 1, scales 0–5, 1–10 and
0–5, the last one allowing « sans objet ».
"""

import datetime
import itertools

from django.utils import timezone

from awards.models import (
    Application,
    AwardEdition,
    EvaluationCriterion,
    Juror,
    JuryAssignment,
)
from demo.factories.members import OrganisationFactory, UserFactory

PASSWORD = "un-mot-de-passe-solide-42"

_counter = itertools.count(1)


def make_user(prefix="jure", password=None, **fields):
    n = next(_counter)
    email = f"{prefix}{n}@example.org"
    values = dict(username=email, email=email, first_name=prefix.title(), last_name=f"N{n}")
    values.update(fields)
    user = UserFactory.build(**values)
    user.set_password(password or PASSWORD)
    user.save()
    return user


def make_edition(year=2031, deadline_in=datetime.timedelta(days=10), **fields):
    """An edition whose call is closed and whose scoring deadline is `deadline_in` from now."""
    deadline = timezone.now() + deadline_in
    values = dict(
        year=year,
        call_opens_at=deadline - datetime.timedelta(days=90),
        call_closes_at=deadline - datetime.timedelta(days=30),
        scoring_deadline=deadline,
        results_published_at=deadline + datetime.timedelta(days=30),
    )
    values.update(fields)
    return AwardEdition.objects.create(**values)


def make_grid(edition):
    """Three criteria: (weight 3, 0–5), (weight 2, 1–10), (weight 1, 0–5, « sans objet »)."""
    return [
        EvaluationCriterion.objects.create(
            edition=edition, label="Qualité du partenariat", weight=3, scale_min=0,
            scale_max=5, sort_order=0, guidance="Ce que chacun apporte, et comment.",
        ),
        EvaluationCriterion.objects.create(
            edition=edition, label="Utilité sociale", weight=2, scale_min=1, scale_max=10,
            sort_order=1,
        ),
        EvaluationCriterion.objects.create(
            edition=edition, label="Essaimage", weight=1, scale_min=0, scale_max=5,
            allow_not_applicable=True, sort_order=2,
        ),
    ]  # fmt: skip


def make_application(edition, name=None, company="Boulangerie Lemoine", **fields):
    n = next(_counter)
    organisation = OrganisationFactory(name=name or f"Association Jury {n}")
    values = dict(
        edition=edition,
        organisation=organisation,
        created_by=make_user("candidat"),
        status=Application.Status.ELIGIBLE,
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
    return Application.objects.create(**values)


def make_juror(edition, user=None, **fields):
    return Juror.objects.create(edition=edition, user=user or make_user(), **fields)


def assign(application, juror, **fields):
    return JuryAssignment.objects.create(application=application, juror=juror, **fields)


def scenario():
    """An edition, its grid, two applications, two jurors assigned to the first, one to the
    second; returns a dict."""
    edition = make_edition()
    criteria = make_grid(edition)
    first = make_application(edition, name="Les Jardins Partagés", title="Potagers solidaires")
    second = make_application(edition, name="Atelier Vélo", company="Cycles Martin")
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
