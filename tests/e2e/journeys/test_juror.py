"""Journey: a juror follows the e-mail telling them a dossier is theirs, logs in, scores every
criterion of the grid, submits, and sees their progress reach the end.

The juror first passes by the home page; the assignment is made as staff make it (the automatic
assignment of the admin, which e-mails each juror once the assignments are saved). Every page
passed through is checked by axe (impact moderate and above).
"""

import re
import time

from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from awards.assignment import auto_assign
from awards.models import JuryAssignment
from demo.factories.awards import (
    PASSWORD,
    application_to_score,
    make_grid,
    make_juror,
    make_user,
    scoring_edition,
)

# « Se connecter », « Soumettre mes notes », then the breadcrumb's « Espace jury ». The scores
# and comments are filled in (radio buttons checked, text typed), not clicked through pages.
CLICKS = 3


def test_a_juror_scores_an_assigned_dossier_from_the_email(journey, live_server):
    started = time.monotonic()
    call_command("load_demo_content", verbosity=0)
    edition = scoring_edition(year=2045)  # the call is closed, the scoring ends in ten days
    quality, utility, spread = make_grid(edition)
    application = application_to_score(
        edition, name="Les Jardins Partagés", title="Potagers solidaires"
    )
    juror = make_juror(edition, make_user("claire"))
    email = juror.user.email

    # Staff's automatic assignment: one juror per dossier, each told by e-mail.
    mail.outbox = []
    report = auto_assign(edition, k=1)
    assert [a.juror for a in report.created] == [juror]
    assert [m.to for m in mail.outbox] == [[email]]
    page = journey.page

    journey.start("/")
    journey.follow_email_link(r"^/jury/dossiers/\d+/$", to=email)

    # The link asks to log in first, then leads to the dossier.
    expect(page).to_have_url(re.compile(r"/espace-membre/connexion/\?next=/jury/dossiers/\d+/"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    journey.click(page.get_by_role("button", name="Se connecter"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Potagers solidaires")
    expect(page.get_by_text("Votre avancement : 0 sur 1 dossiers notés et soumis")).to_be_visible()

    # Every criterion of the grid: a note (radio buttons) and a comment.
    def criterion(c):
        return page.get_by_role("group", name=re.compile(rf"^{c.label} "))

    criterion(quality).get_by_label("4", exact=True).check()
    page.get_by_label("Commentaire sur « Qualité du partenariat » (facultatif)").fill(
        "Un partenariat équilibré."
    )
    criterion(utility).get_by_label("7", exact=True).check()
    page.get_by_label("Commentaire sur « Utilité sociale » (facultatif)").fill(
        "Douze jeunes accompagnés vers l’emploi."
    )
    criterion(spread).get_by_label("5", exact=True).check()
    # (3 × 4/5 + 2 × 6/9 + 1 × 5/5) / 6 = 78.9 %
    expect(page.locator("#live-total")).to_have_text("Total pondéré : 78,9 sur 100")
    journey.check()  # the page once filled in

    journey.click(page.get_by_role("button", name="Soumettre mes notes"))
    expect(
        page.get_by_text("Vos notes sont soumises (total pondéré : 78,9 sur 100).")
    ).to_be_visible()
    expect(page.get_by_text("Votre avancement : 1 sur 1 dossiers notés et soumis")).to_be_visible()

    journey.click(page.get_by_role("main").get_by_role("link", name="Espace jury"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace jury")
    expect(page.get_by_text("Votre avancement : 1 sur 1 dossiers notés et soumis")).to_be_visible()
    bar = page.locator("progress")
    expect(bar).to_have_attribute("value", "1")
    expect(bar).to_have_attribute("max", "1")  # 100 %
    row = page.get_by_role("row", name=re.compile("Potagers solidaires"))
    expect(row).to_contain_text("Notes soumises")
    expect(row).to_contain_text("78,9")

    assignment = JuryAssignment.objects.get(application=application, juror=juror)
    assert assignment.status == JuryAssignment.Status.SUBMITTED
    scores = {s.criterion_id: (s.value, s.comment) for s in assignment.scores.all()}
    assert scores == {
        quality.pk: (4, "Un partenariat équilibré."),
        utility.pk: (7, "Douze jeunes accompagnés vers l’emploi."),
        spread.pk: (5, ""),
    }

    print(
        f"\njuror journey: {journey.clicks} clicks, {len(journey.pages)} pages checked, "
        f"{time.monotonic() - started:.1f} s"
    )
    assert journey.clicks == CLICKS
