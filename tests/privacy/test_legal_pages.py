"""The legal pages: what each says, from the settings and the register, and where they are
linked (the footer, every consent box)."""

import pytest
from django.urls import reverse

from privacy.models import LegalSettings
from privacy.pages import AccessibilityStatementPage, LegalNoticePage, PrivacyNoticePage
from privacy.register import processings

pytestmark = pytest.mark.django_db


def test_the_demo_makes_three_pages_the_settings_and_a_real_statutes_pdf(legal_site):
    from demo.legal import load_demo_legal

    for model in (LegalNoticePage, PrivacyNoticePage, AccessibilityStatementPage):
        assert model.objects.live().count() == 1
    legal = LegalSettings.load()
    assert legal.publication_director and legal.host_name and legal.host_phone
    with legal.statutes_document.file.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    # Run again: nothing new, and nothing an editor changed is overwritten.
    legal.host_name = "Notre hébergeur"
    legal.save()
    assert load_demo_legal() == 0
    assert LegalSettings.load().host_name == "Notre hébergeur"
    assert LegalNoticePage.objects.count() == 1


def test_legal_notice_names_publisher_director_and_host(
    client, legal_site, django_capture_on_commit_callbacks
):
    from home.identity import site_identity

    identity = site_identity()
    with django_capture_on_commit_callbacks(execute=True):
        identity.siret = "84231067400010"
        identity.save()
    text = client.get(LegalNoticePage.objects.get().url).content.decode()
    legal = LegalSettings.load()
    for expected in (
        identity.name,
        "84231067400010",
        legal.publication_director,
        legal.host_name,
        legal.host_phone,
        "12 rue du Serveur",
    ):
        assert expected in text
    assert f'href="{PrivacyNoticePage.objects.get().url}"' in text


def test_legal_notice_says_what_is_missing_rather_than_inventing_it(client, site_tree):
    notice = LegalNoticePage(title="Mentions légales", slug="mentions-legales")
    site_tree["home"].add_child(instance=notice)
    notice.save_revision().publish()
    text = client.get(notice.url).content.decode()
    assert text.count("À renseigner dans les paramètres") == 2  # director and host


def test_privacy_notice_is_written_from_the_register_grouped_by_person(client, legal_site):
    text = client.get(PrivacyNoticePage.objects.get().url).content.decode()
    for item in processings():
        assert str(item.name) in text
        assert str(item.retention) in text
    for heading in ("Membres du jury", "Visiteurs du site", "Organisations adhérentes"):
        assert heading in text
    # Stripe is named with its transfer outside the EU; the host by its own name.
    assert "Stripe Payments Europe Ltd" in text
    assert "Hébergement Exemple SAS" in text
    # The cookies, the rights, the contact and the CNIL.
    for cookie in ("csrftoken", "sessionid", "__stripe_mid"):
        assert cookie in text
    assert "mailto:donnees@example.org" in text
    assert "https://www.cnil.fr/fr/plaintes" in text


def test_accessibility_statement_gives_status_date_contact_and_remedies(client, legal_site):
    page = AccessibilityStatementPage.objects.get()
    page.compliance_rate = 87
    page.contact_email = "acces@example.org"
    page.save_revision().publish()
    text = client.get(page.url).content.decode()
    assert "<strong>partiellement conforme</strong>" in text
    assert "87 % des critères" in text
    assert "Cette déclaration a été établie le" in text
    assert "mailto:acces@example.org" in text
    assert "Défenseur des droits" in text
    assert "Le paiement en ligne s’affiche dans un cadre fourni par Stripe" in text


def test_the_footer_links_the_four_legal_texts(client, legal_site):
    text = client.get("/").content.decode()
    for model in (LegalNoticePage, PrivacyNoticePage, AccessibilityStatementPage):
        assert f'href="{model.objects.get().url}"' in text
    assert "Accessibilité : partiellement conforme" in text
    assert f'href="{LegalSettings.load().statutes_document.url}"' in text
    assert "Statuts de l’association" in text


def test_the_footer_shows_only_what_exists_and_follows_changes(
    client, site_tree, django_capture_on_commit_callbacks
):
    assert "Informations légales" not in client.get("/").content.decode()
    page = AccessibilityStatementPage(title="Accessibilité", slug="accessibilite", status="full")
    site_tree["home"].add_child(instance=page)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    text = client.get("/").content.decode()  # the cached footer was forgotten on publish
    assert "Accessibilité : totalement conforme" in text
    assert "Mentions légales" not in text


def test_a_settings_change_reaches_the_cached_legal_notice(
    client, legal_site, django_capture_on_commit_callbacks
):
    url = LegalNoticePage.objects.get().url
    client.get(url)
    legal = LegalSettings.load()
    with django_capture_on_commit_callbacks(execute=True):
        legal.host_name = "Nouvel hébergeur"
        legal.save()
    assert "Nouvel hébergeur" in client.get(url).content.decode()


def test_legal_pages_stay_within_the_query_budget(
    client, legal_site, django_assert_max_num_queries
):
    for model in (LegalNoticePage, PrivacyNoticePage, AccessibilityStatementPage):
        url = model.objects.get().url
        client.get(url)
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200


def test_the_bulletin_links_the_statutes_and_the_notice(client, legal_site):
    from members.pages import MembershipPage

    bulletin = MembershipPage(title="Adhérer", slug="adherer")
    legal_site["home"].add_child(instance=bulletin)
    bulletin.save_revision().publish()
    text = client.get(bulletin.url).content.decode()
    assert f'href="{LegalSettings.load().statutes_document.url}"' in text
    assert f'href="{PrivacyNoticePage.objects.get().url}"' in text


def test_a_form_page_says_who_reads_the_answers_and_links_the_notice(client, legal_site):
    from forms.pages import FormField, FormPage

    form = FormPage(
        title="Contact",
        slug="contact",
        to_address="equipe@example.org",
        from_address="site@example.org",
        subject="Contact",
        form_fields=[FormField(label="Nom", field_type="singleline", required=True)],
    )
    legal_site["home"].add_child(instance=form)
    form.save_revision().publish()
    text = client.get(form.url).content.decode()
    assert "effacées deux ans après leur envoi" in text
    assert f'href="{PrivacyNoticePage.objects.get().url}"' in text


def test_the_partner_confirmation_links_the_notice(client, legal_site):
    from demo.factories.awards import ApplicationFactory
    from tests.awards.test_applications import invite

    application = ApplicationFactory()
    link = invite(client, application)
    client.logout()
    text = client.get(link).content.decode()
    assert "effacés avec lui" in text
    assert f'href="{PrivacyNoticePage.objects.get().url}"' in text


def test_the_application_consent_step_links_the_notice(client, legal_site):
    from demo.factories.awards import ApplicationFactory

    application = ApplicationFactory()
    client.force_login(application.created_by)
    url = reverse("awards:application_step", args=[application.pk, 4])
    text = client.get(url).content.decode()
    assert "effacé trois ans après l’édition" in text
    assert f'href="{PrivacyNoticePage.objects.get().url}"' in text
