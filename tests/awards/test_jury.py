"""The jury area: who sees what, the scoring rules, conflicts of interest, progress, e-mails."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from awards import scoring
from awards.emails import notify_assignment, remind_jurors, reminder_due
from awards.models import Application, Attachment, JuryAssignment, JuryReminder, Score
from demo.factories.awards import (
    PASSWORD,
    application_to_score,
    assign,
    make_juror,
    make_user,
    scene_being_scored,
)
from tests.mail import identity_reads

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return scene_being_scored()


def url(application):
    return reverse("awards:jury_application", args=[application.pk])


def score_url(application):
    return reverse("awards:jury_score", args=[application.pk])


def conflict_url(application):
    return reverse("awards:jury_conflict", args=[application.pk])


def post_data(criteria, values, comments=None, action="save"):
    data = {action: ""}
    for criterion, value in zip(criteria, values, strict=True):
        if value is not None:
            data[f"value_{criterion.pk}"] = value
    for criterion, comment in zip(criteria, comments or [], strict=False):
        data[f"comment_{criterion.pk}"] = comment
    return data


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def login(client, juror):
    client.force_login(juror.user)
    return client


# --- Access matrix -----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, s):
    for address in ("/jury/", url(s["first"])):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith("/espace-membre/connexion/?next=")


def test_an_assigned_juror_sees_the_application(client, s):
    login(client, s["alice"])
    response = client.get(url(s["first"]))
    assert response.status_code == 200
    assert "Potagers solidaires" in text(response)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_an_unassigned_juror_gets_404(client, s):
    login(client, s["alice"])
    assert client.get(url(s["second"])).status_code == 404


def test_someone_on_no_jury_gets_404_everywhere(client, s):
    applicant = s["first"].created_by
    client.force_login(applicant)
    assert client.get("/jury/").status_code == 404
    assert client.get(url(s["first"])).status_code == 404
    assert client.get(url(s["second"])).status_code == 404


def test_a_juror_of_another_edition_does_not_see_this_one(client, s):
    from demo.factories.awards import scoring_edition

    other_edition = scoring_edition(year=2032)
    stranger = make_juror(other_edition)
    login(client, stranger)
    assert client.get("/jury/").status_code == 200
    assert client.get(url(s["first"])).status_code == 404


def test_a_draft_application_is_never_shown_to_a_juror_even_if_assigned(client, s):
    from awards.models import Application

    s["first"].status = Application.Status.DRAFT
    s["first"].save()
    attachment = _with_attachment(s["first"])
    login(client, s["alice"])
    assert client.get(url(s["first"])).status_code == 404
    assert "Potagers solidaires" not in text(client.get("/jury/"))
    assert client.get(reverse("awards:attachment", args=[attachment.pk])).status_code == 404


def test_the_jury_home_lists_only_the_jurors_applications(client, s):
    login(client, s["alice"])
    response = client.get("/jury/")
    assert response.status_code == 200
    html = text(response)
    assert "Potagers solidaires" in html
    assert s["second"].title not in html
    assert 'max="1" value="0"' in html


def test_a_score_post_for_an_unassigned_application_is_refused(client, s):
    login(client, s["alice"])
    data = post_data(s["criteria"], ["4", "7", "na"])
    response = client.post(score_url(s["second"]), data)
    assert response.status_code == 404
    assert not Score.objects.exists()
    assert client.post(conflict_url(s["second"]), {"conflict-reason": "x"}).status_code == 404
    assert JuryAssignment.objects.filter(status="conflict").count() == 0


def test_score_pages_refuse_get_and_anonymous_posts(client, s):
    data = post_data(s["criteria"], ["4", "7", "na"])
    response = client.post(score_url(s["first"]), data)
    assert response.status_code == 302
    assert not Score.objects.exists()
    login(client, s["alice"])
    assert client.get(score_url(s["first"])).status_code == 405


# --- Weighted totals ---------------------------------------------------------------------------


def test_weighted_total_equals_the_hand_computed_value(s):
    a, b, c = s["criteria"]
    # a: 4 on 0–5 → 0.8, weight 3; b: 7 on 1–10 → 6/9, weight 2; c: 5 on 0–5 → 1, weight 1.
    expected = (3 * 0.8 + 2 * 6 / 9 + 1 * 1) / 6 * 100
    assert scoring.weighted_total({a: 4, b: 7, c: 5}, s["criteria"]) == pytest.approx(expected)
    assert scoring.weighted_total({a: 4, b: 7, c: 5}, s["criteria"]) == pytest.approx(78.8889, 1e-4)


def test_sans_objet_counts_neither_above_nor_below_the_line(s):
    a, b, c = s["criteria"]
    expected = (3 * 0.8 + 2 * 6 / 9) / 5 * 100  # 74.67: c is out of both sums
    total = scoring.weighted_total({a: 4, b: 7, c: None}, s["criteria"])
    assert total == pytest.approx(expected)
    assert total == pytest.approx(74.6667, 1e-4)


def test_extremes_and_nothing_scored(s):
    a, b, c = s["criteria"]
    assert scoring.weighted_total({a: 5, b: 10, c: 5}, s["criteria"]) == 100
    assert scoring.weighted_total({a: 0, b: 1, c: 0}, s["criteria"]) == 0
    assert scoring.weighted_total({}, s["criteria"]) is None
    assert scoring.weighted_total({c: None}, s["criteria"]) is None
    # A partial score counts only what is scored.
    assert scoring.weighted_total({b: 10}, s["criteria"]) == 100


def test_weighted_total_of_saved_scores(s):
    a, b, c = s["criteria"]
    now = timezone.now()
    assignment = s["alice_first"]
    scoring.save_scores(assignment, {a: {"value": 2}, b: {"value": 4}, c: {"value": None}}, now)
    # (3 × 2/5 + 2 × 3/9) / 5 × 100 = (1.2 + 0.6667) / 5 × 100 = 37.33
    assert scoring.assignment_total(assignment) == pytest.approx(37.3333, 1e-4)
    assert scoring.weighted_total(list(assignment.scores.all()), s["criteria"]) == pytest.approx(
        37.3333, 1e-4
    )


# --- Saving and submitting ---------------------------------------------------------------------


def test_partial_saves_upsert_one_score_per_criterion(s):
    a, b, c = s["criteria"]
    now = timezone.now()
    assignment = s["alice_first"]
    scoring.save_scores(assignment, {a: {"value": 3, "comment": "Solide"}}, now)
    scoring.save_scores(assignment, {a: {"value": 4, "comment": "Très solide"}}, now)
    scoring.save_scores(assignment, {b.pk: {"value": 7}}, now)
    rows = {s.criterion_id: s for s in Score.objects.filter(assignment=assignment)}
    assert len(rows) == 2
    assert rows[a.pk].value == 4 and rows[a.pk].comment == "Très solide"
    assert rows[b.pk].value == 7
    assignment.refresh_from_db()
    assert assignment.status == JuryAssignment.Status.ASSIGNED


def test_the_database_allows_one_score_per_assignment_and_criterion(s):
    a = s["criteria"][0]
    Score.objects.create(assignment=s["alice_first"], criterion=a, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(assignment=s["alice_first"], criterion=a, value=2)


@pytest.mark.parametrize(
    ("index", "value"),
    [(0, 6), (0, -1), (1, 0), (1, 11), (0, None), (1, None), (0, "3"), (0, True)],
)
def test_values_off_the_scale_or_wrongly_sans_objet_are_refused(s, index, value):
    criterion = s["criteria"][index]
    with pytest.raises(scoring.InvalidScore):
        scoring.save_scores(s["alice_first"], {criterion: {"value": value}}, timezone.now())
    assert not Score.objects.exists()


def test_one_wrong_value_saves_nothing(s):
    a, b, _c = s["criteria"]
    with pytest.raises(scoring.InvalidScore):
        scoring.save_scores(s["alice_first"], {a: {"value": 3}, b: {"value": 42}}, timezone.now())
    assert not Score.objects.exists()


def test_a_criterion_of_another_edition_is_refused(s):
    from demo.factories.awards import make_grid, scoring_edition

    foreign = make_grid(scoring_edition(year=2033))[0]
    with pytest.raises(scoring.InvalidScore):
        scoring.save_scores(s["alice_first"], {foreign: {"value": 3}}, timezone.now())


def test_submission_needs_every_criterion_scored_or_sans_objet(s):
    a, b, c = s["criteria"]
    now = timezone.now()
    assignment = s["alice_first"]
    scoring.save_scores(assignment, {a: {"value": 3}, b: {"value": 5}}, now)
    with pytest.raises(scoring.IncompleteScores) as refused:
        scoring.submit_scores(assignment, now)
    assert "Essaimage" in str(refused.value)
    assignment.refresh_from_db()
    assert assignment.status == JuryAssignment.Status.ASSIGNED
    scoring.save_scores(assignment, {c: {"value": None}}, now)
    scoring.submit_scores(assignment, now)
    assignment.refresh_from_db()
    assert assignment.status == JuryAssignment.Status.SUBMITTED
    assert assignment.submitted_at == now


def test_scores_change_after_submission_until_the_deadline_and_stay_submitted(s):
    a, b, c = s["criteria"]
    now = timezone.now()
    assignment = s["alice_first"]
    scoring.save_scores(assignment, {a: {"value": 3}, b: {"value": 5}, c: {"value": 1}}, now)
    scoring.submit_scores(assignment, now)
    later = now + datetime.timedelta(hours=1)
    scoring.save_scores(assignment, {a: {"value": 5}}, later)
    scoring.submit_scores(assignment, later)
    assignment.refresh_from_db()
    assert assignment.status == JuryAssignment.Status.SUBMITTED
    assert assignment.submitted_at == now
    assert assignment.scores.get(criterion=a).value == 5


def test_nothing_changes_after_the_deadline(s):
    a, b, c = s["criteria"]
    edition = s["edition"]
    assignment = s["alice_first"]
    scoring.save_scores(assignment, {a: {"value": 3}, b: {"value": 5}}, edition.scoring_deadline)
    after = edition.scoring_deadline + datetime.timedelta(seconds=1)
    with pytest.raises(scoring.ScoringClosed):
        scoring.save_scores(assignment, {a: {"value": 4}, c: {"value": 2}}, after)
    with pytest.raises(scoring.ScoringClosed):
        scoring.submit_scores(assignment, after)
    assert assignment.scores.get(criterion=a).value == 3
    assert assignment.scores.count() == 2


def test_the_view_refuses_scores_after_the_deadline(client, s):
    edition = s["edition"]
    edition.scoring_deadline = timezone.now() - datetime.timedelta(minutes=1)
    edition.save()
    login(client, s["alice"])
    page = client.get(url(s["first"]))
    assert "La notation est close" in text(page)
    assert '<fieldset class="border-0 p-0 m-0" disabled>' in page.content.decode()
    response = client.post(score_url(s["first"]), post_data(s["criteria"], ["4", "7", "na"]))
    assert response.status_code == 302
    assert not Score.objects.exists()
    follow = client.get(response["Location"])
    assert "La notation est close depuis le" in text(follow)


def test_saving_through_the_page_shows_the_server_total(client, s):
    login(client, s["alice"])
    data = post_data(s["criteria"], ["4", "7", "na"], ["Beau projet", "", ""])
    response = client.post(score_url(s["first"]), data, follow=True)
    html = text(response)
    assert "Vos notes sont enregistrées (total pondéré : 74,7 sur 100)" in html
    assert "Total pondéré : 74,7 sur 100" in html
    assert "Enregistré : 74,7 sur 100, 3 critères notés." in html
    a = s["criteria"][0]
    assert Score.objects.get(criterion=a).comment == "Beau projet"
    assert Score.objects.get(criterion=s["criteria"][2]).value is None
    # The saved choices come back checked.
    a_pk, c_pk = s["criteria"][0].pk, s["criteria"][2].pk
    assert re.search(rf'name="value_{a_pk}" value="4" [^>]*checked>', html)
    assert re.search(rf'name="value_{c_pk}" value="na" [^>]*checked>', html)
    assert len(re.findall(r"checked>", html)) == 3


def test_submitting_an_incomplete_grid_saves_but_does_not_submit(client, s):
    login(client, s["alice"])
    data = post_data(s["criteria"], ["4", None, None], action="submit")
    response = client.post(score_url(s["first"]), data, follow=True)
    html = text(response)
    assert (
        "Notez d’abord tous les critères. Il manque : « Utilité sociale », « Essaimage »." in html
    )
    assert "Vos notes sont enregistrées ; elles ne sont pas soumises." in html
    s["alice_first"].refresh_from_db()
    assert s["alice_first"].status == JuryAssignment.Status.ASSIGNED
    assert Score.objects.count() == 1


def test_submitting_a_complete_grid_through_the_page(client, s):
    login(client, s["alice"])
    data = post_data(s["criteria"], ["5", "10", "5"], action="submit")
    response = client.post(score_url(s["first"]), data, follow=True)
    assert "Vos notes sont soumises (total pondéré : 100,0 sur 100)" in text(response)
    s["alice_first"].refresh_from_db()
    assert s["alice_first"].status == JuryAssignment.Status.SUBMITTED


def test_a_comment_without_a_score_is_not_lost_silently(client, s):
    login(client, s["alice"])
    data = post_data(s["criteria"], [None, None, None], ["Un avis sans note"])
    response = client.post(score_url(s["first"]), data)
    assert response.status_code == 400
    html = text(response)
    assert "Choisissez une note pour enregistrer ce commentaire." in html
    assert "Un avis sans note" in html
    assert not Score.objects.exists()


def test_error_messages_are_tied_to_their_fields(client, s):
    a, b, _c = s["criteria"]
    login(client, s["alice"])
    data = post_data(s["criteria"], [99, 4, None], ["x" * 3001])
    response = client.post(score_url(s["first"]), data)
    assert response.status_code == 400
    html = response.content.decode()
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    referenced = {token for value in described for token in value.split()}
    assert f"id_value_{a.pk}_error" in referenced
    assert f"id_comment_{a.pk}_error" in referenced
    assert referenced <= ids, referenced - ids
    fieldset = re.search(r'<fieldset class="criterion[^>]*>', html).group(0)
    assert f"guidance-{a.pk}" in fieldset and f"id_value_{a.pk}_error" in fieldset


def test_sans_objet_is_offered_only_where_allowed(client, s):
    a, _b, c = s["criteria"]
    login(client, s["alice"])
    html = client.get(url(s["first"])).content.decode()
    assert f'name="value_{c.pk}" value="na"' in html
    assert f'name="value_{a.pk}" value="na"' not in html
    response = client.post(score_url(s["first"]), {f"value_{a.pk}": "na", "save": ""})
    assert response.status_code == 400
    assert not Score.objects.exists()


# --- Conflicts of interest ---------------------------------------------------------------------


@pytest.fixture
def staff():
    boss = make_user("direction", is_superuser=True, is_staff=True)
    editors = Group.objects.create(name="Équipe prix")
    editors.permissions.add(Permission.objects.get(codename="change_application"))
    member = make_user("equipe")
    member.groups.add(editors)
    direct = make_user("secretariat")
    direct.user_permissions.add(Permission.objects.get(codename="change_application"))
    make_user("sans-droit")
    make_user("inactif", is_active=False, is_superuser=True)
    return {boss.email, member.email, direct.email}


def test_declaring_a_conflict_withdraws_the_assignment_and_tells_staff(
    client, s, staff, django_capture_on_commit_callbacks
):
    a = s["criteria"][0]
    scoring.save_scores(s["alice_first"], {a: {"value": 4}}, timezone.now())
    login(client, s["alice"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            conflict_url(s["first"]), {"conflict-reason": "Je préside l’association."}
        )
    assert response.status_code == 302
    assert response["Location"] == "/jury/"
    assignment = JuryAssignment.objects.get(pk=s["alice_first"].pk)
    assert assignment.status == JuryAssignment.Status.CONFLICT
    assert assignment.conflict_reason == "Je préside l’association."
    assert assignment.conflict_declared_at is not None
    assert not assignment.scores.exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == staff
    assert "conflit d’intérêts" in message.subject
    assert "Je préside l’association." in message.body
    assert "Potagers solidaires" in message.body
    # Withdrawn: progress ignores it, the page no longer shows the application, scores refused.
    assert scoring.progress(s["alice"]) == (0, 0)
    page = client.get(url(s["first"]))
    assert "Vous avez déclaré un conflit d’intérêts" in text(page)
    assert "Des ateliers partagés" not in text(page)
    response = client.post(
        score_url(s["first"]), post_data(s["criteria"], ["4", "7", "na"]), follow=True
    )
    assert "vous ne pouvez plus le noter" in text(response)
    assert not Score.objects.exists()
    with pytest.raises(scoring.AssignmentWithdrawn):
        scoring.save_scores(assignment, {a: {"value": 1}}, timezone.now())
    with pytest.raises(scoring.AssignmentWithdrawn):
        scoring.submit_scores(assignment, timezone.now())


def test_a_conflict_needs_a_reason(client, s):
    login(client, s["alice"])
    response = client.post(conflict_url(s["first"]), {"conflict-reason": "   "})
    assert response.status_code == 400
    assert "Indiquez le motif du conflit d’intérêts." in text(response)
    assert JuryAssignment.objects.get(pk=s["alice_first"].pk).status == "assigned"
    with pytest.raises(scoring.ScoringError):
        scoring.declare_conflict(s["alice_first"], "", timezone.now())
    assert len(mail.outbox) == 0


def test_a_conflict_is_declared_once(s, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        scoring.declare_conflict(s["alice_first"], "Ancienne salariée", timezone.now())
    with pytest.raises(scoring.AssignmentWithdrawn):
        scoring.declare_conflict(s["alice_first"], "Encore", timezone.now())


# --- Progress ----------------------------------------------------------------------------------


def test_progress_counts_submitted_against_assigned_without_conflicts(s):
    now = timezone.now()
    bruno = s["bruno"]
    assert scoring.progress(bruno) == (0, 2)
    a, b, c = s["criteria"]
    full = {a: {"value": 1}, b: {"value": 2}, c: {"value": None}}
    scoring.save_scores(s["bruno_first"], full, now)
    assert scoring.progress(bruno) == (0, 2)
    scoring.submit_scores(s["bruno_first"], now)
    assert scoring.progress(bruno) == (1, 2)
    third = assign(application_to_score(s["edition"]), bruno)
    assert scoring.progress(bruno) == (1, 3)
    scoring.declare_conflict(third, "Mon employeur", now)
    assert scoring.progress(bruno) == (1, 2)
    # An application sent back to draft leaves the juror's view, and their progress bar.
    Application.objects.filter(pk=s["bruno_first"].application_id).update(status="draft")
    assert scoring.progress(bruno) == (0, 1)


def test_the_progress_bar_is_accessible(client, s):
    a, b, c = s["criteria"]
    now = timezone.now()
    scoring.save_scores(s["bruno_first"], {a: {"value": 1}, b: {"value": 2}, c: {"value": 3}}, now)
    scoring.submit_scores(s["bruno_first"], now)
    login(client, s["bruno"])
    html = text(client.get("/jury/"))
    match = re.search(r'<label class="form-label" for="(progress-\d+)">([^<]+)</label>', html)
    assert match
    assert "Votre avancement : 1 sur 2 dossiers notés et soumis" in match.group(2)
    assert f'id="{match.group(1)}" max="2" value="1"' in html


# --- Blind judging -----------------------------------------------------------------------------


def _with_attachment(application):
    return Attachment.objects.create(
        application=application,
        file="awards/2031/potagers.pdf",
        original_name="Jardins-Partages-Boulangerie-Lemoine.pdf",
        content_type="application/pdf",
        size=2048,
        description="Bilan des Jardins Partagés",
    )


def test_names_are_shown_without_blind_judging(client, s):
    _with_attachment(s["first"])
    login(client, s["alice"])
    html = text(client.get(url(s["first"])))
    assert "Les Jardins Partagés" in html
    assert "Boulangerie Lemoine" in html
    assert "Jardins-Partages-Boulangerie-Lemoine.pdf" in html


def test_blind_judging_hides_the_association_and_the_company(client, s):
    s["edition"].blind_judging = True
    s["edition"].save()
    _with_attachment(s["first"])
    login(client, s["alice"])
    for address in (url(s["first"]), "/jury/"):
        html = text(client.get(address))
        assert "Potagers solidaires" in html
        assert "Jardins Partagés" not in html
        assert "Boulangerie Lemoine" not in html
        assert "73282932000074" not in html
    html = text(client.get(url(s["first"])))
    assert "Pièce jointe n°1" in html
    assert "Notation à l’aveugle" in html


def test_the_scoring_page_links_to_each_attachment(client, s):
    attachment = _with_attachment(s["first"])
    login(client, s["alice"])
    html = client.get(url(s["first"])).content.decode()
    address = reverse("awards:attachment", args=[attachment.pk])
    assert f'href="{address}"' in html


# --- Other jurors' scores ----------------------------------------------------------------------


def _submit(assignment, criteria, values):
    now = timezone.now()
    data = {
        c: {"value": v, "comment": "Avis de bruno"} for c, v in zip(criteria, values, strict=True)
    }
    scoring.save_scores(assignment, data, now)
    scoring.submit_scores(assignment, now)


def _close_scoring(edition):
    edition.scoring_deadline = timezone.now() - datetime.timedelta(minutes=1)
    edition.save()


def test_other_scores_are_shown_only_after_submitting_and_only_if_allowed(client, s):
    _submit(s["bruno_first"], s["criteria"], [1, 4, None])  # (0.6 + 2×1/3)/5 = 25.3
    login(client, s["alice"])

    def others_visible():
        html = text(client.get(url(s["first"])))
        return "Les notes des autres jurés" in html and "25,3" in html and "Avis de bruno" in html

    # Not allowed, not submitted.
    assert not others_visible()
    # Allowed, not yet submitted.
    s["edition"].show_other_scores = True
    s["edition"].save()
    assert not others_visible()
    # Allowed and submitted, but the deadline has not passed: a juror could still align.
    _submit(s["alice_first"], s["criteria"], [5, 10, 5])
    assert not others_visible()
    # Allowed, submitted, deadline passed.
    _close_scoring(s["edition"])
    assert others_visible()
    html = text(client.get(url(s["first"])))
    assert "Autre juré n°1" in html
    assert s["bruno"].user.last_name not in html
    # Submitted, but not allowed.
    s["edition"].show_other_scores = False
    s["edition"].save()
    assert not others_visible()


def test_unsubmitted_scores_of_others_are_never_shown(client, s):
    s["edition"].show_other_scores = True
    s["edition"].save()
    a = s["criteria"][0]
    scoring.save_scores(s["bruno_first"], {a: {"value": 2, "comment": "Brouillon"}}, timezone.now())
    _submit(s["alice_first"], s["criteria"], [5, 10, 5])
    _close_scoring(s["edition"])
    login(client, s["alice"])
    html = text(client.get(url(s["first"])))
    assert "Aucun autre juré n’a encore soumis ses notes." in html
    assert "Brouillon" not in html


# --- E-mails to jurors -------------------------------------------------------------------------


def test_the_assigned_email_names_the_application_and_the_link(s):
    notify_assignment.enqueue(s["alice_first"].pk)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [s["alice"].user.email]
    assert message.subject == "Prix 2031 : un dossier vous est confié"
    assert "« Potagers solidaires »" in message.body
    assert f"/jury/dossiers/{s['first'].pk}/" in message.body


def test_reminders_go_to_jurors_with_unfinished_assignments_on_the_right_days(s):
    edition = s["edition"]
    _submit(s["alice_first"], s["criteria"], [5, 10, 5])
    deadline = timezone.localtime(edition.scoring_deadline)

    def days_before(days):
        return (deadline - datetime.timedelta(days=days)).isoformat()

    assert remind_jurors.enqueue(edition.pk, days_before(8)).return_value == 0
    assert mail.outbox == []
    assert remind_jurors.enqueue(edition.pk, days_before(7)).return_value == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [s["bruno"].user.email]  # alice is done
    assert message.subject == "Prix 2031 : la notation se termine dans 7 jours"
    assert "Il vous reste 2 dossiers à noter sur 2." in message.body
    assert "/jury/" in message.body
    # The job running again that day, or the next days, sends nothing more…
    assert remind_jurors.enqueue(edition.pk, days_before(7)).return_value == 0
    assert remind_jurors.enqueue(edition.pk, days_before(5)).return_value == 0
    # …until the second reminder is due; a day the job did not run is caught up once.
    assert remind_jurors.enqueue(edition.pk, days_before(1)).return_value == 1
    assert mail.outbox[-1].subject == "Prix 2031 : la notation se termine demain"
    assert remind_jurors.enqueue(edition.pk, days_before(1)).return_value == 0
    assert len(mail.outbox) == 2
    assert sorted(
        JuryReminder.objects.filter(juror=s["bruno"]).values_list("days_before", flat=True)
    ) == [2, 7]


def test_a_reminder_run_reads_the_site_identity_once(s):
    edition = s["edition"]
    deadline = timezone.localtime(edition.scoring_deadline)
    with identity_reads() as reads:
        sent = remind_jurors.enqueue(
            edition.pk, (deadline - datetime.timedelta(days=7)).isoformat()
        )
    assert (sent.return_value, reads.call_count) == (2, 1)


def test_a_missed_first_reminder_is_caught_up_once(s):
    edition = s["edition"]
    deadline = timezone.localtime(edition.scoring_deadline)
    four_days_before = (deadline - datetime.timedelta(days=4)).isoformat()
    assert remind_jurors.enqueue(edition.pk, four_days_before).return_value == 2
    assert remind_jurors.enqueue(edition.pk, four_days_before).return_value == 0
    assert len(mail.outbox) == 2


def test_a_postponed_deadline_gets_its_own_reminders(s):
    edition = s["edition"]
    deadline = timezone.localtime(edition.scoring_deadline)
    seven_days_before = (deadline - datetime.timedelta(days=7)).isoformat()
    assert remind_jurors.enqueue(edition.pk, seven_days_before).return_value == 2
    # Staff give the jury two more weeks: seven days before the new deadline, a new reminder.
    edition.scoring_deadline += datetime.timedelta(days=14)
    edition.save(update_fields=["scoring_deadline"])
    later = (deadline + datetime.timedelta(days=7)).isoformat()
    assert remind_jurors.enqueue(edition.pk, later).return_value == 2
    assert remind_jurors.enqueue(edition.pk, later).return_value == 0
    assert len(mail.outbox) == 4


def test_a_reminder_that_could_not_be_sent_is_tried_again(s, settings):
    edition = s["edition"]
    seven_days_before = (
        timezone.localtime(edition.scoring_deadline) - datetime.timedelta(days=7)
    ).isoformat()
    settings.EMAIL_BACKEND = "tests.awards.test_jury.MailServerDown"
    assert remind_jurors.enqueue(edition.pk, seven_days_before).return_value == 0
    assert not JuryReminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert remind_jurors.enqueue(edition.pk, seven_days_before).return_value == 2


def test_the_daily_command_reminds_each_juror_once(s):
    edition = s["edition"]
    day = (timezone.localdate(edition.scoring_deadline) - datetime.timedelta(days=7)).isoformat()
    out = io.StringIO()
    call_command("send_jury_reminders", "--date", day, "--dry-run", stdout=out)
    assert "2 relances seraient envoyées." in out.getvalue()
    assert mail.outbox == [] and not JuryReminder.objects.exists()
    call_command("send_jury_reminders", "--date", day, stdout=io.StringIO())
    assert len(mail.outbox) == 2
    out = io.StringIO()
    call_command("send_jury_reminders", "--date", day, stdout=out)
    assert "0 relance envoyée." in out.getvalue()
    assert len(mail.outbox) == 2


def test_the_dry_run_counts_what_the_run_sends_a_juror_without_address_left_out(s):
    s["bruno"].user.email = ""
    s["bruno"].user.save(update_fields=["email"])
    day = timezone.localdate(s["edition"].scoring_deadline) - datetime.timedelta(days=7)
    out = io.StringIO()
    call_command("send_jury_reminders", "--date", day.isoformat(), "--dry-run", stdout=out)
    assert "1 relance serait envoyée." in out.getvalue()
    call_command("send_jury_reminders", "--date", day.isoformat(), stdout=io.StringIO())
    assert len(mail.outbox) == 1


def test_reminders_can_be_forced_and_never_go_after_the_deadline(s):
    edition = s["edition"]
    assert remind_jurors.enqueue(edition.pk, None, True).return_value == 2
    assert all(
        m.subject.startswith("Prix 2031 : la notation se termine dans ") for m in mail.outbox
    )
    mail.outbox.clear()
    same_day = (edition.scoring_deadline - datetime.timedelta(minutes=1)).isoformat()
    assert remind_jurors.enqueue(edition.pk, same_day, True).return_value == 2
    assert mail.outbox[0].subject == "Prix 2031 : la notation se termine aujourd’hui"
    after = (edition.scoring_deadline + datetime.timedelta(seconds=1)).isoformat()
    assert remind_jurors.enqueue(edition.pk, after, True).return_value == 0


def test_reminder_days_are_counted_in_paris():
    deadline = timezone.make_aware(datetime.datetime(2031, 3, 20, 0, 30))
    assert reminder_due(deadline, deadline - datetime.timedelta(days=7)) == 7
    assert reminder_due(deadline, deadline - datetime.timedelta(days=7, hours=1)) is None
    assert reminder_due(deadline, deadline - datetime.timedelta(days=3)) == 7
    assert reminder_due(deadline, deadline - datetime.timedelta(days=2)) == 2
    assert reminder_due(deadline, deadline - datetime.timedelta(minutes=5)) == 2
    assert reminder_due(deadline, deadline + datetime.timedelta(seconds=1)) is None


def test_login_then_back_to_the_jury(client, s):
    response = client.post(
        "/espace-membre/connexion/",
        {"username": s["alice"].user.email, "password": PASSWORD, "next": "/jury/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/jury/"


def test_the_jury_area_answers_under_the_english_interface_too(client, s):
    login(client, s["alice"])
    assert client.get("/en/jury/").status_code == 200
    assert client.get(f"/en/jury/dossiers/{s['first'].pk}/").status_code == 200
    assert client.get(f"/en/jury/dossiers/{s['second'].pk}/").status_code == 404
