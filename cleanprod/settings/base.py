"""Settings shared by every environment. Environment-specific modules import from here."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# Runtime files (SQLite database, uploads) live outside the package, in CLEANPROD_DATA_DIR.
DATA_DIR = Path(os.environ.get("CLEANPROD_DATA_DIR", Path.cwd() / "var")).resolve()

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "axes",
    "csp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "cleanprod.accounts",
    "cleanprod.changelog",
    "cleanprod.regions",
    "cleanprod.industries",
    "cleanprod.registry",
    "cleanprod.changerequests",
    "cleanprod.evaluation",
    "cleanprod.audits",
    "cleanprod.notifications",
    "cleanprod.plans",
    "cleanprod.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cleanprod.portal.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cleanprod.portal.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cleanprod.changelog.middleware.ChangeContextMiddleware",
    "cleanprod.portal.logfilters.RequestIdMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cleanprod.portal.csp.PathCSPMiddleware",
    # Last, as axes asks: it turns a login that hit the lock-out into the lock-out response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cleanprod.urls"
WSGI_APPLICATION = "cleanprod.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cleanprod.portal.context_processors.platform",
                "cleanprod.portal.context_processors.workbench",
            ],
        },
    },
]


def database_from_env() -> dict[str, object]:
    """PostgreSQL (or any database) from ``DATABASE_URL``; embedded SQLite otherwise."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60))
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "cleanprod.sqlite3",
        "OPTIONS": {
            # WAL lets the web server read while a long import writes.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Hashed, expiring tokens (django-rest-knox), sent as ``Authorization: Token <token>``.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["cleanprod.platform.api.permissions.ActionPermission"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "cleanprod.platform.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "cleanprod.accounts.throttling.AnonRateThrottle",
        "cleanprod.accounts.throttling.UserRateThrottle",
    ],
    # Generous for people; scripts that need more ask their administrator. The token endpoint
    # has its own stricter scope (password guessing through the API).
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("CLEANPROD_THROTTLE_ANON", "60/min"),
        "user": os.environ.get("CLEANPROD_THROTTLE_USER", "600/min"),
        "token": os.environ.get("CLEANPROD_THROTTLE_TOKEN", "10/min"),
    },
}
# API tokens (django-rest-knox): stored as hashes, expire, a new one at every login.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=float(os.environ.get("CLEANPROD_TOKEN_TTL_HOURS", "10"))),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "cleanprod API",
    "DESCRIPTION": "清洁生产信息化公共服务平台 REST API",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI assets from the drf-spectacular-sidecar package: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The error responses every operation can give (400/401/403/404/405/429), documented once.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cleanprod.platform.api.schema.add_error_responses",
    ],
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

PLATFORM_NAME = _("Cleaner Production Information Platform")

# 无/低费 vs 中/高费 options: investment threshold in 10k CNY. The plans set no national figure;
# 50 is this platform's default and provinces may configure their own.
AUDIT_HIGH_COST_THRESHOLD = float(os.environ.get("CLEANPROD_HIGH_COST_THRESHOLD", "50"))
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "noreply@cleanprod.invalid")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench"  # the workbench (待办): what awaits the user
LOGOUT_REDIRECT_URL = "/"
AUTHENTICATION_BACKENDS = [
    # First, as django-axes requires: it refuses a locked-out login before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "cleanprod.accounts.backends.UsccBackend",
]

# Login lock-out (django-axes) for every login path: the login page, /admin/login/, /api/token/.
# Two keys (see docs/operations.md, "Security settings"):
# - the account (username, an enterprise's USCC counted as its account) from anywhere:
#   AXES_FAILURE_LIMIT failures lock the account for AXES_COOLOFF_TIME;
# - the account from one client address: CLEANPROD_ADDRESS_FAILURE_LIMIT (lower) failures block
#   that address for that account only. Failures while blocked are not counted, so one address
#   alone can never lock an account, and never touches accounts it did not try.
AXES_HANDLER = "cleanprod.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "username"]]
AXES_FAILURE_LIMIT = int(os.environ.get("CLEANPROD_ACCOUNT_FAILURE_LIMIT", "10"))
CLEANPROD_ADDRESS_FAILURE_LIMIT = int(os.environ.get("CLEANPROD_ADDRESS_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("CLEANPROD_LOCKOUT_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "cleanprod.accounts.lockout.account_username"
AXES_CLIENT_IP_CALLABLE = "cleanprod.accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "cleanprod.accounts.lockout.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password"]
# The client address: REMOTE_ADDR unless a reverse proxy that overwrites this header is named,
# e.g. CLEANPROD_TRUSTED_PROXY_HEADER=HTTP_X_REAL_IP (nginx: proxy_set_header X-Real-IP ...).
CLEANPROD_TRUSTED_PROXY_HEADER = os.environ.get("CLEANPROD_TRUSTED_PROXY_HEADER", "")

# Throttle counters live in the cache. LocMemCache is per process: with several worker processes
# each keeps its own counts (limits are then per worker). CLEANPROD_CACHE_URL=db shares them
# through the database (run `cleanprod createcachetable` once); redis://... uses Redis.
_CACHE_URL = os.environ.get("CLEANPROD_CACHE_URL", "")
if _CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _CACHE_URL,
        }
    }
elif _CACHE_URL in {"db", "database"}:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cleanprod_cache",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Content-Security-Policy (django-csp): scripts only from this site, no inline script, no eval;
# style sheets only from this site. Style *attributes* are allowed (style-src-attr): ECharts'
# tooltips write them through innerHTML, and an attribute cannot run code. /admin/ and
# /api/docs/ get a relaxed policy (cleanprod/portal/csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Logs go to stderr (the service manager keeps them), every line with the request id that the
# change log also records, so a 500's traceback can be found from the X-Request-ID header.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cleanprod.portal.logfilters.RequestIdFilter"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s",
        }
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["stderr"], "level": os.environ.get("CLEANPROD_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers print only with DEBUG on; send its records to the root's.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        # axes reports each failed login and lock-out as a warning; its INFO lines are chatter.
        "axes": {"handlers": [], "level": "WARNING", "propagate": True},
        # The worker polls the queue every second and says so at INFO: keep warnings only.
        "django_tasks_db": {"handlers": [], "level": "WARNING", "propagate": True},
        "django_tasks": {"handlers": [], "level": "WARNING", "propagate": True},
    },
}

# Bootstrap's alert classes for Django's message levels.
MESSAGE_TAGS = {40: "danger"}

# --- background jobs (django-tasks, database backend) ---
# The database queue works on the embedded SQLite and on PostgreSQL, with any number of
# `cleanprod worker` processes on any number of machines (docs/operations.md).
INSTALLED_APPS += ["django_tasks", "django_tasks_db", "cleanprod.jobs"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Links in e-mail are absolute: the address users reach the platform at.
CLEANPROD_BASE_URL = os.environ.get("CLEANPROD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# How often a failed e-mail is tried in all, and the wait before each retry (seconds).
CLEANPROD_EMAIL_ATTEMPTS = 4
CLEANPROD_EMAIL_RETRY_DELAYS = (60, 300, 1800)
# The periodic jobs `cleanprod worker` enqueues (cleanprod/jobs/scheduler.py): a django-tasks
# task taking (job_id, day), the local time (TIME_ZONE) it is due each day, and whether a worker
# also runs it at start-up when it has not run today — so a fresh `make run` sends the overdue
# reminders at once.
CLEANPROD_SCHEDULE = {
    "audit_clock": {
        "task": "cleanprod.audits.tasks.audit_clock",
        "title": _("Daily audit clock"),
        "at": "01:00",
        "at_startup": True,
    },
    "refresh_plan_metrics": {
        "task": "cleanprod.plans.tasks.refresh_plan_metrics",
        "title": _("Plan metric refresh"),
        "at": "02:00",
    },
}
# --- end background jobs ---
# --- Upload and request size limits (branch input) ---
# A request body above CLEANPROD_MAX_REQUEST_BYTES is refused with 413 before anything reads it;
# form fields alone may take DATA_UPLOAD_MAX_MEMORY_SIZE; uploads up to
# FILE_UPLOAD_MAX_MEMORY_SIZE stay in memory (spreadsheets are read in memory anyway).
CLEANPROD_MAX_REQUEST_BYTES = int(os.environ.get("CLEANPROD_MAX_REQUEST_BYTES", 50 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Spreadsheet imports and uploads (cleanprod/registry/io/readers.py): unpacked size, data rows
# and columns that a file may have.
CLEANPROD_IMPORT_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("CLEANPROD_IMPORT_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
)
CLEANPROD_IMPORT_MAX_ROWS = int(os.environ.get("CLEANPROD_IMPORT_MAX_ROWS", 200_000))
CLEANPROD_IMPORT_MAX_COLUMNS = int(os.environ.get("CLEANPROD_IMPORT_MAX_COLUMNS", 200))
MIDDLEWARE.insert(
    MIDDLEWARE.index("cleanprod.portal.middleware.RejectNulMiddleware"),
    "cleanprod.portal.middleware.RequestSizeLimitMiddleware",
)
