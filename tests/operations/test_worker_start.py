"""What a web worker loads when it starts: the site, not the heavy libraries only some processes
use. numpy (the volunteer matching) and the Elasticsearch client each cost some 80 to 170
modules and about 10 MB in every gunicorn worker; they load on first use (forms/admin_views.py,
forms/introductions.py, search/service.py, search/indexing.py)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Starts the WSGI application as gunicorn does, then builds the URLconf and the admin's hooks,
# which import every app's views and admin modules.
PROBE = """
import json, sys
from config.wsgi import application
from django.urls import get_resolver
get_resolver().url_patterns
from wagtail import hooks
for name in ("register_admin_urls", "register_admin_menu_item", "construct_main_menu"):
    hooks.get_hooks(name)
print(json.dumps(sorted(m for m in ("numpy", "elasticsearch", "factory") if m in sys.modules)))
"""


def test_a_web_worker_starts_without_numpy_elasticsearch_or_the_demo_factories(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
