"""Whole-page cache for anonymous visitors of the public pages.

Public pages show only publications, which change only when a report is published or
corrected; that bumps public.versioning.cache_version. Each entry records the version it was
rendered under, and is read in the same round trip as the current version: a hit costs
one cache call, and an entry of an older version is a miss that the fresh page replaces.
A page of one organ (``scope``) reads that organ's version and the tree's instead, so other
organs' publications leave it cached (public.versioning).
Anyone logged in, and any response that sets a cookie or uses a CSRF token, bypasses it.

A page is stored gzipped, compressed once, and sent so to every client that accepts gzip
(all browsers); the rare other client gets it unzipped. A 50-row list is 170 kB of HTML and
20 kB compressed, which is also what a hit reads from the cache. The pages carry no secret
(no CSRF token, nobody's data), so compression cannot leak one (BREACH).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import get_language

from public.versioning import (
    CACHE_TIMEOUT,
    CACHE_VERSION_KEY,
    scoped_version_keys,
    version_pinned,
    version_token,
)

# Headers of the view's own response worth replaying; middleware adds the rest on the way out.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "X-Content-Type-Options")
# Below this a gzip copy saves too little to be worth the header (Django's GZipMiddleware too).
GZIP_MIN_LENGTH = 200
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# In every key: a deploy that changes what an entry holds must not read the old entries.
ENTRY_FORMAT = 3


# A query string past these bounds is served fresh, never cached: arbitrary parameters must
# not create arbitrary cache entries.
MAX_QUERY_PARAMS = 6
MAX_QUERY_LENGTH = 300


def _canonical_query(request, params) -> str | None:
    """The query as the cache sees it: the view's known parameters (``params``), or the raw
    ones sorted and bounded; None when the request is not to be cached."""
    if params is not None:
        known = params(request.GET)
        return None if known is None else urlencode(sorted(known.items()))
    items = sorted(request.GET.lists())
    query = urlencode([(k, v) for k, values in items for v in values])
    if len(items) > MAX_QUERY_PARAMS or len(query) > MAX_QUERY_LENGTH:
        return None
    return query


def _key(request, query: str) -> str:
    path = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()[:32]
    return f"page{ENTRY_FORMAT}:{get_language()}:{path}"


def _lookup(key: str, version_keys) -> tuple[str, tuple | None]:
    """The current version and this key's entry if it is of that version, in one call."""
    found = cache.get_many([*version_keys, key])
    version = version_token(found, version_keys)
    entry = found.get(key)
    return version, (entry if entry is not None and entry[0] == version else None)


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


def _accepts_gzip(request) -> bool:
    return bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _entry(version: str, response) -> tuple[str, bytes, bool, dict]:
    """What the cache keeps of a response: version, body, whether it is gzipped, headers.

    The version was read before rendering, so a publication during the render leaves the
    entry stale, never wrongly fresh.
    """
    content = response.content
    zipped = len(content) >= GZIP_MIN_LENGTH
    # Level 6 (zlib's default, what web servers use): level 9 cost 10× the time for 2% less.
    body = gzip.compress(content, compresslevel=6, mtime=0) if zipped else content
    headers = {h: response[h] for h in KEPT_HEADERS if h in response}
    return version, body, zipped, headers


def _replay(request, entry) -> HttpResponse:
    _version, body, zipped, headers = entry
    if zipped and _accepts_gzip(request):
        response = HttpResponse(body)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(body) if zipped else body)
    for name, value in headers.items():
        response[name] = value
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def cache_public_page(view, *, params=None, scope=None):
    """Serve the view's 200 responses to anonymous visitors from the cache.

    ``params(query_dict)`` gives the parameters the view reads, normalised (or None: do not
    cache); the view must not depend on anything else in the query string. ``scope(**kwargs)``
    (the view's URL arguments) names the one organ whose publications the page shows, by
    slug: the page then reads that organ's version and the tree's, not the public version.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        query = _canonical_query(request, params) if _cacheable_request(request) else None
        if query is None:
            return view(request, *args, **kwargs)
        key = _key(request, query)
        keys = (CACHE_VERSION_KEY,) if scope is None else scoped_version_keys(scope(**kwargs))
        version, entry = _lookup(key, keys)
        if entry is not None:
            return _replay(request, entry)
        # The view's own cached counts and options use the public version read here; a
        # scoped page's token is not one, so they read theirs.
        with version_pinned(version) if scope is None else contextlib.nullcontext():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        if _cacheable_response(request, response):
            cache.set(key, _entry(version, response), CACHE_TIMEOUT)
            patch_vary_headers(response, ("Accept-Encoding",))
        return response

    return wrapper
