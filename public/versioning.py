"""The public data's version: one token that changes whenever what the public sees changes.

Cached aggregates, filter options and whole pages put it in their keys (or entries), so one
bump on publication, correction or an organ change makes all of them stale at once.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar

from django.core.cache import cache

CACHE_VERSION_KEY = "stats:version"
CACHE_TIMEOUT = 24 * 3600


# The version a page-cache miss read with its lookup (public.pagecache): the view's own
# cached counts, options and aggregates use it instead of asking the cache again.
_pinned: ContextVar[str | None] = ContextVar("public_version", default=None)


@contextlib.contextmanager
def version_pinned(version: str) -> Iterator[None]:
    token = _pinned.set(version)
    try:
        yield
    finally:
        _pinned.reset(token)


def cache_version() -> str:
    """A token that changes whenever a report is published or corrected (cache keys use it)."""
    pinned = _pinned.get()
    if pinned is not None:
        return pinned
    version = cache.get(CACHE_VERSION_KEY)
    if version is None:
        cache.add(CACHE_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(CACHE_VERSION_KEY)
    return version


def public_version_bump(**kwargs) -> None:
    """Receiver of publication_changed: make every cached aggregate stale at once."""
    cache.set(CACHE_VERSION_KEY, uuid.uuid4().hex, None)
