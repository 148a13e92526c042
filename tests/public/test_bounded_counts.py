"""The list, its search and the API count only the rows page numbers reach: "more than N"
past that, the same mechanism (public.keyset.bounded_page) for all three."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filing.workflow import Status
from organs.models import Organ
from public import keyset
from public import selectors as public_selectors
from tests.support.factories import make_report


@pytest.fixture
def five(city):
    """Five current publications of five towns (2023)."""
    for i in range(5):
        organ = Organ.objects.create(name=f"镇{i}", slug=f"b{i}", parent=city)
        make_report(organ, 2023, Status.PUBLISHED, overview="全年收到申请。")


@pytest.fixture
def two_pages_of_two(monkeypatch):
    """Page numbers up to 2 of 2 rows: the count stops after 4 rows."""
    monkeypatch.setattr(keyset, "MAX_PAGE", 2)
    monkeypatch.setattr(public_selectors, "PAGE_SIZE", 2)


def count_sql(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]


@pytest.mark.parametrize("params", [{}, {"year": 2023}, {"q": "申请"}])
def test_the_list_count_stops_at_the_rows_page_numbers_reach(client, five, two_pages_of_two,
                                                             params):  # fmt: skip
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("reports:report_list"), params)
    html = response.content.decode()
    assert "超过 4 份报告" in html and "共 5 份报告" not in html
    assert "第 1 页" in html and "共 3 页" not in html
    page = response.context["page"]
    assert page.count == 4 and page.count_capped
    # The database counted at most one row past the bound, never every match.
    (sql,) = count_sql(captured)
    assert "LIMIT 5" in sql.upper()


def test_a_count_within_the_bound_is_exact(client, five, two_pages_of_two):
    response = client.get(reverse("reports:report_list"), {"q": "镇1"})
    assert "共 1 份报告" in response.content.decode()
    assert not response.context["page"].count_capped


def test_a_first_page_holding_every_match_is_its_own_count(client, five):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("reports:report_list"), {"q": "镇1"})
    assert "共 1 份报告" in response.content.decode()
    assert count_sql(captured) == []  # the rows were counted as they were read
    with CaptureQueriesContext(connection) as captured:
        second = client.get(reverse("reports:report_list"), {"q": "镇1", "page": 2})
    assert "共 1 份报告" in second.content.decode()  # past the end: counted, the last page
    assert len(count_sql(captured)) == 1


def test_the_capped_list_still_walks_every_row_by_page_then_cursor(client, five,
                                                                   two_pages_of_two):  # fmt: skip
    url = reverse("reports:report_list")
    first = client.get(url).context["page"]
    second = client.get(url, {"page": 2}).context["page"]
    assert second.number == 2 and second.next_cursor  # page numbers end: a cursor goes on
    third = client.get(url, {"cursor": second.next_cursor}).context["page"]
    slugs = [p.organ.slug for page in (first, second, third) for p in page.object_list]
    assert sorted(slugs) == [f"b{i}" for i in range(5)]
    assert third.count_capped and not third.has_next


def test_the_api_says_when_its_count_is_capped(client, five, monkeypatch):
    monkeypatch.setattr(keyset, "MAX_PAGE", 2)
    url = reverse("reports:api_reports")
    capped = client.get(url, {"page_size": 2}).json()
    assert capped["count"] == 4 and capped["count_capped"] is True
    assert len(capped["results"]) == 2 and "page=2" in capped["next"]
    # A bigger page reaches every row: the count is exact.
    exact = client.get(url, {"page_size": 3}).json()
    assert exact["count"] == 5 and exact["count_capped"] is False
    narrow = client.get(url, {"page_size": 2, "organ": "b3"}).json()
    assert narrow["count"] == 1 and narrow["count_capped"] is False


def test_the_api_documentation_explains_a_capped_count(client):
    html = client.get(reverse("reports:api_docs")).content.decode()
    assert "count_capped" in html and f"第 {keyset.MAX_PAGE} 页" in html
