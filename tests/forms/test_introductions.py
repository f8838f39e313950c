"""The life of a match (forms/introductions.py), its signed links (forms/tokens.py) and the pages
that answer it (forms/views/introductions.py)."""

import re
import smtplib
from datetime import timedelta
from functools import partial

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from demo.factories.forms import (
    BoardNeedFactory,
    CompanyFactory,
    MatchFactory,
    SkillFactory,
    VolunteerOfferFactory,
)
from demo.factories.members import OrganisationFactory, UserFactory
from forms import availability, disclosure, introductions, tokens
from forms.introductions import ASSOCIATION, VOLUNTEER, MatchError
from forms.models import BoardNeed, Match, VolunteerOffer
from members.models import Contact
from tests.concurrency import run_each

pytestmark = pytest.mark.django_db

# What must never reach the association before both accept.
SECRET_NAME = "Séraphine"
SECRET_SURNAME = "Quintaval"
SECRET_EMAIL = "seraphine.quintaval@exemple.fr"
SECRET_PHONE = "06 11 22 33 44"
SECRET_COMPANY = "Banque Discrète"
# A free-text job title may name the person or their employer (« DAF chez … »).
SECRET_JOB = "Contrôleuse de gestion"
SECRETS = (SECRET_SURNAME, SECRET_EMAIL, SECRET_PHONE, SECRET_COMPANY, SECRET_JOB)


@pytest.fixture
def skill():
    return SkillFactory(name="Finance", slug="finance")


@pytest.fixture
def contact_user():
    return UserFactory(email="presidente@jardins.example", first_name="Aline", last_name="Corbière")


@pytest.fixture
def need(skill, contact_user):
    organisation = OrganisationFactory(name="Les Jardins partagés", city="Rezé")
    Contact.objects.create(
        organisation=organisation, user=contact_user, role="president", phone="02 40 99 88 77"
    )
    return BoardNeedFactory(organisation=organisation, with_skills={skill: 3})


@pytest.fixture
def offer(skill):
    return VolunteerOfferFactory(
        user__username=SECRET_EMAIL,
        user__first_name=SECRET_NAME,
        user__last_name=SECRET_SURNAME,
        phone=SECRET_PHONE,
        job_title=SECRET_JOB,
        company=CompanyFactory(name=SECRET_COMPANY),
        with_skills={skill: 3},
    )


@pytest.fixture
def introduced(need, offer, django_capture_on_commit_callbacks):
    match = introductions.propose(need, offer)
    with django_capture_on_commit_callbacks(execute=True):
        introductions.introduce(match)
    mail.outbox = []
    return match


def _accept_both(match, callbacks):
    with callbacks(execute=True):
        introductions.answer(match, ASSOCIATION, True)
        introductions.answer(match, VOLUNTEER, True)
    match.refresh_from_db()
    return match


def _assert_anonymous(text, offer):
    assert offer.public_label in text
    for secret in SECRETS:
        assert secret not in text
    assert SECRET_NAME not in text


# --- propose ---------------------------------------------------------------------------------


def test_propose_creates_one_proposed_match_with_the_matching_score(need, offer):
    from forms.matching import score_pair

    match = introductions.propose(need, offer)
    assert match.status == Match.Status.PROPOSED
    assert match.score == score_pair(need, offer)
    assert match.score > 0
    again = introductions.propose(need, offer, origin=Match.Origin.INTEREST, message="Autre")
    assert again.pk == match.pk
    assert Match.objects.count() == 1
    assert again.origin == Match.Origin.STAFF and again.interest_message == ""


def test_propose_returns_the_match_a_concurrent_call_created(need, offer, monkeypatch):
    # The other request inserts the pair between our look-up and our insert: we hit the unique
    # constraint, and must answer with its match instead of failing or making a second one.
    def concurrent_insert(need_, offer_):
        return MatchFactory(need=need_, offer=offer_, score=12).score

    monkeypatch.setattr(introductions, "_score", concurrent_insert)
    match = introductions.propose(need, offer)
    assert Match.objects.count() == 1
    assert match.pk == Match.objects.get().pk and match.score == 12


def test_interest_tells_staff_after_the_commit(need, offer, django_capture_on_commit_callbacks):
    UserFactory(email="equipe@reseau.example", is_superuser=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        match = introductions.propose(
            need, offer, origin=Match.Origin.INTEREST, message="Je connais bien ce quartier."
        )
        assert mail.outbox == []
    [message] = mail.outbox
    assert message.to == ["equipe@reseau.example"]
    assert match.origin == Match.Origin.INTEREST
    assert "Je connais bien ce quartier." in message.body
    assert need.organisation.name in message.subject


def test_a_staff_proposal_sends_nothing(need, offer, django_capture_on_commit_callbacks):
    UserFactory(email="equipe@reseau.example", is_superuser=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        introductions.propose(need, offer)
    assert mail.outbox == []


@pytest.mark.parametrize("status", [BoardNeed.Status.CLOSED, BoardNeed.Status.FILLED])
def test_no_proposal_for_a_need_no_longer_open(need, offer, status):
    need.status = status
    need.save()
    with pytest.raises(MatchError, match="plus ouvert"):
        introductions.propose(need, offer)
    assert not Match.objects.exists()


def test_no_proposal_for_a_withdrawn_offer(need, offer):
    offer.status = VolunteerOffer.Status.WITHDRAWN
    offer.save()
    with pytest.raises(MatchError, match="retirée"):
        introductions.propose(need, offer)


# --- introduce -------------------------------------------------------------------------------


def test_introduce_emails_each_side_its_own_links_after_the_commit(
    need, offer, contact_user, django_capture_on_commit_callbacks
):
    match = introductions.propose(need, offer)
    with django_capture_on_commit_callbacks(execute=True):
        introductions.introduce(match)
        assert mail.outbox == []
    match.refresh_from_db()
    assert match.status == Match.Status.INTRODUCED and match.introduced_at is not None
    by_recipient = {tuple(message.to): message for message in mail.outbox}
    assert set(by_recipient) == {(contact_user.email,), (SECRET_EMAIL,)}
    association_mail = by_recipient[(contact_user.email,)]
    volunteer_mail = by_recipient[(SECRET_EMAIL,)]
    # Each mail holds answer links of its own side only. Read back rather than made again:
    # a token carries the second it was signed, which may not be this test's second.
    prefix = reverse("volunteering:match_answer", args=["TOKEN"]).split("TOKEN")[0]

    def sides_linked(body):
        found = re.findall(re.escape(prefix) + r"([^/\s]+)/", body)
        assert found, body
        return {tokens.read_answer_token(token) for token in found}

    assert sides_linked(association_mail.body) == {(match.pk, ASSOCIATION)}
    assert sides_linked(volunteer_mail.body) == {(match.pk, VOLUNTEER)}
    # Privacy: the association sees the profile, not the person.
    _assert_anonymous(association_mail.subject + association_mail.body, offer)
    assert "Finance (expert)" in association_mail.body
    # The volunteer learns who the (public) association is.
    assert need.organisation.name in volunteer_mail.subject + volunteer_mail.body


def test_introduce_only_once(introduced):
    with pytest.raises(MatchError, match="déjà"):
        introductions.introduce(introduced)


def test_introduce_refused_when_the_need_was_closed_or_the_offer_withdrawn(need, offer):
    match = introductions.propose(need, offer)
    BoardNeed.objects.filter(pk=need.pk).update(status=BoardNeed.Status.CLOSED)
    with pytest.raises(MatchError, match="plus ouvert"):
        introductions.introduce(match)
    BoardNeed.objects.filter(pk=need.pk).update(status=BoardNeed.Status.OPEN)
    VolunteerOffer.objects.filter(pk=offer.pk).update(status=VolunteerOffer.Status.WITHDRAWN)
    with pytest.raises(MatchError, match="retirée"):
        introductions.introduce(match)
    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED and match.introduced_at is None


def test_an_email_that_cannot_leave_keeps_the_introduction(
    need, offer, monkeypatch, django_capture_on_commit_callbacks
):
    def smtp_down(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("down")

    # The only mock: the SMTP server is the edge that cannot fail on demand here.
    monkeypatch.setattr("django.core.mail.EmailMessage.send", smtp_down)
    match = introductions.propose(need, offer)
    with django_capture_on_commit_callbacks(execute=True):
        introductions.introduce(match)
    match.refresh_from_db()
    assert match.status == Match.Status.INTRODUCED
    with django_capture_on_commit_callbacks(execute=True):
        introductions.answer(match, ASSOCIATION, True)
        introductions.answer(match, VOLUNTEER, True)
    match.refresh_from_db()
    assert match.status == Match.Status.ACCEPTED


# --- answer ----------------------------------------------------------------------------------


def test_one_acceptance_waits_for_the_other(introduced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        match = introductions.answer(introduced, VOLUNTEER, True)
    assert match.status == Match.Status.INTRODUCED
    assert match.volunteer_answer == Match.Answer.ACCEPTED and match.volunteer_answered_at
    assert not match.identities_revealed
    assert mail.outbox == []


def test_both_accept_reveals_identities_and_engages(
    introduced, need, offer, contact_user, django_capture_on_commit_callbacks
):
    match = _accept_both(introduced, django_capture_on_commit_callbacks)
    assert match.status == Match.Status.ACCEPTED and match.accepted_at is not None
    need.refresh_from_db()
    offer.refresh_from_db()
    # In progress, not filled: the volunteer is not elected yet (see introductions.py).
    assert need.status == BoardNeed.Status.IN_PROGRESS
    assert offer.status == VolunteerOffer.Status.ENGAGED
    by_recipient = {tuple(message.to): message for message in mail.outbox}
    association_mail = by_recipient[(contact_user.email,)]
    volunteer_mail = by_recipient[(SECRET_EMAIL,)]
    for secret in (SECRET_NAME, *SECRETS):
        assert secret in association_mail.subject + association_mail.body
    assert contact_user.email in volunteer_mail.body
    assert "02 40 99 88 77" in volunteer_mail.body
    assert "Aline Corbière" in volunteer_mail.body


def test_a_decline_by_the_volunteer_tells_the_association_without_naming_them(
    introduced, offer, contact_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        match = introductions.answer(introduced, VOLUNTEER, False)
    assert match.status == Match.Status.DECLINED and match.declined_at is not None
    [message] = mail.outbox
    assert message.to == [contact_user.email]
    _assert_anonymous(message.subject + message.body, offer)


def test_a_decline_by_the_association_tells_the_volunteer(
    introduced, need, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        introductions.answer(introduced, ASSOCIATION, False)
    [message] = mail.outbox
    assert message.to == [SECRET_EMAIL]
    assert need.organisation.name in message.body
    need.refresh_from_db()
    assert need.status == BoardNeed.Status.OPEN


def test_an_answer_counts_once(introduced):
    introductions.answer(introduced, ASSOCIATION, True)
    with pytest.raises(MatchError, match="déjà répondu"):
        introductions.answer(introduced, ASSOCIATION, False)
    introduced.refresh_from_db()
    assert introduced.association_answer == Match.Answer.ACCEPTED
    assert introduced.status == Match.Status.INTRODUCED


def test_no_answer_after_the_other_side_declined_or_before_the_introduction(introduced, need):
    introductions.answer(introduced, ASSOCIATION, False)
    with pytest.raises(MatchError, match="n’attend plus"):
        introductions.answer(introduced, VOLUNTEER, True)
    proposed = introductions.propose(need, VolunteerOfferFactory())
    with pytest.raises(MatchError, match="n’attend plus"):
        introductions.answer(proposed, VOLUNTEER, True)


def test_no_acceptance_once_the_need_is_closed(introduced, need):
    BoardNeed.objects.filter(pk=need.pk).update(status=BoardNeed.Status.CLOSED)
    with pytest.raises(MatchError, match="plus ouvert"):
        introductions.answer(introduced, ASSOCIATION, True)
    introductions.answer(introduced, ASSOCIATION, False)  # declining stays possible


# --- end -------------------------------------------------------------------------------------


def test_end_frees_the_offer_and_keeps_the_note(
    introduced, offer, django_capture_on_commit_callbacks
):
    match = _accept_both(introduced, django_capture_on_commit_callbacks)
    staff = UserFactory(first_name="Paul", last_name="Équipe")
    match = introductions.end(match, by=staff, note="Élue à l’AG de juin.")
    assert match.status == Match.Status.ENDED and match.ended_at is not None
    assert "Élue à l’AG de juin." in match.notes and "Paul Équipe" in match.notes
    offer.refresh_from_db()
    assert offer.status == VolunteerOffer.Status.AVAILABLE
    with pytest.raises(MatchError):
        introductions.end(match)


def test_end_keeps_the_offer_engaged_by_another_accepted_match(
    introduced, offer, django_capture_on_commit_callbacks
):
    _accept_both(introduced, django_capture_on_commit_callbacks)
    MatchFactory(offer=offer, status=Match.Status.ACCEPTED)
    introductions.end(introduced)
    offer.refresh_from_db()
    assert offer.status == VolunteerOffer.Status.ENGAGED


def test_end_from_proposed_but_not_from_declined(need, offer, introduced):
    proposed = introductions.propose(need, VolunteerOfferFactory())
    assert introductions.end(proposed).status == Match.Status.ENDED
    introductions.answer(introduced, VOLUNTEER, False)
    with pytest.raises(MatchError, match="déclinée"):
        introductions.end(introduced)


# --- visible_volunteer -----------------------------------------------------------------------


def test_visible_volunteer_is_anonymous_until_both_accept(introduced, offer):
    shown = disclosure.visible_volunteer(introduced)
    assert shown["label"] == offer.public_label and not shown["revealed"]
    assert shown["name"] is shown["email"] is shown["phone"] is shown["company"] is None
    assert shown["job_title"] is None and shown["motivation"] is None
    assert shown["skills"] == [{"name": "Finance", "level": 3, "level_label": "expert"}]
    own = disclosure.visible_volunteer(introduced, viewer_is_association=False)
    assert own["email"] == SECRET_EMAIL and own["job_title"] == SECRET_JOB


def test_a_volunteer_who_is_not_anonymous_is_named_from_the_introduction(
    need, contact_user, django_capture_on_commit_callbacks
):
    offer = VolunteerOfferFactory(anonymous=False, user__last_name="Visible")
    match = introductions.propose(need, offer)
    with django_capture_on_commit_callbacks(execute=True):
        introductions.introduce(match)
    [association_mail] = [m for m in mail.outbox if m.to == [contact_user.email]]
    assert "Visible" in association_mail.body and offer.user.email in association_mail.body


# --- tokens ----------------------------------------------------------------------------------


def _signed_days_ago(monkeypatch, days, make):
    """A token signed `days` ago (the signer's clock moved back for this one call)."""
    past = signing.b62_encode(int((timezone.now() - timedelta(days=days)).timestamp()))
    with monkeypatch.context() as patch:
        patch.setattr(signing.TimestampSigner, "timestamp", lambda self: past)
        return make()


def test_answer_token_round_trip_and_tampering():
    match = MatchFactory()
    token = tokens.make_answer_token(match, VOLUNTEER)
    assert tokens.read_answer_token(token) == (match.pk, VOLUNTEER)
    with pytest.raises(tokens.LinkInvalid):
        tokens.read_answer_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    with pytest.raises(tokens.LinkInvalid):
        tokens.read_answer_token(tokens.make_need_token(match.need))  # another salt


def test_answer_token_expires_after_14_days(monkeypatch):
    match = MatchFactory()
    fresh = _signed_days_ago(monkeypatch, 13, lambda: tokens.make_answer_token(match, VOLUNTEER))
    assert tokens.read_answer_token(fresh) == (match.pk, VOLUNTEER)
    old = _signed_days_ago(monkeypatch, 15, lambda: tokens.make_answer_token(match, VOLUNTEER))
    with pytest.raises(tokens.LinkExpired):
        tokens.read_answer_token(old)


def test_need_token_expires_after_30_days(monkeypatch):
    need = BoardNeedFactory()
    assert tokens.read_need_token(tokens.make_need_token(need))[0] == need.pk
    old = _signed_days_ago(monkeypatch, 31, lambda: tokens.make_need_token(need))
    with pytest.raises(tokens.LinkExpired):
        tokens.read_need_token(old)


# --- the answer page -------------------------------------------------------------------------


def _answer_url(match, side):
    return reverse("volunteering:match_answer", args=[tokens.make_answer_token(match, side)])


def test_the_answer_page_shows_an_anonymous_profile_and_changes_nothing(
    client, introduced, offer, django_assert_max_num_queries
):
    url = _answer_url(introduced, ASSOCIATION)
    client.get(url)  # warm the caches (site, identity)
    with django_assert_max_num_queries(5):
        response = client.get(url + "?choix=accepter")
    assert response.status_code == 200
    html = response.content.decode()
    _assert_anonymous(html, offer)
    assert "Finance (expert)" in html
    assert 'name="answer" value="accepter"' in html
    introduced.refresh_from_db()
    assert introduced.association_answer == "" and introduced.status == Match.Status.INTRODUCED
    assert mail.outbox == []


def test_answering_from_the_link_then_reusing_it(
    client, introduced, django_capture_on_commit_callbacks
):
    url = _answer_url(introduced, VOLUNTEER)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"answer": "accepter"})
    assert response.status_code == 200
    introduced.refresh_from_db()
    answered_at = introduced.volunteer_answered_at
    assert introduced.volunteer_answer == Match.Answer.ACCEPTED and answered_at
    # The same link again, even to change the answer: refused, nothing changes.
    response = client.post(url, {"answer": "decliner"})
    assert response.status_code == 409
    assert "déjà répondu" in response.content.decode()
    introduced.refresh_from_db()
    assert introduced.volunteer_answer == Match.Answer.ACCEPTED
    assert introduced.volunteer_answered_at == answered_at
    assert introduced.status == Match.Status.INTRODUCED
    assert "déjà répondu" in client.get(url).content.decode()


def test_the_association_page_names_the_volunteer_once_both_accepted(
    client, introduced, django_capture_on_commit_callbacks
):
    url = _answer_url(introduced, ASSOCIATION)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_answer_url(introduced, VOLUNTEER), {"answer": "accepter"})
        before = client.get(url).content.decode()
        response = client.post(url, {"answer": "accepter"})
    assert SECRET_EMAIL not in before and SECRET_SURNAME not in before
    html = response.content.decode()
    for secret in (SECRET_NAME, *SECRETS):
        assert secret in html
    introduced.refresh_from_db()
    assert introduced.status == Match.Status.ACCEPTED


def test_an_expired_link_changes_nothing(client, introduced, monkeypatch):
    token = _signed_days_ago(
        monkeypatch, 15, lambda: tokens.make_answer_token(introduced, ASSOCIATION)
    )
    url = reverse("volunteering:match_answer", args=[token])
    response = client.post(url, {"answer": "accepter"})
    assert response.status_code == 410
    assert "expiré" in response.content.decode()
    introduced.refresh_from_db()
    assert introduced.association_answer == ""


def test_an_altered_link_is_refused(client, introduced):
    response = client.get(reverse("volunteering:match_answer", args=["pas-un-jeton"]))
    assert response.status_code == 400


def test_an_answer_without_a_choice_changes_nothing(client, introduced):
    response = client.post(_answer_url(introduced, ASSOCIATION), {"answer": "peut-être"})
    assert response.status_code == 409
    introduced.refresh_from_db()
    assert introduced.association_answer == ""


# --- mon espace ------------------------------------------------------------------------------


def test_my_space_needs_a_login(client):
    url = reverse("volunteering:my_space")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("members:login"))
    response = client.post(reverse("volunteering:my_space_answer", args=[1, VOLUNTEER]))
    assert response.status_code == 302 and reverse("members:login") in response["Location"]


def test_the_volunteer_sees_and_answers_their_own_matches(
    client, introduced, offer, need, django_capture_on_commit_callbacks
):
    staff_only = introductions.propose(BoardNeedFactory(description="Interne"), offer)
    client.force_login(offer.user)
    response = client.get(reverse("volunteering:my_space"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    html = response.content.decode()
    assert need.organisation.name in html
    assert staff_only.need.organisation.name not in html  # only proposed: not yet shown
    url = reverse("volunteering:my_space_answer", args=[introduced.pk, VOLUNTEER])
    assert url in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"answer": "accepter"})
    assert response.status_code == 302
    introduced.refresh_from_db()
    assert introduced.volunteer_answer == Match.Answer.ACCEPTED
    # Not their side, and not their match: as if it did not exist.
    response = client.post(
        reverse("volunteering:my_space_answer", args=[introduced.pk, ASSOCIATION]),
        {"answer": "accepter"},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("volunteering:my_space_answer", args=[staff_only.pk, VOLUNTEER]),
        {"answer": "accepter"},
    )
    assert response.status_code == 404
    introduced.refresh_from_db()
    assert introduced.association_answer == ""


def test_a_proposal_ended_before_any_introduction_stays_internal(client, need, offer):
    # Staff proposed, then changed their mind: neither side ever heard of the other.
    ended = introductions.end(introductions.propose(need, offer))
    assert ended.status == Match.Status.ENDED and ended.introduced_at is None
    client.force_login(offer.user)
    assert (
        need.organisation.name not in client.get(reverse("volunteering:my_space")).content.decode()
    )
    response = client.post(
        reverse("volunteering:my_space_answer", args=[ended.pk, VOLUNTEER]), {"answer": "accepter"}
    )
    assert response.status_code == 404
    client.force_login(need.organisation.contacts.get().user)
    html = client.get(reverse("volunteering:my_space")).content.decode()
    assert offer.public_label not in html


def test_another_volunteer_gets_404(client, introduced):
    client.force_login(VolunteerOfferFactory().user)
    response = client.post(
        reverse("volunteering:my_space_answer", args=[introduced.pk, VOLUNTEER]),
        {"answer": "decliner"},
    )
    assert response.status_code == 404
    assert SECRET_EMAIL not in client.get(reverse("volunteering:my_space")).content.decode()
    introduced.refresh_from_db()
    assert introduced.volunteer_answer == ""


def test_the_association_sees_its_matches_anonymously_and_answers(
    client, introduced, offer, contact_user, django_assert_max_num_queries
):
    staff_only = introductions.propose(introduced.need, VolunteerOfferFactory())
    client.force_login(contact_user)
    url = reverse("volunteering:my_space")
    client.get(url)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    html = response.content.decode()
    _assert_anonymous(html, offer)
    assert staff_only.offer.public_label not in html  # only proposed: staff have not sent it
    answer_url = reverse("volunteering:my_space_answer", args=[introduced.pk, ASSOCIATION])
    assert answer_url in html
    assert client.post(answer_url, {"answer": "decliner"}).status_code == 302
    introduced.refresh_from_db()
    assert introduced.status == Match.Status.DECLINED
    assert introduced.association_answer == Match.Answer.DECLINED


def test_a_member_of_another_organisation_gets_404(client, introduced, need):
    other = UserFactory()
    Contact.objects.create(organisation=OrganisationFactory(), user=other, role="treasurer")
    client.force_login(other)
    response = client.post(
        reverse("volunteering:my_space_answer", args=[introduced.pk, ASSOCIATION]),
        {"answer": "accepter"},
    )
    assert response.status_code == 404
    html = client.get(reverse("volunteering:my_space")).content.decode()
    assert need.organisation.name not in html
    introduced.refresh_from_db()
    assert introduced.association_answer == ""


# --- confirming a need is still open ---------------------------------------------------------


def _need_url(need):
    return reverse("volunteering:need_confirm", args=[need.pk, tokens.make_need_token(need)])


def test_need_confirmation_get_changes_nothing_post_confirms(
    client, need, django_assert_max_num_queries
):
    requested = timezone.now() - timedelta(days=2)
    BoardNeed.objects.filter(pk=need.pk).update(confirmation_requested_at=requested)
    need.refresh_from_db()  # the link is made from the need with its request stamped
    url = _need_url(need)
    client.get(url)
    with django_assert_max_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200 and 'value="confirm"' in response.content.decode()
    need.refresh_from_db()
    assert need.confirmed_at is None and need.confirmation_requested_at == requested
    response = client.post(url, {"action": "confirm"})
    assert response.status_code == 200
    need.refresh_from_db()
    assert need.confirmed_at is not None and need.confirmation_requested_at is None
    assert need.status == BoardNeed.Status.OPEN


def test_need_confirmation_can_close_the_need(client, need):
    response = client.post(_need_url(need), {"action": "close"})
    assert response.status_code == 200
    need.refresh_from_db()
    assert need.status == BoardNeed.Status.CLOSED and need.closed_at is not None
    response = client.post(_need_url(need), {"action": "confirm"})
    assert response.status_code == 409  # closed: nothing to confirm any more
    need.refresh_from_db()
    assert need.confirmed_at is None


def test_need_confirmation_link_for_another_need_or_expired(client, need, monkeypatch):
    other = BoardNeedFactory()
    url = reverse("volunteering:need_confirm", args=[other.pk, tokens.make_need_token(need)])
    assert client.post(url, {"action": "close"}).status_code == 400
    old = _signed_days_ago(monkeypatch, 31, lambda: tokens.make_need_token(need))
    url = reverse("volunteering:need_confirm", args=[need.pk, old])
    assert client.post(url, {"action": "close"}).status_code == 410
    need.refresh_from_db()
    other.refresh_from_db()
    assert need.status == other.status == BoardNeed.Status.OPEN


def test_the_volunteer_page_presents_the_association(client, introduced, need):
    response = client.get(_answer_url(introduced, VOLUNTEER))
    html = response.content.decode()
    assert need.organisation.name in html and need.description in html
    assert 'name="answer" value="decliner"' in html


def test_need_confirmation_link_serves_once(client, need):
    BoardNeed.objects.filter(pk=need.pk).update(
        confirmation_requested_at=timezone.now() - timedelta(days=1)
    )
    need.refresh_from_db()
    url = _need_url(need)
    assert client.post(url, {"action": "confirm"}).status_code == 200
    need.refresh_from_db()
    confirmed_at = need.confirmed_at
    # The same link again (a forwarded e-mail, a second click): refused, nothing changes.
    for response in (client.get(url), client.post(url, {"action": "close"})):
        assert response.status_code == 410
        html = response.content.decode()
        assert "Ce lien a déjà servi" in html and 'value="close"' not in html
    need.refresh_from_db()
    assert need.status == BoardNeed.Status.OPEN and need.confirmed_at == confirmed_at


def test_a_newer_request_replaces_the_older_link(client, need):
    first = timezone.now() - timedelta(days=40)
    BoardNeed.objects.filter(pk=need.pk).update(confirmation_requested_at=first)
    need.refresh_from_db()
    old_url = _need_url(need)
    BoardNeed.objects.filter(pk=need.pk).update(confirmation_requested_at=timezone.now())
    assert client.post(old_url, {"action": "close"}).status_code == 410
    need.refresh_from_db()
    assert need.status == BoardNeed.Status.OPEN


def test_a_used_link_is_refused_on_the_locked_row(need):
    # Two clicks at once: both read the link as valid, the second finds it spent when it locks.
    BoardNeed.objects.filter(pk=need.pk).update(confirmation_requested_at=timezone.now())
    need.refresh_from_db()
    _, link = tokens.read_need_token(tokens.make_need_token(need))
    availability.confirm_need_open(need, link=link)
    with pytest.raises(MatchError, match="déjà servi"):
        availability.close_need(need, link=link)
    need.refresh_from_db()
    assert need.status == BoardNeed.Status.OPEN


@pytest.mark.parametrize("status", [BoardNeed.Status.IN_PROGRESS, BoardNeed.Status.FILLED])
def test_the_link_closes_only_an_open_need(client, need, status):
    BoardNeed.objects.filter(pk=need.pk).update(status=status)
    need.refresh_from_db()
    url = _need_url(need)
    page = client.get(url).content.decode()
    assert 'value="close"' not in page
    if status == BoardNeed.Status.IN_PROGRESS:
        assert "ne peut donc pas être fermé depuis ce lien" in page
    response = client.post(url, {"action": "close"})
    assert response.status_code == 409
    assert "ne peut pas être fermé depuis ce lien" in response.content.decode()
    need.refresh_from_db()
    assert need.status == status and need.closed_at is None


# --- conflicts of interest -------------------------------------------------------------------


def test_a_contact_of_the_association_is_never_put_in_touch_with_it(need, offer):
    assert introductions.conflict_of_interest(need, offer) is None
    Contact.objects.create(organisation=need.organisation, user=offer.user, role="treasurer")
    assert "contact de cette association" in introductions.conflict_of_interest(need, offer)
    with pytest.raises(MatchError, match="conflit d’intérêts"):
        introductions.propose(need, offer)
    assert not Match.objects.exists()


def test_a_partner_companys_employee_is_never_put_in_touch(need, offer):
    offer.company.partner_organisations.add(need.organisation)
    with pytest.raises(MatchError, match="partenaire de cette association"):
        introductions.propose(need, offer)
    assert not Match.objects.exists()


def test_introduce_and_accept_refuse_a_conflict_that_appeared_since(
    need, offer, introduced, django_capture_on_commit_callbacks
):
    other = introductions.propose(need, VolunteerOfferFactory(company=offer.company))
    offer.company.partner_organisations.add(need.organisation)
    with pytest.raises(MatchError, match="conflit d’intérêts"):
        introductions.introduce(other)
    with pytest.raises(MatchError, match="conflit d’intérêts"):
        introductions.answer(introduced, VOLUNTEER, True)
    other.refresh_from_db()
    introduced.refresh_from_db()
    assert other.status == Match.Status.PROPOSED and introduced.volunteer_answer == ""


def test_a_volunteer_who_is_also_a_contact_never_answers_for_the_association(client, need):
    # A match staff forced through (the data predates the rule): its volunteer is a contact.
    volunteer = VolunteerOfferFactory()
    Contact.objects.create(organisation=need.organisation, user=volunteer.user, role="other")
    match = MatchFactory(need=need, offer=volunteer, status=Match.Status.INTRODUCED)
    client.force_login(volunteer.user)
    association_url = reverse("volunteering:my_space_answer", args=[match.pk, ASSOCIATION])
    html = client.get(reverse("volunteering:my_space")).content.decode()
    assert association_url not in html
    assert reverse("volunteering:my_space_answer", args=[match.pk, VOLUNTEER]) in html
    assert client.post(association_url, {"answer": "accepter"}).status_code == 404
    match.refresh_from_db()
    assert match.association_answer == ""


# --- engaged volunteers and one accepted match per need ------------------------------------


def test_an_engaged_offer_is_neither_proposed_nor_introduced(need, offer):
    match = introductions.propose(need, offer)
    VolunteerOffer.objects.filter(pk=offer.pk).update(status=VolunteerOffer.Status.ENGAGED)
    offer.refresh_from_db()
    with pytest.raises(MatchError, match="déjà engagée"):
        introductions.introduce(match)
    with pytest.raises(MatchError, match="déjà engagée"):
        introductions.propose(BoardNeedFactory(), offer)
    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED


def test_an_offer_engaged_elsewhere_cannot_accept_its_other_introductions(
    introduced, offer, django_capture_on_commit_callbacks
):
    second_need = BoardNeedFactory()
    second = introductions.propose(second_need, offer)
    introductions.introduce(second)
    introductions.answer(second, ASSOCIATION, True)
    _accept_both(introduced, django_capture_on_commit_callbacks)
    offer.refresh_from_db()
    assert offer.status == VolunteerOffer.Status.ENGAGED
    # The other introduction stays as it is (staff decide) but cannot be accepted.
    second.refresh_from_db()
    assert second.status == Match.Status.INTRODUCED
    with pytest.raises(MatchError, match="déjà engagée"):
        introductions.answer(second, VOLUNTEER, True)
    # Even if staff set the offer back to available by hand, the accepted match decides.
    VolunteerOffer.objects.filter(pk=offer.pk).update(status=VolunteerOffer.Status.AVAILABLE)
    with pytest.raises(MatchError, match="déjà engagée"):
        introductions.answer(second, VOLUNTEER, True)
    introductions.answer(second, VOLUNTEER, False)  # declining stays possible
    second.refresh_from_db()
    assert second.status == Match.Status.DECLINED


def test_a_need_with_an_accepted_match_accepts_no_other(
    introduced, need, django_capture_on_commit_callbacks
):
    rival = introductions.propose(need, VolunteerOfferFactory())
    introductions.introduce(rival)
    _accept_both(introduced, django_capture_on_commit_callbacks)
    with pytest.raises(MatchError, match="déjà une mise en relation acceptée"):
        introductions.answer(rival, ASSOCIATION, True)
    rival.refresh_from_db()
    assert rival.status == Match.Status.INTRODUCED and rival.association_answer == ""


# --- ending an accepted match reopens the need -----------------------------------------------


def test_ending_the_only_accepted_match_reopens_the_need(
    introduced, need, django_capture_on_commit_callbacks
):
    _accept_both(introduced, django_capture_on_commit_callbacks)
    need.refresh_from_db()
    assert need.status == BoardNeed.Status.IN_PROGRESS
    moment = timezone.now() + timedelta(hours=1)
    introductions.end(introduced, now=moment)
    need.refresh_from_db()
    assert need.status == BoardNeed.Status.OPEN and need.confirmed_at == moment


def test_ending_keeps_a_need_filled_or_engaged_by_another_accepted_match(
    introduced, need, django_capture_on_commit_callbacks
):
    _accept_both(introduced, django_capture_on_commit_callbacks)
    other = MatchFactory(need=need, status=Match.Status.ACCEPTED)  # data from before the rule
    introductions.end(introduced)
    need.refresh_from_db()
    assert need.status == BoardNeed.Status.IN_PROGRESS
    BoardNeed.objects.filter(pk=need.pk).update(status=BoardNeed.Status.FILLED)
    introductions.end(other)
    need.refresh_from_db()
    assert need.status == BoardNeed.Status.FILLED and need.confirmed_at is None


def test_ending_a_proposal_leaves_an_in_progress_need_alone(need, offer):
    match = introductions.propose(need, offer)
    BoardNeed.objects.filter(pk=need.pk).update(status=BoardNeed.Status.IN_PROGRESS)
    introductions.end(match)
    need.refresh_from_db()
    assert need.status == BoardNeed.Status.IN_PROGRESS


# --- who speaks for the association ----------------------------------------------------------


def test_the_association_recipients_are_its_current_active_contacts_primary_first(
    need, contact_user
):
    from forms import reminders

    assert reminders.association_recipients is disclosure.association_recipients
    organisation = need.organisation
    primary = UserFactory(email="tresoriere@jardins.example")
    Contact.objects.create(
        organisation=organisation, user=primary, role="treasurer", is_primary=True
    )
    gone = UserFactory(email="ancienne@jardins.example", is_active=False)
    Contact.objects.create(organisation=organisation, user=gone, role="secretary")
    # Whoever filed the need but is no longer a contact is not written to.
    BoardNeed.objects.filter(pk=need.pk).update(
        created_by=UserFactory(email="partie@ailleurs.example")
    )
    need.refresh_from_db()
    expected = ["tresoriere@jardins.example", contact_user.email]
    assert disclosure.association_recipients(need) == expected
    assert [c.user.email for c in disclosure.association_contacts(need)] == expected


def test_the_introduction_goes_only_to_current_active_contacts(
    need, offer, contact_user, django_capture_on_commit_callbacks
):
    BoardNeed.objects.filter(pk=need.pk).update(
        created_by=UserFactory(email="partie@ailleurs.example")
    )
    Contact.objects.create(
        organisation=need.organisation,
        user=UserFactory(email="ancienne@jardins.example", is_active=False),
        role="secretary",
    )
    match = introductions.propose(need, offer)
    with django_capture_on_commit_callbacks(execute=True):
        introductions.introduce(match)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([contact_user.email, SECRET_EMAIL])


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_once_engage_the_offer_once(monkeypatch):
    """PostgreSQL only (SQLite serialises writers): the offer's row lock makes the second
    acceptance see the first one's engagement."""
    import time

    offer = VolunteerOfferFactory()
    matches = [
        MatchFactory(
            offer=offer,
            status=Match.Status.INTRODUCED,
            association_answer=Match.Answer.ACCEPTED,
        )
        for _ in range(2)
    ]
    real_check = introductions._check_active

    def slow_check(need, offer):  # inside the locked section: widen the window
        time.sleep(0.3)
        return real_check(need, offer)

    monkeypatch.setattr(introductions, "_check_active", slow_check)

    def accept(match):
        try:
            introductions.answer(match, VOLUNTEER, True)
        except MatchError:
            return "refused"
        return "accepted"

    outcomes = run_each(*[partial(accept, match) for match in matches])
    assert sorted(outcomes) == ["accepted", "refused"]
    assert Match.objects.filter(status=Match.Status.ACCEPTED).count() == 1
