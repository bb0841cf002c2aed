"""Test settings: the database comes from DATABASE_URL (PostgreSQL in CI) or SQLite."""

from cleanprod.settings.base import *  # noqa: F403

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# --- background jobs ---
# Tests keep the database task backend of production: a task is queued as a row and runs only
# when the test runs the worker (cleanprod.jobs.testing.run_queued_tasks), so every test decides
# exactly when background work happens, and on_commit/retry/run_after paths are the real ones.
# django-axes needs the request in authenticate(), which Client.login() does not pass: tests log
# in with force_login, and the lock-out tests turn axes on with override_settings(AXES_ENABLED).
AXES_ENABLED = False
# Rates far above any test's request count; the throttling test sets small ones.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min", "token": "100000/min"},
}
