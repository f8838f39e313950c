"""Production settings: refuse to start without secrets, and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env_overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DEBUG",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for the browser tests only
        }
    }
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def check_deploy(**env_overrides):
    """`manage.py check --deploy --fail-level WARNING` with the values production requires, and
    `env_overrides`."""
    return run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="reseau-ess.example.org",
        **env_overrides,
    )


def test_check_deploy_is_clean_with_production_values():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", ALLOWED_HOSTS="reseau-ess.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_manage("check", SECRET_KEY="court", ALLOWED_HOSTS="reseau-ess.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_requires_allowed_hosts():
    result = run_manage("check", SECRET_KEY=secrets.token_urlsafe(64))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_check_deploy_warns_about_a_page_cache_without_redis():
    result = check_deploy(PAGE_CACHE_SECONDS="300")
    assert result.returncode != 0
    assert "home.W001" in result.stderr + result.stdout


def test_production_stores_passwords_with_pbkdf2_sha256_and_enough_iterations():
    # ASVS 2.4.1 (and OWASP's password storage sheet): PBKDF2-HMAC-SHA256 with at least
    # 600,000 iterations; the test settings use a fast hasher, so read the production ones.
    result = run_manage(
        "shell",
        "-c",
        "from django.contrib.auth.hashers import get_hasher; h = get_hasher(); "
        "print('hasher', h.algorithm, h.iterations)",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="reseau-ess.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # `shell` may print its own lines (auto-imports) before ours.
    line = next(line for line in result.stdout.splitlines() if line.startswith("hasher "))
    _, algorithm, iterations = line.split()
    assert algorithm == "pbkdf2_sha256"
    assert int(iterations) >= 600_000


def production_value(expression, **env_overrides):
    """`expression` evaluated in the production settings (manage.py shell -c), as text."""
    result = run_manage(
        "shell",
        "-c",
        f"from django.conf import settings; print({expression})",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="reseau-ess.example.org",
        **env_overrides,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]  # after the shell's « objects imported »


def test_the_page_cache_is_on_with_redis_and_off_without():
    """With Redis (production), whole anonymous pages are cached, and content in each process
    stands in front of Redis; without it, each process would keep its own pages: off."""
    redis = {"REDIS_URL": "redis://127.0.0.1:6379/9"}
    assert production_value("settings.PAGE_CACHE_SECONDS", **redis) == "300"
    backend = "settings.CACHES['content']['BACKEND']"
    assert production_value(backend, **redis) == "home.cache_backends.LayeredCache"
    engine = "settings.SESSION_ENGINE"
    assert production_value(engine, **redis) == "django.contrib.sessions.backends.cached_db"
    env_without = {"REDIS_URL": ""}
    assert production_value("settings.PAGE_CACHE_SECONDS", **env_without) == "0"
    assert production_value(engine, **env_without) == "django.contrib.sessions.backends.db"


def test_an_app_server_loads_neither_stripe_nor_reportlab_before_it_needs_them():
    """Stripe's SDK (with its HTTP client) and reportlab weigh about 13 MB in each worker that
    serves pages, the portal and the jury; they are imported by the payment and PDF code on
    first use (members/stripe_gateway.py, the callers of the *pdf.py modules)."""
    script = (
        "import sys, django; django.setup();"
        "from config.wsgi import application;"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'stripe', 'reportlab'}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="reseau-ess.example.org",
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
