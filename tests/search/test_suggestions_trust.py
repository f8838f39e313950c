"""Which logged queries the search page suggests to others (search/query_log.py): only those
that found something for several distinct visitors in one week, or that staff approved, never
those staff blocked; visitors counted by a weekly digest that keeps no address, forgotten after
the retention; and the staff's list in Wagtail's admin.

The probe: « compétences qwzx » finds nothing, so the page suggests « compétences » (the query
without its last word) and the trusted logged queries sharing a word with it, such as
« mécénat compétences ».
"""

import datetime
import hashlib
import io

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

from demo.factories.home import StandardPageFactory
from search import query_log
from search.models import SearchTerm, SearchVisit, VisitorKey
from search.results import SearchResults

pytestmark = pytest.mark.django_db

URL = "/recherche/"
PLANTED = "mécénat compétences"
PROBE = "compétences qwzx"
ADMIN = "/admin/search/searchterm/"
MONDAY = datetime.date(2027, 3, 8)


@pytest.fixture
def searchable_page(site_tree):
    return StandardPageFactory(
        parent=site_tree["home"], title="Mécénat", introduction="Le mécénat de compétences."
    )


def search(client, text, address, agent="Mozilla/5.0"):
    # Typed in this site's search box, as the browser says (see search.views.typed_here).
    response = client.get(
        URL,
        {"q": text},
        REMOTE_ADDR=address,
        HTTP_USER_AGENT=agent,
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 200
    return response


def suggested(client):
    """What the page suggests to a visitor whose search found nothing."""
    return search(client, PROBE, "198.51.100.200").context["results"].suggestions


def from_visitors(count, text=PLANTED, today=None):
    for n in range(count):
        query_log.record_search(text, f"192.0.2.{n + 1}", today=today)


# --- The rule -----------------------------------------------------------------------------------


def test_one_visitor_searching_fifty_times_never_plants_a_suggestion(client, searchable_page):
    for _ in range(50):
        assert search(client, PLANTED, "192.0.2.66").context["results"].total == 1

    assert SearchVisit.objects.filter(term__text=PLANTED).count() == 1
    assert PLANTED not in query_log.suggestable()
    assert suggested(client) == ["compétences"]


def test_another_server_counts_the_same_visitor_once_too():
    """The cache only spares queries: with it empty (another server, a restart), the week's
    secret comes from the database and the database counts the visitor once."""
    for _ in range(3):
        cache.clear()
        query_log.record_search(PLANTED, "192.0.2.66")
    assert SearchVisit.objects.count() == 1
    assert VisitorKey.objects.count() == 1


def test_three_distinct_visitors_who_found_something_make_a_suggestion(client, searchable_page):
    for address in ("192.0.2.1", "192.0.2.2"):
        search(client, PLANTED, address)
    assert suggested(client) == ["compétences"]  # two are not enough

    search(client, PLANTED, "192.0.2.3")

    assert suggested(client) == ["compétences", PLANTED]
    html = search(client, PROBE, "198.51.100.200").content.decode()
    assert 'href="?q=m%C3%A9c%C3%A9nat+comp%C3%A9tences"' in html


def test_a_query_that_finds_nothing_is_never_suggested_even_from_many_visitors(
    client, searchable_page
):
    for n in range(10):
        assert search(client, "mécénat zzkq", f"192.0.2.{n + 1}").context["results"].total == 0

    assert not SearchTerm.objects.filter(text="mécénat zzkq").exists()
    assert query_log.suggestable() == []


def test_a_query_staff_approved_is_suggested_without_any_visitor(client, searchable_page):
    SearchTerm.objects.create(text=PLANTED, status=SearchTerm.Status.APPROVED)
    assert suggested(client) == ["compétences", PLANTED]


def test_a_blocked_query_is_never_suggested_even_from_many_visitors(client, searchable_page):
    for n in range(6):
        search(client, PLANTED, f"192.0.2.{n + 1}")
    assert PLANTED in suggested(client)  # trusted by its visitors…

    SearchTerm.objects.filter(text=PLANTED).update(status=SearchTerm.Status.BLOCKED)

    assert suggested(client) == ["compétences"]  # …and blocking wins
    assert query_log.suggestable() == []
    search(client, PLANTED, "192.0.2.99")  # more visitors change nothing
    assert PLANTED not in suggested(client)


def test_the_threshold_is_a_setting(client, searchable_page, settings):
    settings.SEARCH_SUGGESTION_MIN_VISITORS = 5
    from_visitors(4)
    assert PLANTED not in suggested(client)
    from_visitors(5)
    assert PLANTED in suggested(client)


def test_staff_choices_come_first_then_the_most_searched():
    from_visitors(4, "réseau")
    from_visitors(3, "adhésion")
    SearchTerm.objects.create(text="statuts", status=SearchTerm.Status.APPROVED)
    SearchTerm.objects.create(text="cotisation")  # pending, no visitor

    assert query_log.suggestable() == ["statuts", "réseau", "adhésion"]


# --- Who counts as a visitor --------------------------------------------------------------------


def test_one_address_with_many_user_agents_counts_once(client, searchable_page):
    for agent in ("Firefox", "Chrome", "curl/8.0", "Safari"):
        search(client, PLANTED, "192.0.2.7", agent=agent)
    assert SearchVisit.objects.count() == 1
    assert PLANTED not in suggested(client)


def test_an_ipv6_host_counts_once_across_its_network():
    # One customer's /48: every subnet and host of it is one visitor (a /64 each would let
    # one customer plant a suggestion alone).
    for host in ("2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:3:ffff::9", "2001:db8:1:ff::1"):
        query_log.record_search(PLANTED, host)
    assert SearchVisit.objects.count() == 1
    query_log.record_search(PLANTED, "2001:db8:2::1")  # another network
    query_log.record_search(PLANTED, "::ffff:192.0.2.1")  # IPv4, written as IPv6
    assert SearchVisit.objects.count() == 3


def test_without_an_address_nothing_is_counted():
    assert query_log.record_search(PLANTED, "") is False
    assert query_log.record_search(PLANTED, "unknown") is False
    assert not SearchVisit.objects.exists()


def test_one_visitor_coming_back_each_week_never_adds_up():
    for week in range(3):
        query_log.record_search(
            PLANTED, "192.0.2.66", today=MONDAY + datetime.timedelta(weeks=week)
        )
    today = MONDAY + datetime.timedelta(weeks=2)
    assert SearchVisit.objects.count() == 3  # three weeks, three unrelated digests…
    assert PLANTED not in query_log.suggestable(today=today)  # …never three visitors

    from_visitors(3, today=MONDAY)
    assert PLANTED in query_log.suggestable(today=today)  # three in one week are


def test_the_same_visitor_is_counted_once_a_week_whatever_the_day():
    for day in range(7):
        query_log.record_search(PLANTED, "192.0.2.66", today=MONDAY + datetime.timedelta(days=day))
    assert SearchVisit.objects.get().period == MONDAY


# --- What is kept -------------------------------------------------------------------------------


def all_rows_as_text():
    """Every column of every row of the search log's tables and of Wagtail's query log."""
    tables = [
        model._meta.db_table
        for model in (SearchTerm, SearchVisit, VisitorKey, Query, QueryDailyHits)
    ]
    rows = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows += [" ".join(str(value) for value in row) for row in cursor.fetchall()]
    return "\n".join(rows)


def test_the_log_keeps_no_address_nor_a_plain_hash_of_it(client, searchable_page):
    address = "203.0.113.77"
    search(client, PLANTED, address, agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")

    stored = all_rows_as_text()
    assert PLANTED in stored  # the query is there…
    assert address not in stored  # …its visitor is not
    assert "Firefox" not in stored
    for algorithm in ("md5", "sha1", "sha256"):
        plain = hashlib.new(algorithm, address.encode()).hexdigest()
        assert plain[:16] not in stored, algorithm
    visit = SearchVisit.objects.get()
    assert len(visit.visitor) == query_log.DIGEST_LENGTH
    assert set(visit.visitor) <= set("0123456789abcdef")


def test_the_digest_is_keyed_by_the_week_and_the_query():
    query_log.record_search(PLANTED, "192.0.2.66", today=MONDAY)
    query_log.record_search("adhésion", "192.0.2.66", today=MONDAY)
    query_log.record_search(PLANTED, "192.0.2.66", today=MONDAY + datetime.timedelta(weeks=1))
    digests = list(SearchVisit.objects.values_list("visitor", flat=True))
    assert len(set(digests)) == 3  # no link between one visitor's queries, nor their weeks


def test_a_finished_weeks_key_is_deleted_by_the_first_search_of_the_next():
    query_log.record_search(PLANTED, "192.0.2.1", today=MONDAY)
    assert list(VisitorKey.objects.values_list("period", flat=True)) == [MONDAY]

    next_week = MONDAY + datetime.timedelta(weeks=1)
    query_log.record_search(PLANTED, "192.0.2.1", today=next_week + datetime.timedelta(days=2))

    # Last week's visits stay counted, but nobody can compute their digests any more.
    assert list(VisitorKey.objects.values_list("period", flat=True)) == [next_week]
    assert SearchVisit.objects.count() == 2


def test_visits_older_than_the_retention_are_no_longer_counted():
    from_visitors(3, today=MONDAY)
    assert PLANTED in query_log.suggestable(today=MONDAY + datetime.timedelta(days=27))
    later = MONDAY + datetime.timedelta(days=query_log.SEARCH_LOG_RETENTION_DAYS + 7)
    assert PLANTED not in query_log.suggestable(today=later)  # even before any purge


def test_the_daily_command_purges_old_visits_keys_and_undecided_terms(settings):
    settings.SEARCH_LOG_RETENTION_DAYS = 14
    this_week = MONDAY + datetime.timedelta(weeks=3)
    terms = {
        text: SearchTerm.objects.create(text=text, status=status)
        for text, status in (
            ("vieille recherche", SearchTerm.Status.PENDING),
            ("récente", SearchTerm.Status.PENDING),
            ("approuvée", SearchTerm.Status.APPROVED),
            ("bloquée", SearchTerm.Status.BLOCKED),
        )
    }
    visits = [("vieille recherche", MONDAY)] * 3 + [("récente", this_week)]
    visits += [("approuvée", MONDAY), ("bloquée", MONDAY)]
    for n, (text, period) in enumerate(visits):
        SearchVisit.objects.create(term=terms[text], period=period, visitor=f"{n:024x}")
    for period in (MONDAY, this_week):
        VisitorKey.objects.create(period=period, secret=f"secret {period}")
    out = io.StringIO()

    call_command("purge_search_log", "--date", "2027-03-31", "--dry-run", stdout=out)
    # A dry run counts what the real one deletes, and deletes nothing.
    assert "1 clé(s), 5 visite(s) et 1 recherche(s) seraient effacée(s)" in out.getvalue()
    assert SearchVisit.objects.count() == 6 and VisitorKey.objects.count() == 2

    call_command("purge_search_log", date="2027-03-31", stdout=out)

    assert list(SearchVisit.objects.values_list("term__text", flat=True)) == ["récente"]
    # Staff's decisions stay, whatever their visits.
    assert set(SearchTerm.objects.values_list("text", flat=True)) == {
        "récente",
        "approuvée",
        "bloquée",
    }
    assert list(VisitorKey.objects.values_list("period", flat=True)) == [this_week]
    assert "1 clé(s), 5 visite(s) et 1 recherche(s) effacée(s)" in out.getvalue()


def test_wagtails_log_for_editors_still_counts_every_search(client, searchable_page):
    """Editors' reports (popular queries, queries without results) are Wagtail's own, apart
    from the suggestions: nothing there is shown to visitors."""
    for _ in range(3):
        search(client, PLANTED, "192.0.2.66")
    assert sum(Query.get(PLANTED).daily_hits.values_list("hits", flat=True)) == 3


def test_searches_answered_by_elasticsearch_are_counted_the_same(
    client, searchable_page, settings, monkeypatch
):
    from search import elastic

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    monkeypatch.setattr(
        elastic,
        "search",
        lambda query: SearchResults(query=query.text, hits=[], total=2, backend="elasticsearch"),
    )
    for n in range(3):
        search(client, PLANTED, f"192.0.2.{n + 1}")
    assert PLANTED in query_log.suggestable()


# --- Staff's list in Wagtail's admin ------------------------------------------------------------


def staff_user(username, *codenames):
    """A staff member with access to Wagtail's admin and these permissions of `search`."""
    user = User.objects.create_user(username, f"{username}@reseau.example.org", "mot-de-passe-42!")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="search", codename__in=codenames),
    )
    return User.objects.get(pk=user.pk)  # a fresh object: no stale permission cache


def test_staff_see_the_candidates_with_their_visitors(client, admin_user):
    from_visitors(3, "adhésion")
    from_visitors(1, "planté")
    client.force_login(admin_user)

    html = client.get(ADMIN).content.decode()

    assert "adhésion" in html and "planté" in html
    assert html.index("adhésion") < html.index("planté")  # suggested first
    suggested_only = client.get(ADMIN, {"suggeree": "1"}).content.decode()
    assert "adhésion" in suggested_only and "planté" not in suggested_only


def test_staff_approve_a_candidate_from_its_form(client, admin_user, searchable_page):
    from_visitors(1)
    term = SearchTerm.objects.get()
    client.force_login(admin_user)

    response = client.post(f"{ADMIN}edit/{term.pk}/", {"text": "autre chose", "status": "approved"})

    assert (response.status_code, response.url) == (302, ADMIN)  # saved, back to the list
    term.refresh_from_db()
    assert (term.text, term.status) == (PLANTED, SearchTerm.Status.APPROVED)  # text unchanged
    assert PLANTED in suggested(client)


def test_staff_block_a_query_before_anyone_types_it(client, admin_user, searchable_page):
    client.force_login(admin_user)

    response = client.post(
        f"{ADMIN}create/", {"text": "  Mécénat   Compétences ", "status": "blocked"}
    )

    assert response.status_code == 302
    assert SearchTerm.objects.get().text == PLANTED  # written as the log writes it
    client.logout()
    from_visitors(5)
    assert PLANTED not in suggested(client)


def test_the_list_and_its_forms_need_the_permissions(client):
    from_visitors(1)
    term = SearchTerm.objects.get()
    client.force_login(staff_user("jules"))
    refused = client.get(ADMIN)
    assert refused.status_code == 403 or (
        refused.status_code == 302 and refused.url.rstrip("/").endswith("/admin")
    )

    client.force_login(staff_user("gaelle", "view_searchterm"))
    assert PLANTED in client.get(ADMIN).content.decode()
    client.post(f"{ADMIN}edit/{term.pk}/", {"text": PLANTED, "status": "approved"})
    term.refresh_from_db()
    assert term.status == SearchTerm.Status.PENDING  # seeing is not deciding
