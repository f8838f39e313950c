"""Rate limits on what sends e-mail or writes for strangers: per client address and per target
address, a French 429 page saying when to come back, counters in a cache of their own."""

import pytest
from django.core import mail
from django.core.cache import caches
from django.test import Client

from demo.factories.members import OrganisationFactory, UserFactory
from home import ratelimit
from members.models import Organisation
from tests.members import test_bulletin

pytestmark = pytest.mark.django_db

# The bulletin's fixtures, shared with its own tests.
bulletin_page = test_bulletin.bulletin_page
grid = test_bulletin.grid

RESET = "/espace-membre/mot-de-passe/oublie/"


def _reset(client, email, address):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_password_resets_for_one_address_stop_at_three_whoever_asks(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="victime@example.org")
    with django_capture_on_commit_callbacks(execute=True):  # mail leaves after the commit
        for n in range(3):
            assert _reset(client, "victime@example.org", f"203.0.113.{n}").status_code == 302
    sent = len(mail.outbox)
    assert sent == 3

    with django_capture_on_commit_callbacks(execute=True):
        refused = _reset(client, "Victime@Example.org", "203.0.113.99")
    assert refused.status_code == 429
    assert len(mail.outbox) == sent  # nothing more sent to the victim
    html = refused.content.decode()
    assert "Trop de demandes" in html and "rien n’a été enregistré ni envoyé" in html
    assert 0 < int(refused["Retry-After"]) <= 3600
    # Someone else's reset from the same place still goes through.
    UserFactory(email="autre@example.org")
    assert _reset(client, "autre@example.org", "203.0.113.99").status_code == 302


def test_one_client_asking_many_resets_is_stopped_after_ten(client):
    for n in range(10):
        assert _reset(client, f"personne{n}@example.org", "198.51.100.7").status_code == 302
    assert _reset(client, "encore@example.org", "198.51.100.7").status_code == 429
    assert _reset(client, "encore@example.org", "198.51.100.8").status_code == 302


def test_the_429_page_speaks_english_under_en(client):
    for n in range(10):
        client.post("/en" + RESET, {"email": f"p{n}@example.org"}, REMOTE_ADDR="192.0.2.1")
    refused = client.post("/en" + RESET, {"email": "x@example.org"}, REMOTE_ADDR="192.0.2.1")
    assert refused.status_code == 429
    assert '<html lang="en"' in refused.content.decode()


def test_search_is_limited_per_client(client, site_tree):
    for _ in range(60):
        assert (
            client.get("/recherche/", {"q": "jardin"}, REMOTE_ADDR="192.0.2.5").status_code == 200
        )
    assert client.get("/recherche/", {"q": "jardin"}, REMOTE_ADDR="192.0.2.5").status_code == 429
    assert client.get("/recherche/", {"q": "jardin"}, REMOTE_ADDR="192.0.2.6").status_code == 200


def test_a_get_of_the_reset_form_is_not_counted(client):
    for _ in range(20):
        assert client.get(RESET, REMOTE_ADDR="192.0.2.9").status_code == 200
    assert _reset(client, "x@example.org", "192.0.2.9").status_code == 302


def test_counters_live_apart_from_the_page_cache(client):
    for n in range(10):
        _reset(client, f"p{n}@example.org", "192.0.2.7")
    caches["default"].clear()  # a page cache filling up or being flushed forgets nothing here
    assert _reset(client, "x@example.org", "192.0.2.7").status_code == 429


def test_keys_have_one_length_whatever_was_typed():
    store = caches[ratelimit.CACHE_ALIAS]
    ratelimit.hit("test", "a", 5, 60)
    short = set(store._cache)
    ratelimit.hit("test", "x" * 10_000, 5, 60)
    long = set(store._cache) - short
    assert len(short) == len(long) == 2  # the count and the window's start
    assert sorted(map(len, short)) == sorted(map(len, long))


def test_the_window_opens_at_the_first_request(monkeypatch):
    # Not a window on the clock: 5 requests at 59.9 s and 5 more at 60.1 s are 10 in 0.2 s.
    now = [1_000_059.9]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    assert [ratelimit.hit("test", "a", 5, 60) for _ in range(5)] == [0] * 5
    now[0] = 1_000_060.1
    assert ratelimit.hit("test", "a", 5, 60) == 60  # wait until 60 s after the first


def test_with_the_counter_store_down_requests_go_through(client, settings):
    # Redis on a port where nothing listens: the limit is lost, the site still answers.
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "home.cache_backends.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    for n in range(12):
        assert _reset(client, f"p{n}@example.org", "192.0.2.8").status_code == 302


def test_bulletins_naming_one_address_stop_at_three(bulletin_page, grid):
    # Three bulletins (invalid ones too) naming the same contact address, from three places:
    # the fourth is refused before anything is saved or sent.
    for n in range(3):
        Client(REMOTE_ADDR=f"203.0.113.{n}").post(
            bulletin_page.url, test_bulletin.bulletin_data(**{"org-name": "", "org-rna": ""})
        )
    refused = Client(REMOTE_ADDR="203.0.113.50").post(
        bulletin_page.url, test_bulletin.bulletin_data()
    )
    assert refused.status_code == 429
    assert not Organisation.objects.exists()
    assert mail.outbox == []
    # Another address is not held back.
    other = Client(REMOTE_ADDR="203.0.113.50").post(
        bulletin_page.url, test_bulletin.bulletin_data(**{"contact-email": "bob@velo.example.org"})
    )
    assert other.status_code == 302


def test_invitations_to_one_address_stop_at_three(client):
    from members.models import Contact

    alice = UserFactory(email="alice@jardins.example.org")
    organisation = OrganisationFactory()
    Contact.objects.create(organisation=organisation, user=alice, role="president")
    client.force_login(alice)
    url = f"/espace-membre/organisation/{organisation.pk}/contacts/ajouter/"
    data = {
        "new-email": "cible@example.org",
        "new-first_name": "C",
        "new-last_name": "Ible",
        "new-role": "other",
    }
    for _ in range(3):
        assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "new-email": "CIBLE@example.org"}).status_code == 429
    assert client.post(url, {**data, "new-email": "autre@example.org"}).status_code == 302


def test_wagtails_own_password_reset_is_limited_too(client):
    UserFactory(email="victime@example.org")
    for n in range(3):
        client.post(
            "/admin/password_reset/", {"email": "victime@example.org"}, REMOTE_ADDR=f"192.0.2.{n}"
        )
    refused = client.post(
        "/admin/password_reset/", {"email": "victime@example.org"}, REMOTE_ADDR="192.0.2.99"
    )
    assert refused.status_code == 429


def test_an_ipv6_network_counts_as_one_client(client):
    for n in range(10):
        address = f"2001:db8:1:2::{n + 1:x}"
        assert _reset(client, f"p{n}@example.org", address).status_code == 302
    assert _reset(client, "x@example.org", "2001:db8:1:2:ffff::1").status_code == 429
    assert _reset(client, "x@example.org", "2001:db8:1:3::1").status_code == 302
