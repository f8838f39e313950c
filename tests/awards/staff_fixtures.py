"""Plain builders for the staff tools' tests (editions, grids, applications, jurors, scores).

Beside demo/factories/awards.py (whose factories they use): these build whole scenarios in few
queries (bulk_create), for the ranking's query-count test and the benchmark's shape.
"""

import datetime
import itertools

from django.contrib.auth.models import User
from django.utils import timezone

from awards.models import (
    Application,
    AwardEdition,
    EvaluationCriterion,
    Juror,
    JuryAssignment,
    Prize,
    Score,
)
from demo.factories.members import OrganisationFactory, UserFactory
from members.models import Organisation

_counter = itertools.count(1)


def make_edition(year=2030, **fields):
    opens = timezone.make_aware(datetime.datetime(year, 1, 10, 9, 0))
    values = dict(
        year=year,
        call_opens_at=opens,
        call_closes_at=opens + datetime.timedelta(days=60),
        scoring_deadline=opens + datetime.timedelta(days=90),
        results_published_at=opens + datetime.timedelta(days=120),
        jurors_per_application=2,
        disagreement_threshold=15,
    )
    values.update(fields)
    return AwardEdition.objects.create(**values)


def make_criterion(edition, label, weight=1, scale_min=0, scale_max=5, na=False, order=0):
    return EvaluationCriterion.objects.create(
        edition=edition, label=label, weight=weight, scale_min=scale_min, scale_max=scale_max,
        allow_not_applicable=na, sort_order=order,
    )  # fmt: skip


def make_prize(edition, name="Grand prix", order=0):
    return Prize.objects.create(edition=edition, name=name, sort_order=order)


def make_user(prefix="user", **fields):
    n = next(_counter)
    email = f"{prefix}{n}@example.org"
    values = dict(username=email, email=email, first_name=prefix.title(), last_name=f"N{n}")
    values.update(fields)
    return UserFactory(**values)


def make_organisation(name=None):
    return OrganisationFactory(**({"name": name} if name else {}))


def make_application(edition, title="", status=Application.Status.ELIGIBLE, **fields):
    organisation = fields.pop("organisation", None) or make_organisation()
    created_by = fields.pop("created_by", None) or make_user("candidat")
    submitted_at = None if status == Application.Status.DRAFT else timezone.now()
    return Application.objects.create(
        edition=edition, organisation=organisation, created_by=created_by, status=status,
        title=title, submitted_at=submitted_at, **fields,
    )  # fmt: skip


def make_juror(edition, name="Juré", **fields):
    user = fields.pop("user", None) or make_user("jure", first_name=name)
    return Juror.objects.create(edition=edition, user=user, **fields)


def score_sheet(application, juror, values, status=JuryAssignment.Status.SUBMITTED, reason=""):
    """An assignment with its scores: `values` maps criteria to a value (None: sans objet)."""
    assignment = JuryAssignment.objects.create(
        application=application, juror=juror, status=status,
        conflict_reason=reason or ("Conflit" if status == JuryAssignment.Status.CONFLICT else ""),
        submitted_at=timezone.now() if status == JuryAssignment.Status.SUBMITTED else None,
    )  # fmt: skip
    Score.objects.bulk_create(
        Score(assignment=assignment, criterion=criterion, value=value)
        for criterion, value in values.items()
    )
    return assignment


def build_large_edition(applications=300, jurors=5, criteria=8, year=2031, seed=7):
    """An edition of `applications` × `jurors` × `criteria`, every sheet submitted, through
    bulk_create (a few dozen queries). Values follow a fixed pseudo-random pattern."""
    import random

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
        Organisation(
            name=f"Association {n}-{i}",
            legal_form="association",
            rna=f"W{n % 100:02d}{i:07d}",
            address="1 rue",
            postal_code="44000",
            city="Nantes",
            departement="44",
            employees=1,
            budget_bracket="50000",
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
    users = User.objects.bulk_create(
        User(
            username=f"jure-{n}-{j}@example.org",
            email=f"jure-{n}-{j}@example.org",
            first_name="Juré",
            last_name=str(j),
        )  # fmt: skip
        for j in range(jurors)
    )
    jury = Juror.objects.bulk_create(Juror(edition=edition, user=user) for user in users)
    assignments = JuryAssignment.objects.bulk_create(
        JuryAssignment(
            application=app,
            juror=juror,
            status=JuryAssignment.Status.SUBMITTED,
            submitted_at=now,
        )  # fmt: skip
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
