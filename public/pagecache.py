"""Whole-page cache for anonymous visitors of the public pages.

Public pages show only publications, which change only when a report is published or
corrected; that bumps public.versioning.cache_version. Each entry records the version it was
rendered under, and is read in the same round trip as the current version: a hit costs
one cache call, and an entry of an older version is a miss that the fresh page replaces.
A page of one organ (``scope``) reads that organ's version and the tree's instead, so other
organs' publications leave it cached (public.versioning).
Anyone logged in, and any response that sets a cookie or uses a CSRF token, bypasses it.

A visitor with no session cookie (nearly every anonymous one) is answered by
PageCacheMiddleware, early in the middleware stack, before sessions, locale, CSRF, auth,
messages, CSP and URL resolution run: a hit then costs little more than the cache call. The
entry keeps the final headers those middleware gave the page when it was rendered (CSP,
X-Frame-Options, Vary, Content-Language), so a hit is answered as the miss was.

A page is stored gzipped, compressed once, and sent so to every client that accepts gzip
(all browsers), on the miss that renders it too; the rare other client gets it unzipped. A
hit reads the compressed copy from the cache. The pages carry no secret (no CSRF token,
nobody's data), so compression cannot leak one (BREACH).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import re

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import URLResolver, get_resolver
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import get_language, get_language_from_request, override

from public.versioning import (
    CACHE_TIMEOUT,
    CACHE_VERSION_KEY,
    scoped_version_keys,
    version_pinned,
    version_token,
)

# Headers of the view's own response worth replaying; middleware adds the rest on the way out.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "X-Content-Type-Options")
# Final headers that depend on the client (gzip or not), set again on each answer.
PER_ANSWER_HEADERS = ("Content-Length", "Content-Encoding")
# Below this a gzip copy saves too little to be worth the header (Django's GZipMiddleware too).
GZIP_MIN_LENGTH = 200
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# In every key: a deploy that changes what an entry holds must not read the old entries.
ENTRY_FORMAT = 4


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


def _key(request, name: str, query: str, language: str) -> str:
    # The view's name: an entry is only ever read for the view that stored it, even by the
    # middleware, which finds the view by matching the cached views' routes alone.
    path = hashlib.sha256(f"{name}|{request.path}?{query}".encode()).hexdigest()[:32]
    return f"page{ENTRY_FORMAT}:{language}:{path}"


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


def _sent_body(request, body: bytes, zipped: bool) -> tuple[bytes, bool]:
    """(the body this client is sent, whether it is gzipped): the stored gzip copy to a
    client that takes gzip, else the page unzipped."""
    if zipped and _accepts_gzip(request):
        return body, True
    return (gzip.decompress(body) if zipped else body), False


def _entry(version: str, response) -> tuple[str, bytes, bool, dict, dict | None]:
    """What the cache keeps of a response: version, body, whether it is gzipped, the view's
    headers, and the final headers (None until PageCacheMiddleware has seen them).

    The version was read before rendering, so a publication during the render leaves the
    entry stale, never wrongly fresh.
    """
    content = response.content
    zipped = len(content) >= GZIP_MIN_LENGTH
    # Level 3: on the portal's pages 0.4× the CPU of zlib's default 6 for 5-9 % more bytes
    # (a 23 kB report page: 0.10 against 0.27 ms, 4.3 against 4.0 kB); every miss pays it.
    body = gzip.compress(content, compresslevel=3, mtime=0) if zipped else content
    headers = {h: response[h] for h in KEPT_HEADERS if h in response}
    return version, body, zipped, headers, None


def _send_zipped(request, response, entry) -> None:
    """Send a miss as its hits will be sent: the stored gzip body to a client that takes it."""
    _version, body, zipped, _headers, _final = entry
    if zipped and _accepts_gzip(request):  # else the rendered page is already what is sent
        response.content = body
        response["Content-Encoding"] = "gzip"
        if response.has_header("Content-Length"):
            del response["Content-Length"]


def _replay(request, entry) -> HttpResponse:
    _version, body, zipped, headers, _final = entry
    content, gzipped = _sent_body(request, body, zipped)
    response = HttpResponse(content)
    if gzipped:
        response["Content-Encoding"] = "gzip"
    for name, value in headers.items():
        response[name] = value
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


class _PageView:
    """What the middleware needs to know of a cached view: its key name, params and scope."""

    def __init__(self, view, params, scope):
        self.name = f"{view.__module__}.{view.__qualname__}"
        self.params = params
        self.scope = scope

    def version_keys(self, kwargs) -> tuple:
        return (
            (CACHE_VERSION_KEY,)
            if self.scope is None
            else scoped_version_keys(self.scope(**kwargs))
        )


# The wrappers cache_public_page made: the middleware serves only routes whose callback is one
# (a view wrapped again, e.g. by the API's throttle, keeps its outer wrapper's work).
_CACHED_VIEWS: dict = {}


def cache_public_page(view, *, params=None, scope=None):
    """Serve the view's 200 responses to anonymous visitors from the cache.

    ``params(query_dict)`` gives the parameters the view reads, normalised (or None: do not
    cache); the view must not depend on anything else in the query string. ``scope(**kwargs)``
    (the view's URL arguments) names the one organ whose publications the page shows, by
    slug: the page then reads that organ's version and the tree's, not the public version.
    """
    page_view = _PageView(view, params, scope)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        query = _canonical_query(request, params) if _cacheable_request(request) else None
        if query is None:
            return view(request, *args, **kwargs)
        key = _key(request, page_view.name, query, get_language())
        early = getattr(request, EARLY_ATTRIBUTE, None)
        if early and early[0] == key:
            _key_read, version, entry = early  # the middleware's lookup, not asked again
        else:
            version, entry = _lookup(key, page_view.version_keys(kwargs))
        if entry is not None:
            response = _replay(request, entry)
            if early and entry[4] is None:
                response._page_cache_store = (key, entry)  # the middleware adds final headers
            return response
        # The view's own cached counts and options use the public version read here; a
        # scoped page's token is not one, so they read theirs.
        with version_pinned(version) if scope is None else contextlib.nullcontext():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        if _cacheable_response(request, response):
            entry = _entry(version, response)
            if early:
                response._page_cache_store = (key, entry)
            else:
                cache.set(key, entry, CACHE_TIMEOUT)
            _send_zipped(request, response, entry)
            patch_vary_headers(response, ("Accept-Encoding",))
        return response

    _CACHED_VIEWS[wrapper] = page_view
    return wrapper


# Set on a request the middleware may answer next time: the view leaves the storing to it.
# (key, version, entry) of the middleware's lookup, or () when it found no cached route.
EARLY_ATTRIBUTE = "_page_cache_early"


@functools.lru_cache(maxsize=16)
def _language_key(code: str) -> str:
    """The language as get_language() names it once LocaleMiddleware activated ``code``."""
    with override(code):
        return get_language()


def _routes(resolver, chain=()):
    """(patterns from the root, page view) of every route served by cache_public_page."""
    chain = (*chain, resolver.pattern)
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, chain)
        elif pattern.callback in _CACHED_VIEWS:
            yield (*chain, pattern.pattern), _CACHED_VIEWS[pattern.callback]


def _match(chain, path: str) -> dict | None:
    """The URL arguments if the patterns match the whole path, as the resolver matches them."""
    kwargs = {}
    for pattern in chain:
        found = pattern.match(path)
        if not found:
            return None
        path, _args, found_kwargs = found
        kwargs.update(found_kwargs)
    return kwargs


class PageCacheMiddleware:
    """Answer anonymous page-cache hits before the rest of the middleware runs.

    Only for GET and HEAD without a session or messages cookie (nobody logged in, no flash
    message waiting), on the routes cache_public_page serves. The key and versions are the
    decorator's own, so publications make these hits stale exactly as they do the others.
    On the way out it stores what the decorator rendered, with the final headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._routes = {}

    def __call__(self, request):
        if self._eligible(request):
            response, lookup = self._hit(request)
            if response is not None:
                return response
            setattr(request, EARLY_ATTRIBUTE, lookup)
        response = self.get_response(request)
        pending = getattr(response, "_page_cache_store", None)
        if pending is not None:
            del response._page_cache_store
            if response.status_code == 200 and not response.cookies:
                key, entry = pending
                final = {k: v for k, v in response.items() if k not in PER_ANSWER_HEADERS}
                cache.set(key, (*entry[:4], final), CACHE_TIMEOUT)
        return response

    @staticmethod
    def _eligible(request) -> bool:
        cookies = request.COOKIES
        return (
            settings.PORTAL_PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in cookies
            and CookieStorage.cookie_name not in cookies
        )

    def _page(self, request):
        resolver = get_resolver(getattr(request, "urlconf", None))
        routes = self._routes.get(resolver)
        if routes is None:
            routes = self._routes[resolver] = list(_routes(resolver))
        for chain, page_view in routes:
            kwargs = _match(chain, request.path_info)
            if kwargs is not None:
                return page_view, kwargs
        return None, None

    def _hit(self, request) -> tuple[HttpResponse | None, tuple]:
        """The cached answer, else what the lookup found, for the view to reuse."""
        page_view, kwargs = self._page(request)
        if page_view is None:
            return None, ()
        query = _canonical_query(request, page_view.params)
        if query is None:
            return None, ()
        request.get_host()  # a disallowed Host is refused here as CommonMiddleware would
        language = _language_key(get_language_from_request(request))
        key = _key(request, page_view.name, query, language)
        version, entry = _lookup(key, page_view.version_keys(kwargs))
        if entry is None or entry[4] is None:
            return None, (key, version, entry)
        _version, body, zipped, _headers, final = entry
        response = HttpResponse()
        for name, value in final.items():
            response[name] = value
        response.content, gzipped = _sent_body(request, body, zipped)
        if gzipped:
            response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(response.content))
        return response, ()
