"""Staff follow needs, offers, matches, companies and skills in Wagtail's admin (« Bénévolat »):
lists with filters, search and CSV export that runs no formula; matches never made or changed
by a generic form; nothing for a user without the model permissions."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from demo.factories.forms import (
    BoardNeedFactory,
    CompanyFactory,
    MatchFactory,
    SkillFactory,
    VolunteerOfferFactory,
)
from forms.models import BoardNeed, Match, Skill, VolunteerOffer

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide-42"
NEEDS = "/admin/forms/boardneed/"
OFFERS = "/admin/forms/volunteeroffer/"
MATCHES = "/admin/forms/match/"
COMPANIES = "/admin/forms/company/"
SKILLS = "/admin/forms/skill/"


def staff_user(*codenames, username="gaelle"):
    """A staff member with access to Wagtail's admin and these permissions of `forms`."""
    user = User.objects.create_user(username, f"{username}@reseau.example.org", PASSWORD)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="forms", codename__in=codenames),
    )
    return User.objects.get(pk=user.pk)  # a fresh object: no stale permission cache


def refused(response):
    """Wagtail's admin answers a refused view with a 403, or a redirect to its home page with
    a message: never the view itself."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url.rstrip("/").endswith("/admin")
    )


def text(response):
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


@pytest.fixture
def dataset():
    finance = SkillFactory(name="Finance", slug="finance")
    juridique = SkillFactory(name="Juridique", slug="juridique")
    company = CompanyFactory(name="Mutuelle Ligérienne")
    treasurer = BoardNeedFactory(
        organisation__name="Les Jardins Partagés",
        departement="44",
        description="Tenir les comptes de l’association.",
        with_skills={finance: 3},
    )
    secretary = BoardNeedFactory(
        organisation__name="Atelier Vélo Solidaire",
        role="secretary",
        departement="85",
        commune="La Roche-sur-Yon",
        status=BoardNeed.Status.FILLED,
        visibility=BoardNeed.Visibility.NETWORK,
        with_skills={juridique: 1},
    )
    nantes = VolunteerOfferFactory(
        first_name="Léa",
        last_name="Moreau",
        departements=["44", "85"],
        company=company,
        with_skills={finance: 3},
    )
    angers = VolunteerOfferFactory(
        first_name="Hugo",
        last_name="Bernard",
        departements=["49"],
        status=VolunteerOffer.Status.WITHDRAWN,
        with_skills={juridique: 2},
    )
    proposed = MatchFactory(need=treasurer, offer=nantes, score=82)
    declined = MatchFactory(need=secretary, offer=angers, status=Match.Status.DECLINED)
    return {
        "treasurer": treasurer,
        "secretary": secretary,
        "nantes": nantes,
        "angers": angers,
        "company": company,
        "proposed": proposed,
        "declined": declined,
    }


def test_needs_list_filters_search_and_shows_skills(client, admin_user, dataset):
    client.force_login(admin_user)
    html = text(client.get(NEEDS))
    assert "Les Jardins Partagés" in html and "Atelier Vélo Solidaire" in html
    assert "Finance (indispensable)" in html  # the through rows, read-only, as a column

    for query in (
        "status=open",
        "role__exact=treasurer",
        "visibility__exact=public",
        "departement=44",
        f"skills__id__exact={dataset['treasurer'].skills.get().pk}",
        "q=Jardins",
    ):
        html = text(client.get(f"{NEEDS}?{query}"))
        assert "Les Jardins Partagés" in html, query
        assert "Atelier Vélo Solidaire" not in html, query


def test_offers_list_filters_by_departement_company_and_search(client, admin_user, dataset):
    client.force_login(admin_user)
    html = text(client.get(OFFERS))
    assert "Léa Moreau" in html and "Hugo Bernard" in html

    for query in (
        "departement=85",  # in a list of territories
        "status__exact=available",
        f"company__id__exact={dataset['company'].pk}",
        "q=Moreau",
    ):
        html = text(client.get(f"{OFFERS}?{query}"))
        assert "Léa Moreau" in html, query
        assert "Hugo Bernard" not in html, query
    html = text(client.get(f"{OFFERS}?departement=49"))
    assert "Hugo Bernard" in html and "Léa Moreau" not in html
    # Not a département: no filter, no error.
    html = text(client.get(f"{OFFERS}?departement=%22%29"))
    assert "Hugo Bernard" in html and "Léa Moreau" in html


def test_matches_companies_and_skills_lists(client, admin_user, dataset):
    client.force_login(admin_user)
    html = text(client.get(f"{MATCHES}?status__exact=declined"))
    assert "Hugo Bernard" in html and "Léa Moreau" not in html
    html = text(client.get(f"{MATCHES}?q=Mutuelle"))
    assert "Léa Moreau" in html and "Hugo Bernard" not in html

    html = text(client.get(f"{COMPANIES}?q=Ligérienne"))
    assert "Mutuelle Ligérienne" in html
    html = text(client.get(f"{SKILLS}?q=jurid"))
    assert "Juridique" in html and "Finance" not in html


def test_an_invalid_filter_value_is_the_list_again(client, admin_user, dataset):
    client.force_login(admin_user)
    response = client.get(f"{NEEDS}?skills__id__exact=abc")
    assert response.status_code == 302
    assert text(client.get(response.url))


def test_csv_export_runs_no_formula(client, admin_user, dataset):
    need = dataset["treasurer"]
    need.description = '=HYPERLINK("http://attaquant.example","clic")'
    need.save()
    offer = dataset["nantes"]
    offer.last_name = "@SUM(1+1)"
    offer.save()
    client.force_login(admin_user)

    body = text(client.get(f"{NEEDS}?export=csv"))
    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body
    assert "Atelier Vélo Solidaire" in body  # every row, not only the first

    body = text(client.get(f"{OFFERS}?export=csv"))
    assert "'@SUM(1+1)" in body and ",@SUM" not in body

    Match.objects.filter(pk=dataset["proposed"].pk).update(notes="+33 6 12 34 56 78")
    body = text(client.get(f"{MATCHES}?export=csv"))
    assert "'+33 6 12 34 56 78" in body and ",+33" not in body
    assert "Les Jardins Partagés" in body and "déclinée" in body

    for url in (COMPANIES, SKILLS):
        assert text(client.get(f"{url}?export=csv"))


def test_matches_are_never_created_or_edited_by_a_generic_form(client, admin_user, dataset):
    client.force_login(admin_user)
    match = dataset["proposed"]
    html = text(client.get(MATCHES))
    assert f"{MATCHES}create/" not in html
    assert f"{MATCHES}edit/{match.pk}/" not in html
    assert refused(client.get(f"{MATCHES}create/"))
    assert refused(client.get(f"{MATCHES}edit/{match.pk}/"))
    assert refused(client.post(f"{MATCHES}edit/{match.pk}/", {"status": "accepted"}))
    assert refused(client.post(f"{MATCHES}delete/{match.pk}/"))
    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED
    # Staff still read it whole.
    assert "Les Jardins Partagés" in text(client.get(f"{MATCHES}inspect/{match.pk}/"))


def test_needs_and_offers_are_edited_not_created(client, admin_user, dataset):
    client.force_login(admin_user)
    assert refused(client.get(f"{NEEDS}create/"))
    assert refused(client.get(f"{OFFERS}create/"))

    need = dataset["treasurer"]
    response = client.post(
        f"{NEEDS}edit/{need.pk}/",
        {
            "organisation": need.organisation_id,
            "role": "president",
            "hours_per_month": 10,
            "mandate_months": 24,
            "departement": "49",
            "commune": "Angers",
            "description": "Présider le conseil d’administration.",
            "status": "in_progress",
            "visibility": "public",
            "skills_essential": [finance.pk for finance in need.skills.all()],
        },
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.role, need.departement, need.status) == ("president", "49", "in_progress")
    assert [(r.skill.slug, r.importance) for r in need.need_skills.all()] == [("finance", 3)]


def test_staff_correct_the_skills_and_their_grades(client, admin_user, dataset):
    client.force_login(admin_user)
    need = dataset["treasurer"]
    finance = need.skills.get()
    juridique = Skill.objects.get(slug="juridique")
    html = text(client.get(f"{NEEDS}edit/{need.pk}/"))
    assert f'name="skills_essential" value="{finance.pk}"' in html
    fields = {
        "organisation": need.organisation_id,
        "role": need.role,
        "hours_per_month": need.hours_per_month,
        "mandate_months": need.mandate_months,
        "departement": need.departement,
        "commune": need.commune,
        "description": need.description,
        "status": need.status,
        "visibility": need.visibility,
    }
    # One skill in two grades, or none at all: refused, nothing changed.
    both = {**fields, "skills_essential": [finance.pk], "skills_useful": [finance.pk]}
    assert "une seule case par compétence" in text(client.post(f"{NEEDS}edit/{need.pk}/", both))
    assert "Cochez au moins une compétence." in text(client.post(f"{NEEDS}edit/{need.pk}/", fields))
    assert [(r.skill_id, r.importance) for r in need.need_skills.all()] == [(finance.pk, 3)]
    # Finance becomes useful, juridique essential.
    changed = {**fields, "skills_essential": [juridique.pk], "skills_useful": [finance.pk]}
    assert client.post(f"{NEEDS}edit/{need.pk}/", changed).status_code == 302
    assert sorted((r.skill.slug, r.importance) for r in need.need_skills.all()) == [
        ("finance", 1),
        ("juridique", 3),
    ]

    offer = dataset["nantes"]
    data = offer_form(offer, skills_basic=[finance.pk], skills_expert=[juridique.pk])
    assert client.post(f"{OFFERS}edit/{offer.pk}/", data).status_code == 302
    assert sorted((r.skill.slug, r.level) for r in offer.offer_skills.all()) == [
        ("finance", 1),
        ("juridique", 3),
    ]


def offer_form(offer, **changes):
    data = {
        "first_name": offer.first_name,
        "last_name": offer.last_name,
        "phone": "",
        "job_title": "",
        "company": "",
        "hours_per_month": 8,
        "departements": "44",
        "motivation": offer.motivation,
        "status": offer.status,
        "skills_expert": [row.skill_id for row in offer.offer_skills.filter(level=3)],
        "skills_confirmed": [row.skill_id for row in offer.offer_skills.filter(level=2)],
        "skills_basic": [row.skill_id for row in offer.offer_skills.filter(level=1)],
    }
    data.update(changes)
    return data


def test_offer_territories_are_typed_as_codes(client, admin_user, dataset):
    client.force_login(admin_user)
    offer = dataset["nantes"]
    html = text(client.get(f"{OFFERS}edit/{offer.pk}/"))
    assert 'value="44, 85"' in html

    response = client.post(f"{OFFERS}edit/{offer.pk}/", offer_form(offer, departements="49; 2a"))
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.departements == ["49", "2A"]
    assert offer.skills.count() == 1

    response = client.post(
        f"{OFFERS}edit/{offer.pk}/", offer_form(offer, departements="44, 99, Nantes")
    )
    html = text(response)
    assert "Ce ne sont pas des numéros de département : 99, Nantes" in html
    assert 'value="44, 99, Nantes"' in html  # what was typed is kept
    offer.refresh_from_db()
    assert offer.departements == ["49", "2A"]


def test_companies_and_skills_are_created_by_staff(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        f"{SKILLS}create/", {"name": "Numérique", "slug": "numerique", "order": 3}
    )
    assert response.status_code == 302
    response = client.post(
        f"{COMPANIES}create/",
        {"name": "Coopérative Atlantique", "siret": "12345678901234", "contact_name": "Zoé"},
    )
    assert "clé de contrôle" in text(response)  # the SIRET is checked
    response = client.post(
        f"{COMPANIES}create/", {"name": "Coopérative Atlantique", "siret": "", "size": "small"}
    )
    assert response.status_code == 302
    assert text(client.get(f"{COMPANIES}?size__exact=small")).count("Coopérative Atlantique")


def test_a_user_without_permissions_sees_nothing(client, dataset):
    client.force_login(staff_user())
    home = text(client.get("/admin/"))
    assert NEEDS not in home and MATCHES not in home
    for url in (NEEDS, OFFERS, MATCHES, COMPANIES, SKILLS, f"{NEEDS}?export=csv"):
        response = client.get(url)
        assert refused(response), url
        assert "Les Jardins Partagés" not in response.content.decode()


def test_permissions_are_per_model(client, dataset):
    client.force_login(staff_user("view_boardneed"))
    home = text(client.get("/admin/"))
    assert NEEDS in home and OFFERS not in home
    html = text(client.get(NEEDS))
    assert "Les Jardins Partagés" in html
    assert f"{NEEDS}edit/" not in html  # viewing only
    assert refused(client.get(f"{NEEDS}edit/{dataset['treasurer'].pk}/"))
    assert refused(client.get(OFFERS))
    assert refused(client.get(MATCHES))


def matching_url(name, pk):
    return reverse(f"volunteering_admin:{name}", args=[pk])


def test_rows_link_to_the_matching_views(client, admin_user, dataset):
    urls = {
        NEEDS: matching_url("need_suggestions", dataset["treasurer"].pk),
        OFFERS: matching_url("offer_suggestions", dataset["nantes"].pk),
        MATCHES: matching_url("match_detail", dataset["proposed"].pk),
    }
    assert all(urls.values())
    client.force_login(admin_user)
    for listing, url in urls.items():
        assert f'href="{url}"' in text(client.get(listing)), listing
    # No suggestions for a filled need or a withdrawn offer.
    filled = matching_url("need_suggestions", dataset["secretary"].pk)
    assert f'href="{filled}"' not in text(client.get(NEEDS))
    withdrawn = matching_url("offer_suggestions", dataset["angers"].pk)
    assert f'href="{withdrawn}"' not in text(client.get(OFFERS))

    # Staff who see only the needs get no button to views they cannot use.
    client.force_login(staff_user("view_boardneed", username="noemie"))
    assert urls[NEEDS] not in text(client.get(NEEDS))
