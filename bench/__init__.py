"""The benchmark harness behind `make bench` (run it as `python -m bench`).

What it measures, in one run, on a throw-away copy of the site with the demo content and
production settings:
  - requests/s and p50/p99 latency of the home page and a content page under gunicorn
    (2 sync workers), with the anonymous page cache off and on, against a minimal Django view
    of the same size under the same gunicorn: the ratio says what the site costs per request;
  - SQL queries per public page, cold and warm, counted in-process;
  - the memory of each gunicorn worker after the load;
and checks them against the project's targets (see report.py).

Modules: prepare (temporary database, media, static files), servers (gunicorn), load (the load
client), minimal (the baseline app), queries (SQL counts), report (tables, targets, JSON);
module_run runs the measures that need a process of their own (queries, ranking, matching,
search).
"""
