"""Whole-page cache for anonymous visitors of the public pages.

Public pages show only publications, which change only when a report is published or
corrected; that bumps reports.stats.cache_version (and so every key here). Anyone logged
in, and any response that sets a cookie or uses a CSRF token, bypasses the cache.
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language

# Headers of the view's own response worth replaying; middleware adds the rest on the way out.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "X-Content-Type-Options")


def _key(request) -> str:
    from reports.stats import cache_version

    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{cache_version()}:{get_language()}:{path}"


def _cacheable_request(request) -> bool:
    return (
        settings.PORTAL_PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
    )


def _cacheable_response(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        # A page that showed a visitor's flash messages is theirs alone.
        and not getattr(getattr(request, "_messages", None), "used", False)
    )


def cache_public_page(view):
    """Serve the view's 200 responses to anonymous visitors from the cache."""
    from reports.stats import CACHE_TIMEOUT

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        if _cacheable_response(request, response):
            headers = {h: response[h] for h in KEPT_HEADERS if h in response}
            cache.set(key, (response.content, headers), CACHE_TIMEOUT)
        return response

    return wrapper
