"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against live_server.

No browser is downloaded: CHROMIUM_PATH (default /usr/bin/chromium) must exist, and the tests
fail, not skip, when it does not (`.ci/run` installs it with apt-get).
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: apt-get install chromium"
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def demo_server(live_server):
    """The demo content served by a live server; returns its base URL.

    The live server needs committed data, so these tests are transactional: the database is
    flushed after each, and tests/conftest.py reloads what the migrations made before the next.
    """
    call_command("load_demo_content", verbosity=0)
    return live_server.url


IMPACTS = ["minor", "moderate", "serious", "critical"]


@pytest.fixture
def axe():
    """Run axe-core in the page; return the violations of impact `min_impact` or above
    (moderate by default: only « minor » findings are left aside)."""
    source = AXE_JS.read_text()

    def run(page, min_impact="moderate"):
        kept = IMPACTS[IMPACTS.index(min_impact) :]
        # Evaluated through the DevTools protocol, so the page's CSP (no inline script) stays on.
        page.evaluate(source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
            if v["impact"] in kept
        ]

    return run


@pytest.fixture
def screenshot():
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def _local_only(route):
    """Tests send no traffic beyond 127.0.0.1: other hosts (js.stripe.com…) are refused."""
    from urllib.parse import urlsplit

    if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        route.abort("blockedbyclient")


@pytest.fixture
def context(context):
    context.route("**/*", _local_only)
    return context


def sign_in_to_admin(page, base_url, username, password):
    """Staff sign in to the admin as they do every day: the password, then the code their
    authenticator app shows. They enrolled before the test (a confirmed TOTP device, made here
    if they have none); the code is computed from that device's key, as the app does."""
    import re

    from django.contrib.auth import get_user_model

    from tests.conftest import enrolled_totp_device, fresh_totp_code

    device = enrolled_totp_device(get_user_model().objects.get_by_natural_key(username))
    page.goto(base_url + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/2fa/verification/"))
    page.get_by_label("Code").fill(fresh_totp_code(device))
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url(base_url + "/admin/")
