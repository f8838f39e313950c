"""The bench's report, from figures made up here (`make bench` itself is not run by the tests):
shares are of the minimal view of the same configuration, the issue's targets are checked in
each configuration, and a configuration that could not run says so without hiding the other."""

from bench import report

SETTINGS = {
    "concurrency": 10,
    "requests": 300,
    "seconds": 3,
    "workers": 2,
    "cpus": 2,
    "load_average": 0.1,
}


def run(server, mode, path, rps, p99=20.0, page=None, errors=0):
    return {
        "server": server,
        "mode": mode,
        "page": page or path,
        "path": path,
        "requests_per_second": rps,
        "p50_ms": p99 / 2,
        "p99_ms": p99,
        "requests": 300,
        "errors": errors,
    }


def counted(path, warm, cold, page=None):
    return {
        "page": page or path,
        "path": path,
        "warm": {"status": 200, "queries": warm, "sql": ["SELECT 1"]},
        "cold": {"status": 200, "queries": cold, "sql": ["SELECT 1"]},
    }


def configuration(label, minimal_rps, memory=120.0, logged_in_errors=()):
    return {
        "label": label,
        "home_bytes": 15000,
        "load": [
            run("site", "cache off", "/", 200),
            run("site", "cache off", "/recherche/?q=association", 110),
            run("site", "cache on", "/", 900),
            run("site", "logged-in", "/jury/", 90, p99=60.0, page="juror: jury home"),
            run("minimal", "-", "/", minimal_rps, page="minimal view"),
        ],
        "memory": {f"{label} cache off": [memory, memory - 1]},
        "page_cache_check": {"/": "hit"},
        "queries": [counted("/", 2, 25), counted("/recherche/?q=association", 12, 40)],
        "logged_in_queries": [{"role": "juror", **counted("/jury/", 8, 24, "jury home")}],
        "users": [{"role": "juror", "user": "jure@example.org", "note": "edition 2018"}],
        "logged_in_errors": list(logged_in_errors),
    }


def figures(postgresql):
    return {
        "settings": SETTINGS,
        "configs": {"sqlite": configuration("SQLite", 1000), "postgresql": postgresql},
    }


def verdicts(results, group):
    return {t["target"]: (t["pass"], t["value"]) for t in results if t["group"] == group}


def test_each_configuration_is_compared_with_its_own_minimal_view():
    sqlite = configuration("SQLite", 1000)
    postgresql = configuration("PostgreSQL", 2000)
    home = sqlite["load"][0]
    assert report.share(sqlite, home) == 0.2
    assert report.share(postgresql, home) == 0.1


def test_the_issue_targets_in_each_configuration():
    results = report.targets(figures(configuration("PostgreSQL", 2000, memory=160.0)))
    sqlite, postgresql = verdicts(results, "SQLite"), verdicts(results, "PostgreSQL")
    # Public pages, page cache off: 15 % of the minimal view; the search page 10 %.
    assert sqlite["/ cache off >= 15% of minimal req/s"] == (True, "20.0%")
    assert postgresql["/ cache off >= 15% of minimal req/s"] == (False, "10.0%")
    assert sqlite["/recherche/?q=association cache off >= 10% of minimal req/s"] == (True, "11.0%")
    assert postgresql["/recherche/?q=association cache off >= 10% of minimal req/s"][0] is False
    # Logged-in pages: 10 %.
    assert sqlite["/jury/ logged-in (juror) >= 10% of minimal req/s"] == (False, "9.0%")
    # p99 under 50 ms at the run's concurrency, every page and mode.
    assert sqlite["p99 < 50 ms at 10 clients: / cache off"] == (True, "20.0 ms")
    assert sqlite["p99 < 50 ms at 10 clients: /jury/ logged-in (juror)"] == (False, "60.0 ms")
    # Worker memory under 150 MB.
    assert sqlite["< 150 MB per worker: SQLite cache off"] == (True, "120.0 MB")
    assert postgresql["< 150 MB per worker: PostgreSQL cache off"] == (False, "160.0 MB")
    assert sqlite["<= 10 SQL queries (warm): /recherche/?q=association"] == (False, "12")


def test_a_logged_in_page_that_could_not_be_measured_fails_its_target():
    broken = configuration("PostgreSQL", 2000, logged_in_errors=["juror /jury/: HTTP 302"])
    results = report.targets(figures(broken))
    target = "every logged-in page answers 200 with its session"
    assert verdicts(results, "SQLite")[target] == (True, "0 not measured")
    assert verdicts(results, "PostgreSQL")[target] == (False, "1 not measured")
    data = figures(broken)
    data["targets"] = results
    assert "ERROR logged-in juror /jury/: HTTP 302" in report.render(data)


def test_a_configuration_that_could_not_run_says_so_and_the_other_is_reported():
    missing = {"label": "PostgreSQL + Redis", "error": "no PostgreSQL at 127.0.0.1:5432/postgres"}
    data = figures(missing)
    data["targets"] = report.targets(data)
    assert verdicts(data["targets"], "PostgreSQL + Redis") == {"measured": (False, "could not run")}
    text = report.render(data)
    assert "PostgreSQL + Redis: could not run (no PostgreSQL at 127.0.0.1:5432/postgres)" in text
    # The SQLite table: page, mode, req/s, share, p50, p99, SQL warm and cold.
    assert "SQLite: 10 clients" in text
    row = next(line for line in text.splitlines() if "/jury/" in line and "logged-in" in line)
    assert row.split() == [
        "/jury/",
        "logged-in",
        "(juror)",
        "90.0",
        "9.0%",
        "30.0",
        "60.0",
        "8",
        "24",
        "0",
    ]
    home = next(line for line in text.splitlines() if line.split()[:3] == ["/", "cache", "off"])
    assert home.split()[3:] == ["200.0", "20.0%", "10.0", "20.0", "2", "25", "0"]
