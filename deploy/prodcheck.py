"""`make prodcheck`: start the production topology and prove it holds.

    python -m deploy.prodcheck          # PRODCHECK_MINUTES=3 (10 for a full run)

On this machine's PostgreSQL (a fresh `ess_prodcheck` database) and Redis (database 2), with
moto's S3 behind a relay, a local SMTP sink, Caddy, two gunicorn servers, the worker and the
scheduler, it checks in order:

1. every link and image of the demo site answers through the proxy;
2. two app servers are one site: a session made on one is valid on the other; a page published
   through one shows on the other within a second; an image uploaded through one is served
   through the other;
3. load (50 clients) with faults injected during it, each followed by recovery without restarting
   the app: PostgreSQL restarted, Redis stopped, the SMTP server down for a minute, the object
   storage down, one app server killed;
4. nothing lost: every bulletin accepted is in the database, receipts are numbered once with no
   gap, every e-mail reached the sink once.

The report (load figures, what each fault did) is printed and written to
test-artifacts/prodcheck.json; the exit code is non-zero if any check failed.
"""

import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time

from . import prod, services, traffic
from .topology import Topology, rss_kib

ROOT = prod.ROOT
DATABASE = "ess_prodcheck"
PASSWORD = "Contrôle-de-production-2026"
FRENCH_503 = "Service momentanément indisponible"
# localstripe accepts these fixed test keys (the same as the tests', tests/stripe.py).
STRIPE_SECRET_KEY = "sk_test_localstripe"
STRIPE_PUBLISHABLE_KEY = "pk_test_localstripe"
STRIPE_WEBHOOK_SECRET = "whsec_test_localstripe"


WARM_UP_SECONDS = 45
# After the faults, this much more of the same load, without faults, for the leak check.
STEADY_SECONDS = 60
STEADY_GROWTH_LIMIT = 0.05


def say(message):
    print(f"[prodcheck] {message}", flush=True)


class Report:
    def __init__(self):
        self.checks = []
        self.figures = {}

    def check(self, name, passed, detail=""):
        self.checks.append({"check": name, "passed": bool(passed), "detail": detail})
        say(f"{'ok  ' if passed else 'FAIL'} {name}{': ' + str(detail) if detail else ''}")
        return passed

    @property
    def passed(self):
        return all(c["passed"] for c in self.checks)

    def write(self, path):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps({"checks": self.checks, "figures": self.figures}, indent=2, default=str)
        )


class Check:
    def __init__(self, minutes):
        self.minutes = minutes
        self.report = Report()
        self.state = ROOT / ".prodcheck"
        shutil.rmtree(self.state, ignore_errors=True)
        (self.state / "logs").mkdir(parents=True)
        self.ports = {
            name: services.free_port()
            for name in (
                "https",
                "http",
                "web1",
                "web2",
                "moto",
                "gate",
                "smtp",
                "stripe",
                "stripe_gate",
            )
        }
        self.base = f"https://127.0.0.1:{self.ports['https']}"
        self.sink = None
        self.gate = None
        self.moto = None
        self.stripe = None
        self.stripe_gate = None
        self.topology = None

    # --- set-up ---------------------------------------------------------------------------

    def environment(self):
        p = self.ports
        env = prod.environment(self.state, s3=True, https_port=p["https"], http_port=p["http"])
        env.update(
            {
                "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
                "REDIS_URL": "redis://127.0.0.1:6379/2",
                "EMAIL_URL": f"smtp://127.0.0.1:{p['smtp']}",
                "EMAIL_TIMEOUT": "5",
                "DEFAULT_FROM_EMAIL": "reseau@prodcheck.example.org",
                "S3_ENDPOINT_URL": f"http://127.0.0.1:{p['gate']}",
                "S3_ENDPOINT_HOST": f"127.0.0.1:{p['gate']}",
                "DEMO_PASSWORD": PASSWORD,
                # The load's clients play many visitors through X-Forwarded-For: Caddy keeps it
                # from 127.0.0.1, and the app counts two proxies (the client's, then Caddy).
                "TRUSTED_PROXIES": "127.0.0.1/32",
                "RATE_LIMIT_PROXY_COUNT": "2",
                "WEB1_PORT": str(p["web1"]),
                "WEB2_PORT": str(p["web2"]),
                "APP_SERVERS": f"127.0.0.1:{p['web1']} 127.0.0.1:{p['web2']}",
                # Production as a network would run it: the anonymous page cache on.
                "PAGE_CACHE_SECONDS": "300",
                # Online payment against localstripe, behind a relay that plays Stripe's outage.
                "STRIPE_SECRET_KEY": STRIPE_SECRET_KEY,
                "STRIPE_PUBLISHABLE_KEY": STRIPE_PUBLISHABLE_KEY,
                "STRIPE_WEBHOOK_SECRET": STRIPE_WEBHOOK_SECRET,
                "STRIPE_API_BASE": f"http://127.0.0.1:{p['stripe_gate']}",
                "STRIPE_MAX_NETWORK_RETRIES": "0",
            }
        )
        return env

    def fresh_database(self, env):
        import psycopg

        with psycopg.connect(
            "postgres://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{DATABASE}"')
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()

    def set_up(self):
        env = self.environment()
        self.env = env
        self.fresh_database(env)
        self.sink = services.MailSink(self.ports["smtp"]).start()
        self.gate = services.Gate(self.ports["gate"], self.ports["moto"])
        self.moto = prod.start_s3(
            env,
            open(self.state / "logs" / "s3.log", "ab"),
            port=self.ports["moto"],
            relay=self.gate.start,
        )
        self.stripe = subprocess.Popen(
            [str(prod.BIN / "python"), "tests/stripe_server.py", str(self.ports["stripe"])],
            cwd=ROOT,
            stdout=open(self.state / "logs" / "stripe.log", "ab"),
            stderr=subprocess.STDOUT,
        )
        self.stripe_gate = services.Gate(self.ports["stripe_gate"], self.ports["stripe"]).start()
        started = time.monotonic()
        prod.prepare(env)
        fixtures = subprocess.run(
            [str(prod.BIN / "python"), "-m", "deploy.fixtures", PASSWORD],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        self.fixtures = json.loads(fixtures.stdout.strip().splitlines()[-1])
        self.report.figures["set_up_seconds"] = round(time.monotonic() - started)
        self.topology = Topology(env, self.state / "logs").start()
        self.ca = str(prod.local_ca(self.state))
        up = services.wait_until(self._healthy, timeout=90, interval=1)
        self.report.check("the topology starts and /health/ says ok through the proxy", up)
        if not up:
            raise SystemExit(self.finish())

    def _healthy(self):
        if not prod.local_ca(self.state).exists():
            return False
        try:
            response = traffic.Client(self.base, self.ca).get("/health/")
        except Exception:
            return False
        return response.status_code == 200 and response.json().get("status") == "ok"

    def client(self, address=None):
        return traffic.Client(self.base, self.ca, address=address)

    def app_server(self, name, address=None):
        return traffic.Client(
            f"http://127.0.0.1:{self.ports[name]}", address=address, forwarded_proto=True
        )

    # --- 1. every link and image ------------------------------------------------------------

    def crawl(self, limit=600):
        client = self.client()
        seen, queue, failures, images = set(), ["/"], [], 0
        skipped = ("/admin", "/documents/", "/espace-membre", "/jury", "/candidatures", "/django")
        while queue and len(seen) < limit:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = client.get(path)
            if response.status_code in (301, 302):
                queue.append(response.headers["Location"])
                continue
            kind = response.headers.get("Content-Type", "")
            if response.status_code != 200:
                failures.append((path, response.status_code))
                continue
            if kind.startswith("image/"):
                images += 1
            if not kind.startswith("text/html"):
                continue
            for link in traffic.links(response.text):
                if link.startswith(self.base):
                    link = link[len(self.base) :]
                if not link.startswith("/") or link.startswith("//") or "?" in link:
                    continue
                if link.startswith(skipped) or link in seen:
                    continue
                queue.append(link)
        self.report.figures["crawl"] = {"urls": len(seen), "images": images}
        self.report.check(
            f"every link and image of the demo site answers 200 ({len(seen)} addresses, "
            f"{images} images)",
            not failures and images > 0,
            failures[:10],
        )

    # --- 2. two app servers are one site -------------------------------------------------------

    def one_site(self):
        member = self.fixtures["members"][0]
        first = self.app_server("web1", address="10.9.0.1")
        response = first.login(traffic.LOGIN, member, PASSWORD)
        cookie = first.session.cookies.get("sessionid")
        second = self.app_server("web2", address="10.9.0.1")
        portal = second.get(traffic.PORTAL, headers={"Cookie": f"sessionid={cookie}"})
        self.report.check(
            "a session made on one app server is valid on the other",
            response.status_code == 302 and cookie and portal.status_code == 200,
            f"login {response.status_code}, portal on the other {portal.status_code}",
        )
        editor = self.app_server("web1", address="10.9.0.2")
        login = editor.login("/admin/login/", self.fixtures["moderator"], PASSWORD)
        admin_cookie = editor.session.cookies.get("sessionid")
        draft = self.fixtures["draft"]
        anonymous = self.app_server("web2", address="10.9.0.3")
        before = anonymous.get(draft["index"]).text
        path = f"/admin/bulk/wagtailcore/page/publish/?id={draft['id']}&next=/admin/"
        page, fields = editor.form(path)
        published = editor.post(path, fields)
        at = time.monotonic()
        shown = services.wait_until(
            lambda: draft["title"] in anonymous.get(draft["index"]).text, timeout=5, interval=0.05
        )
        delay = time.monotonic() - at
        self.report.check(
            "a page published through one app server shows on the other within a second",
            login.status_code == 302
            and published.status_code == 302
            and draft["title"] not in before
            and shown
            and delay <= 1.0,
            f"admin login {login.status_code}, publish {published.status_code}, "
            f"shown after {delay:.2f} s",
        )
        self.image_upload(editor, admin_cookie)

    def image_upload(self, editor, admin_cookie):
        png = (ROOT / "site/static/img").glob("*.png")
        image = next(iter(sorted(png)), None)
        content = image.read_bytes() if image else _tiny_png()
        title = "Contrôle de production : image partagée"
        page, fields = editor.form("/admin/images/add/")
        fields.update({"title": title})
        fields.pop("file", None)
        response = editor.post(
            "/admin/images/add/", fields, files={"file": ("controle.png", content, "image/png")}
        )
        image_id = _query(
            "SELECT id, file FROM wagtailimages_image WHERE title = %s ORDER BY id DESC", [title]
        )
        other = self.app_server("web2", address="10.9.0.2")
        served = None
        if image_id:
            pk, name = image_id[0]
            cookie = {"Cookie": f"sessionid={admin_cookie}"}
            listing = other.get(f"/admin/images/{pk}/", headers=cookie)
            served = self.client().get(f"/media/{name}")
        self.report.check(
            "an image uploaded through one app server is served through the other (S3)",
            response.status_code in (200, 302)
            and image_id
            and listing.status_code == 200
            and served is not None
            and served.status_code == 200
            and served.content == content,
            f"upload {response.status_code}, edit page on the other "
            f"{listing.status_code if image_id else '-'}, /media/ "
            f"{served.status_code if served is not None else '-'}",
        )

    # --- 3. load and faults --------------------------------------------------------------------

    def logged_in(self, emails, path):
        clients = []
        for index, email in enumerate(emails):
            client = self.client(address=f"10.8.0.{index + 1}")
            response = client.login(path, email, PASSWORD)
            if response.status_code == 302:
                clients.append(client)
        return clients

    def public_pages(self):
        sitemap = self.client().get("/sitemap.xml").text
        import re

        pages = [
            url[len(self.base) :] if url.startswith(self.base) else url
            for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)
        ]
        return [p for p in pages if p.startswith("/")] or ["/"]

    def load_with_faults(self):
        seconds = self.minutes * 60
        members = self.logged_in(self.fixtures["members"], traffic.LOGIN)
        jurors = self.logged_in(self.fixtures["jurors"], traffic.LOGIN)
        self.report.check(
            "members and jurors log in for the load",
            members and jurors,
            f"{len(members)} members, {len(jurors)} jurors",
        )
        pages = self.public_pages()
        # The first requests of each kind make a worker import what it had not yet and fill
        # its bounded caches: about 35 MB each, once (seen with memory sampled every 15 s). A
        # warm-up at full load comes first, so that the growth judged below is what the
        # measured run adds, as a leak would.
        say(f"warm-up: {WARM_UP_SECONDS} s of the same load, not judged")
        cold = self.worker_memory()
        traffic.Load(self.base, self.ca, pages, members, jurors, seed=2).run(WARM_UP_SECONDS)
        load = traffic.Load(self.base, self.ca, pages, members, jurors)
        self.windows = {}
        self.bulletins = []
        memory = {"cold": cold, "series": []}

        def faults():
            start = time.monotonic()

            def at(fraction):
                delay = start + fraction * seconds - time.monotonic()
                if delay > 0:
                    time.sleep(delay)

            memory["before"] = self.worker_memory()
            sampler = threading.Thread(target=self.sample_memory, args=(seconds, memory))
            sampler.start()
            submitter = threading.Thread(target=self.submit_bulletins, args=(seconds,))
            submitter.start()
            at(0.08)
            self.fault_postgresql()
            at(0.20)
            self.fault_redis()
            at(0.36)
            self.fault_smtp_down()
            at(0.40)
            self.fault_storage()
            at(0.48)
            self.fault_kill_app_server()
            at(0.64)
            self.fault_stripe()
            at(0.80)
            self.fault_smtp_up()
            at(0.97)
            memory["after"] = self.worker_memory()
            submitter.join()
            sampler.join()

        samples = load.run(seconds, during=faults)
        # A leak climbs for as long as the load lasts; a first time fills a worker once (the
        # first 503 page, the first Stripe or storage error, the mail queue), and during the
        # faults which worker meets which first time is chance: growth measured across them
        # was 6.6 % on one run and 12.7 % on the next. Once every path has been taken, more of
        # the same load shows a leak alone.
        say(f"steady load: {STEADY_SECONDS} s more, without faults (the leak check)")
        memory["steady_before"] = self.worker_memory()
        traffic.Load(self.base, self.ca, pages, members, jurors, seed=3).run(STEADY_SECONDS)
        memory["steady_after"] = self.worker_memory()
        self.judge_load(samples, memory)

    def worker_memory(self):
        """RSS in KiB of the workers of web2 (web1 is killed and restarted during the run)."""
        return {pid: rss_kib(pid) for pid in self.topology.worker_pids("ess-web2")}

    def sample_memory(self, seconds, memory, every=15):
        """Every `every` s, for the report: a leak climbs to the end, a cache levels off."""
        start = time.monotonic()
        while time.monotonic() - start < seconds * 0.95:
            time.sleep(every)
            memory["series"].append(
                [round(time.monotonic() - start), sum(self.worker_memory().values())]
            )

    def _window(self, name, start, end, **detail):
        self.windows[name] = {"start": start, "end": end, **detail}

    def fault_postgresql(self):
        start = time.monotonic()
        services.restart_postgresql()
        back = services.wait_until(services.postgresql_answers, timeout=60)
        # Requests that started during the outage may end a little after it.
        self._window("postgresql", start, time.monotonic() + 3, restarted=back)
        probe = self.client()
        recovered = services.wait_until(
            lambda: probe.get("/association/", rng=random.Random()).status_code == 200, 60
        )
        self.windows["postgresql"]["recovered_after_s"] = round(time.monotonic() - start, 1)
        self.report.check(
            "PostgreSQL restarted: service comes back by itself",
            back and recovered,
            f"{self.windows['postgresql']['recovered_after_s']} s",
        )

    def fault_redis(self):
        start = time.monotonic()
        services.stop_redis()
        time.sleep(20)
        services.start_redis()
        back = services.wait_until(services.redis_answers, timeout=30)
        self._window("redis", start, time.monotonic() + 2, restarted=back)
        self.report.check("Redis stopped for 20 s, then started again", back)

    def fault_smtp_down(self):
        self.smtp_down_at = time.monotonic()
        self.sink.stop()

    def fault_smtp_up(self):
        self.sink.start()
        self._window("smtp", self.smtp_down_at, time.monotonic())

    def fault_storage(self):
        start = time.monotonic()
        editor = self.client(address="10.9.1.1")
        editor.login("/admin/login/", self.fixtures["moderator"], PASSWORD)
        before = _query("SELECT count(*) FROM wagtailimages_image")[0][0]
        page, fields = editor.form("/admin/images/add/")
        fields.update({"title": "Envoyée pendant la panne du stockage"})
        fields.pop("file", None)
        self.gate.close()
        try:
            refused = editor.post(
                "/admin/images/add/",
                fields,
                files={"file": ("panne.png", _tiny_png(), "image/png")},
            )
        finally:
            time.sleep(5)
            self.gate.open()
        after = _query("SELECT count(*) FROM wagtailimages_image")[0][0]
        self._window("storage", start, time.monotonic())
        self.report.check(
            "object storage down: the upload is refused in French, nothing half-saved",
            refused.status_code == 503 and "stockage" in refused.text and after == before,
            f"answer {refused.status_code}, images {before} → {after}",
        )

    def fault_kill_app_server(self):
        start = time.monotonic()
        self.topology.kill_web1()
        time.sleep(15)
        self.topology.start_web1()
        up = services.wait_until(
            lambda: _answers(f"http://127.0.0.1:{self.ports['web1']}/health/"), timeout=60
        )
        self._window("app_server_killed", start, time.monotonic())
        self.report.check("one app server killed, then started again", up)

    def fault_stripe(self):
        """A member joins and pays by card while Stripe does not answer, then again once it
        does; the payment's webhook arrives first while Stripe is down, then twice after."""
        start = time.monotonic()
        client = self.client(address="10.9.2.1")
        response, fields = client.form(traffic.BULLETIN)
        fields.update(_bulletin(90, "Association payée par carte", "carte@prodcheck.example.org"))
        fields["dues-method"] = "card"
        self.stripe_gate.close()
        joined = client.post(traffic.BULLETIN, fields)
        pay_url = joined.headers.get("Location", "")
        page, pay_fields = client.form(pay_url)
        pay_fields["moyen"] = "card"
        refused = client.post(pay_url, pay_fields)
        self.stripe_gate.open()
        retried = client.post(pay_url, pay_fields)
        payment = _query(
            "SELECT p.id, p.stripe_payment_intent_id FROM members_payment p "
            "JOIN members_membership m ON m.id = p.membership_id "
            "JOIN members_organisation o ON o.id = m.organisation_id "
            "WHERE o.name = %s AND p.stripe_payment_intent_id IS NOT NULL",
            ["Association payée par carte"],
        )
        self.report.check(
            "Stripe down: the bulletin is kept and the payment page says to retry; "
            "the retry opens the payment",
            joined.status_code == 302
            and refused.status_code == 503
            and "ne répond pas" in refused.text
            and retried.status_code == 302
            and len(payment) == 1,
            f"bulletin {joined.status_code}, payment while down {refused.status_code}, "
            f"retry {retried.status_code}, payments opened {len(payment)}",
        )
        if len(payment) != 1:
            return
        payment_id, intent_id = payment[0]
        _pay_intent(f"http://127.0.0.1:{self.ports['stripe_gate']}", intent_id)
        body, signature = _signed_event("payment_intent.succeeded", intent_id)
        webhook = self.client(address="10.9.2.2")

        def deliver():
            return webhook.session.post(
                f"{self.base}/stripe/webhook/",
                data=body,
                headers={"Stripe-Signature": signature, "Content-Type": "application/json"},
                timeout=15,
            ).status_code

        self.stripe_gate.close()
        while_down = deliver()
        self.stripe_gate.open()
        later, again = deliver(), deliver()
        receipts = services.wait_until(
            lambda: (
                _query("SELECT count(*) FROM members_receipt WHERE payment_id = %s", [payment_id])[
                    0
                ][0]
                == 1
            ),
            timeout=60,
        )
        status = _query("SELECT status FROM members_payment WHERE id = %s", [payment_id])[0][0]
        self._window("stripe", start, time.monotonic())
        self.report.check(
            "a webhook delivered while Stripe is down is refused, then processed once",
            while_down == 503
            and later == 200
            and again == 200
            and status == "succeeded"
            and receipts,
            f"webhook while down {while_down}, later {later}, again {again}, "
            f"payment {status}, one receipt: {receipts}",
        )

    def submit_bulletins(self, seconds):
        """One valid bulletin every few seconds through the proxy, as a person would: tried
        again after a 503 or no answer, until accepted."""
        rng = random.Random(7)
        count = max(6, int(seconds / 12))
        for index in range(count):
            deadline = time.monotonic() + seconds / count
            email = f"bulletin-{index}@prodcheck.example.org"
            name = f"Association du contrôle n° {index}"
            client = self.client(address=traffic.random_address(rng))
            accepted = False
            for _attempt in range(30):
                try:
                    response, fields = client.form(traffic.BULLETIN)
                    if response.status_code == 200:
                        fields.update(_bulletin(index, name, email))
                        answer = client.post(traffic.BULLETIN, fields)
                        if answer.status_code == 302:
                            accepted = True
                            break
                except Exception:
                    pass
                time.sleep(2)
            self.bulletins.append({"name": name, "email": email, "accepted": accepted})
            time.sleep(max(0, deadline - time.monotonic()))

    def judge_load(self, samples, memory):
        summary = traffic.summarise(samples)
        self.report.figures["load"] = summary
        self.report.figures["faults"] = {
            name: {
                k: (round(v - self.load_origin(samples), 1) if k in ("start", "end") else v)
                for k, v in window.items()
            }
            for name, window in self.windows.items()
        }

        def within(sample, *names):
            """The request was in flight at some moment of one of these faults."""
            return any(
                sample.at <= self.windows[n]["end"]
                and sample.at + sample.seconds >= self.windows[n]["start"]
                for n in names
                if n in self.windows
            )

        server_errors = [s for s in samples if s.status == 500]
        outside = [
            s
            for s in samples
            if (s.status >= 500 or s.status == 0)
            and not within(s, "postgresql", "app_server_killed")
        ]
        during_pg = [s for s in samples if within(s, "postgresql") and s.status >= 500]
        not_french = [s for s in during_pg if s.status != 503 or FRENCH_503 not in s.body]
        killed = [
            s
            for s in samples
            if within(s, "app_server_killed") and (s.status >= 500 or not s.status)
        ]
        total = len(samples)
        self.report.figures["requests"] = total
        self.report.check(
            f"load: {total} requests, no 500 at all", not server_errors, len(server_errors)
        )
        origin = self.load_origin(samples)
        self.report.check(
            "no 5xx and no unanswered request outside the PostgreSQL restart and the killed server",
            not outside,
            [
                (s.scenario, s.status, round(s.at - origin, 1), s.served_by, s.body[:60])
                for s in outside[:10]
            ],
        )
        self.report.check(
            "during the PostgreSQL restart, every failure is the French 503",
            not not_french,
            f"{len(during_pg)} answered 503; others: "
            f"{[(s.scenario, s.status) for s in not_french[:5]]}",
        )
        self.report.check(
            "one app server killed: only requests in flight failed",
            len(killed) <= 50,
            f"{len(killed)} failed",
        )
        growth = _growth(memory)
        from_cold = _growth({"before": memory.get("cold"), "after": memory.get("after")})
        steady = _growth(
            {"before": memory.get("steady_before"), "after": memory.get("steady_after")}
        )
        self.report.figures["worker_memory_kib"] = memory
        self.report.check(
            f"no leak: {STEADY_SECONDS} s more of the same load after the faults grow the app "
            f"server workers' memory by less than {STEADY_GROWTH_LIMIT:.0%}",
            steady is not None and steady < STEADY_GROWTH_LIMIT,
            f"{steady:+.1%}" if steady is not None else "not measured",
        )
        self.report.figures["worker_memory_growth"] = {
            "during_faults": growth,
            "from_cold": from_cold,
            "steady_after_faults": steady,
        }
        for label, value in (("during the faults", growth), ("from before the warm-up", from_cold)):
            if value is not None:
                say(f"worker memory {label}: {value:+.1%}")

    def load_origin(self, samples):
        return min((s.at for s in samples), default=0)

    # --- 4. nothing lost -------------------------------------------------------------------

    def nothing_lost(self):
        accepted = [b for b in self.bulletins if b["accepted"]]
        self.report.check(
            "every bulletin sent during the run was accepted (after retries)",
            len(accepted) == len(self.bulletins) and accepted,
            f"{len(accepted)} of {len(self.bulletins)}",
        )
        names = [b["name"] for b in accepted]
        stored = {
            row[0]
            for row in _query("SELECT name FROM members_organisation WHERE name = ANY(%s)", [names])
        }
        self.report.check(
            "every accepted bulletin is in the database",
            stored == set(names),
            f"{len(stored)} of {len(names)}",
        )
        self.record_payments(names)
        receipts_done = services.wait_until(
            lambda: _count_receipts(names) == len(names), timeout=120, interval=2
        )
        numbers = [row[0] for row in _query("SELECT number FROM members_receipt ORDER BY number")]
        self.report.check(
            "a receipt for every payment, numbers used once with no gap",
            receipts_done and _consecutive(numbers),
            f"{len(numbers)} receipts, {_count_receipts(names)} of {len(names)} for this run",
        )
        emails = {b["email"] for b in accepted}
        # Confirmations and receipts, queued during the SMTP outage, are sent by the scheduler's
        # minute job once the sink is back.
        delivered = services.wait_until(
            lambda: self._mail_counts(emails)[0] >= 2 * len(emails), timeout=240, interval=3
        )
        total, duplicates = self._mail_counts(emails)
        queued = _query("SELECT count(*), count(sent_at) FROM operations_queuedmail")[0]
        self.report.figures["mail"] = {
            "to_bulletin_contacts": total,
            "queued_during_outage": queued[0],
            "sent_from_queue": queued[1],
        }
        self.report.check(
            "every e-mail reached the sink once (confirmation and receipt per bulletin)",
            delivered and not duplicates and total == 2 * len(emails),
            f"{total} for {len(emails)} bulletins, {queued[0]} queued during the outage, "
            f"duplicates: {duplicates[:5]}",
        )

    # --- 5. backup and restore -------------------------------------------------------------

    def backup_and_restore(self):
        """What an operator does after losing the server: back up (the site still running),
        lose everything (database dropped, both buckets emptied), restore, and find the same
        rows and the same receipt files."""
        folder = self.state / "backup-check"
        manage = [str(prod.BIN / "python"), "manage.py"]
        backup = subprocess.run(
            [*manage, "backup", "--output", str(folder)], cwd=ROOT, env=self.env,
            capture_output=True, text=True,
        )  # fmt: skip
        tables = ("members_organisation", "members_payment", "members_receipt",
                  "wagtailcore_page", "wagtailimages_image", "operations_queuedmail")  # fmt: skip
        before = {table: _query(f"SELECT count(*) FROM {table}")[0][0] for table in tables}
        receipts = self._receipt_files()
        self.topology.stop()
        self.fresh_database(self.env)
        self._empty_buckets()
        emptied = _query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")[0][0]
        restore = subprocess.run(
            [*manage, "restore", str(folder), "--yes"], cwd=ROOT, env=self.env,
            capture_output=True, text=True,
        )  # fmt: skip
        after = {table: _query(f"SELECT count(*) FROM {table}")[0][0] for table in tables}
        restored = self._receipt_files()
        self.report.figures["backup"] = {"rows": before, "receipt_files": len(receipts)}
        self.report.check(
            "backup, lose everything, restore: the same rows and the same receipt files",
            backup.returncode == 0
            and emptied == 0
            and restore.returncode == 0
            and after == before
            and receipts
            and restored == receipts,
            f"backup {backup.returncode}, restore {restore.returncode}, rows {after == before}, "
            f"{len(restored)} of {len(receipts)} receipt files identical"
            + (f": {(backup.stderr + restore.stderr)[-300:]}" if backup.returncode else ""),
        )

    def _s3(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.env["S3_ENDPOINT_URL"],
            region_name=self.env["S3_REGION"],
            aws_access_key_id=self.env["S3_ACCESS_KEY_ID"],
            aws_secret_access_key=self.env["S3_SECRET_ACCESS_KEY"],
        )

    def _receipt_files(self):
        """{name: sha256} of the receipts in the private bucket."""
        import hashlib

        s3, bucket = self._s3(), self.env["S3_PRIVATE_BUCKET"]
        files = {}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="receipts/"):
            for item in page.get("Contents", []):
                body = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
                files[item["Key"]] = hashlib.sha256(body).hexdigest()
        return files

    def _empty_buckets(self):
        s3 = self._s3()
        for bucket in (self.env["S3_MEDIA_BUCKET"], self.env["S3_PRIVATE_BUCKET"]):
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
                for item in page.get("Contents", []):
                    s3.delete_object(Bucket=bucket, Key=item["Key"])

    def _mail_counts(self, emails):
        seen, duplicates, total = set(), [], 0
        for recipients, message in self.sink.received():
            if not emails.intersection(recipients):
                continue
            total += 1
            key = message["Message-ID"]
            if key in seen:
                duplicates.append(key)
            seen.add(key)
        return total, duplicates

    def record_payments(self, names):
        """Staff record the transfers of the accepted bulletins (the treasurer's daily work)."""
        code = (
            "from members.models import Payment\n"
            "from members.services import confirm_payment\n"
            f"names = {names!r}\n"
            "for p in Payment.objects.filter(membership__organisation__name__in=names):\n"
            "    confirm_payment(p.pk)\n"
        )
        subprocess.run(
            [str(prod.BIN / "python"), "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )

    # --- run ---------------------------------------------------------------------------------

    def run(self):
        try:
            self.set_up()
            self.crawl()
            self.one_site()
            self.load_with_faults()
            self.nothing_lost()
            self.backup_and_restore()
        finally:
            code = self.finish()
        return code

    def finish(self):
        if self.topology is not None:
            self.topology.stop()
        if self.moto is not None:
            self.moto.terminate()
        if self.sink is not None:
            self.sink.stop()
        if self.stripe is not None:
            self.stripe.terminate()
        self.report.write(ROOT / "test-artifacts" / "prodcheck.json")
        say("passed" if self.report.passed else "FAILED (see above and .prodcheck/logs/)")
        return 0 if self.report.passed else 1


def _query(sql, params=None):
    import psycopg

    with psycopg.connect(f"postgres://postgres@127.0.0.1:5432/{DATABASE}") as connection:
        return connection.execute(sql, params or []).fetchall()


def _count_receipts(names):
    return _query(
        "SELECT count(*) FROM members_receipt r JOIN members_payment p ON p.id = r.payment_id "
        "JOIN members_membership m ON m.id = p.membership_id "
        "JOIN members_organisation o ON o.id = m.organisation_id WHERE o.name = ANY(%s)",
        [names],
    )[0][0]


def _consecutive(numbers):
    """Receipt numbers are YEAR-NNNN: per year, 1..n with none twice and none missing."""
    by_year = {}
    for number in numbers:
        year, _, sequence = number.rpartition("-")
        by_year.setdefault(year, []).append(int(sequence))
    return bool(numbers) and all(
        sorted(values) == list(range(1, len(values) + 1)) for values in by_year.values()
    )


def _growth(memory):
    before, after = memory.get("before") or {}, memory.get("after") or {}
    common = set(before) & set(after)
    if not common:
        return None
    return sum(after[p] for p in common) / sum(before[p] for p in common) - 1


def _answers(url):
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except Exception:
        return False


def _bulletin(index, name, email):
    return {
        "org-name": name,
        "org-legal_form": "association",
        "org-rna": f"W44{9000000 + index:07d}",
        "org-siret": "",
        "org-address": f"{index + 1} rue du Contrôle",
        "org-postal_code": "44000",
        "org-city": "Nantes",
        "org-departement": "44",
        "org-employees": "3",
        "org-volunteers": "12",
        "org-budget_bracket": "200000",
        "contact-first_name": "Camille",
        "contact-last_name": f"Contrôle {index}",
        "contact-email": email,
        "contact-phone": "02 40 00 00 00",
        "contact-role": "president",
        "contact-password1": PASSWORD,
        "contact-password2": PASSWORD,
        "dues-tier_choice": "computed",
        "dues-free_amount": "",
        "dues-method": "transfer",
        "dues-accept_statutes": "on",
        "dues-accept_privacy": "on",
    }


def _pay_intent(api_base, intent_id):
    """What Stripe.js does in the member's browser: attach a test card, confirm."""
    import stripe

    client = stripe.StripeClient(STRIPE_SECRET_KEY, base_addresses={"api": api_base})
    method = client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"},
        }
    )
    client.v1.payment_intents.update(intent_id, params={"payment_method": method.id})
    client.v1.payment_intents.confirm(intent_id)


def _signed_event(event_type, intent_id):
    """An event as Stripe sends it: signed with the webhook secret (HMAC-SHA256)."""
    import hashlib
    import hmac

    timestamp = int(time.time())
    payload = json.dumps(
        {
            "id": f"evt_prodcheck_{intent_id}",
            "object": "event",
            "type": event_type,
            "created": timestamp,
            "data": {"object": {"id": intent_id, "object": "payment_intent"}},
        }
    ).encode()
    digest = hmac.new(
        STRIPE_WEBHOOK_SECRET.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return payload, f"t={timestamp},v1={digest}"


def _tiny_png():
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )


def main():
    minutes = float(os.environ.get("PRODCHECK_MINUTES", "3"))
    return Check(minutes).run()


if __name__ == "__main__":
    sys.exit(main())
