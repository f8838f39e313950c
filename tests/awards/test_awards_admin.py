"""The award's back office: ranking page (constant queries), exports, decisions and their
e-mails, jury progress and reminders, automatic and manual assignment, laureates published."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from awards.models import Application, Juror, JuryAssignment, juror_workload
from awards.pages import AwardPage, LaureatePage
from demo.factories.awards import (
    build_large_edition,
    make_application,
    make_criterion,
    make_edition,
    make_juror,
    make_prize,
    score_sheet,
)
from tests.mail import MAIL_SERVER_DOWN

pytestmark = pytest.mark.django_db


@pytest.fixture
def small():
    edition = make_edition(year=2030, disagreement_threshold=10)
    a = make_criterion(edition, "Utilité sociale", weight=2, order=0)
    b = make_criterion(edition, "=Innovation", weight=1, na=True, order=1)
    j1, j2 = make_juror(edition, name="Alice"), make_juror(edition, name="Bruno")
    first = make_application(edition, "Jardin partagé", company_name="Acme")
    second = make_application(edition, "Repair café", publication_consent=True)
    third = make_application(edition, "Cantine solidaire")
    score_sheet(first, j1, {a: 5, b: 5})
    score_sheet(first, j2, {a: 4, b: None})
    score_sheet(second, j1, {a: 1, b: 0})
    score_sheet(second, j2, {a: 5, b: 5})
    score_sheet(third, j1, {a: 3, b: 3}, status=JuryAssignment.Status.ASSIGNED)
    return {"edition": edition, "apps": [first, second, third], "jurors": [j1, j2], "a": a, "b": b}


def url(name, pk):
    return reverse(f"awards_admin:{name}", args=[pk])


def ranking_titles(html):
    return re.findall(r'<th scope="row" class="title">\s*<a [^>]*>([^<]+)</a>', html)


def test_ranking_page_shows_the_order_and_the_disagreement(admin_client, small):
    response = admin_client.get(url("ranking", small["edition"].pk))
    assert response.status_code == 200
    html = response.content.decode()
    # Jardin: 100 and 80 → 90; Repair café: 20/3×… → (2×0.2)/3×100 = 13.3 and 100 → 56.7.
    assert ranking_titles(html) == ["Jardin partagé", "Repair café", "Cantine solidaire"]
    assert "désaccord" in html
    assert "90,0" in html


def test_ranking_cells_are_written_as_floatformat_writes_them(admin_client, small):
    """The numbers are formatted once per page in Python (home/numbers.py), not by the filter:
    the same text, in French and in English."""
    from django.template.defaultfilters import floatformat
    from django.utils import translation

    from awards.ranking import rank_edition

    ranking = rank_edition(small["edition"])
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(User.objects.get(username="admin@example.org"))
    for language in ("fr", "en"):
        profile.preferred_language = language  # the admin speaks its user's language
        profile.save()
        html = admin_client.get(url("ranking", small["edition"].pk)).content.decode()
        with translation.override(language):
            for row in ranking.rows:
                tr = re.search(
                    rf'<tr data-application="{row.application_id}".*?</tr>', html, re.S
                ).group(0)
                cells = [
                    re.sub(r"<[^>]+>|\s+", " ", c).strip()
                    for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
                ]
                expected = [
                    floatformat(m, 2) if m is not None else "—" for m in row.criterion_means
                ]
                assert cells[4 : 4 + len(expected)] == expected, (language, cells)
                mean = floatformat(row.mean, 1) if row.mean is not None else "—"
                assert cells[3] == mean, (language, cells)


def test_ranking_page_in_a_constant_number_of_queries(admin_client, django_assert_max_num_queries):
    edition = build_large_edition(applications=300, jurors=5, criteria=8)
    admin_client.get(url("ranking", edition.pk))  # warm the caches (site, permissions)
    with django_assert_max_num_queries(15):
        response = admin_client.get(url("ranking", edition.pk))
    assert response.status_code == 200
    assert response.content.decode().count('class="rank"') == 300


def test_staff_without_permission_is_refused(client, small):
    user = User.objects.create_user("staff@example.org", "staff@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for name in ("ranking", "scores_csv", "summary_pdf", "progress", "publish_laureates"):
        response = client.get(url(name, small["edition"].pk))
        assert response.status_code in (302, 403), name
    user.user_permissions.add(Permission.objects.get(codename="view_application"))
    assert client.get(url("ranking", small["edition"].pk)).status_code == 200
    assert client.get(url("auto_assign", small["edition"].pk)).status_code in (302, 403)


def test_scores_csv(admin_client, small):
    first = small["apps"][0]
    first.assignments.get(juror=small["jurors"][0]).scores.filter(criterion=small["b"]).update(
        comment="-1+1 très bien"
    )
    response = admin_client.get(url("scores_csv", small["edition"].pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Édition", "Dossier n°", "Dossier"]
    assert len(rows) == 1 + 10  # 5 sheets × 2 criteria
    assert ["2030", str(first.pk), "Jardin partagé"] == rows[1][:3]
    values = [row[8] for row in rows[1:]]
    assert "sans objet" in values
    assert "'=Innovation" in [row[6] for row in rows[1:]]
    assert "'-1+1 très bien" in [row[9] for row in rows[1:]]


def test_summary_pdf(admin_client, small):
    from pypdf import PdfReader

    response = admin_client.get(url("summary_pdf", small["edition"].pk))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Jardin partagé" in text
    assert text.index("Jardin partagé") < text.index("Repair café")


def test_ineligible_needs_a_reason_and_the_applicant_is_told(admin_client, small, mailoutbox):
    app = small["apps"][2]
    decision = url("decision", app.pk)
    assert admin_client.get(decision + "?statut=ineligible").status_code == 200
    response = admin_client.post(decision, {"status": "ineligible", "notify": "on"})
    assert response.status_code == 200
    assert "Indiquez le motif" in response.content.decode()
    response = admin_client.post(
        decision,
        {"status": "ineligible", "ineligibility_reason": "Partenariat trop récent", "notify": "on"},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.status, app.ineligibility_reason) == ("ineligible", "Partenariat trop récent")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [app.created_by.email]
    assert "Partenariat trop récent" in mailoutbox[0].body
    assert "pas recevable" in mailoutbox[0].subject


def test_laureate_needs_a_prize_and_notes_stay_private(admin_client, small, mailoutbox):
    app = small["apps"][0]
    prize = make_prize(small["edition"], "Prix du public")
    decision = url("decision", app.pk)
    response = admin_client.post(decision, {"status": "laureate"})
    assert "Choisissez le prix" in response.content.decode()
    response = admin_client.post(
        decision,
        {"status": "laureate", "prize": prize.pk, "deliberation_notes": "Unanime", "notify": "on"},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.status, app.prize, app.deliberation_notes) == ("laureate", prize, "Unanime")
    assert "Prix du public" in mailoutbox[0].body
    assert "Unanime" not in mailoutbox[0].body
    # Not selected, without an e-mail.
    other = small["apps"][1]
    admin_client.post(url("decision", other.pk), {"status": "not_selected"})
    other.refresh_from_db()
    assert other.status == "not_selected"
    assert len(mailoutbox) == 1


def test_no_decision_on_a_draft(admin_client, small):
    draft = make_application(small["edition"], "Brouillon", status=Application.Status.DRAFT)
    response = admin_client.post(url("decision", draft.pk), {"status": "eligible"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_progress_and_reminders(admin_client, small, mailoutbox, settings):
    from django.utils import timezone

    edition = small["edition"]
    edition.call_closes_at = timezone.now() - timezone.timedelta(days=1)
    edition.call_opens_at = edition.call_closes_at - timezone.timedelta(days=30)
    edition.scoring_deadline = timezone.now() + timezone.timedelta(days=5)
    edition.results_published_at = edition.scoring_deadline + timezone.timedelta(days=5)
    edition.save()
    response = admin_client.get(url("progress", edition.pk))
    html = response.content.decode()
    assert response.status_code == 200
    # Alice: 2 of 3 scored; Bruno: 2 of 2.
    assert sorted(re.findall(r'class="done">(\d+/\d+)<', html)) == ["2/2", "2/3"]
    response = admin_client.post(url("progress", edition.pk))
    assert response.status_code == 302
    # Alice has the third dossier left to score: she alone is reminded.
    assert [m.to for m in mailoutbox] == [[small["jurors"][0].user.email]]


def test_progress_leaves_out_applications_that_are_drafts_again(admin_client, small):
    # Alice's unscored third dossier goes back to draft (it is withdrawn from the jury's
    # view): her progress counts what she can see, 2 of 2, and she has nothing left to do.
    edition = small["edition"]
    alice = small["jurors"][0]
    left = alice.assignments.get(status="assigned").application
    Application.objects.filter(pk=left.pk).update(status="draft")
    html = admin_client.get(url("progress", edition.pk)).content.decode()
    assert sorted(re.findall(r'class="done">(\d+/\d+)<', html)) == ["2/2", "2/2"]
    workload = Juror.objects.annotate(**juror_workload()).get(pk=alice.pk)
    assert (workload.done, workload.todo, workload.assigned) == (2, 0, 2)


def test_auto_assign_view(admin_client, small):
    edition = small["edition"]
    extra = make_application(edition, "Nouveau")
    make_juror(edition, name="Chloé")
    response = admin_client.post(url("auto_assign", edition.pk))
    assert response.status_code == 302
    assert extra.assignments.count() == 2


def test_manual_assignment_refuses_the_applying_company(
    admin_client, small, mailoutbox, django_capture_on_commit_callbacks
):
    edition = small["edition"]
    employee = make_juror(edition, name="Denis", company_name="ACME")
    create = reverse("awards_juryassignment_modeladmin_create")
    response = admin_client.post(create, {"application": small["apps"][0].pk, "juror": employee.pk})
    assert response.status_code == 200
    assert "travaille pour l’entreprise candidate" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            create, {"application": small["apps"][2].pk, "juror": employee.pk}
        )
    assert response.status_code == 302
    assert JuryAssignment.objects.filter(juror=employee).count() == 1
    # The juror hears of it.
    assert [m.to for m in mailoutbox] == [[employee.user.email]]


def test_lists_and_csv_export(admin_client, small):
    index = reverse("awards_application_modeladmin_index")
    response = admin_client.get(index, {"edition__id__exact": small["edition"].pk, "q": "Jardin"})
    assert response.status_code == 200
    assert "Jardin partagé" in response.content.decode()
    assert "Repair café" not in response.content.decode()
    make_application(small["edition"], '=HYPERLINK("http://x")')
    response = admin_client.get(index, {"export": "csv"})
    assert response.status_code == 200
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode("utf-8-sig")
    assert "Repair café" in body
    assert "Jardin partagé" in body
    assert "'=HYPERLINK" in body
    for name in ("awardedition", "juror", "juryassignment"):
        assert admin_client.get(reverse(f"awards_{name}_modeladmin_index")).status_code == 200
    assert "2/2" in admin_client.get(reverse("awards_juror_modeladmin_index")).content.decode()


def _edition_form(edition, criteria, title):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    return nested_form_data(
        {
            "year": edition.year,
            "title": title,
            "call_opens_at": "2030-01-10 09:00",
            "call_closes_at": "2030-03-11 09:00",
            "scoring_deadline": "2030-04-10 09:00",
            "results_published_at": "2030-05-10 09:00",
            "rules": rich_text("<p>Règlement</p>"),
            "jurors_per_application": 2,
            "disagreement_threshold": "10",
            "prizes": inline_formset([]),
            "criteria": inline_formset(criteria, initial=2),
        }  # fmt: skip
    )


def _criterion_row(c, i, **changes):
    row = {
        "id": c.pk, "label": c.label, "guidance": "", "weight": c.weight,
        "scale_min": c.scale_min, "scale_max": c.scale_max,
        "allow_not_applicable": c.allow_not_applicable, "ORDER": i,
    }  # fmt: skip
    row.update(changes)
    return row


def test_frozen_grid_is_a_form_error_not_a_server_error(admin_client, small):
    edition = small["edition"]
    edit = reverse("awards_awardedition_modeladmin_edit", args=[edition.pk])
    assert admin_client.get(edit).status_code == 200
    rows = [
        _criterion_row(small["a"], 0, weight=small["a"].weight + 1),
        _criterion_row(small["b"], 1),
    ]
    response = admin_client.post(edit, _edition_form(edition, rows, edition.title))
    assert response.status_code == 200
    assert "la grille est figée" in response.content.decode()
    small["a"].refresh_from_db()
    assert small["a"].weight == 2


@pytest.fixture
def award_page(site_tree, small):
    page = AwardPage(title="Prix 2030", slug="prix-2030", edition=small["edition"])
    site_tree["home"].add_child(instance=page)
    return page


def test_publish_laureates_without_award_page(admin_client, small):
    response = admin_client.post(url("publish_laureates", small["edition"].pk), follow=True)
    assert "n’a pas encore de page" in response.content.decode()


def test_publish_laureates(admin_client, small, award_page):
    prize = make_prize(small["edition"], "Grand prix")
    first, second, _third = small["apps"]
    Application.objects.filter(pk=second.pk).update(
        status="laureate", prize=prize, summary="Un atelier de réparation.", company_name="Vélo&Co",
        company_contribution="Des outils et des salariés bénévoles.",
    )  # fmt: skip
    Application.objects.filter(pk=first.pk).update(status="laureate", prize=prize)  # no consent
    response = admin_client.post(url("publish_laureates", small["edition"].pk), follow=True)
    html = response.content.decode()
    assert "faute d’accord de publication" in html
    page = LaureatePage.objects.get()
    # The 2030 results are not out yet: the page waits for them.
    assert not page.live
    assert page.go_live_at == small["edition"].results_published_at
    assert page.get_latest_revision().approved_go_live_at == page.go_live_at
    assert page.get_parent().specific == award_page
    assert (page.title, page.application_id, page.prize_name) == (
        "Repair café", second.pk, "Grand prix",
    )  # fmt: skip
    assert page.association_name == second.organisation.name
    assert page.introduction == "Un atelier de réparation."
    assert "Des outils" in str(page.body)
    # Once only.
    admin_client.post(url("publish_laureates", small["edition"].pk))
    assert LaureatePage.objects.count() == 1


def test_inspect_and_edition_buttons(admin_client, small):
    app = small["apps"][0]
    response = admin_client.get(reverse("awards_application_modeladmin_inspect", args=[app.pk]))
    assert response.status_code == 200
    assert "Jardin partagé" in response.content.decode()
    html = admin_client.get(reverse("awards_awardedition_modeladmin_index")).content.decode()
    assert url("ranking", small["edition"].pk) in html
    html = admin_client.get(reverse("awards_application_modeladmin_index")).content.decode()
    assert url("decision", app.pk) + "?statut=laureate" in html
    # No generic creation of an application.
    assert admin_client.get(reverse("awards_application_modeladmin_create")).status_code in (
        302,
        403,
    )


def test_frozen_grid_refuses_a_new_criterion(admin_client, small):
    edition = small["edition"]
    edit = reverse("awards_awardedition_modeladmin_edit", args=[edition.pk])
    rows = [_criterion_row(small["a"], 0), _criterion_row(small["b"], 1)]
    rows.append(
        {"id": "", "label": "Nouveau", "guidance": "", "weight": 1, "scale_min": 0,
         "scale_max": 5, "allow_not_applicable": False, "ORDER": 2}
    )  # fmt: skip
    response = admin_client.post(edit, _edition_form(edition, rows, "Titre changé"))
    assert response.status_code == 200
    assert "la grille est figée" in response.content.decode()
    assert edition.criteria.count() == 2
    edition.refresh_from_db()
    assert edition.title != "Titre changé"


def test_deleting_a_scored_criterion_is_a_form_error_and_saves_nothing(admin_client, small):
    edition = small["edition"]
    edit = reverse("awards_awardedition_modeladmin_edit", args=[edition.pk])
    rows = [_criterion_row(small["a"], 0), _criterion_row(small["b"], 1, DELETE="on")]
    response = admin_client.post(edit, _edition_form(edition, rows, "Titre changé"))
    assert response.status_code == 200
    assert "Un critère déjà noté ne peut plus être supprimé" in response.content.decode()
    assert edition.criteria.count() == 2
    edition.refresh_from_db()
    assert edition.title != "Titre changé"


def test_a_failed_decision_email_is_a_warning_not_a_server_error(
    admin_client, small, settings, caplog
):
    from django.contrib.messages import get_messages

    settings.EMAIL_BACKEND = MAIL_SERVER_DOWN
    app = small["apps"][2]
    response = admin_client.post(
        url("decision", app.pk),
        {"status": "ineligible", "ineligibility_reason": "Hors délai", "notify": "on"},
    )
    assert response.status_code == 302
    warnings = [
        str(m).strip() for m in get_messages(response.wsgi_request) if m.level_tag == "warning"
    ]
    assert warnings == ["La décision est enregistrée, mais l’e-mail n’a pas pu partir."]
    app.refresh_from_db()
    assert app.status == "ineligible"
    assert "not sent" in caplog.text
