"""The production topology in the bench: requests per second through Caddy (HTTPS, deploy/
Caddyfile) in front of one app server, then of two, beside the same app server reached directly,
on the same site and in the same run.

On a 2-core machine a second app server brings no CPU the first did not have (and the load
client shares those cores too): the ratios say what the proxy, TLS and the load balancing cost,
not how far the site scales on more machines.
"""

import contextlib
import http.client
import os
import shutil
import ssl
import subprocess
import time
from pathlib import Path

from deploy.prod import local_ca

from .load import TIMEOUT_SECONDS, run_load
from .prepare import REPO
from .servers import Server, ServerFailed, free_port, running

PATHS = ["/", "/association/"]


def _caddy_env(site, workdir, https_port, app_servers):
    return {
        **os.environ,
        "SITE_ADDRESS": f"https://127.0.0.1:{https_port}",
        "PROD_STATE_DIR": str(_proxy_state(workdir)),
        "PROD_HTTPS_PORT": str(https_port),
        "PROD_HTTP_PORT": str(free_port()),
        "STATIC_ROOT": site.env["STATIC_ROOT"],
        "MEDIA_ROOT": site.env["MEDIA_ROOT"],
        "MEDIA_MODE": "filesystem",
        "APP_SERVERS": " ".join(f"127.0.0.1:{server.port}" for server in app_servers),
        "CADDY_LOCAL_CERTS": "local_certs",
        "CADDY_SKIP_INSTALL_TRUST": "skip_install_trust",
    }


def _proxy_state(workdir):
    """Caddy's PROD_STATE_DIR: its certificates, and the static 503 page it would show."""
    return workdir / "proxy"


@contextlib.contextmanager
def caddy(site, workdir, app_servers):
    https_port = free_port()
    env = _caddy_env(site, workdir, https_port, app_servers)
    log = (workdir / "caddy.log").open("ab")
    process = subprocess.Popen(
        ["caddy", "run", "--config", str(REPO / "deploy/Caddyfile"), "--adapter", "caddyfile"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        connect = _wait_https(local_ca(_proxy_state(workdir)), https_port, process)
        yield https_port, connect
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        if process.poll() is None:
            process.kill()
        log.close()


def _wait_https(ca: Path, port: int, process):
    """The connection factory, once Caddy answers /health/ 200 over its own TLS."""
    deadline = time.monotonic() + 60
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerFailed("caddy exited early (see caddy.log in the bench folder)")
        if ca.exists():
            context = ssl.create_default_context(cafile=str(ca))

            def connect(context=context):
                return http.client.HTTPSConnection(
                    "127.0.0.1", port, context=context, timeout=TIMEOUT_SECONDS
                )

            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = connect()
                conn.request("GET", "/health/")
                response = conn.getresponse()
                body = response.read()
                conn.close()
                if response.status == 200:
                    return connect
                last = f"{response.status} {body[:300]!r}"
        time.sleep(0.3)
    raise ServerFailed(f"caddy did not answer /health/ 200 over HTTPS within 60 s (last: {last})")


def run_in(site, workdir, args, say=print) -> dict:
    if shutil.which("caddy") is None:
        return {"error": "Caddy is not installed (apt-get install caddy): topology not measured"}
    env = site.env_with(PAGE_CACHE_SECONDS="0")
    first = Server("topology app 1", "config.wsgi:application", env, workdir)
    second = Server("topology app 2", "config.wsgi:application", env, workdir)
    rows = []

    def measure(label, servers, port, connect=None):
        for path in PATHS:
            say(f"  load {label} {path}")
            result = run_load(
                f"{label} {path}",
                port,
                path,
                args.concurrency,
                args.requests,
                args.seconds,
                connect=connect,
            )
            rows.append({"setup": label, "app_servers": servers, **result.as_dict()})

    with running(first, ready_path="/health/"), running(second, ready_path="/health/"):
        measure("direct", 1, first.port)
        for servers in ([first], [first, second]):
            with caddy(site, workdir, servers) as (port, connect):
                measure(f"caddy + {len(servers)}", len(servers), port, connect)
    return {"rows": rows}


def render(figures: dict) -> str:
    if "error" in figures:
        return f"Topology: {figures['error']}"
    lines = [
        "Topology (page cache off): one app server reached directly, then through Caddy (HTTPS)",
        "with one and with two app servers. On 2 cores the ratios show what the proxy, TLS and",
        "the balancing cost, not how far the site scales on more machines.",
        f"{'setup':<12} {'path':<16} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}",
    ]
    for row in figures["rows"]:
        lines.append(
            f"{row['setup']:<12} {row['path']:<16} {row['requests_per_second']:>8} "
            f"{row['p50_ms']:>8} {row['p99_ms']:>8} {row['errors']:>7}"
        )
    by_setup = {}
    for row in figures["rows"]:
        by_setup.setdefault(row["setup"], {})[row["path"]] = row["requests_per_second"]
    if {"direct", "caddy + 1", "caddy + 2"} <= set(by_setup):
        for path in PATHS:
            base = by_setup["direct"].get(path) or 1
            lines.append(
                f"  {path}: through Caddy {by_setup['caddy + 1'][path] / base:.0%} of direct, "
                f"two app servers {by_setup['caddy + 2'][path] / base:.0%}"
            )
    return "\n".join(lines)
