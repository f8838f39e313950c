"""Demo volunteering: 20 needs, 40 offers and matches in every state, coherent, loaded once."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from forms.matching import score_pair
from forms.models import BoardNeed, Company, Match, Skill, VolunteerOffer
from members.models import Organisation
from members.validators import validate_siret

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Skill, Company, Organisation, BoardNeed, VolunteerOffer, Match)
    }


@pytest.fixture
def demo():
    call_command("load_demo_members", verbosity=0)
    call_command("load_demo_volunteering", "--if-empty", verbosity=0)


def test_demo_has_needs_offers_and_matches_in_every_state(demo):
    assert BoardNeed.objects.count() == 20
    assert VolunteerOffer.objects.count() == 40
    assert set(Match.objects.values_list("status", flat=True)) == set(Match.Status.values)
    assert set(BoardNeed.objects.values_list("status", flat=True)) == set(BoardNeed.Status.values)
    assert set(BoardNeed.objects.values_list("visibility", flat=True)) == {"public", "network"}
    listed = [need for need in BoardNeed.objects.all() if need.is_listed]
    assert len(listed) > 10  # most of them on the public listing
    assert {"finance", "juridique", "ressources-humaines", "numerique"} <= set(
        Skill.objects.values_list("slug", flat=True)
    )
    # Each need asks 1 to 4 skills; each offer has its skills with levels.
    per_need = BoardNeed.objects.annotate(n=Count("need_skills")).values_list("n", flat=True)
    assert min(per_need) >= 1 and max(per_need) <= 4
    assert not VolunteerOffer.objects.filter(offer_skills__isnull=True).exists()
    # The members' demo associations post needs too, and ours spread over Brittany.
    departements = set(BoardNeed.objects.values_list("departement", flat=True))
    assert {"44", "49", "35", "29"} <= departements
    assert BoardNeed.objects.filter(organisation__rna="W442009001").exists()


def test_demo_people_and_companies_are_plausible(demo):
    for company in Company.objects.exclude(siret=""):
        validate_siret(company.siret)
    assert 6 <= Company.objects.count() <= 8
    offers = VolunteerOffer.objects.select_related("user")
    assert all(offer.user.email.endswith("@exemple.fr") for offer in offers)
    assert not any(offer.user.has_usable_password() for offer in offers)
    assert offers.filter(company__isnull=True).exists()
    assert offers.filter(company__isnull=False).exists()
    assert offers.filter(anonymous=True).exists() and offers.filter(anonymous=False).exists()


def test_demo_matches_are_coherent(demo):
    for match in Match.objects.select_related("need__organisation", "offer"):
        assert match.score == score_pair(match.need, match.offer)
        assert match.created_at >= match.offer.created_at
        if match.status == Match.Status.PROPOSED:
            assert match.introduced_at is None and not match.association_answer
        else:
            assert match.introduced_at >= match.created_at
        if match.status in (Match.Status.ACCEPTED, Match.Status.ENDED):
            assert match.identities_revealed
            assert match.accepted_at >= match.introduced_at
            assert match.offer.status == VolunteerOffer.Status.ENGAGED
            assert match.need.status != BoardNeed.Status.OPEN
            # Once engaged, a volunteer is not proposed elsewhere.
            assert not match.offer.matches.filter(
                status__in=[Match.Status.PROPOSED, Match.Status.INTRODUCED]
            ).exists()
        if match.status == Match.Status.ENDED:
            assert match.ended_at > match.accepted_at
        if match.status == Match.Status.DECLINED:
            assert match.declined_at and Match.Answer.DECLINED in (
                match.association_answer,
                match.volunteer_answer,
            )
        if match.origin == Match.Origin.INTEREST:
            assert match.interest_message and match.need.visibility == "public"
        # No volunteer is put in touch with an association their company already partners.
        if match.offer.company_id:
            assert not match.need.organisation.partner_companies.filter(
                pk=match.offer.company_id
            ).exists()
    introduced = Match.objects.filter(status=Match.Status.INTRODUCED)
    assert introduced.filter(volunteer_answer="accepted", association_answer="").exists()


def test_a_second_run_changes_nothing(demo):
    before = counts()
    call_command("load_demo_volunteering", "--if-empty", verbosity=0)
    assert counts() == before
    # Even without --if-empty: found by their natural keys, nothing is duplicated.
    call_command("load_demo_volunteering", verbosity=0)
    assert counts() == before


def test_demo_is_deterministic_and_stands_alone():
    """Without the members' demo, the needs go to the volunteering's own associations."""
    from demo.volunteering.loader import load_demo_volunteering

    assert load_demo_volunteering() == 20
    first = sorted(
        Match.objects.values_list("need__description", "offer__user__email", "status", "score")
    )
    departements = sorted(VolunteerOffer.objects.values_list("user__email", "departements"))
    Match.objects.all().delete()
    BoardNeed.objects.all().delete()
    VolunteerOffer.objects.all().delete()
    assert load_demo_volunteering() == 20
    again = sorted(
        Match.objects.values_list("need__description", "offer__user__email", "status", "score")
    )
    assert again == first
    assert sorted(VolunteerOffer.objects.values_list("user__email", "departements")) == (
        departements
    )
    assert set(Match.objects.values_list("status", flat=True)) == set(Match.Status.values)


def test_demo_publishes_the_form_pages_and_leads_to_the_matching(client):
    call_command("load_demo_content", verbosity=0)
    call_command("load_demo_volunteering", verbosity=0)
    call_command("load_demo_volunteering", verbosity=0)  # again: nothing added twice
    from forms.pages import FormPage

    assert FormPage.objects.live().count() == 2
    html = client.get("/benevolat-gouvernance/").content.decode()
    for path in ("/benevolat/besoins/", "/benevolat/besoins/deposer/", "/benevolat/proposer/"):
        assert html.count(f'href="{path}"') == 1, path
    for page in FormPage.objects.live():
        assert client.get(page.url).status_code == 200
