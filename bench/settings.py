"""Production settings for a benchmark run on loopback: plain HTTP and a trivial baseline view."""

import os
import warnings

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-never-deployed-0123456789-abcdef")
# The API's anonymous throttle still runs (its cache calls are part of a request's cost) but
# does not refuse: every in-process request comes from one address, and two runs back to back
# (a --compare pair) would otherwise measure 429 pages.
os.environ.setdefault("API_ANON_RATE", "1000000/min")

from portal.settings import *  # noqa: E402,F403

if "bench" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405

PORTAL_BENCH = True
DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# Loopback HTTP: no redirect to HTTPS, cookies sent without TLS.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# No collectstatic before a run: {% static %} resolves without the manifest.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise looks for STATIC_ROOT, which a run without collectstatic does not have.
warnings.filterwarnings("ignore", message="No directory at")
LOGGING["loggers"]["django"]["level"] = "WARNING"  # noqa: F405
