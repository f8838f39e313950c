"""Every public and portal page is valid HTML, as the W3C's Nu HTML checker (vnu.jar) sees it.

The demo site is built in the test database, the pages are fetched with Django's test client
and written to a temporary directory, and one Java process checks them all (starting the JVM
is the slow part). The checker comes from the npm package `vnu-jar` (package.json's
devDependencies, installed by `make test`) and runs on Java 11 or later: without either the
test fails, it does not skip, so that a missing checker is never mistaken for valid pages.
No network is used.
"""

import json
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ElementTree
from io import StringIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.urls import reverse as django_reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

pytestmark = pytest.mark.django_db

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
VNU_TIMEOUT = 300  # seconds; the whole check takes a few

# A document the checker must reject: proves that it ran and that its errors are read.
CANARY_NAME = "000-canary.html"
CANARY = (
    '<!DOCTYPE html><html lang="fr"><head><title>Canari</title></head>'
    '<body><input type="text" type="email" name="canari"></body></html>'
)


def reverse(name, *args):
    """The French address (a request under /en/ leaves English active in the thread)."""
    with translation.override("fr"):
        return django_reverse(name, args=args)


def vnu_command():
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "The Nu HTML checker needs Java 11 or later, and `java` is not on the PATH: "
            "install a JDK or JRE (e.g. `apt-get install default-jre-headless`)."
        )
    if not VNU_JAR.is_file():
        pytest.fail(
            f"The Nu HTML checker is missing ({VNU_JAR}): run `npm ci` (or `make test`), which "
            "installs the npm package vnu-jar listed in package.json."
        )
    return [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only"]


def run_vnu(paths):
    """Checks the files in one JVM; returns the checker's messages (errors only)."""
    started = time.monotonic()
    process = subprocess.run(
        [*vnu_command(), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=VNU_TIMEOUT,
        check=False,
    )
    # vnu writes its JSON report on stderr (exit status 1 when a document has errors).
    try:
        report = json.loads(process.stderr or process.stdout)
    except ValueError:
        pytest.fail(
            f"The Nu HTML checker did not answer in JSON (exit status {process.returncode}):\n"
            f"{process.stderr}\n{process.stdout}"
        )
    print(f"vnu.jar checked {len(paths)} documents in {time.monotonic() - started:.1f} s")
    return report.get("messages", [])


@pytest.fixture
def demo(settings, tmp_path):
    """The demo site, as `make demo` builds it, its media files in a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for command in (
        "load_demo_content",
        "load_demo_members",
        "load_demo_volunteering",
        "load_demo_awards",
    ):
        call_command(command, stdout=StringIO(), verbosity=0)


@pytest.fixture
def member(demo):
    """A contact of two demo organisations (one paid up, one with a transfer still to come),
    with a draft application to this year's award."""
    from awards.models import AwardEdition
    from demo.factories.awards import ApplicationFactory
    from demo.factories.members import UserFactory
    from members.models import Contact, Organisation

    user = UserFactory(email="camille@jardins.example.org", username="camille@jardins.example.org")
    paid = Organisation.objects.get(rna="W442009001")
    pending = Organisation.objects.get(rna="W492009003")
    for organisation in (paid, pending):
        Contact.objects.create(organisation=organisation, user=user, role="president")
    edition = AwardEdition.objects.get(year=timezone.localdate().year)
    application = ApplicationFactory(edition=edition, organisation=paid, created_by=user)
    return {"user": user, "paid": paid, "pending": pending, "application": application}


class Documents:
    """The HTML documents fetched so far, each written to its own file."""

    def __init__(self, directory):
        self.directory = directory
        self.urls = {}  # file name -> what was fetched

    def fetch(self, client, url, *, data=None, post=False, status=200, follow=False):
        response = (client.post if post else client.get)(url, data or {}, follow=follow)
        where = f"{'POST ' if post else ''}{url}"
        if follow and response.redirect_chain:
            where += f" -> {response.redirect_chain[-1][0]}"
        assert response.status_code == status, f"{where} answered {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), f"{where} is not HTML"
        html = response.content.decode()
        self.add(where, html)
        return html

    def add(self, where, html):
        slug = re.sub(r"[^a-z0-9]+", "-", where.lower()).strip("-")[:80] or "home"
        name = f"{len(self.urls) + 1:03d}-{slug}.html"
        (self.directory / name).write_text(html, encoding="utf-8")
        self.urls[name] = where


def sitemap_paths(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    paths = [urlsplit(loc.text.strip()).path for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)]
    assert len(paths) > 10, "the demo site's sitemap should list its pages"
    return paths


def test_public_and_portal_pages_are_valid_html(client, member, tmp_path):
    from awards import applications as application_rules
    from awards.models import Juror, JuryAssignment
    from forms.pages import FormPage
    from members.pages import MembershipPage

    directory = tmp_path / "html"
    directory.mkdir()
    docs = Documents(directory)

    # Public pages, in French and in English.
    paths = sitemap_paths(client)
    for path in paths:
        docs.fetch(client, path)
        docs.fetch(client, f"/en{path}")
    docs.fetch(client, "/recherche/?q=association")
    docs.fetch(client, "/en/recherche/?q=association")
    needs = docs.fetch(client, "/benevolat/besoins/")
    need = re.search(r'href="(/benevolat/besoins/\d+/)"', needs)
    assert need, "the demo site should list open board needs"
    docs.fetch(client, need.group(1))
    docs.fetch(client, reverse("volunteering:need_submit"))
    docs.fetch(client, reverse("volunteering:offer_submit"))
    docs.fetch(client, reverse("members:login"))
    docs.fetch(client, "/en" + reverse("members:login"))
    docs.fetch(client, reverse("members:password_reset"))
    docs.fetch(client, "/cette-page-n-existe-pas/", status=404)
    docs.fetch(client, "/en/cette-page-n-existe-pas/", status=404)

    # Forms sent back with their errors (messages, aria-describedby, invalid fields).
    with translation.override("fr"):
        bulletin = MembershipPage.objects.live().get().url
        form_pages = [page.url for page in FormPage.objects.live()]
    docs.fetch(client, bulletin, post=True)
    assert form_pages, "the demo site should have editor-built forms"
    for form_page in form_pages:
        docs.fetch(client, form_page, post=True)
    docs.fetch(client, reverse("volunteering:need_submit"), post=True)
    docs.fetch(client, reverse("volunteering:offer_submit"), post=True)
    docs.fetch(
        client,
        reverse("members:login"),
        post=True,
        data={"username": "personne@example.org", "password": "pas le bon"},
    )

    # A contact's choosing their password from the e-mailed link.
    user = member["user"]
    token = default_token_generator.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    confirm = reverse("members:password_reset_confirm", uid, token)
    docs.fetch(client, confirm, follow=True)

    # The member portal, as a contact.
    client.force_login(user)
    paid, pending = member["paid"], member["pending"]
    docs.fetch(client, reverse("members:portal"))
    docs.fetch(client, "/en" + reverse("members:portal"))
    docs.fetch(client, reverse("members:organisation", paid.pk))
    docs.fetch(client, reverse("members:organisation", pending.pk))
    docs.fetch(client, reverse("members:organisation_edit", paid.pk))
    docs.fetch(
        client,
        reverse("members:organisation_edit", paid.pk),
        post=True,
        data={"name": "", "postal_code": "4400"},
    )
    docs.fetch(client, reverse("members:contacts", paid.pk))
    docs.fetch(client, reverse("members:contact_add", paid.pk), post=True, data={"new-email": "x"})
    docs.fetch(
        client,
        reverse("members:contact_update_self", paid.pk),
        post=True,
        data={"me-first_name": ""},
    )
    docs.fetch(client, reverse("members:renew", paid.pk), follow=True)
    membership = pending.memberships.latest("pk")
    docs.fetch(client, reverse("members:offline", membership.pk))
    docs.fetch(client, reverse("members:password_change"))

    # The award application, as the same contact (an applicant).
    application = member["application"]
    docs.fetch(client, reverse("awards:application_list"))
    docs.fetch(client, reverse("awards:application_detail", application.pk))
    for step in application_rules.STEPS:
        docs.fetch(client, reverse("awards:application_step", application.pk, step))
    docs.fetch(client, reverse("awards:application_preview", application.pk))

    # The jury area, as a juror of 2018.
    juror = Juror.objects.filter(edition__year=2018).select_related("user").first()
    client.force_login(juror.user)
    docs.fetch(client, reverse("awards:jury_home"))
    assignment = JuryAssignment.objects.filter(juror=juror).first()
    docs.fetch(client, reverse("awards:jury_application", assignment.application_id))

    (directory / CANARY_NAME).write_text(CANARY, encoding="utf-8")
    files = sorted(directory.glob("*.html"))
    messages = run_vnu(files)

    errors = {}
    for message in messages:
        if message.get("type") == "info":  # warnings: --errors-only leaves none, but be sure
            continue
        name = Path(unquote(urlsplit(message.get("url", "")).path)).name
        errors.setdefault(name, []).append(message)
    assert errors.pop(CANARY_NAME, None), "the checker did not report the canary's error"
    if errors:
        lines = []
        for name, found in sorted(errors.items()):
            lines.append(f"{docs.urls.get(name, name)} ({name}):")
            for message in found:
                line = message.get("lastLine", "?")
                extract = (message.get("extract") or "").strip().replace("\n", " ")
                lines.append(f"  line {line}: {message.get('message')}")
                if extract:
                    lines.append(f"      {extract[:160]}")
        count = sum(len(found) for found in errors.values())
        pytest.fail(
            f"The Nu HTML checker found {count} error(s) in {len(errors)} of "
            f"{len(docs.urls)} documents:\n" + "\n".join(lines),
            pytrace=False,
        )
