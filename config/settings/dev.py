"""Local development: `make run`. DEBUG on, console e-mail, tasks run at once."""

from .base import *  # noqa: F401,F403
from .base import env, env_bool

DEBUG = env_bool("DEBUG", True)
# A fixed key is acceptable only here: dev settings never serve the public.
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-never-used-in-production")
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
SERVE_MEDIA = True
