"""Home page and health check."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from public.pagecache import cache_public_page

logger = logging.getLogger(__name__)


class HomeView(TemplateView):
    """Entry page: the ways into the published reports, and the staff entrance.

    It reads nothing from the database, so it stays up (and cheap) whatever the data.
    """

    template_name = "home.html"


# Anonymous visitors get it from the page cache like every public page (a twentieth of the
# public traffic in the benchmark's mix, rendered afresh each time before).
home = cache_public_page(HomeView.as_view())


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        logger.exception("healthz: database check failed")
        return False


def _cache_ok() -> bool:
    try:
        cache.set("healthz", "ok", 10)
        return cache.get("healthz") == "ok"
    except Exception:  # noqa: BLE001
        logger.exception("healthz: cache check failed")
        return False


@never_cache
def healthz(request):
    """{"db": bool, "cache": bool}; 503 unless both are up."""
    status = {"db": _database_ok(), "cache": _cache_ok()}
    return JsonResponse(status, status=200 if all(status.values()) else 503)
