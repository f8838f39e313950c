"""The visitors of `make prodcheck`: an HTTPS client of the topology, and the load.

Each load client is a thread with its own session; anonymous requests come from a new address
each time (X-Forwarded-For, kept by Caddy because the check trusts 127.0.0.1 as a proxy), so that
the per-address rate limits treat them as the many visitors they stand for. Logged-in clients
(members, jurors) keep one address and their session.
"""

import random
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urljoin, urlsplit

import requests

SEARCH_WORDS = ["association", "emploi", "prix", "bénévolat", "jardin", "solidarité", "insertion"]
BULLETIN = "/adherer/bulletin/"
LOGIN = "/espace-membre/connexion/"
PORTAL = "/espace-membre/"
JURY = "/jury/"


def random_address(rng):
    return f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


class Client:
    """A browser-like session on one origin (the proxy, or one app server directly)."""

    def __init__(self, base, ca=None, address=None, forwarded_proto=False, timeout=15):
        self.base = base.rstrip("/")
        self.session = requests.Session()
        # Only this client's settings: REQUESTS_CA_BUNDLE or a proxy from the environment would
        # override the local CA, or send 127.0.0.1's traffic elsewhere.
        self.session.trust_env = False
        self.session.verify = ca if ca else False
        self.address = address
        self.timeout = timeout
        # Straight to an app server (no proxy): say the request came over HTTPS, as Caddy does,
        # and send the Secure cookies over this plain connection as the browser does over TLS.
        self.forwarded_proto = forwarded_proto

    def _headers(self, extra=None, rng=None):
        headers = {"User-Agent": "prodcheck"}
        address = self.address or (random_address(rng) if rng else None)
        if address:
            headers["X-Forwarded-For"] = address
        if self.forwarded_proto:
            headers["X-Forwarded-Proto"] = "https"
        headers.update(extra or {})
        return headers

    def _unsecure_cookies(self, response):
        """requests keeps a Secure cookie from plain HTTP: it is the TLS of the proxy that the
        app server believes in (X-Forwarded-Proto), so the cookies must go back the same way."""
        if self.forwarded_proto:
            for cookie in self.session.cookies:
                cookie.secure = False
        return response

    def get(self, path, rng=None, **kwargs):
        return self._unsecure_cookies(self._get(path, rng, **kwargs))

    def _get(self, path, rng=None, **kwargs):
        return self.session.get(
            urljoin(self.base + "/", path.lstrip("/")),
            headers=self._headers(kwargs.pop("headers", None), rng),
            timeout=self.timeout,
            allow_redirects=kwargs.pop("allow_redirects", False),
            **kwargs,
        )

    def post(self, path, data, rng=None, files=None, referer=None):
        url = urljoin(self.base + "/", path.lstrip("/"))
        origin = "https://" + urlsplit(self.base).netloc
        headers = {"Referer": referer or url, "Origin": origin}
        response = self.session.post(
            url,
            data=data,
            files=files,
            headers=self._headers(headers, rng),
            timeout=self.timeout,
            allow_redirects=False,
        )
        return self._unsecure_cookies(response)

    def form(self, path, rng=None):
        """GET a page and return (response, its form's fields with their values)."""
        response = self.get(path, rng=rng)
        return response, form_fields(response.text)

    def login(self, path, email, password):
        response, fields = self.form(path)
        fields.update({"username": email, "password": password})
        return self.post(path, fields)


def form_fields(html):
    """The named inputs of a page's forms with their values (hidden ones included)."""
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        name = re.search(r'\bname="([^"]+)"', tag)
        if not name:
            continue
        kind = (re.search(r'\btype="([^"]+)"', tag) or [None, "text"])[1]
        if kind in {"checkbox", "radio"} and "checked" not in tag:
            continue
        value = re.search(r'\bvalue="([^"]*)"', tag)
        fields[name.group(1)] = unescape(value.group(1)) if value else ""
    return fields


def links(html):
    """Every address a page links to or loads: href, src and each candidate of a srcset."""
    found = {unescape(m) for m in re.findall(r'\b(?:href|src)="([^"#]+)"', html)}
    for srcset in re.findall(r'\bsrcset="([^"]+)"', html):
        found.update(unescape(part.split()[0]) for part in srcset.split(",") if part.strip())
    return found


@dataclass
class Sample:
    scenario: str
    status: int  # 0: no answer (refused, reset, timed out)
    seconds: float
    at: float
    body: str = ""
    # Of a failure: who answered (Caddy alone, its static page, or Caddy and gunicorn) and the
    # request id, to find the request in the app servers' logs.
    served_by: str = ""


@dataclass
class Recorder:
    samples: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample):
        with self.lock:
            self.samples.append(sample)

    def timed(self, scenario, call):
        started = time.monotonic()
        try:
            response = call()
        except requests.RequestException:
            self.add(Sample(scenario, 0, time.monotonic() - started, started))
            return None
        body, served_by = "", ""
        if response.status_code >= 500:
            body = response.text[:4000]
            headers = response.headers
            served_by = f"{headers.get('Server', '?')} {headers.get('X-Request-Id', '-')}"
        seconds = time.monotonic() - started
        self.add(Sample(scenario, response.status_code, seconds, started, body, served_by))
        return response


class Load:
    """`clients` threads for `seconds`, each looping over the weighted scenarios."""

    def __init__(self, base, ca, public_pages, members, jurors, clients=50, seed=1):
        self.base, self.ca = base, ca
        self.public_pages = public_pages
        self.members, self.jurors = members, jurors  # lists of logged-in Clients
        self.clients = clients
        self.recorder = Recorder()
        self.stop = threading.Event()
        self.seed = seed
        self.scenarios = [
            (45, self.public_page),
            (12, self.search),
            (10, self.bulletin_get),
            (6, self.bulletin_invalid_post),
            (7, self.login_page),
            (12, self.member_portal),
            (8, self.jury_home),
        ]

    def public_page(self, client, rng):
        self.recorder.timed("page", lambda: client.get(rng.choice(self.public_pages), rng=rng))

    def search(self, client, rng):
        query = rng.choice(SEARCH_WORDS)
        self.recorder.timed("search", lambda: client.get(f"/recherche/?q={query}", rng=rng))

    def bulletin_get(self, client, rng):
        self.recorder.timed("bulletin", lambda: client.get(BULLETIN, rng=rng))

    def bulletin_invalid_post(self, client, rng):
        address = random_address(rng)
        client.address = address  # one visitor: the GET and its POST from the same place
        try:
            response = self.recorder.timed("bulletin", lambda: client.get(BULLETIN))
            if response is None or response.status_code != 200:
                return
            fields = form_fields(response.text)
            fields["org-name"] = "Association incomplète"  # and nothing else: refused
            self.recorder.timed("bulletin-invalid", lambda: client.post(BULLETIN, fields))
        finally:
            client.address = None

    def login_page(self, client, rng):
        self.recorder.timed("login", lambda: client.get(LOGIN, rng=rng))

    def member_portal(self, client, rng):
        member = rng.choice(self.members)
        self.recorder.timed("portal", lambda: member.get(PORTAL))

    def jury_home(self, client, rng):
        juror = rng.choice(self.jurors)
        self.recorder.timed("jury", lambda: juror.get(JURY))

    def _run(self, index):
        rng = random.Random(self.seed * 1000 + index)
        client = Client(self.base, self.ca)
        weights = [weight for weight, _ in self.scenarios]
        actions = [action for _, action in self.scenarios]
        while not self.stop.is_set():
            rng.choices(actions, weights)[0](client, rng)

    def run(self, seconds, during=None):
        """Runs the load for `seconds`; `during()` (the faults) runs meanwhile in this thread."""
        threads = [
            threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(self.clients)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        if during is not None:
            during()
        remaining = seconds - (time.monotonic() - started)
        if remaining > 0:
            self.stop.wait(remaining)
        self.stop.set()
        for thread in threads:
            thread.join(timeout=30)
        return self.recorder.samples


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summarise(samples):
    by_scenario = defaultdict(list)
    for sample in samples:
        by_scenario[sample.scenario].append(sample)
    summary = {}
    for scenario, group in sorted(by_scenario.items()):
        times = [s.seconds for s in group if s.status]
        statuses = defaultdict(int)
        for s in group:
            statuses[s.status] += 1
        summary[scenario] = {
            "requests": len(group),
            "p50_ms": round(1000 * percentile(times, 0.5), 1) if times else None,
            "p99_ms": round(1000 * percentile(times, 0.99), 1) if times else None,
            "statuses": dict(sorted(statuses.items())),
        }
    return summary
