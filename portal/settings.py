"""Portal settings, read from the environment (see README "Configuration").

Defaults are safe for production; scripts/run sets DEBUG=1 for development.
With no DATABASE_URL the portal uses a SQLite file; with no REDIS_URL tasks run
eagerly in-process and the cache is local memory.
"""

import os
import secrets
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_VALUES = {"1", "true", "yes", "on"}


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in TRUE_VALUES


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production-0123456789"
elif not SECRET_KEY:
    # Command-line tools (parse_report, ingest) must run without configuration; a server
    # started this way gets an unguessable key that changes on restart (sessions end).
    warnings.warn("SECRET_KEY is not set: using a random key for this process.", stacklevel=1)
    SECRET_KEY = secrets.token_urlsafe(50)
# A web server must not run on a per-process key (portal/wsgi.py and asgi.py refuse).
SECRET_KEY_EPHEMERAL = not DEBUG and not os.environ.get("SECRET_KEY")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "csp",
    "axes",
    "import_export",
    "rest_framework",
    "django_filters",
    # Feature apps, dependencies pointing one way: organs <- filing <- review <- public, data.
    "reports",  # migration history only
    "organs",
    "filing",
    "review",
    "public",
    "data",
]

# Development tools (demo data, benchmarks): with DEBUG, or PORTAL_DEV_APPS=1. The production
# image installs neither the package's tools nor this app.
if DEBUG or os.environ.get("PORTAL_DEV_APPS") == "1":
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.RefuseMethodsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers anonymous public-page cache hits before the middleware below runs; the entry
    # keeps the headers they gave the page (public/pagecache.py).
    "public.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside CSPMiddleware: widens the policy for /admin/ pages only (portal/csp.py).
    "portal.csp.AdminCSPMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "review.context_processors.review_unread",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# ---------------------------------------------------------------- database

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reports:workspace"
# Password-reset mail goes to the console unless a real backend is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")
# Absolute links in emails (e.g. https://gk.example.gov.cn); relative when unset.
PORTAL_SITE_URL = os.environ.get("PORTAL_SITE_URL", "")
# Whole public pages cached for anonymous visitors until the next publication (pagecache.py).
PORTAL_PAGE_CACHE = os.environ.get("PORTAL_PAGE_CACHE", "1") != "0"

# ---------------------------------------------------------------- redis: cache and celery

REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "portal.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without a broker the embedded default runs tasks in-process and lets their errors surface.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 270)
# A task whose worker dies mid-run goes back to the queue instead of vanishing.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Every run ends within twice the hard time limit: a run left RUNNING by a dead worker counts
# as stale after the limit plus a margin (filing.services.sweep), and the sweeper runs often.
PORTAL_PARSE_STALE_MARGIN = max(5, min(60, CELERY_TASK_TIME_LIMIT // 5))
PORTAL_SWEEP_SECONDS = env_int("PORTAL_SWEEP_SECONDS", max(5, min(60, CELERY_TASK_TIME_LIMIT // 5)))
# Redis redelivers unacknowledged tasks after this: above the hard time limit (a task is never
# running that long), well below the hour that left a dead worker's task waiting.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 2 * PORTAL_PARSE_STALE_MARGIN
}
# Parsing runs in a forked child (filing/services/sandbox.py) under a memory cap (megabytes
# above what the worker already maps) and a wall-clock limit below the soft time limit.
PORTAL_PARSE_MEMORY_MB = env_int("PORTAL_PARSE_MEMORY_MB", 1536)
PORTAL_PARSE_TIMEOUT = env_int("PORTAL_PARSE_TIMEOUT", max(5, CELERY_TASK_SOFT_TIME_LIMIT - 20))
PORTAL_PARSE_SANDBOX = env_bool("PORTAL_PARSE_SANDBOX", True)
# Scans are read by OCR (core/ocr, onnxruntime) only inside this sandboxed Celery parse. Threads
# per worker process: 1 with the compose worker's --concurrency 2 on two cores, so two scans
# never thrash. A six-page scan takes ~20 s, far inside the time limit above. core.ocr reads
# both from the environment; its own budget ends before the sandbox's wall clock, so an
# over-long scan fails as 识别超时 with its advice rather than as a killed child.
PORTAL_OCR_THREADS = env_int("PORTAL_OCR_THREADS", 1)
os.environ["PORTAL_OCR_THREADS"] = str(PORTAL_OCR_THREADS)
os.environ.setdefault("PORTAL_OCR_BUDGET", str(max(5, PORTAL_PARSE_TIMEOUT - 10)))
# Queued runs with no message left in the broker (Redis restarted: it keeps nothing on disk)
# are dispatched again after this grace.
PORTAL_PARSE_REQUEUE_AFTER = env_int("PORTAL_PARSE_REQUEUE_AFTER", 60)
# Celery beat (docker-compose.yml's beat service, scripts/run with REDIS_URL) runs the sweeper.
CELERY_BEAT_SCHEDULE = {
    "sweep-stale-parse-runs": {
        "task": "reports.sweep_stale_parse_runs",
        "schedule": float(PORTAL_SWEEP_SECONDS),
    },
    # Daily at 08:00 (CELERY_TIMEZONE): clerks whose report is due within 7 days or overdue.
    "send-deadline-reminders": {
        "task": "reports.send_deadline_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
}

# ---------------------------------------------------------------- i18n

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------- static and media

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads live outside the static tree and are never served by whitenoise.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

PORTAL_MAX_UPLOAD_BYTES = env_int("PORTAL_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# Larger files stream to a temporary file; form fields themselves stay small.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# ---------------------------------------------------------------- security

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# PORTAL_ALLOW_HTTP=1: a local trial over plain http:// (docker compose on a laptop). Without
# it, with DEBUG off, cookies are Secure and a login over http:// cannot work; the CSRF failure
# page (portal/middleware.py csrf_failure) then says so instead of failing in silence.
PORTAL_ALLOW_HTTP = env_bool("PORTAL_ALLOW_HTTP")
SESSION_COOKIE_SECURE = not DEBUG and not PORTAL_ALLOW_HTTP
CSRF_COOKIE_SECURE = not DEBUG and not PORTAL_ALLOW_HTTP
CSRF_FAILURE_VIEW = "portal.middleware.csrf_failure"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not PORTAL_ALLOW_HTTP)
# Container health checks call /healthz over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG or PORTAL_ALLOW_HTTP else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Login throttling (django-axes): 5 failures lock a username from one address for 15 minutes.
# Its backend must come first so a locked-out attempt never reaches the password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind N trusted proxies the client address is the Nth from the right in X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# ---------------------------------------------------------------- JSON API (read-only)

REST_FRAMEWORK = {
    # JSON only: no browsable API, so no HTML or scripts for the CSP to vet.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "120/min")},
}

# ---------------------------------------------------------------- logging

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "reports": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        **{
            app: {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False}
            for app in ("core", "organs", "filing", "review", "public", "data", "bench")
        },
        "celery": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
