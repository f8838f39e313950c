"""The staff's matching views in Wagtail's admin: ranked suggestions per need and per offer,
propose and introduce a match, follow it (notes) and end it; permissions and CSRF."""

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from demo.factories.forms import (
    BoardNeedFactory,
    CompanyFactory,
    MatchFactory,
    SkillFactory,
    VolunteerOfferFactory,
)
from demo.factories.members import OrganisationFactory, UserFactory
from forms.models import BoardNeed, Match, NeedSkill, OfferSkill
from members.models import Contact

pytestmark = pytest.mark.django_db


def perms(*codenames):
    return [
        Permission.objects.get(codename=codename, content_type__app_label=app)
        for app, codename in (name.split(".") for name in codenames)
    ]


def staff(client, *codenames, name="staff"):
    email = f"{name}@reseau.example"
    user = User.objects.create_user(email, email, "pw", first_name="Sam", last_name="Suivi")
    user.user_permissions.add(*perms("wagtailadmin.access_admin", *codenames))
    client.force_login(user)
    return user


@pytest.fixture
def manager(client):
    """Staff who may act on matches."""
    staff(client, "forms.change_match")
    return client


@pytest.fixture
def data():
    """A need asking finance (essential), 6 h a month in the 44, and two volunteers:
    Alice (finance expert, 8 h, in the 44) scores 60 + 20 + 10 + 10 = 100;
    Bruno (finance basics, 3 h, in the 49 next door) scores 20 + 10 + 10 + 5 = 45."""
    finance = SkillFactory(name="Finance", slug="finance")
    organisation = OrganisationFactory(name="Les Jardins d’Ariane")
    contact = UserFactory(username="presidente@jardins.example")
    Contact.objects.create(organisation=organisation, user=contact, role="president")
    need = BoardNeedFactory(organisation=organisation, hours_per_month=6, departement="44")
    NeedSkill.objects.create(need=need, skill=finance, importance=NeedSkill.Importance.ESSENTIAL)
    alice = VolunteerOfferFactory(
        first_name="Alice", last_name="Martin", hours_per_month=8, departements=["44"],
        company=CompanyFactory(name="Banque Solidaire"), job_title="Contrôleuse de gestion",
    )  # fmt: skip
    OfferSkill.objects.create(offer=alice, skill=finance, level=OfferSkill.Level.EXPERT)
    bruno = VolunteerOfferFactory(
        first_name="Bruno", last_name="Leroy", hours_per_month=3, departements=["49"]
    )
    OfferSkill.objects.create(offer=bruno, skill=finance, level=OfferSkill.Level.BASIC)
    return {"need": need, "alice": alice, "bruno": bruno, "finance": finance}


def url(name, pk):
    return reverse(f"volunteering_admin:{name}", args=[pk])


def rows(html, attribute):
    return [int(pk) for pk in re.findall(rf'<tr {attribute}="(\d+)"', html)]


def refused(client, method, page, payload=None):
    """The view raised PermissionDenied: Wagtail's admin answers it with a redirect to its home
    page (and its « no permission » message), and with a plain 403 to a script."""
    send = getattr(client, method)
    response = send(page, payload or {})
    script = send(page, payload or {}, headers={"x-requested-with": "XMLHttpRequest"})
    return (
        response.status_code == 302
        and response.url == reverse("wagtailadmin_home")
        and script.status_code == 403
    )


def messages_of(response):
    return [str(message).strip() for message in response.context["messages"]]


# --- Suggestions --------------------------------------------------------------------------------


def test_need_suggestions_are_ranked_with_their_score_and_parts(
    manager, data, django_assert_max_num_queries
):
    need = data["need"]
    manager.get(url("need_suggestions", need.pk))  # warm the caches (site, permissions)
    with django_assert_max_num_queries(30):
        response = manager.get(url("need_suggestions", need.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert rows(html, "data-offer") == [data["alice"].pk, data["bruno"].pk]
    assert html.index("Alice Martin") < html.index("Bruno Leroy")
    # Staff see the volunteers' real names (the anonymity is towards associations).
    assert "Alice Martin" in html and "Bruno Leroy" in html
    assert "Banque Solidaire" in html
    assert "100,0" in html and "45,0" in html
    assert "Compétences : 20,0 / 60" in html  # Bruno's skills part
    assert "Territoire : 10,0 / 20" in html  # the 49 borders the 44
    assert "Disponibilité : 5,0 / 10" in html
    assert html.count('name="action" value="propose"') == 2


def test_the_pages_cost_the_same_queries_with_more_offers_and_matches(
    manager, data, django_assert_max_num_queries
):
    """Ten suggestions shown (of twelve candidates) and three matches: still a fixed budget, the
    offers' skills, companies and sectors read at once, not once per row."""
    for n in range(12):
        offer = VolunteerOfferFactory(
            company=CompanyFactory(), departements=["44"], hours_per_month=4 + n
        )
        OfferSkill.objects.create(offer=offer, skill=data["finance"], level=2)
        if n < 3:
            MatchFactory(need=data["need"], offer=offer)
    page = url("need_suggestions", data["need"].pk)
    manager.get(page)
    with django_assert_max_num_queries(30):
        response = manager.get(page)
    html = response.content.decode()
    assert len(rows(html, "data-offer")) == 10
    assert len(rows(html, "data-match")) == 3
    offer_page = url("offer_suggestions", data["alice"].pk)
    manager.get(offer_page)
    with django_assert_max_num_queries(30):
        assert manager.get(offer_page).status_code == 200


def test_proposing_from_a_need_then_introducing(
    manager, data, mailoutbox, django_capture_on_commit_callbacks
):
    need, alice = data["need"], data["alice"]
    response = manager.post(
        url("need_suggestions", need.pk), {"action": "propose", "offer": alice.pk}, follow=True
    )
    match = Match.objects.get()
    assert (match.need, match.offer, match.status) == (need, alice, Match.Status.PROPOSED)
    assert match.proposed_by.email == "staff@reseau.example"
    assert match.score == 100
    assert any("Mise en relation proposée avec Alice Martin" in m for m in messages_of(response))
    html = response.content.decode()
    # Alice left the suggestions for the list of matches, with the button to introduce.
    assert rows(html, "data-offer") == [data["bruno"].pk]
    assert rows(html, "data-match") == [match.pk]
    assert 'name="action" value="introduce"' in html

    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            url("need_suggestions", need.pk), {"action": "introduce", "match": match.pk}
        )
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == Match.Status.INTRODUCED
    assert match.introduced_at is not None
    recipients = {address for message in mailoutbox for address in message.to}
    assert {"presidente@jardins.example", alice.user.email} <= recipients


def test_introducing_twice_shows_the_refusal_in_french(manager, data):
    match = MatchFactory(need=data["need"], offer=data["alice"], status=Match.Status.INTRODUCED)
    response = manager.post(
        url("need_suggestions", data["need"].pk),
        {"action": "introduce", "match": match.pk},
        follow=True,
    )
    assert any("ne peut plus être envoyée" in m for m in messages_of(response))
    match.refresh_from_db()
    assert match.status == Match.Status.INTRODUCED


def test_a_match_of_another_need_cannot_be_introduced_from_this_one(manager, data):
    other = MatchFactory(offer=data["bruno"])
    response = manager.post(
        url("need_suggestions", data["need"].pk), {"action": "introduce", "match": other.pk}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == Match.Status.PROPOSED


def test_proposing_for_a_closed_need_is_refused(manager, data):
    BoardNeed.objects.filter(pk=data["need"].pk).update(status=BoardNeed.Status.CLOSED)
    response = manager.post(
        url("need_suggestions", data["need"].pk),
        {"action": "propose", "offer": data["alice"].pk},
        follow=True,
    )
    assert Match.objects.count() == 0
    assert any("plus ouvert" in m for m in messages_of(response))


def test_offer_suggestions_and_proposing_from_the_offer(manager, data):
    alice = data["alice"]
    other = BoardNeedFactory(departement="13", hours_per_month=20)
    NeedSkill.objects.create(need=other, skill=data["finance"], importance=1)
    response = manager.get(url("offer_suggestions", alice.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice Martin" in html
    assert rows(html, "data-need") == [data["need"].pk, other.pk]

    response = manager.post(
        url("offer_suggestions", alice.pk), {"action": "propose", "need": other.pk}, follow=True
    )
    assert Match.objects.get().need == other
    assert rows(response.content.decode(), "data-need") == [data["need"].pk]


def test_an_unknown_action_or_a_malformed_id_is_refused(manager, data):
    page = url("need_suggestions", data["need"].pk)
    assert manager.post(page, {"action": "delete"}).status_code == 400
    assert manager.post(page, {"action": "propose", "offer": "x"}).status_code == 404
    assert manager.post(page, {"action": "propose", "offer": "999999"}).status_code == 404
    assert Match.objects.count() == 0


# --- A match's follow-up ------------------------------------------------------------------------


def test_match_detail_shows_state_and_answers(manager, data):
    match = MatchFactory(
        need=data["need"],
        offer=data["alice"],
        status=Match.Status.INTRODUCED,
        association_answer=Match.Answer.ACCEPTED,
    )
    response = manager.get(url("match_detail", match.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice Martin" in html
    assert "mise en relation" in html  # the status
    # Stored at 50 by the factory; the pair scores 100 today, part by part.
    assert "50,0 / 100" in html and "aujourd’hui : 100,0" in html
    assert "Compétences : 60,0 / 60" in html and "Territoire : 20,0 / 20" in html
    assert re.search(r'class="association-answer">\s*accepte', html)
    assert re.search(r'class="volunteer-answer">\s*en attente', html)
    assert 'value="end"' in html and 'value="introduce"' not in html


def test_adding_a_note(manager, data):
    match = MatchFactory(need=data["need"], offer=data["alice"], notes="Premier échange.")
    response = manager.post(
        url("match_detail", match.pk), {"action": "note", "note": "Rappeler jeudi."}, follow=True
    )
    match.refresh_from_db()
    assert match.notes.startswith("Premier échange.\n")
    assert match.notes.endswith("Sam Suivi : Rappeler jeudi.")
    assert "Note ajoutée." in messages_of(response)


def test_an_empty_note_is_refused_in_french(manager, data):
    match = MatchFactory(need=data["need"], offer=data["alice"])
    response = manager.post(url("match_detail", match.pk), {"action": "note", "note": "  "})
    assert response.status_code == 200
    assert "Écrivez la note à ajouter." in response.content.decode()
    match.refresh_from_db()
    assert match.notes == ""


def test_introducing_and_ending_from_the_match(manager, data, django_capture_on_commit_callbacks):
    match = MatchFactory(need=data["need"], offer=data["alice"])
    page = url("match_detail", match.pk)
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(page, {"action": "introduce"})
    match.refresh_from_db()
    assert match.status == Match.Status.INTRODUCED

    response = manager.post(
        page, {"action": "end", "end_note": "L’association a trouvé en interne."}, follow=True
    )
    match.refresh_from_db()
    assert match.status == Match.Status.ENDED
    assert match.ended_at is not None
    assert "L’association a trouvé en interne." in match.notes
    assert "Mise en relation terminée." in messages_of(response)
    assert 'value="end"' not in response.content.decode()

    # Ending again: the service refuses, the refusal is shown.
    response = manager.post(page, {"action": "end"}, follow=True)
    assert any("ne peut pas être terminée" in m for m in messages_of(response))


# --- Permissions and CSRF -----------------------------------------------------------------------


def test_staff_without_the_permission_are_refused(client, data):
    staff(client)  # admin access only
    match = MatchFactory(need=data["need"], offer=data["bruno"])
    for name, pk in (
        ("need_suggestions", data["need"].pk),
        ("offer_suggestions", data["alice"].pk),
        ("match_detail", match.pk),
        ("need_suggestions", 999999),  # not even whether it exists
    ):
        assert refused(client, "get", url(name, pk)), name
    assert refused(
        client,
        "post",
        url("need_suggestions", data["need"].pk),
        {"action": "propose", "offer": data["alice"].pk},
    )
    assert Match.objects.count() == 1


def test_viewing_staff_see_but_cannot_act(client, data):
    staff(client, "forms.view_match")
    match = MatchFactory(need=data["need"], offer=data["bruno"])
    response = client.get(url("need_suggestions", data["need"].pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert rows(html, "data-offer") == [data["alice"].pk]
    assert 'value="propose"' not in html and 'value="introduce"' not in html
    detail = client.get(url("match_detail", match.pk)).content.decode()
    assert 'value="note"' not in detail and 'value="end"' not in detail
    need_page = url("need_suggestions", data["need"].pk)
    for page, payload in (
        (need_page, {"action": "propose", "offer": data["alice"].pk}),
        (url("offer_suggestions", data["bruno"].pk), {"action": "introduce", "match": match.pk}),
        (url("match_detail", match.pk), {"action": "note", "note": "Essai"}),
        (url("match_detail", match.pk), {"action": "end"}),
    ):
        assert refused(client, "post", page, payload)
    match.refresh_from_db()
    assert (Match.objects.count(), match.status, match.notes) == (1, Match.Status.PROPOSED, "")


def test_a_missing_object_is_404_for_permitted_staff(manager):
    assert manager.get(url("need_suggestions", 999999)).status_code == 404
    assert manager.get(url("offer_suggestions", 999999)).status_code == 404
    assert manager.get(url("match_detail", 999999)).status_code == 404


def test_actions_need_the_csrf_token(data):
    client = Client(enforce_csrf_checks=True)
    staff(client, "forms.change_match")
    response = client.post(
        url("need_suggestions", data["need"].pk), {"action": "propose", "offer": data["alice"].pk}
    )
    assert response.status_code == 403
    assert Match.objects.count() == 0


def test_the_pages_carry_the_csrf_token_in_their_forms(manager, data):
    html = manager.get(url("need_suggestions", data["need"].pk)).content.decode()
    forms = re.findall(r'<form method="post".*?</form>', html, flags=re.S)
    assert forms and all("csrfmiddlewaretoken" in form for form in forms)
