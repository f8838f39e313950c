"""The members', award's and volunteering's sections of a person's own data (members/, awards/
and forms/ personal_data.py): what each lists about one person, never another's, and what
erasing that person removes and keeps."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from awards import personal_data as awards_data
from awards.models import Application, Juror, JuryAssignment, Score
from demo.factories.awards import (
    ApplicationFactory,
    application_to_score,
    assign,
    make_user,
    scene_being_scored,
)
from demo.factories.forms import (
    BoardNeedFactory,
    CompanyFactory,
    MatchFactory,
    SkillFactory,
    VolunteerOfferFactory,
    VolunteerUserFactory,
)
from demo.factories.members import OrganisationFactory, UserFactory, grid_2027, make_grid
from forms import personal_data as forms_data
from forms.models import BoardNeed, Company, EmailVerification, Match, VolunteerOffer
from home.cache import GENERATION_KEY
from members import personal_data as members_data
from members.models import (
    Contact,
    ContactInvitation,
    Membership,
    Organisation,
    Payment,
    Receipt,
    Sector,
)
from members.services import start_membership
from privacy import personal_data

pytestmark = pytest.mark.django_db


def _section(slug):
    return next(section for section in personal_data.sections() if section.slug == slug)


def _rows(slug, user):
    return _section(slug).rows(user)


def _label(instance):
    """The name Wagtail's history keeps for `instance`."""
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    return ModelLogEntry.objects.get(content_type=content_type, object_id=str(instance.pk)).label


def _texts(rows):
    """Every value of every row, as text: to check that something does not appear at all."""
    return " ".join(str(value) for row in rows for value in row.values())


# --- Members -----------------------------------------------------------------------------------


def _contact(organisation, user, role="president", **fields):
    return Contact.objects.create(organisation=organisation, user=user, role=role, **fields)


def _paid(organisation, grid, reference, number=None, cents=12000):
    """The organisation's membership of the grid's year, with a payment (and its receipt if
    `number`)."""
    membership = start_membership(organisation, grid)
    payment = Payment.objects.create(
        membership=membership,
        method="transfer",
        amount_cents=cents,
        reference=reference,
        status="succeeded" if number else "pending",
        received_at=timezone.now() if number else None,
    )
    if number:
        sequence = int(number.split("-")[1])
        Receipt.objects.create(payment=payment, year=grid.year, sequence=sequence, number=number)
    return membership, payment


def _invite(organisation, email, **fields):
    return ContactInvitation.invite(organisation, email, role="secretary", **fields)


@pytest.fixture
def members_world():
    """Alice acts for Les Jardins Partagés (primary, with Bruno) and for Atelier Vélo (alone);
    Bruno also acts for Les Amis du Quartier, which Alice has nothing to do with."""
    grid = grid_2027()
    alice = UserFactory(email="alice@jardins.example.org", first_name="Alice", last_name="Martin")
    bruno = UserFactory(email="bruno@quartier.example.org", first_name="Bruno")
    jardins = OrganisationFactory(name="Les Jardins Partagés", employees=3)
    velo = OrganisationFactory(name="Atelier Vélo", employees=12)
    quartier = OrganisationFactory(name="Les Amis du Quartier", employees=60)
    _contact(jardins, alice, "treasurer", phone="06 11 11 11 11", is_primary=True)
    _contact(jardins, bruno, "president", phone="06 22 22 22 22")
    _contact(velo, alice, "secretary", is_primary=True)
    _contact(quartier, bruno, "president", phone="06 33 33 33 33", is_primary=True)
    _paid(jardins, grid, "ADH-JARDINS", "2027-0001")
    _paid(velo, grid, "ADH-VELO")
    _paid(quartier, grid, "ADH-QUARTIER", "2027-0002", cents=60000)
    invitations = {
        # to Alice's address (its case differs), by Bruno, for his organisation
        "to_alice": _invite(
            quartier, "Alice@Jardins.example.org", first_name="Alice", phone="06 44 44 44 44",
            invited_by=bruno,
        ),
        "by_alice": _invite(jardins, "carole@jardins.example.org", invited_by=alice,
                            first_name="Carole", phone="06 55 55 55 55"),
        "by_bruno": _invite(quartier, "dave@quartier.example.org", invited_by=bruno,
                            first_name="Dave"),
    }  # fmt: skip
    return {
        "alice": alice,
        "bruno": bruno,
        "jardins": jardins,
        "velo": velo,
        "quartier": quartier,
        **invitations,
    }


def test_contacts_are_the_persons_own(members_world):
    alice = members_world["alice"]

    rows = _rows("member-contacts", alice)

    assert rows == [
        {
            "organisation": "Atelier Vélo",
            "fonction": "Secrétaire",
            "téléphone": "",
            "contact principal": True,
        },
        {
            "organisation": "Les Jardins Partagés",
            "fonction": "Trésorier·ère",
            "téléphone": "06 11 11 11 11",
            "contact principal": True,
        },
    ]
    # Bruno, her co-contact at Les Jardins Partagés, is not in them.
    assert "06 22 22 22 22" not in _texts(rows)
    assert "Les Amis du Quartier" not in _texts(_rows("member-contacts", alice))


def test_memberships_and_payments_are_those_of_the_persons_organisations(members_world):
    alice = members_world["alice"]

    memberships = _rows("member-memberships", alice)
    payments = _rows("member-payments", alice)

    assert [(row["organisation"], row["année"]) for row in memberships] == [
        ("Atelier Vélo", 2027),
        ("Les Jardins Partagés", 2027),
    ]
    jardins = memberships[1]
    assert jardins["tranche"] == "1 à 9 salariés"
    assert jardins["montant (€)"] == Decimal("120.00")
    assert jardins["statut"] == "En attente de paiement"
    assert [(row["organisation"], row["référence"]) for row in payments] == [
        ("Atelier Vélo", "ADH-VELO"),
        ("Les Jardins Partagés", "ADH-JARDINS"),
    ]
    paid = payments[1]
    assert paid["montant (€)"] == Decimal("120.00")
    assert paid["moyen de paiement"] == "Virement"
    assert paid["statut"] == "Reçu"
    assert paid["numéro de reçu"] == "2027-0001"
    assert paid["reçu le"] and paid["date"]
    assert payments[0]["numéro de reçu"] is None
    # Les Amis du Quartier's dues are Bruno's business, not Alice's.
    assert "Quartier" not in _texts(memberships) + _texts(payments)
    assert "ADH-QUARTIER" not in _texts(_rows("member-payments", alice))


def test_invitations_received_and_sent(members_world):
    alice, bruno = members_world["alice"], members_world["bruno"]

    rows = _rows("member-invitations", alice)

    by_address = {row["adresse e-mail"]: row for row in rows}
    assert set(by_address) == {"Alice@Jardins.example.org", "carole@jardins.example.org"}
    received = by_address["Alice@Jardins.example.org"]
    assert (received["sens"], received["organisation"]) == ("reçue", "Les Amis du Quartier")
    assert (received["prénom"], received["téléphone"]) == ("Alice", "06 44 44 44 44")
    assert received["statut"] == "En attente" and received["expire le"]
    sent = by_address["carole@jardins.example.org"]
    assert sent["sens"] == "envoyée"
    # The name and phone Alice typed are Carole's: not in Alice's data.
    assert (sent["prénom"], sent["téléphone"]) == (None, None)
    assert "dave@" not in _texts(rows)
    # And Bruno's list has his own two, not Carole's.
    assert {row["adresse e-mail"] for row in _rows("member-invitations", bruno)} == {
        "Alice@Jardins.example.org",
        "dave@quartier.example.org",
    }


def test_member_rows_take_one_query_whatever_their_number(members_world, django_assert_num_queries):
    alice = members_world["alice"]
    grid_2028 = make_grid(2028)
    for organisation in (members_world["jardins"], members_world["velo"]):
        _paid(organisation, grid_2028, f"ADH-2028-{organisation.pk}", cents=5000)
    for slug in ("member-contacts", "member-memberships", "member-payments", "member-invitations"):
        with django_assert_num_queries(1):
            _rows(slug, alice)
    assert len(_rows("member-payments", alice)) == 4


def test_erasing_a_member_removes_their_contacts_and_invitations_only(members_world):
    world = members_world
    alice, bruno = world["alice"], world["bruno"]
    memberships_before = Membership.objects.count()
    payments_before = Payment.objects.count()

    count = members_data.erase(alice)

    # 2 contacts, 1 invitation received deleted, 1 sent unlinked from her.
    assert count == 4
    assert not Contact.objects.filter(user=alice).exists()
    # Les Jardins Partagés keeps a primary contact: Bruno takes it over.
    assert Contact.objects.get(organisation=world["jardins"], user=bruno).is_primary
    # Atelier Vélo had only Alice: it has no contact left, but is not erased.
    velo = Organisation.objects.get(pk=world["velo"].pk)
    assert not velo.contacts.exists()
    assert velo.name == "Atelier Vélo" and velo.pseudonymised_at is None and velo.rna
    # The organisations' memberships, payments and receipts stay whole.
    assert Membership.objects.count() == memberships_before
    assert Payment.objects.count() == payments_before
    assert Receipt.objects.filter(number="2027-0001").exists()
    # The invitation to her address is gone; the one she sent stays, revoked, without her.
    assert not ContactInvitation.objects.filter(pk=world["to_alice"].pk).exists()
    sent = ContactInvitation.objects.get(pk=world["by_alice"].pk)
    assert sent.invited_by is None and sent.status == ContactInvitation.Status.REVOKED
    # Bruno's contacts and invitations are untouched.
    assert Contact.objects.filter(user=bruno).count() == 2
    by_bruno = ContactInvitation.objects.get(pk=world["by_bruno"].pk)
    assert by_bruno.invited_by == bruno and by_bruno.status == ContactInvitation.Status.PENDING
    assert _rows("member-contacts", alice) == []
    assert _rows("member-invitations", alice) == []


def test_erasing_a_contact_relabels_their_contacts_in_the_history(members_world):
    alice = members_world["alice"]
    contact = Contact.objects.get(user=alice, organisation=members_world["jardins"])
    log(contact, "wagtail.edit")
    other = Contact.objects.get(user=members_world["bruno"], organisation=members_world["jardins"])
    log(other, "wagtail.edit")

    members_data.erase(alice)

    assert _label(contact) == "Contact effacé"
    assert _label(other).startswith("Bruno")


# --- Award -------------------------------------------------------------------------------------


@pytest.fixture
def jury():
    """The jury scenario: Alice and Bruno score « Potagers solidaires », Bruno also the second
    application; Alice declared a conflict on a third. Each commented their scores."""
    world = scene_being_scored()
    alice = world["alice"]
    Juror.objects.filter(pk=alice.pk).update(
        company_siret="73282932000074", bio="Directrice financière, engagée dans l’ESS."
    )
    alice.refresh_from_db()
    first, criterion = world["first"], world["criteria"][0]
    Score.objects.create(
        assignment=world["alice_first"], criterion=criterion, value=4, comment="Bel équilibre."
    )
    Score.objects.create(
        assignment=world["alice_first"], criterion=world["criteria"][2], value=None
    )
    Score.objects.create(
        assignment=world["bruno_first"], criterion=criterion, value=2, comment="Trop flou."
    )
    third = application_to_score(world["edition"], title="Cantine partagée")
    world["alice_conflict"] = assign(
        third,
        alice,
        status=JuryAssignment.Status.CONFLICT,
        conflict_reason="Mon employeur finance cette association.",
        conflict_declared_at=timezone.now(),
    )
    assert first.title == "Potagers solidaires"
    return world


def test_applications_are_those_the_person_filed():
    applicant = make_user("candidate")
    mine = ApplicationFactory(created_by=applicant, submitted=True)
    other = ApplicationFactory(submitted=True)  # filed by someone else

    rows = _rows("award-applications", applicant)

    assert rows == [
        {
            "édition": mine.edition.year,
            "association": mine.organisation.name,
            "titre": "Des salariés au conseil d’administration",
            "statut": "Déposé",
            "accord de publication": True,
            "créé le": mine.created_at,
            "déposé le": mine.submitted_at,
        }
    ]
    assert other.organisation.name not in _texts(rows)
    # The partner company's contact is another person: not in the applicant's data.
    assert "Camille Durand" not in _texts(rows)
    assert mine.company_contact_email not in _texts(rows)


def test_jury_work_is_the_jurors_own(jury):
    alice = jury["alice"]

    [record] = _rows("jury-records", alice.user)
    assignments = _rows("jury-assignments", alice.user)
    scores = _rows("jury-scores", alice.user)

    assert record == {
        "édition": 2031,
        "nom": alice.user.get_full_name(),
        "employeur": "Banque Coopérative",
        "SIRET de l’employeur": "73282932000074",
        "présentation publique": "Directrice financière, engagée dans l’ESS.",
        "nom affiché sur la page du prix": True,
    }
    assert [(row["dossier"], row["statut"]) for row in assignments] == [
        ("Potagers solidaires", "À noter"),
        ("Cantine partagée", "Conflit d’intérêts déclaré"),
    ]
    conflict = assignments[1]
    assert conflict["conflit d’intérêts déclaré"] is True
    assert conflict["motif du conflit d’intérêts"] == "Mon employeur finance cette association."
    assert assignments[0]["conflit d’intérêts déclaré"] is False
    assert [(row["critère d’évaluation"], row["note"], row["commentaire"]) for row in scores] == [
        ("Qualité du partenariat", 4, "Bel équilibre."),
        ("Essaimage", None, ""),
    ]
    # Bruno's assignments and comments are not in Alice's data, nor the associations' names
    # (the juror may have judged blind).
    everything = _texts([record, *assignments, *scores])
    assert "Trop flou." not in everything
    assert jury["second"].title not in everything
    assert "Les Jardins Partagés" not in everything
    # …and Bruno's are his.
    assert {row["commentaire"] for row in _rows("jury-scores", jury["bruno"].user)} == {
        "Trop flou."
    }


def test_award_rows_take_one_query_each(jury, django_assert_num_queries):
    user = jury["alice"].user
    ApplicationFactory(created_by=user)
    for slug in ("award-applications", "jury-records", "jury-assignments", "jury-scores"):
        with django_assert_num_queries(1):
            _rows(slug, user)


def test_erasing_a_juror_removes_who_they_are_and_keeps_their_scores(
    jury, django_capture_on_commit_callbacks
):
    alice, bruno = jury["alice"], jury["bruno"]
    log(alice, "wagtail.create")
    log(jury["alice_first"], "wagtail.create")
    log(bruno, "wagtail.create")
    filed = ApplicationFactory(created_by=alice.user, submitted=True)
    cache.set(GENERATION_KEY, 1, None)

    with django_capture_on_commit_callbacks(execute=True):
        count = awards_data.erase(alice.user)

    assert count == 1
    alice.refresh_from_db()
    assert (alice.company_name, alice.company_siret, alice.bio) == ("", "", "")
    assert alice.is_public is False
    # The award page forgets the jury it showed.
    assert cache.get(GENERATION_KEY) != 1
    # Wagtail's history names the juror by a pseudonym, on the record and its assignments.
    assert _label(alice) == f"Juré effacé n°{alice.pk}"
    assert _label(jury["alice_first"]) == f"Juré effacé n°{alice.pk} — Potagers solidaires"
    assert _label(bruno) == bruno.user.get_full_name()
    # The jury's work stays: assignments, the conflict's reason, scores and comments.
    assert JuryAssignment.objects.filter(juror=alice).count() == 2
    assert Score.objects.get(assignment=jury["alice_first"], value=4).comment == "Bel équilibre."
    assert JuryAssignment.objects.get(pk=jury["alice_conflict"].pk).conflict_reason
    # Her application stays, still hers, with its partner's contact.
    filed.refresh_from_db()
    assert filed.created_by == alice.user and filed.company_contact_name == "Camille Durand"
    # Bruno's record is untouched.
    bruno.refresh_from_db()
    assert bruno.is_public


def test_erasing_an_applicant_who_is_no_juror_changes_nothing_of_the_award():
    application = ApplicationFactory(submitted=True)

    assert awards_data.erase(application.created_by) == 0

    application.refresh_from_db()
    assert application.title and application.company_contact_email


# --- Volunteering ------------------------------------------------------------------------------


@pytest.fixture
def volunteering():
    """Alice volunteers (accepted by Les Jardins Partagés, whose need is « en cours »), filed a
    need for Atelier Vélo, follows Banque Coopérative's dashboard; Bruno volunteers too, follows
    the same company and has a match on Alice's accepted need."""
    finance, legal = SkillFactory(name="Finance"), SkillFactory(name="Juridique")
    solidarity, _ = Sector.objects.get_or_create(slug="solidarite", defaults={"name": "Solidarité"})
    company = CompanyFactory(name="Banque Coopérative", siret="73282932000074")
    alice = VolunteerUserFactory(email="alice@exemple.fr", first_name="Alice")
    bruno = VolunteerUserFactory(email="bruno@exemple.fr", first_name="Bruno")
    offer = VolunteerOfferFactory(
        user=alice,
        phone="06 11 11 11 11",
        company=company,
        job_title="Directrice financière",
        departements=["44", "49"],
        status=VolunteerOffer.Status.ENGAGED,
        with_skills={finance: 3, legal: 2},
    )
    offer.preferred_sectors.add(solidarity)
    bruno_offer = VolunteerOfferFactory(user=bruno, phone="06 99 99 99 99", company=company)
    jardins = OrganisationFactory(name="Les Jardins Partagés")
    wanted = BoardNeedFactory(organisation=jardins, status=BoardNeed.Status.IN_PROGRESS)
    now = timezone.now()
    accepted = MatchFactory(
        need=wanted,
        offer=offer,
        status=Match.Status.ACCEPTED,
        origin=Match.Origin.INTEREST,
        interest_message="Je connais bien la comptabilité associative.",
        association_answer=Match.Answer.ACCEPTED,
        volunteer_answer=Match.Answer.ACCEPTED,
        association_answered_at=now,
        volunteer_answered_at=now,
        accepted_at=now,
        notes="Appel avec Mme Lefèvre (équipe).",
    )
    bruno_match = MatchFactory(need=wanted, offer=bruno_offer, interest_message="Message de Bruno.")
    filed = BoardNeedFactory(
        organisation=OrganisationFactory(name="Atelier Vélo"),
        created_by=alice,
        description="Nous cherchons une secrétaire.",
        consent_at=now,
    )
    BoardNeedFactory(created_by=bruno, description="Le besoin de Bruno.")
    company.dashboard_users.add(alice, bruno)
    CompanyFactory(name="Coopérative Bruno").dashboard_users.add(bruno)
    pending = EmailVerification.objects.create(
        kind="offer", email="ALICE@exemple.fr", payload={"email": "alice@exemple.fr", "x": "é"}
    )
    bruno_pending = EmailVerification.objects.create(
        kind="offer", email="bruno@exemple.fr", payload={"email": "bruno@exemple.fr"}
    )
    return {
        "alice": alice,
        "bruno": bruno,
        "company": company,
        "offer": offer,
        "bruno_offer": bruno_offer,
        "wanted": wanted,
        "accepted": accepted,
        "bruno_match": bruno_match,
        "filed": filed,
        "pending": pending,
        "bruno_pending": bruno_pending,
    }


def test_offers_are_the_volunteers_own(volunteering):
    alice, offer = volunteering["alice"], volunteering["offer"]

    [row] = _rows("volunteer-offers", alice)

    assert row["offre"] == f"Bénévole n° {offer.pk}"
    assert (row["prénom"], row["téléphone"]) == ("Alice", "06 11 11 11 11")
    assert row["entreprise"] == "Banque Coopérative"
    assert row["compétences"] == "Finance (expert), Juridique (confirmé)"
    assert row["disponibilité (heures par mois)"] == 8
    assert row["départements"] == "44, 49"
    assert row["secteurs préférés"] == "Solidarité"
    assert row["statut"] == "engagé·e dans un mandat"
    assert row["profil anonyme"] is True
    assert "06 99 99 99 99" not in _texts([row])


def test_needs_matches_companies_and_pending_submissions_are_the_persons(volunteering):
    alice = volunteering["alice"]

    [need] = _rows("board-needs", alice)
    [match] = _rows("volunteer-matches", alice)
    companies = _rows("followed-companies", alice)
    [pending] = _rows("volunteering-verifications", alice)

    assert need["association"] == "Atelier Vélo"
    assert need["fonction recherchée"] == "trésorier·ère"
    assert need["description"] == "Nous cherchons une secrétaire."
    assert need["consentement donné le"] == volunteering["filed"].consent_at
    assert match["association"] == "Les Jardins Partagés"
    assert match["statut"] == "acceptée"
    assert match["message du bénévole"] == "Je connais bien la comptabilité associative."
    assert match["réponse de l’association"] == "accepte"
    assert match["acceptée le"] == volunteering["accepted"].accepted_at
    # The staff's follow-up notes are not the volunteer's data.
    assert "Lefèvre" not in _texts([match])
    assert companies == [{"entreprise": "Banque Coopérative", "SIRET": "73282932000074"}]
    assert pending["type"] == "offre de bénévolat"
    assert json.loads(pending["données saisies"])["x"] == "é"
    # Nothing of Bruno's in Alice's data…
    everything = _texts([need, match, *companies, pending])
    assert "Bruno" not in everything and "bruno@" not in everything
    # …and his are his.
    bruno = volunteering["bruno"]
    assert [row["message du bénévole"] for row in _rows("volunteer-matches", bruno)] == [
        "Message de Bruno."
    ]
    assert {row["entreprise"] for row in _rows("followed-companies", bruno)} == {
        "Banque Coopérative",
        "Coopérative Bruno",
    }
    assert [row["description"] for row in _rows("board-needs", bruno)] == ["Le besoin de Bruno."]


def test_volunteering_rows_take_a_fixed_number_of_queries(volunteering, django_assert_num_queries):
    alice = volunteering["alice"]
    for _ in range(3):
        extra = VolunteerOfferFactory(user=alice, with_skills={SkillFactory(): 1})
        MatchFactory(offer=extra)
        BoardNeedFactory(created_by=alice, with_skills={SkillFactory(): 2})
    # offers, their skills, their sectors
    with django_assert_num_queries(3):
        assert len(_rows("volunteer-offers", alice)) == 4
    # needs, their skills
    with django_assert_num_queries(2):
        assert len(_rows("board-needs", alice)) == 4
    for slug in ("volunteer-matches", "followed-companies", "volunteering-verifications"):
        with django_assert_num_queries(1):
            _rows(slug, alice)


def test_erasing_a_volunteer_removes_their_offers_and_keeps_the_needs(volunteering):
    world = volunteering
    alice, bruno = world["alice"], world["bruno"]

    count = forms_data.erase(alice)

    # 1 offer, 1 match, 1 dashboard, 1 pending submission
    assert count == 4
    assert not VolunteerOffer.objects.filter(user=alice).exists()
    assert not Match.objects.filter(pk=world["accepted"].pk).exists()
    # The need she had accepted is sought again, rather than waiting for someone who left.
    wanted = BoardNeed.objects.get(pk=world["wanted"].pk)
    assert wanted.status == BoardNeed.Status.OPEN and wanted.confirmed_at
    # The need she filed is the association's: it stays as it was.
    filed = BoardNeed.objects.get(pk=world["filed"].pk)
    assert filed.created_by == alice and filed.description == "Nous cherchons une secrétaire."
    # Off the company's dashboard, which keeps Bruno.
    company = Company.objects.get(pk=world["company"].pk)
    assert list(company.dashboard_users.all()) == [bruno]
    assert not EmailVerification.objects.filter(pk=world["pending"].pk).exists()
    # Bruno's offer, match and pending submission are untouched.
    assert VolunteerOffer.objects.filter(pk=world["bruno_offer"].pk).exists()
    assert Match.objects.get(pk=world["bruno_match"].pk).interest_message == "Message de Bruno."
    assert EmailVerification.objects.filter(pk=world["bruno_pending"].pk).exists()
    assert bruno.volunteering_companies.count() == 2


# --- The whole download and erasure ------------------------------------------------------------


def test_a_juror_who_volunteers_finds_both_in_their_download(jury):
    juror = jury["alice"]
    user = juror.user
    VolunteerOfferFactory(user=user, first_name="Alice", last_name="Jurée", job_title="DAF")

    data = json.loads(personal_data.as_json(user))
    table = personal_data.as_csv(user)

    sections = data["sections"]
    assert sections["jury-records"]["label"] == "Travail de jury : fiches de juré"
    assert sections["jury-records"]["rows"][0]["employeur"] == "Banque Coopérative"
    assert sections["jury-scores"]["rows"][0]["commentaire"] == "Bel équilibre."
    assert sections["volunteer-offers"]["rows"][0]["métier"] == "DAF"
    assert sections["volunteer-offers"]["rows"][0]["proposée le"]  # a date, as text
    assert sections["member-contacts"]["rows"] == []
    lines = list(csv.reader(io.StringIO(table.lstrip("\ufeff")), delimiter=";"))
    titles = [line[0] for line in lines if len(line) == 1]
    assert "Travail de jury : fiches de juré" in titles
    assert "Offres de bénévolat" in titles
    assert any("Bel équilibre." in line for line in lines)
    assert any("DAF" in line for line in lines)
    assert "Trop flou." not in table


def test_erasing_a_person_everywhere(jury, members_world):
    user = jury["alice"].user
    organisation = members_world["jardins"]
    Contact.objects.create(organisation=organisation, user=user, role="other")
    VolunteerOfferFactory(user=user)
    membership_count = Membership.objects.count()

    report = personal_data.erase_person(user)

    assert report.counts["member-contacts"] == 1
    assert report.counts["jury-records"] == 1
    assert report.counts["volunteer-offers"] == 1
    assert report.counts["account"] == 1
    user.refresh_from_db()
    assert user.email == f"efface-{user.pk}@invalid" and not user.is_active
    assert Membership.objects.count() == membership_count
    assert Score.objects.filter(assignment__juror__user=user).count() == 2
    data = json.loads(personal_data.as_json(user))["sections"]
    assert data["member-contacts"]["rows"] == []
    assert data["volunteer-offers"]["rows"] == []
    assert data["jury-records"]["rows"][0]["employeur"] == ""
    assert Application.objects.filter(pk=jury["first"].pk).exists()


def test_dates_are_kept_as_dates():
    # A small guard on the value types the privacy app expects (plain values only).
    user = make_user("typed")
    offer = VolunteerOfferFactory(user=user)
    [row] = _rows("volunteer-offers", user)
    assert isinstance(row["proposée le"], datetime.datetime)
    assert row["proposée le"] == offer.created_at
