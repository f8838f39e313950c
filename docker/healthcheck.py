"""Docker HEALTHCHECK: exit 0 when http://127.0.0.1:8000/health/ answers 200 (the database
answers), 1 otherwise.

Production settings reject host names missing from ALLOWED_HOSTS, so the request names the first
host of that list rather than 127.0.0.1.
"""

import os
import sys
import urllib.request

URL = "http://127.0.0.1:8000/health/"


def host_header():
    for host in os.environ.get("ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip(".")  # ".example.org" also matches "example.org"
        if host and host != "*":
            return host
    return "localhost"


def main(url=URL):
    request = urllib.request.Request(url, headers={"Host": host_header()})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return 0 if response.status == 200 else 1
    except Exception as exc:  # HTTP 503, refused connection, timeout: all unhealthy
        print(f"health check failed: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
