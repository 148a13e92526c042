"""The API's rate limit holds for answers the page cache serves, and per visitor."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from organs.models import Organ


@pytest.fixture
def limited(settings, monkeypatch, db):
    settings.PORTAL_PAGE_CACHE = True
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    Organ.objects.create(name="实验镇人民政府", slug="shiyan", kind="town")
    cache.clear()
    yield
    cache.clear()


def _get(client, name, address):
    return client.get(reverse(name), REMOTE_ADDR=address)


def test_cached_answers_count_against_the_visitors_limit(client, limited):
    statuses = [_get(client, "reports:api_organs", "10.0.0.1").status_code for _ in range(5)]
    # The second and third answers come from the page cache; they count all the same.
    assert statuses == [200, 200, 200, 429, 429]
    refused = _get(client, "reports:api_organs", "10.0.0.1")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "detail" in refused.json()


def test_one_visitors_exhaustion_leaves_other_visitors_served_from_the_cache(client, limited):
    for _ in range(4):
        _get(client, "reports:api_organs", "10.0.0.1")
    assert _get(client, "reports:api_organs", "10.0.0.1").status_code == 429
    others = [_get(client, "reports:api_organs", f"10.0.0.{n}") for n in (2, 3)]
    assert [r.status_code for r in others] == [200, 200]
    assert others[0].json() == others[1].json()


def test_a_cache_miss_is_counted_once_not_twice(client, limited):
    # Miss (cache wrapper and the DRF view both see it), then hits: exactly three allowed.
    statuses = [_get(client, "reports:api_reports", "10.0.0.9").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
