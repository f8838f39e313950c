"""Staff open an edition's ranking in Wagtail's admin and see the applications in the order of
their weighted means, the disagreement flagged and the normalised rank beside."""

import pytest

from awards.models import JuryAssignment
from demo.factories.awards import (
    make_application,
    make_criterion,
    make_edition,
    make_juror,
    score_sheet,
)
from tests.e2e.conftest import sign_in_to_admin

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_see_the_ranking_in_order(page, live_server, screenshot):
    from django.contrib.auth.models import User

    User.objects.create_superuser("staff@example.org", "staff@example.org", "motdepasse-staff")
    edition = make_edition(year=2030, disagreement_threshold=20)
    impact = make_criterion(edition, "Impact social", weight=2, scale_max=5, order=0)
    novelty = make_criterion(edition, "Innovation", weight=1, scale_max=5, na=True, order=1)
    alice, bruno = make_juror(edition, name="Alice"), make_juror(edition, name="Bruno")
    garden = make_application(edition, "Jardin partagé")
    repair = make_application(edition, "Repair café")
    canteen = make_application(edition, "Cantine solidaire")
    score_sheet(garden, alice, {impact: 5, novelty: 4})  # 93.3
    score_sheet(garden, bruno, {impact: 4, novelty: None})  # 80
    score_sheet(repair, alice, {impact: 1, novelty: 0})  # 13.3
    score_sheet(repair, bruno, {impact: 5, novelty: 5})  # 100: a disagreement
    score_sheet(canteen, alice, {impact: 3, novelty: 3})  # 60
    score_sheet(canteen, bruno, {impact: 3, novelty: 3}, status=JuryAssignment.Status.ASSIGNED)

    # The password, then the code of the authenticator app (the staff member enrolled before).
    sign_in_to_admin(page, live_server.url, "staff@example.org", "motdepasse-staff")

    page.goto(f"{live_server.url}/admin/prix/edition/{edition.pk}/classement/")
    titles = page.locator("#ranking tbody th.title a").all_inner_texts()
    assert [t.strip() for t in titles] == ["Jardin partagé", "Cantine solidaire", "Repair café"]
    ranks = page.locator("#ranking tbody td.rank").all_inner_texts()
    assert [r.strip() for r in ranks] == ["1", "2", "3"]
    flagged = page.locator("#ranking tbody tr.disagreement th.title a").all_inner_texts()
    assert [t.strip() for t in flagged] == ["Repair café"]
    screenshot(page, "award-ranking")
