"""The files that start the proxy agree with the code that reads what it writes. Caddy itself
runs in `make prodcheck` (.ci/run installs it); `make test` must pass without it, so these tests
read the Caddyfile instead of starting it."""

import re
from pathlib import Path

from deploy import prod

ROOT = Path(__file__).resolve().parents[2]


def test_the_local_ca_is_where_the_caddyfile_stores_it():
    """prod, prodcheck and the bench trust this certificate; a moved storage folder made the
    bench wait for a certificate that was elsewhere."""
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    storage = re.search(r"storage file_system \{\$PROD_STATE_DIR\}/(\S+)", caddyfile)
    assert storage, "the Caddyfile keeps its certificates under PROD_STATE_DIR"
    state = Path("/state")
    expected = state / storage.group(1) / "pki" / "authorities" / "local" / "root.crt"
    assert prod.local_ca(state) == expected


def test_the_bench_gives_caddy_the_state_folder_it_reads_the_certificate_from(tmp_path):
    from bench import topology

    class Site:
        env = {"STATIC_ROOT": "static", "MEDIA_ROOT": "media"}

    env = topology._caddy_env(Site(), tmp_path, 8443, [])
    assert prod.local_ca(env["PROD_STATE_DIR"]) == prod.local_ca(topology._proxy_state(tmp_path))
    assert env["MEDIA_MODE"] == "filesystem" and env["CADDY_LOCAL_CERTS"] == "local_certs"
