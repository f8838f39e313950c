"""Automatic assignment: K jurors per application, balanced, never a conflict, never the
applying company's employee."""

from collections import Counter

import pytest

from awards.assignment import auto_assign, normalise_company_name, same_company
from awards.models import Application, JuryAssignment
from demo.factories.awards import (
    make_application,
    make_edition,
    make_juror,
    score_sheet,
)

pytestmark = pytest.mark.django_db


def active_pairs(edition):
    return set(
        JuryAssignment.objects.filter(application__edition=edition)
        .exclude(status=JuryAssignment.Status.CONFLICT)
        .values_list("application_id", "juror_id")
    )


def test_k_jurors_each_balanced_and_deterministic():
    edition = make_edition(jurors_per_application=2)
    jurors = [make_juror(edition) for _ in range(4)]
    apps = [make_application(edition, f"D{i}") for i in range(6)]
    make_application(edition, "Brouillon", status=Application.Status.DRAFT)
    make_application(edition, "Refusé", status=Application.Status.INELIGIBLE)

    report = auto_assign(edition)

    assert report.created_count == 12
    assert report.short == []
    per_app = Counter(a for a, _ in active_pairs(edition))
    assert per_app == {app.pk: 2 for app in apps}
    loads = Counter(j for _, j in active_pairs(edition))
    assert sorted(loads.values()) == [3, 3, 3, 3]
    # Least-loaded first, ties by juror id: the first dossier gets the first two jurors.
    assert set(
        JuryAssignment.objects.filter(application=apps[0]).values_list("juror_id", flat=True)
    ) == {jurors[0].pk, jurors[1].pk}
    # Running again changes nothing.
    assert auto_assign(edition).created_count == 0


def test_existing_assignments_count_and_conflicts_are_never_reassigned():
    edition = make_edition(jurors_per_application=2)
    j1, j2, j3 = (make_juror(edition) for _ in range(3))
    app = make_application(edition, "Dossier")
    score_sheet(app, j1, {}, status=JuryAssignment.Status.ASSIGNED)
    score_sheet(app, j2, {}, status=JuryAssignment.Status.CONFLICT, reason="Mon cousin")

    report = auto_assign(edition)

    assert [(a.application_id, a.juror_id) for a in report.created] == [(app.pk, j3.pk)]
    assert JuryAssignment.objects.get(application=app, juror=j2).status == "conflict"


def test_never_the_applying_company():
    edition = make_edition(jurors_per_application=2)
    by_siret = make_juror(edition, company_name="Autre nom", company_siret="12345678900011")
    by_name = make_juror(edition, company_name="Boulangerie Martin S.A.R.L.")
    free = make_juror(edition, company_name="Coopérative du Val")
    app = make_application(
        edition, "Pain partagé", company_name="boulangerie  MARTIN", company_siret="12345678900011"
    )

    report = auto_assign(edition)

    assert {a.juror_id for a in report.created} == {free.pk}
    assert by_siret.pk not in {a.juror_id for a in report.created}
    assert by_name.pk not in {a.juror_id for a in report.created}
    # Short of one juror: reported.
    assert [(s.application.pk, s.assigned, s.wanted) for s in report.short] == [(app.pk, 1, 2)]


def test_never_the_applicant_themselves():
    edition = make_edition(jurors_per_application=1)
    app = make_application(edition, "Mon dossier")
    applicant = make_juror(edition, user=app.created_by)
    other = make_juror(edition)
    report = auto_assign(edition)
    assert [a.juror_id for a in report.created] == [other.pk]
    assert applicant.pk not in {j for _, j in active_pairs(edition)}


def test_explicit_k_and_constrained_dossiers_first():
    edition = make_edition(jurors_per_application=3)
    company = make_juror(edition, company_name="Acme")
    other = make_juror(edition)
    # The first dossier could take either juror; the second only `other`… but k=1 each, so the
    # constrained one is served first and the loads stay balanced.
    easy = make_application(edition, "Facile")
    hard = make_application(edition, "Contraint", company_name="ACME")
    report = auto_assign(edition, k=1)
    assert report.short == []
    assert set(active_pairs(edition)) == {(hard.pk, other.pk), (easy.pk, company.pk)}


def test_assignment_notifies_jurors_after_commit(mailoutbox, django_capture_on_commit_callbacks):
    edition = make_edition(jurors_per_application=1)
    juror = make_juror(edition)
    make_application(edition, "Dossier")
    with django_capture_on_commit_callbacks(execute=True):
        report = auto_assign(edition)
    assert report.created_count == 1
    assert [m.to for m in mailoutbox] == [[juror.user.email]]


def test_company_names():
    assert normalise_company_name("Boulangerie Martin S.A.R.L.") == "boulangerie martin"
    assert normalise_company_name("  Éco-Logis SAS ") == "eco logis"
    assert normalise_company_name("SAS") == "sas"

    class Juror:
        company_name = ""
        company_siret = "123 456 789 00011"

    class App:
        company_name = ""
        company_siret = "12345678900011"

    assert same_company(Juror, App)
    Juror.company_siret = ""
    assert not same_company(Juror, App)  # nothing known: no match on empty names
