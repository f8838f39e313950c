"""Staff's decision on an application (awards.applications.decide), as the admin's decision page
and any other caller get it: what is kept with each status, and when the applicant is told."""

import pytest

from awards import applications
from awards.models import Application
from demo.factories.awards import make_application, make_edition, make_prize
from tests.mail import MAIL_SERVER_DOWN

pytestmark = pytest.mark.django_db

Status = Application.Status


def test_each_status_keeps_only_what_belongs_to_it(mailoutbox):
    edition = make_edition()
    prize = make_prize(edition)
    app = make_application(edition, "Jardin partagé", status=Status.SUBMITTED)

    decided = applications.decide(
        app, status=Status.INELIGIBLE, ineligibility_reason="  Hors délai ", prize=prize
    )
    assert (decided.application.ineligibility_reason, decided.application.prize) == (
        "Hors délai",
        None,  # a prize only goes with « lauréat »
    )
    assert decided.notified and not decided.not_sent
    assert [m.to for m in mailoutbox] == [[app.created_by.email]]

    decided = applications.decide(
        app, status=Status.LAUREATE, ineligibility_reason="Hors délai", prize=prize
    )
    app.refresh_from_db()
    assert (app.status, app.ineligibility_reason, app.prize) == (Status.LAUREATE, "", prize)
    assert "lauréat" in mailoutbox[-1].subject


def test_the_applicant_hears_of_a_change_only(mailoutbox):
    app = make_application(make_edition(), status=Status.SUBMITTED)
    applications.decide(app, status=Status.ELIGIBLE, notify=False)
    assert mailoutbox == []
    # The same decision again, or a status applicants are not told of: no e-mail either.
    assert not applications.decide(app, status=Status.ELIGIBLE).notified
    assert not applications.decide(app, status=Status.SHORTLISTED).notified
    assert mailoutbox == []


def test_a_refused_email_leaves_the_decision_and_says_so(settings):
    settings.EMAIL_BACKEND = MAIL_SERVER_DOWN
    app = make_application(make_edition(), status=Status.SUBMITTED)
    decided = applications.decide(app, status=Status.NOT_SELECTED)
    assert (decided.notified, decided.not_sent) == (False, True)
    assert Application.objects.get(pk=app.pk).status == Status.NOT_SELECTED


def test_a_draft_takes_no_decision():
    app = make_application(make_edition(), status=Status.DRAFT)
    with pytest.raises(ValueError):
        applications.decide(app, status=Status.ELIGIBLE)
    assert Application.objects.get(pk=app.pk).status == Status.DRAFT
