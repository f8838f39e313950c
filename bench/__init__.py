"""The benchmark harness behind `make bench` (run it as `python -m bench`).

What it measures, in one run, on throw-away copies of the site with the demo content and
production settings, in two configurations (SQLite with the memory cache; PostgreSQL with Redis):
  - requests/s and p50/p99 latency of the public pages under gunicorn (2 sync workers), with
    the anonymous page cache off and on, and of the logged-in pages (a member, a juror, a
    volunteer), against a minimal Django view of the same size under the same gunicorn, in the
    same configuration: the share says what the site costs per request;
  - SQL queries per page, cold and warm, counted in-process;
  - the memory of each gunicorn worker after the load;
and checks them against the project's targets (see report.py).

Modules: prepare (temporary database, media, static files), configuration (one configuration's
servers and loads), production_config (PostgreSQL with Redis), throwaway (their throw-away
database and Redis database), servers (gunicorn), load (the load client), minimal (the baseline
app), queries (SQL counts), sessions (the logged-in users, their cookies and their pages' SQL
counts), report (tables, targets, JSON); module_run runs the measures that need a process of
their own (queries, sessions, ranking, matching, search).
"""
