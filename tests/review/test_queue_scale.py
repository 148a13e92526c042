"""Staff pages cost the same number of queries with 6 reports in the region or 60."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filing.workflow import Status
from organs.models import Organ
from tests.support.factories import make_report


def queries(client, url: str, params=None) -> int:
    client.get(url, params or {})  # per-process caches (options, deadlines) out of the count
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def add_region(city, start: int, count: int) -> None:
    """Towns with a submitted, an approved and a published report each."""
    for i in range(start, start + count):
        organ = Organ.objects.create(name=f"规模镇{i:03d}", slug=f"scale-{i:03d}", parent=city)
        make_report(organ, 2023, Status.SUBMITTED)
        make_report(organ, 2022, Status.APPROVED)
        make_report(organ, 2021, Status.PUBLISHED)


@pytest.mark.parametrize(
    "url, params",
    [
        ("reports:review_queue", {}),
        ("reports:review_queue", {"page": 2, "approved_page": 2}),
        ("reports:compliance", {}),
        ("reports:compliance", {"year": 2023}),
    ],
)
def test_supervisor_pages_queries_do_not_grow_with_the_region(
    client, city, supervisor, url, params
):
    client.force_login(supervisor)
    add_region(city, 0, 2)
    few = queries(client, reverse(url), params)
    add_region(city, 2, 58)
    assert queries(client, reverse(url), params) == few


def test_workspace_queries_do_not_grow_with_the_clerks_reports(client, clerk, town, city):
    client.force_login(clerk)
    make_report(town, 2023, Status.DRAFT)
    few = queries(client, reverse("reports:workspace"))
    for year in range(2010, 2023):
        make_report(town, year, Status.PUBLISHED)
    add_region(city, 0, 10)  # other organs' reports are not the clerk's
    assert queries(client, reverse("reports:workspace")) == few
