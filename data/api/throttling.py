"""The API's rate limit, per visitor, in front of the page cache.

Cached answers are served by public.pagecache before any DRF view runs, so DRF's own
throttle never saw them: one address got thousands of answers a second. ``throttled`` counts
every API request, cached or not, against the visitor's own budget (DRF's anonymous rate,
keyed by the visitor's address), and marks the request counted so the DRF view behind it
does not count it twice.
"""

from __future__ import annotations

import functools
import math

from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework.throttling import AnonRateThrottle

COUNTED = "api_throttle_counted"


class VisitorRateThrottle(AnonRateThrottle):
    """DRF's anonymous rate, counted once a request even when the cached path counted it."""

    def allow_request(self, request, view) -> bool:
        http_request = getattr(request, "_request", request)
        if getattr(http_request, COUNTED, False):
            return True
        return super().allow_request(request, view)


def too_many_requests(wait: float | None) -> JsonResponse:
    seconds = max(1, math.ceil(wait or 1))
    response = JsonResponse(
        {"detail": _("请求过于频繁，请在 %(seconds)d 秒后再试。") % {"seconds": seconds}},
        status=429,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Retry-After"] = str(seconds)
    return response


def throttled(view):
    """Count the request against the visitor's rate before the cache or the view answers."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        throttle = VisitorRateThrottle()
        if not throttle.allow_request(request, None):
            return too_many_requests(throttle.wait())
        setattr(request, COUNTED, True)
        return view(request, *args, **kwargs)

    return wrapper
