"""Start localstripe (a stateful local Stripe server, PyPI) on 127.0.0.1 only.

localstripe's own entry point listens on every interface and keeps its data in /tmp between runs;
the tests want neither. Usage: python tests/stripe_server.py PORT
"""

import logging
import sys

from aiohttp import web
from localstripe import resources, server

if __name__ == "__main__":
    resources.store.dump_to_disk = lambda: None  # start empty, write nothing to /tmp
    logging.basicConfig(level=logging.WARNING)
    web.run_app(server.app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
