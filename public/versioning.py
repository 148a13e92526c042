"""The public data's version: one token that changes whenever what the public sees changes.

Cached aggregates, filter options and whole pages put it in their keys (or entries), so one
bump on publication, correction or an organ change makes all of them stale at once.

Pages that show one organ's publications (its report pages, its organ page) are scoped
instead: they read the organ's version and the tree's (organ names and the tree, which
they show too). A publication bumps only its organ's, so publishing one town's report does
not make the 20,000 other report pages cold again; an organ change or an explicit bump
(no publication) bumps the tree's, and every page is stale as before.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar

from django.core.cache import cache

CACHE_VERSION_KEY = "stats:version"
TREE_VERSION_KEY = "public:tree-version"
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
    return cache.get(CACHE_VERSION_KEY) or _created(CACHE_VERSION_KEY)


def tree_version() -> str:
    """A token that changes when organs change (names, the tree) or on an explicit bump; a
    publication leaves it."""
    return cache.get(TREE_VERSION_KEY) or _created(TREE_VERSION_KEY)


def organ_version_key(slug: str) -> str:
    return f"public:organ-version:{slug}"


def scoped_version_keys(slug: str) -> tuple[str, str]:
    """The version keys of pages that show only this organ's publications (and its tree)."""
    return TREE_VERSION_KEY, organ_version_key(slug)


def version_token(found: dict, keys) -> str:
    """The token of these version keys, from a ``cache.get_many`` that read them.

    A missing key (never bumped, or evicted) is created with a fresh value, never a fixed
    default: an entry rendered under an evicted version must not match again.
    """
    return ":".join(found.get(key) or _created(key) for key in keys)


def _created(key: str) -> str:
    cache.add(key, uuid.uuid4().hex, None)
    return cache.get(key)


def public_version_bump(publication=None, **kwargs) -> None:
    """Receiver of publication_changed and of organ changes: make every cached aggregate
    stale at once; a publication also its organ's pages, anything else every page."""
    values = {CACHE_VERSION_KEY: uuid.uuid4().hex}
    if publication is not None:
        values[organ_version_key(publication.organ.slug)] = uuid.uuid4().hex
    else:
        values[TREE_VERSION_KEY] = uuid.uuid4().hex
    cache.set_many(values, None)
