"""Editor-built form pages (FormPage): answers stored, staff and sender e-mailed, spam dropped
quietly, too many posts refused, never cached."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Page

from demo.volunteering.form_pages import create_demo_form_pages
from forms.pages import RATE_LIMIT, FormField, FormPage
from forms.spam import HONEYPOT_FIELD
from home.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_page(site_tree):
    page = FormPage(
        title="Inscription au webinaire",
        slug="webinaire",
        intro="<p>Un webinaire sur la trésorerie associative.</p>",
        thank_you_text="<p>Merci, à bientôt en ligne !</p>",
        to_address="equipe@example.org, direction@example.org",
        from_address="site@example.org",
        subject="Nouvelle inscription au webinaire",
        send_confirmation=True,
        confirmation_text="Le lien de connexion vous parviendra la veille.",
        form_fields=[
            FormField(label="Nom", field_type="singleline", required=True),
            FormField(label="Adresse e-mail", field_type="email", required=True),
            FormField(label="E-mail d’un collègue", field_type="email", required=False),
            FormField(label="Site web", field_type="url", required=False),
            FormField(
                label="Format",
                field_type="radio",
                choices="Matin\nAprès-midi",
                required=True,
            ),
        ],
    )
    site_tree["home"].add_child(instance=page)
    page.save_revision().publish()
    return page


def valid_data(**overrides):
    data = {
        "nom": "Camille Martin",
        "adresse_e_mail": "camille@example.org",
        "e_mail_dun_collegue": "dominique@example.org",
        "site_web_1": "https://asso.example.org",
        "format": "Matin",
        HONEYPOT_FIELD: "",
    }
    data.update(overrides)
    return data


def post(client, page, data, capture):
    with capture(execute=True):
        return client.post(page.url, data)


def test_get_renders_the_editor_fields_and_the_honeypot(
    client, form_page, django_assert_max_num_queries
):
    client.get(form_page.url)  # the site, menus and footer are then read from the cache
    with django_assert_max_num_queries(6):
        response = client.get(form_page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Inscription au webinaire</h1>" in html
    assert "Un webinaire sur la trésorerie associative." in html
    for name in ("nom", "adresse_e_mail", "e_mail_dun_collegue", "site_web_1", "format"):
        assert f'name="{name}"' in html
    # The honeypot is there once, inside its hidden wrapper, not in crispy's layout.
    assert html.count(f'name="{HONEYPOT_FIELD}"') == 1
    honeypot_at = html.index('class="honeypot"')
    assert html.index(f'name="{HONEYPOT_FIELD}"') > honeypot_at
    assert 'for="id_nom"' in html


def test_valid_post_stores_the_answers_and_sends_both_emails(
    client, form_page, mailoutbox, django_capture_on_commit_callbacks
):
    response = post(client, form_page, valid_data(), django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "Merci, à bientôt en ligne !" in response.content.decode()
    submission = FormSubmission.objects.get(page=form_page)
    assert submission.form_data["nom"] == "Camille Martin"
    assert submission.form_data["format"] == "Matin"
    assert HONEYPOT_FIELD not in submission.form_data

    assert len(mailoutbox) == 2
    staff, confirmation = mailoutbox
    assert staff.to == ["equipe@example.org", "direction@example.org"]
    assert staff.from_email == "site@example.org"
    assert staff.subject == "Nouvelle inscription au webinaire"
    assert staff.reply_to == ["camille@example.org"]
    assert "Nom : Camille Martin" in staff.body
    assert "Format : Matin" in staff.body
    assert f"/admin/forms/submissions/{form_page.pk}/" in staff.body
    # The confirmation goes to the first e-mail field only, and does not echo the answers.
    assert confirmation.to == ["camille@example.org"]
    assert confirmation.subject == "Nous avons bien reçu votre message"
    assert "Le lien de connexion vous parviendra la veille." in confirmation.body
    assert "Camille Martin" not in confirmation.body


def test_the_same_answers_sent_twice_are_stored_and_mailed_once(
    client, form_page, mailoutbox, django_capture_on_commit_callbacks
):
    first = post(client, form_page, valid_data(), django_capture_on_commit_callbacks)
    again = post(client, form_page, valid_data(), django_capture_on_commit_callbacks)
    assert first.status_code == again.status_code == 200
    assert "Merci, à bientôt en ligne !" in again.content.decode()
    assert FormSubmission.objects.filter(page=form_page).count() == 1
    assert len(mailoutbox) == 2
    # Other answers are another submission.
    post(client, form_page, valid_data(nom="Dominique Roux"), django_capture_on_commit_callbacks)
    assert FormSubmission.objects.filter(page=form_page).count() == 2


def test_no_confirmation_when_switched_off_or_no_email_field(
    client, form_page, mailoutbox, django_capture_on_commit_callbacks
):
    form_page.send_confirmation = False
    form_page.save()
    post(client, form_page, valid_data(), django_capture_on_commit_callbacks)
    assert [message.to for message in mailoutbox] == [
        ["equipe@example.org", "direction@example.org"]
    ]

    form_page.send_confirmation = True
    form_page.save()
    form_page.form_fields.filter(field_type="email").delete()
    mailoutbox.clear()
    post(client, form_page, valid_data(), django_capture_on_commit_callbacks)
    assert FormSubmission.objects.count() == 2
    assert [message.to for message in mailoutbox] == [
        ["equipe@example.org", "direction@example.org"]
    ]
    assert mailoutbox[0].reply_to == []  # no sender address to answer


def test_invalid_post_keeps_the_values_and_shows_french_errors(
    client, form_page, mailoutbox, django_capture_on_commit_callbacks
):
    data = valid_data(adresse_e_mail="pas-une-adresse", format="")
    response = post(client, form_page, data, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Saisissez une adresse de courriel valide." in html
    assert "Champ requis." in html  # the radio buttons left empty
    assert "corrigez les champs signalés" in html
    assert 'value="Camille Martin"' in html
    assert 'value="pas-une-adresse"' in html
    assert FormSubmission.objects.count() == 0
    assert mailoutbox == []


def test_filled_honeypot_stores_and_sends_nothing_but_thanks(
    client, form_page, mailoutbox, django_capture_on_commit_callbacks
):
    data = valid_data(**{HONEYPOT_FIELD: "https://spam.example.com"})
    response = post(client, form_page, data, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "Merci, à bientôt en ligne !" in response.content.decode()
    assert FormSubmission.objects.count() == 0
    assert mailoutbox == []


def test_rate_limit_refuses_posts_after_the_limit(
    client, form_page, mailoutbox, django_capture_on_commit_callbacks
):
    for n in range(RATE_LIMIT):
        # Different answers each time (the same ones twice are stored once).
        data = valid_data(nom=f"Camille Martin {n}")
        response = post(client, form_page, data, django_capture_on_commit_callbacks)
        assert response.status_code == 200
    assert FormSubmission.objects.count() == RATE_LIMIT
    sent = len(mailoutbox)

    response = post(client, form_page, valid_data(), django_capture_on_commit_callbacks)

    assert response.status_code == 429
    html = response.content.decode()
    assert "Trop d’envois depuis votre connexion" in html
    assert 'value="Camille Martin"' in html  # what was typed is still there
    assert FormSubmission.objects.count() == RATE_LIMIT
    assert len(mailoutbox) == sent
    # Another address is not affected.
    with django_capture_on_commit_callbacks(execute=True):
        other = client.post(form_page.url, valid_data(), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200
    assert FormSubmission.objects.count() == RATE_LIMIT + 1


def test_mail_server_down_loses_nothing(
    client, form_page, settings, caplog, django_capture_on_commit_callbacks
):
    # A real SMTP connection to a local port where nothing listens: refused at once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9
    settings.EMAIL_TIMEOUT = 2

    response = post(client, form_page, valid_data(), django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "Merci, à bientôt en ligne !" in response.content.decode()
    assert FormSubmission.objects.filter(page=form_page).count() == 1
    failures = [r.getMessage() for r in caplog.records if r.name == "home.emails"]
    assert len(failures) == 2  # the staff e-mail and the confirmation, both logged


def test_never_cached_even_with_the_page_cache_on(
    client, form_page, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300

    first = client.get(form_page.url)
    assert "no-store" in first["Cache-Control"]
    assert "max-age=0" in first["Cache-Control"]
    assert "X-Page-Cache" not in first

    landing = post(client, form_page, valid_data(), django_capture_on_commit_callbacks)
    assert "no-store" in landing["Cache-Control"]

    # A new anonymous visitor gets a fresh form, never a stored copy of someone's page.
    visitor = client.__class__()
    again = visitor.get(form_page.url)
    assert "X-Page-Cache" not in again
    assert "no-store" in again["Cache-Control"]
    assert 'name="nom"' in again.content.decode()
    assert "Merci, à bientôt en ligne !" not in again.content.decode()


def test_a_site_web_field_does_not_replace_the_honeypot(form_page):
    field = form_page.form_fields.get(label="Site web")
    assert field.clean_name == "site_web_1"
    form = form_page.get_form(page=form_page)
    assert HONEYPOT_FIELD in form.fields
    assert "site_web_1" in form.fields


def test_form_pages_live_under_home_and_content_pages(site_tree):
    assert FormPage.can_create_at(site_tree["home"])
    assert FormPage.can_create_at(site_tree["about"])
    assert not FormPage.can_create_at(site_tree["news_index"])
    assert not FormPage.can_create_at(Page.get_first_root_node())
    assert FormPage.allowed_subpage_models() == []
    assert FormPage in HomePage.allowed_subpage_models()
    assert FormPage in StandardPage.allowed_subpage_models()


def test_to_address_rejects_a_bad_address(form_page):
    form_page.to_address = "equipe@example.org, pas-une-adresse"
    with pytest.raises(ValidationError):
        form_page.full_clean()


def test_demo_form_pages_are_published_once(client, site_tree):
    contact, study_day = create_demo_form_pages(site_tree["home"])
    again = create_demo_form_pages(site_tree["home"])

    assert [page.pk for page in again] == [contact.pk, study_day.pk]
    assert FormPage.objects.count() == 2
    assert contact.live and study_day.live
    assert contact.to_address == "contact@example.org"  # the site identity's address
    assert [f.field_type for f in study_day.form_fields.all()][:2] == ["singleline", "email"]
    for page in (contact, study_day):
        response = client.get(page.url)
        assert response.status_code == 200
        assert 'name="adresse_e_mail"' in response.content.decode()


def test_editors_build_and_read_forms_in_wagtail_admin(
    admin_client, form_page, client, django_capture_on_commit_callbacks
):
    post(client, form_page, valid_data(), django_capture_on_commit_callbacks)
    parent = form_page.get_parent()
    assert admin_client.get(f"/admin/pages/{form_page.pk}/edit/").status_code == 200
    assert admin_client.get(f"/admin/pages/add/forms/formpage/{parent.pk}/").status_code == 200
    submissions = admin_client.get(f"/admin/forms/submissions/{form_page.pk}/")
    assert submissions.status_code == 200
    assert "Camille Martin" in submissions.content.decode()


def test_visitors_cannot_read_the_submissions(client, form_page):
    response = client.get(f"/admin/forms/submissions/{form_page.pk}/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_without_a_to_address_the_answers_go_to_the_association(
    client, form_page, site_tree, mailoutbox, django_capture_on_commit_callbacks
):
    from home.models import SiteIdentity

    identity = SiteIdentity.objects.get(site__is_default_site=True)
    identity.email = "bonjour@reseau.example.org"
    identity.save()
    form_page.to_address = ""
    form_page.save_revision().publish()
    post(client, form_page, valid_data(), django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox][0] == ["bonjour@reseau.example.org"]
