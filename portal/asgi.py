"""ASGI entry point (gunicorn portal.wsgi); refuses to serve without a real SECRET_KEY."""

import os

from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_asgi_application()

# Every worker process would get its own random key: sessions and CSRF would break.
if settings.SECRET_KEY_EPHEMERAL:
    raise ImproperlyConfigured("SECRET_KEY must be set to serve the portal with DEBUG off.")
