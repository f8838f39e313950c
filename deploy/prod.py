"""`make prod`: the production topology on this machine, from the repository's own files.

    python -m deploy.prod [--s3]

1. checks that PostgreSQL and Redis answer (127.0.0.1:5432 and :6379, as on CI) and creates the
   database `ess_prod` if it is missing;
2. with --s3, starts moto's S3 server on 127.0.0.1:9000 and creates the two buckets (public
   media, private files): moto keeps its objects in memory, so S3 mode is for trying and for
   `make prodcheck`, not for keeping a site;
3. prepares the site with the production settings: collectstatic, migrate, the demo content when
   the database is empty, an admin account, the static 503 page the proxy shows when no app server
   answers;
4. runs deploy/Procfile with honcho: Caddy on https://127.0.0.1:8443 (its own local CA), two
   gunicorn servers on 127.0.0.1:8001 and :8002, the task worker and the scheduler.

Everything it writes lives in .prod/ (git-ignored): the generated SECRET_KEY, Caddy's CA and
certificates, media and private files of filesystem mode. Every setting it chooses can be
overridden from the environment (DATABASE_URL, REDIS_URL, EMAIL_URL, STRIPE_*, …).
"""

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PROCFILE = ROOT / "deploy" / "Procfile"
PROCESSES = ("proxy", "web1", "web2", "worker", "scheduler")
S3_PORT = 9000
MEDIA_BUCKET = "ess-media"
PRIVATE_BUCKET = "ess-private"
# moto accepts any key; a real provider's keys come from the environment.
S3_TEST_KEY = "prod-local-key"
S3_REGION = "eu-west-3"


def say(message):
    print(f"[prod] {message}", flush=True)


def local_ca(state):
    """The root certificate of Caddy's internal CA, under the state folder it is given as
    PROD_STATE_DIR (deploy/Caddyfile: `storage file_system {$PROD_STATE_DIR}/caddy`)."""
    return Path(state) / "caddy" / "pki" / "authorities" / "local" / "root.crt"


def secret_key(state):
    """Made once and kept: sessions and signed links survive a restart."""
    path = state / "secret_key"
    if not path.exists():
        # Created readable by its owner only, never for a moment by others.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


def environment(state, *, s3=False, https_port=8443, http_port=8080, base=None):
    """The environment of every process of the topology."""
    env = dict(base if base is not None else os.environ)
    origin = f"https://127.0.0.1:{https_port}"
    defaults = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secret_key(state),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": f"{origin},https://localhost:{https_port}",
        "BASE_URL": origin,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/ess_prod",
        "REDIS_URL": "redis://127.0.0.1:6379/1",
        "STATIC_ROOT": str(ROOT / "staticfiles"),
        "MEDIA_ROOT": str(state / "media"),
        "PRIVATE_MEDIA_ROOT": str(state / "private-media"),
        "BACKUP_DIR": str(state / "backups"),
        # A year of HSTS for 127.0.0.1 would pin `make run` (plain HTTP on the same host) to
        # HTTPS in the browser: a real host keeps production's default.
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_HSTS_PRELOAD": "false",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "false",
        # Caddy appends the client's address to X-Forwarded-For.
        "RATE_LIMIT_PROXY_COUNT": "1",
        "PROD_STATE_DIR": str(state),
        "PROD_HTTPS_PORT": str(https_port),
        "PROD_HTTP_PORT": str(http_port),
        "SITE_ADDRESS": f"{origin}, https://localhost:{https_port}",
        "MEDIA_MODE": "s3" if s3 else "filesystem",
        "CADDY_LOCAL_CERTS": "local_certs",
        "CADDY_SKIP_INSTALL_TRUST": "skip_install_trust",
    }
    if s3:
        defaults.update(
            {
                "S3_ENDPOINT_URL": f"http://127.0.0.1:{S3_PORT}",
                "S3_ENDPOINT_HOST": f"127.0.0.1:{S3_PORT}",
                "S3_REGION": S3_REGION,
                "S3_ACCESS_KEY_ID": S3_TEST_KEY,
                "S3_SECRET_ACCESS_KEY": S3_TEST_KEY,
                "S3_MEDIA_BUCKET": MEDIA_BUCKET,
                "S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
                # Caddy forwards /media/ to the media bucket (deploy/media-s3.caddy).
                "S3_MEDIA_URL": "/media/",
            }
        )
    for name, value in defaults.items():
        env.setdefault(name, value)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def wait_for(check, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    sys.exit(f"[prod] {what} does not answer after {timeout} s.")


def ensure_database(env):
    """PostgreSQL must run (as on CI); the database is created when missing."""
    import psycopg

    url = urllib.parse.urlsplit(env["DATABASE_URL"])
    if url.scheme not in {"postgres", "postgresql"}:
        return
    name = url.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(url._replace(path="/postgres"))
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                say(f"creating the database {name}")
                connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        sys.exit(
            f"[prod] PostgreSQL does not answer at {url.hostname}:{url.port or 5432} ({error}).\n"
            "       Start it (Debian: pg_ctlcluster <version> main start) or set DATABASE_URL."
        )


def ensure_redis(env):
    import redis

    try:
        redis.Redis.from_url(env["REDIS_URL"], socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        sys.exit(
            f"[prod] Redis does not answer at {env['REDIS_URL']} ({error}).\n"
            "       Start it (redis-server --daemonize yes) or set REDIS_URL."
        )


def start_s3(env, log, port=S3_PORT, relay=None):
    """moto's S3 server on `port` (`prepare` creates the buckets). S3_ENDPOINT_URL may name a
    relay in front of it, started by `relay()`: `make prodcheck` cuts it to play an outage."""
    process = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def answers():
        try:
            urllib.request.urlopen(env["S3_ENDPOINT_URL"], timeout=1)
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False
        return True

    if relay is not None:
        relay()
    wait_for(answers, "moto's S3 server")
    return process


def manage(env, *args):
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(env):
    """What a deployment runs before starting the servers; each step is idempotent."""
    for folder in ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"):
        Path(env[folder]).mkdir(parents=True, exist_ok=True)
    say("collectstatic")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    say("migrate")
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    if env.get("S3_MEDIA_BUCKET"):
        manage(env, "create_storage_buckets")
    say("demo content (only into an empty database)")
    for loader in (
        "load_demo_content",
        "load_demo_members",
        "load_demo_volunteering",
        "load_demo_awards",
        "load_demo_legal",
        "load_demo_impact",
    ):
        manage(env, loader, "--if-empty")
    manage(env, "ensure_admin")
    manage(env, "render_error_pages", "--output", str(Path(env["PROD_STATE_DIR"]) / "errors"))


def serve(env, processes=PROCESSES):
    """honcho in the foreground; Ctrl+C stops every process."""
    honcho = [str(BIN / "honcho"), "start", "--no-prefix", "-f", str(PROCFILE), *processes]
    if shutil.which("caddy", path=env["PATH"]) is None:
        sys.exit("[prod] Caddy is missing: apt-get install caddy (Debian's package).")
    say(f"serving https://127.0.0.1:{env['PROD_HTTPS_PORT']}/ (Ctrl+C stops everything)")
    ca = local_ca(env["PROD_STATE_DIR"])
    say(f"the local CA's certificate (for curl --cacert, or a browser): {ca}")
    return subprocess.call(honcho, cwd=ROOT, env=env)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--s3", action="store_true", help="media and private files on moto's S3")
    parser.add_argument("--https-port", type=int, default=8443)
    parser.add_argument("--prepare-only", action="store_true", help="set up, do not serve")
    options = parser.parse_args(argv)
    state = ROOT / ".prod"
    state.mkdir(exist_ok=True)
    env = environment(state, s3=options.s3, https_port=options.https_port)
    ensure_database(env)
    ensure_redis(env)
    moto = None
    if options.s3:
        moto = start_s3(env, open(state / "s3.log", "ab"))
    try:
        prepare(env)
        if options.prepare_only:
            return 0
        return serve(env)
    finally:
        if moto is not None:
            moto.terminate()
            moto.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
