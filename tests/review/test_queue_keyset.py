"""The review queue past its page numbers: cursors walk on in the queue's order, both ways,
and the count stops where page numbers end."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from filing.models import AnnualReport
from filing.workflow import Status
from organs.models import Organ
from review import queue
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(city, monkeypatch):
    """Eleven submitted reports: two never submitted through the workflow (NULL), ties in time."""
    monkeypatch.setattr(queue, "QUEUE_PAGE_SIZE", 2)
    monkeypatch.setattr(queue, "MAX_PAGE", 2)
    when = timezone.make_aware(datetime.datetime(2024, 1, 5, 9))
    reports = []
    for i in range(11):
        organ = Organ.objects.create(name=f"队列镇{i:02d}", slug=f"queue-{i:02d}", parent=city)
        report = make_report(organ, 2023, Status.SUBMITTED)
        if i >= 2:  # pairs share a time: the id breaks the tie
            stamp = when + datetime.timedelta(hours=(13 - i) // 2)
            AnnualReport.objects.filter(pk=report.pk).update(submitted_at=stamp)
        reports.append(report)
    order = AnnualReport.objects.filter(status=Status.SUBMITTED)
    nulls = list(
        order.filter(submitted_at__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    dated = order.filter(submitted_at__isnull=False).order_by("submitted_at", "pk")
    return nulls + list(dated.values_list("pk", flat=True))


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="\?([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _page(client, query: str):
    response = client.get(reverse("reports:review_queue") + "?" + query)
    assert response.status_code == 200
    return response.context["submitted"], response.content.decode()


def test_cursors_walk_the_whole_queue_forward_and_back_without_gaps(client, supervisor, queued):
    client.force_login(supervisor)
    page, html = _page(client, "")
    seen, pages = [r.pk for r in page], [page]
    while (query := _link(html, "next")) is not None:
        page, html = _page(client, query)
        seen += [r.pk for r in page]
        pages.append(page)
    assert seen == queued
    # Page numbers up to MAX_PAGE, then cursors.
    assert [p.number for p in pages[:2]] == [1, 2]
    assert all(p.number is None for p in pages[2:])
    assert "cursor=" in _link(_page(client, "page=2")[1], "next")
    back = [r.pk for r in page]
    while (query := _link(html, "prev")) is not None:
        page, html = _page(client, query)
        back = [r.pk for r in page] + back
    assert back == queued and page.number == 1


def test_the_count_stops_where_page_numbers_end(client, supervisor, queued):
    client.force_login(supervisor)
    page, html = _page(client, "")
    assert page.count_capped and page.paginator.count == 4
    assert "超过 4 份报告" in html
    # A page number past MAX_PAGE shows the last numbered page.
    assert _page(client, "page=9")[0].number == 2


def test_an_exact_count_below_the_bound_and_the_last_page_past_the_end(
    client, supervisor, queued, monkeypatch
):
    monkeypatch.setattr(queue, "MAX_PAGE", 10)
    client.force_login(supervisor)
    page, html = _page(client, "page=99")
    assert not page.count_capped and page.paginator.count == len(queued)
    assert page.number == 6 and [r.pk for r in page] == queued[10:]
    assert "共 11 份报告" in html


FUTURE = timezone.make_aware(datetime.datetime(2100, 1, 1))


@pytest.mark.parametrize(
    "cursor", ["junk", "bnVsbA", queue.encode(False, queue.QueueKey(FUTURE, 1))]
)
def test_a_cursor_that_is_not_ours_or_past_the_end_shows_the_first_page(
    client, supervisor, queued, cursor
):
    client.force_login(supervisor)
    page, _html = _page(client, f"cursor={cursor}")
    assert page.number == 1 and [r.pk for r in page] == queued[:2]


def test_the_approved_queue_pages_with_its_own_cursor(client, supervisor, queued, monkeypatch):
    AnnualReport.objects.filter(pk__in=queued).update(status=Status.APPROVED)
    client.force_login(supervisor)
    seen, query = [], ""
    while query is not None:
        response = client.get(reverse("reports:review_queue") + "?" + query)
        seen += [r.pk for r in response.context["approved"]]
        html = response.content.decode()
        query = _link(html, "next")
        assert query is None or query.startswith(("approved_page=", "approved_cursor="))
    assert seen == queued
