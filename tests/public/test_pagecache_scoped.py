"""Report and organ pages stay cached when another organ publishes; their own organ's
publication, an organ change or an explicit bump makes them stale."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filing.workflow import Status
from organs.models import Organ
from public import versioning
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PORTAL_PAGE_CACHE = True


@pytest.fixture
def two_towns(city, django_capture_on_commit_callbacks):
    first = Organ.objects.create(name="甲镇", slug="jia", parent=city)
    second = Organ.objects.create(name="乙镇", slug="yi", parent=city)
    with django_capture_on_commit_callbacks(execute=True):
        make_report(first, 2023, Status.PUBLISHED, overview="甲镇总体情况")
        make_report(second, 2023, Status.PUBLISHED, overview="乙镇总体情况")
    return first, second


def cached(client, url) -> bool:
    """Whether the page comes from the cache (a hit asks the database nothing)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured) == 0


def test_another_organs_publication_leaves_report_and_organ_pages_cached(
    client, two_towns, django_capture_on_commit_callbacks
):
    first, second = two_towns
    pages = ("/reports/jia/2023/", "/organs/jia/", "/reports/yi/2023/", "/organs/yi/")
    for url in (*pages, "/reports/"):
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        make_report(second, 2022, Status.PUBLISHED)
    assert cached(client, "/reports/jia/2023/")
    assert cached(client, "/organs/jia/")
    # Its own organ's pages and the pages of every organ (the list) are stale.
    assert not cached(client, "/organs/yi/")
    assert "2022" in client.get("/organs/yi/").content.decode()
    assert not cached(client, "/reports/yi/2023/")
    assert not cached(client, "/reports/")


def test_an_organ_change_or_an_explicit_bump_makes_every_page_stale(client, two_towns):
    first, second = two_towns
    client.get("/reports/jia/2023/")
    second.name = "乙镇新名"
    second.save()  # its name shows in the tree every page links
    assert not cached(client, "/reports/jia/2023/")
    versioning.public_version_bump()
    assert not cached(client, "/reports/jia/2023/")
    assert cached(client, "/reports/jia/2023/")


def test_an_evicted_organ_version_never_matches_an_older_entry(client, two_towns):
    client.get("/reports/jia/2023/")
    for key in versioning.scoped_version_keys("jia"):
        cache.delete(key)
    assert not cached(client, "/reports/jia/2023/")
