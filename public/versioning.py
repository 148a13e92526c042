"""The public data's version: one token that changes whenever what the public sees changes.

Cached aggregates, filter options and whole pages put it in their keys (or entries), so one
bump on publication, correction or an organ change makes all of them stale at once.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache

CACHE_VERSION_KEY = "stats:version"
CACHE_TIMEOUT = 24 * 3600


def cache_version() -> str:
    """A token that changes whenever a report is published or corrected (cache keys use it)."""
    version = cache.get(CACHE_VERSION_KEY)
    if version is None:
        cache.add(CACHE_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(CACHE_VERSION_KEY)
    return version


def public_version_bump(**kwargs) -> None:
    """Receiver of publication_changed: make every cached aggregate stale at once."""
    cache.set(CACHE_VERSION_KEY, uuid.uuid4().hex, None)
