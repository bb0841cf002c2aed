"""Local development and ``make run``: DEBUG on, an insecure fixed key, localhost only."""

from cleanprod.settings.base import *  # noqa: F403
from cleanprod.settings.base import SECRET_KEY as _KEY

SECRET_KEY = _KEY or "dev-only-insecure-key-do-not-use-in-production"
DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
