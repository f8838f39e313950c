"""The public listing of board needs, a need's page, and a volunteer's expression of interest."""

import re

import pytest
from django.urls import reverse

from demo.factories.forms import (
    BoardNeedFactory,
    CompanyFactory,
    MatchFactory,
    SkillFactory,
    VolunteerOfferFactory,
    VolunteerUserFactory,
)
from demo.factories.members import OrganisationFactory
from forms.models import BoardNeed, BoardRole, Match, VolunteerOffer
from members.models import Contact, Sector

pytestmark = pytest.mark.django_db

NEEDS = reverse("volunteering:needs")


def detail(need):
    return reverse("volunteering:need_detail", args=[need.pk])


def interest(need):
    return reverse("volunteering:need_interest", args=[need.pk])


def shown_ids(response):
    """The needs listed on a page, in order, read from the links to their pages."""
    return [int(pk) for pk in re.findall(r'href="/benevolat/besoins/(\d+)/"', response.text)]


def add_contact(organisation, first_name, last_name, email):
    user = VolunteerUserFactory(
        username=email, email=email, first_name=first_name, last_name=last_name
    )
    return Contact.objects.create(
        organisation=organisation, user=user, role=Contact.Role.PRESIDENT, is_primary=True
    )


# Visibility ---------------------------------------------------------------------------------


HIDDEN = [
    {"status": BoardNeed.Status.CLOSED},
    {"status": BoardNeed.Status.FILLED},
    {"status": BoardNeed.Status.IN_PROGRESS},
    {"visibility": BoardNeed.Visibility.NETWORK},
]


def test_the_listing_shows_open_public_needs_newest_first(client):
    older = BoardNeedFactory()
    newer = BoardNeedFactory()
    for fields in HIDDEN:
        BoardNeedFactory(**fields)
    response = client.get(NEEDS)
    assert response.status_code == 200
    assert shown_ids(response) == [newer.pk, older.pk]
    assert "2 besoins ouverts" in response.text


def test_the_needs_of_an_erased_organisation_are_not_shown(client):
    need = BoardNeedFactory()
    need.organisation.pseudonymised_at = need.created_at
    need.organisation.save()
    assert shown_ids(client.get(NEEDS)) == []
    assert client.get(detail(need)).status_code == 404


@pytest.mark.parametrize("fields", HIDDEN, ids=["closed", "filled", "in-progress", "network"])
def test_a_need_not_listed_answers_404_on_its_page_and_for_interest(client, fields):
    need = BoardNeedFactory(**fields)
    assert client.get(detail(need)).status_code == 404
    offer = VolunteerOfferFactory()
    client.force_login(offer.user)
    assert client.get(detail(need)).status_code == 404
    assert client.post(interest(need)).status_code == 404
    assert not Match.objects.exists()


def test_an_unknown_need_answers_404(client):
    assert client.get(reverse("volunteering:need_detail", args=[999999])).status_code == 404


def test_a_card_shows_the_role_organisation_place_skills_and_commitment(client):
    finance = SkillFactory(name="Finance", slug="finance")
    need = BoardNeedFactory(
        organisation=OrganisationFactory(name="Les Jardins Partagés"),
        role=BoardRole.TREASURER,
        commune="Rezé",
        departement="44",
        hours_per_month=6,
        mandate_months=24,
        with_skills={finance: 3},
    )
    text = client.get(NEEDS).text
    assert "Trésorier·ère" in text
    assert "Les Jardins Partagés" in text
    assert "Rezé (44)" in text
    assert "Finance" in text
    assert "6 heures par mois" in text
    assert "mandat de 24 mois" in text
    assert f'href="{detail(need)}"' in text


def test_the_detail_shows_public_facts_and_never_the_contacts(client):
    solidarity = Sector.objects.create(name="Jardins solidaires", slug="jardins-solidaires")
    organisation = OrganisationFactory(name="Les Jardins Partagés", city="Rezé")
    organisation.sectors.add(solidarity)
    add_contact(organisation, "Hortense", "Vasseur", "hortense.vasseur@jardins.example")
    creator = VolunteerUserFactory(first_name="Gaspard", last_name="Lemoine")
    need = BoardNeedFactory(
        organisation=organisation,
        created_by=creator,
        commune="Rezé",
        description="Tenir les comptes et préparer le budget annuel.",
    )
    response = client.get(detail(need))
    assert response.status_code == 200
    text = response.text
    assert "Les Jardins Partagés" in text
    assert "Rezé (44)" in text
    assert "Jardins solidaires" in text
    assert "préparer le budget annuel" in text
    for private in (
        "Hortense",
        "Vasseur",
        "hortense.vasseur@",
        "Gaspard",
        "Lemoine",
        creator.email,
    ):
        assert private not in text
    assert text.count("<h1") == 1


def test_the_listing_never_shows_volunteers_or_contacts(client):
    need = BoardNeedFactory()
    offer = VolunteerOfferFactory(first_name="Bérénice", last_name="Quillard")
    MatchFactory(need=need, offer=offer, origin=Match.Origin.INTEREST)
    add_contact(need.organisation, "Hortense", "Vasseur", "h@x.fr")
    text = client.get(NEEDS).text
    for private in ("Bérénice", "Quillard", offer.user.email, "Hortense", "Vasseur", "h@x.fr"):
        assert private not in text


# Filters ------------------------------------------------------------------------------------


def test_filter_by_skill(client):
    finance = SkillFactory(name="Finance", slug="finance")
    legal = SkillFactory(name="Juridique", slug="juridique")
    wanted = BoardNeedFactory(with_skills={finance: 3, legal: 1})
    other = BoardNeedFactory(with_skills={legal: 2})
    response = client.get(NEEDS, {"competence": "finance"})
    assert shown_ids(response) == [wanted.pk]
    assert "1 besoin ouvert" in response.text
    assert shown_ids(client.get(NEEDS, {"competence": "juridique"})) == [other.pk, wanted.pk]


def test_filter_by_departement(client):
    nantes = BoardNeedFactory(departement="44")
    angers = BoardNeedFactory(departement="49", commune="Angers")
    corsica = BoardNeedFactory(departement="2A", commune="Ajaccio")
    assert shown_ids(client.get(NEEDS, {"departement": "49"})) == [angers.pk]
    assert shown_ids(client.get(NEEDS, {"departement": "2a"})) == [corsica.pk]
    assert shown_ids(client.get(NEEDS, {"departement": "44"})) == [nantes.pk]


def test_filter_by_role(client):
    treasurer = BoardNeedFactory(role=BoardRole.TREASURER)
    president = BoardNeedFactory(role=BoardRole.PRESIDENT)
    assert shown_ids(client.get(NEEDS, {"fonction": "president"})) == [president.pk]
    assert shown_ids(client.get(NEEDS, {"fonction": "treasurer"})) == [treasurer.pk]


def test_filter_by_the_organisations_sector(client):
    health = Sector.objects.create(name="Soins palliatifs", slug="soins-palliatifs")
    culture = Sector.objects.create(name="Théâtre amateur", slug="theatre-amateur")
    both = OrganisationFactory()
    both.sectors.add(health, culture)
    only_culture = OrganisationFactory()
    only_culture.sectors.add(culture)
    need_health = BoardNeedFactory(organisation=both)
    need_culture = BoardNeedFactory(organisation=only_culture)
    BoardNeedFactory()  # no sector
    assert shown_ids(client.get(NEEDS, {"secteur": "soins-palliatifs"})) == [need_health.pk]
    # A need whose organisation has two matching sectors is listed once.
    assert shown_ids(client.get(NEEDS, {"secteur": "theatre-amateur"})) == [
        need_culture.pk,
        need_health.pk,
    ]


def test_filters_combine(client):
    finance = SkillFactory(slug="finance")
    yes = BoardNeedFactory(departement="49", role=BoardRole.TREASURER, with_skills={finance: 2})
    BoardNeedFactory(departement="44", role=BoardRole.TREASURER, with_skills={finance: 2})
    BoardNeedFactory(departement="49", role=BoardRole.PRESIDENT, with_skills={finance: 2})
    response = client.get(
        NEEDS, {"competence": "finance", "departement": "49", "fonction": "treasurer"}
    )
    assert shown_ids(response) == [yes.pk]


def test_each_filter_shows_its_choices_with_counts_given_the_other_filters(client):
    finance = SkillFactory(name="Finance", slug="finance")
    legal = SkillFactory(name="Juridique", slug="juridique")
    SkillFactory(name="Numérique", slug="numerique")  # asked by no listed need: not offered
    culture = Sector.objects.create(name="Théâtre amateur", slug="theatre-amateur")
    organisation = OrganisationFactory()
    organisation.sectors.add(culture)
    BoardNeedFactory(departement="44", with_skills={finance: 3}, organisation=organisation)
    BoardNeedFactory(departement="44", with_skills={finance: 1, legal: 1})
    BoardNeedFactory(departement="49", with_skills={legal: 2}, role=BoardRole.SECRETARY)
    BoardNeedFactory(departement="85", status=BoardNeed.Status.CLOSED, with_skills={finance: 1})

    text = client.get(NEEDS).text
    assert '<option value="finance">Finance (2)</option>' in text
    assert '<option value="juridique">Juridique (2)</option>' in text
    assert "numerique" not in text
    assert '<option value="44">44 (2)</option>' in text
    assert '<option value="49">49 (1)</option>' in text
    assert 'value="85"' not in text
    assert '<option value="treasurer">Trésorier·ère (2)</option>' in text
    assert '<option value="secretary">Secrétaire (1)</option>' in text
    assert '<option value="theatre-amateur">Théâtre amateur (1)</option>' in text

    # With the département 44 chosen, the other filters count within it; the département
    # filter itself still shows every choice (what picking another would give).
    text = client.get(NEEDS, {"departement": "44"}).text
    assert '<option value="juridique">Juridique (1)</option>' in text
    assert '<option value="49">49 (1)</option>' in text
    assert '<option value="44" selected>44 (2)</option>' in text
    assert 'value="secretary"' not in text


def test_the_filter_form_is_accessible_and_works_without_javascript(client):
    BoardNeedFactory()
    text = client.get(NEEDS).text
    form = re.search(r'<form method="get" action="/benevolat/besoins/".*?</form>', text, re.S)
    assert form is not None
    for name in ("competence", "departement", "fonction", "secteur"):
        field_id = f"id_{name}"
        assert re.search(rf'<label\s+for="{field_id}"', form.group(0))
        assert f'name="{name}"' in form.group(0)
    assert '<button type="submit" class="btn btn-primary">Filtrer</button>' in form.group(0)
    assert text.count("<h1") == 1


def test_a_filter_value_that_does_not_exist_says_so_and_is_not_applied(client):
    need = BoardNeedFactory()
    response = client.get(NEEDS, {"competence": "astrologie", "departement": "ZZ"})
    assert response.status_code == 200
    assert "Cette compétence n’existe pas" in response.text
    assert "Indiquez un numéro de département" in response.text
    assert shown_ids(response) == [need.pk]


def test_an_empty_result_says_so_and_offers_to_reset(client):
    BoardNeedFactory(departement="44")
    response = client.get(NEEDS, {"departement": "29"})
    assert shown_ids(response) == []
    assert "Aucun besoin ouvert ne correspond à ces filtres." in response.text
    assert "Réinitialiser les filtres et voir tous les besoins" in response.text
    # The chosen département stays selected, at zero.
    assert '<option value="29" selected>29 (0)</option>' in response.text


def test_no_need_at_all_says_so(client):
    text = client.get(NEEDS).text
    assert "Aucun besoin n’est ouvert pour le moment." in text


def test_the_calls_to_action_link_to_the_public_forms(client):
    text = client.get(NEEDS).text
    assert f'href="{reverse("volunteering:need_submit")}"' in text
    assert f'href="{reverse("volunteering:offer_submit")}"' in text
    assert "Déposer un besoin" in text
    assert "Proposer mes compétences" in text


# Pagination ---------------------------------------------------------------------------------


def test_pagination_twelve_a_page_keeping_the_filters(client):
    needs = BoardNeedFactory.create_batch(14, departement="49")
    BoardNeedFactory(departement="44")
    newest_first = [need.pk for need in reversed(needs)]

    first = client.get(NEEDS, {"departement": "49"})
    assert shown_ids(first) == newest_first[:12]
    nav = re.search(
        r'<nav class="mt-4" aria-label="Pagination des besoins">.*?</nav>', first.text, re.S
    )
    assert nav is not None
    assert '<span class="page-link" aria-current="page">1</span>' in nav.group(0)
    assert 'href="?departement=49&amp;page=2"' in nav.group(0)

    second = client.get(NEEDS, {"departement": "49", "page": "2"})
    assert shown_ids(second) == newest_first[12:]
    assert '<span class="page-link" aria-current="page">2</span>' in second.text

    # Past the end: the last page; nonsense: the first.
    assert shown_ids(client.get(NEEDS, {"departement": "49", "page": "9"})) == newest_first[12:]
    assert shown_ids(client.get(NEEDS, {"departement": "49", "page": "x"})) == newest_first[:12]


def test_one_page_has_no_pagination(client):
    BoardNeedFactory.create_batch(3)
    assert "Pagination des besoins" not in client.get(NEEDS).text


# Query budget -------------------------------------------------------------------------------


def _many_needs(count):
    skills = [SkillFactory() for _ in range(4)]
    sectors = [
        Sector.objects.get_or_create(slug=f"secteur-{n}", defaults={"name": f"Secteur {n}"})[0]
        for n in range(3)
    ]
    for n in range(count):
        organisation = OrganisationFactory()
        organisation.sectors.add(*sectors[: 1 + n % 3])
        BoardNeedFactory(
            organisation=organisation,
            departement=["44", "49", "85"][n % 3],
            role=BoardRole.values[n % 4],
            with_skills={skill: 2 for skill in skills[: 1 + n % 4]},
        )


def _count_queries(client, django_assert_max_num_queries, url, params=None, limit=10):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_the_listing_costs_the_same_queries_for_3_or_30_needs(
    client, django_assert_max_num_queries
):
    _many_needs(3)
    client.get(NEEDS)  # the site's identity is created on the first page shown
    few = _count_queries(client, django_assert_max_num_queries, NEEDS)
    _many_needs(27)
    many = _count_queries(client, django_assert_max_num_queries, NEEDS)
    assert many == few
    filtered = _count_queries(
        client, django_assert_max_num_queries, NEEDS, {"competence": "competence-0", "page": 2}
    )
    assert filtered <= few + 1  # the one check that the chosen skill exists


def test_the_detail_costs_the_same_few_queries_whatever_its_skills_and_sectors(
    client, django_assert_max_num_queries
):
    _many_needs(4)  # the first need asks for one skill, the fourth for four
    plain, rich = BoardNeed.objects.order_by("pk")[0], BoardNeed.objects.order_by("pk")[3]
    assert rich.need_skills.count() == 4
    client.get(detail(plain))  # the site's identity is created on the first page shown
    few = _count_queries(client, django_assert_max_num_queries, detail(plain), limit=5)
    many = _count_queries(client, django_assert_max_num_queries, detail(rich), limit=5)
    assert many == few


# Interest -----------------------------------------------------------------------------------


def test_a_volunteer_with_an_offer_expresses_interest_once(client):
    need = BoardNeedFactory()
    offer = VolunteerOfferFactory()
    client.force_login(offer.user)

    page = client.get(detail(need))
    assert f'action="{interest(need)}"' in page.text
    assert 'name="message"' in page.text

    response = client.post(interest(need), {"offer": offer.pk, "message": "J’ai tenu les comptes."})
    assert response.status_code == 302
    assert response["Location"] == detail(need)
    match = Match.objects.get()
    assert (match.need, match.offer, match.origin) == (need, offer, Match.Origin.INTEREST)
    assert match.interest_message == "J’ai tenu les comptes."
    assert match.proposed_by == offer.user
    assert match.status == Match.Status.PROPOSED
    page = client.get(response["Location"])
    assert "Merci, votre intérêt est enregistré." in page.text
    assert "Votre intérêt est enregistré depuis le" in page.text
    assert f'action="{interest(need)}"' not in page.text  # no second button

    again = client.post(interest(need), {"offer": offer.pk}, follow=True)
    assert "Votre intérêt est déjà enregistré" in again.text
    assert Match.objects.count() == 1


def test_the_interest_with_the_only_offer_needs_no_choice(client):
    need = BoardNeedFactory()
    offer = VolunteerOfferFactory()
    client.force_login(offer.user)
    page = client.get(detail(need)).text
    assert f'type="hidden" name="offer" value="{offer.pk}"' in page
    client.post(interest(need), {"offer": offer.pk})
    assert Match.objects.get().offer == offer


def test_a_volunteer_with_several_offers_chooses_one(client):
    need = BoardNeedFactory()
    first = VolunteerOfferFactory(job_title="Contrôleuse de gestion")
    second = VolunteerOfferFactory(user=first.user, job_title="Juriste")
    VolunteerOfferFactory(
        user=first.user, status=VolunteerOffer.Status.WITHDRAWN, job_title="Ancien"
    )
    client.force_login(first.user)
    page = client.get(detail(need)).text
    assert page.count('type="radio"') == 2
    assert f'name="offer" value="{first.pk}"' in page
    assert f'name="offer" value="{second.pk}"' in page
    assert "Contrôleuse de gestion" in page and "Juriste" in page
    assert "Ancien" not in page

    missing = client.post(interest(need), {"message": "Bonjour"})
    assert missing.status_code == 400
    assert "Choisissez votre proposition de compétences." in missing.text
    assert "Bonjour" in missing.text  # what was typed is kept
    assert not Match.objects.exists()

    client.post(interest(need), {"offer": second.pk})
    assert Match.objects.get().offer == second
    # Once one of the user's offers is interested, the other one adds nothing.
    client.post(interest(need), {"offer": first.pk})
    assert Match.objects.count() == 1


def test_someone_elses_or_a_withdrawn_offer_is_refused(client):
    need = BoardNeedFactory()
    mine = VolunteerOfferFactory()
    withdrawn = VolunteerOfferFactory(user=mine.user, status=VolunteerOffer.Status.WITHDRAWN)
    theirs = VolunteerOfferFactory()
    client.force_login(mine.user)
    for offer in (theirs, withdrawn):
        response = client.post(interest(need), {"offer": offer.pk})
        assert response.status_code == 400
        assert "Choisissez l’une de vos propositions de compétences." in response.text
    assert not Match.objects.exists()


def test_a_user_without_an_available_offer_is_told_to_propose_skills_first(client):
    need = BoardNeedFactory()
    engaged = VolunteerOfferFactory(status=VolunteerOffer.Status.ENGAGED)
    client.force_login(engaged.user)
    page = client.get(detail(need)).text
    assert "proposez d’abord vos compétences" in page
    assert f'href="{reverse("volunteering:offer_submit")}"' in page
    assert f'action="{interest(need)}"' not in page

    response = client.post(interest(need), {"offer": engaged.pk}, follow=True)
    assert response.redirect_chain == [(detail(need), 302)]
    assert "proposez d’abord vos compétences" in response.text
    assert not Match.objects.exists()


def test_a_staff_proposed_match_counts_as_already_there(client):
    need = BoardNeedFactory()
    offer = VolunteerOfferFactory()
    MatchFactory(need=need, offer=offer, origin=Match.Origin.STAFF)
    client.force_login(offer.user)
    page = client.get(detail(need)).text
    assert "L’équipe a déjà retenu votre proposition pour ce besoin" in page
    response = client.post(interest(need), {"offer": offer.pk}, follow=True)
    assert "Votre intérêt est déjà enregistré" in response.text
    assert Match.objects.get().origin == Match.Origin.STAFF


def test_interest_tells_staff_by_email(client, mailoutbox, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Permission

    staff = VolunteerUserFactory(email="equipe@reseau.example", username="equipe@reseau.example")
    staff.user_permissions.add(Permission.objects.get(codename="change_match"))
    need = BoardNeedFactory()
    offer = VolunteerOfferFactory()
    client.force_login(offer.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(interest(need), {"offer": offer.pk, "message": "Motivée"})
    assert Match.objects.count() == 1
    assert [message.to for message in mailoutbox] == [["equipe@reseau.example"]]


def test_anonymous_interest_goes_to_the_login_page_then_back_to_the_need(client):
    need = BoardNeedFactory()
    response = client.post(interest(need))
    assert response.status_code == 302
    login = reverse("members:login")
    assert response["Location"].startswith(login)
    assert response["Location"] == f"{login}?next={detail(need)}"
    assert not Match.objects.exists()
    page = client.get(detail(need)).text
    assert f'href="{login}?next={detail(need)}"' in page
    assert f'action="{interest(need)}"' not in page


def test_get_on_the_interest_address_is_refused(client):
    need = BoardNeedFactory()
    offer = VolunteerOfferFactory()
    client.force_login(offer.user)
    assert client.get(interest(need)).status_code == 405
    assert not Match.objects.exists()


def test_the_detail_for_a_logged_in_user_is_never_cached(client):
    need = BoardNeedFactory()
    client.force_login(VolunteerOfferFactory().user)
    assert "no-store" in client.get(detail(need))["Cache-Control"]


def test_the_detail_for_a_volunteer_stays_within_budget(client, django_assert_max_num_queries):
    need = BoardNeedFactory()
    offer = VolunteerOfferFactory()
    VolunteerOfferFactory(user=offer.user)
    client.force_login(offer.user)
    client.get(detail(need))  # the site's identity is created on the first page shown
    # Session, user, need (+ skills, sectors), offers, existing match, the offers to choose from.
    _count_queries(client, django_assert_max_num_queries, detail(need), limit=10)


def test_a_contact_of_the_association_cannot_express_interest_in_its_need(client):
    need = BoardNeedFactory()
    offer = VolunteerOfferFactory()
    Contact.objects.create(
        organisation=need.organisation, user=offer.user, role=Contact.Role.TREASURER
    )
    client.force_login(offer.user)
    response = client.post(interest(need), {"offer": offer.pk}, follow=True)
    assert "contact de cette association" in response.text
    assert "conflit d’intérêts" in response.text
    assert not Match.objects.exists()


def test_an_employee_of_a_partner_company_cannot_express_interest(client):
    need = BoardNeedFactory()
    offer = VolunteerOfferFactory(company=CompanyFactory())
    offer.company.partner_organisations.add(need.organisation)
    client.force_login(offer.user)
    response = client.post(interest(need), {"offer": offer.pk}, follow=True)
    assert "partenaire de cette association" in response.text
    assert not Match.objects.exists()
