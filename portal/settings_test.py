"""Settings for the test suite: production settings with a few test-only overrides."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment-0123456789abcdef")

from portal.settings import *  # noqa: E402,F403

if "bench" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405

# Test clients speak plain HTTP; the redirect itself is covered by test_settings.py.
SECURE_SSL_REDIRECT = False
# The manifest storage needs collectstatic; tests render templates without it.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the finders: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests call tasks in-process; tests/filing/test_celery_worker.py talks to a real worker instead.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# A shared Redis would leak cached state between tests.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The API's anonymous throttle would trip over a test run; tests/data/test_api.py sets its own rate.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None}}  # noqa: F405
# Login throttling stays off for the suite (Client.login() has no request for axes to check);
# tests/portal/test_security.py turns it on where it is under test.
AXES_ENABLED = False
# Tests look at what the views do; tests/public/test_pagecache.py turns the page cache on.
PORTAL_PAGE_CACHE = False
