"""The public list and the API list page by cursor: every row once, in order, ties included,
and the same number of queries whatever the number of reports."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import formats
from core.figureset import empty_figures
from filing.workflow import Status
from organs.models import Organ
from public import keyset
from public import selectors as public_selectors
from tests.support.factories import make_report

NEXT = re.compile(r'<a rel="next" href="([^"]+)"')
PREV = re.compile(r'<a rel="prev" href="([^"]+)"')


def figures(received: int) -> dict:
    result = empty_figures(formats.EDITION_2021)
    result[formats.SECTION3]["一"] = [received, 0, 0, 0, 0, 0, received]
    result[formats.SECTION3]["三.一"] = [received, 0, 0, 0, 0, 0, received]
    result[formats.SECTION4] = [0, 1, 0, 0, 1] + [0] * 10
    return result


@pytest.fixture
def many(city):
    """18 reports: three organs share one name (ties on the organ sort), received ties too."""
    organs = [
        Organ.objects.create(
            name="同名镇" if i < 3 else f"镇{i:02d}", slug=f"t{i:02d}", parent=city
        )
        for i in range(6)
    ]
    for i, organ in enumerate(organs):
        for year in (2021, 2022, 2023):
            make_report(organ, year, Status.PUBLISHED, figures=figures((i + year) % 3))
    return organs


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 4 rows, and page numbers only up to 2: the rest is walked by cursor."""
    monkeypatch.setattr(public_selectors, "PAGE_SIZE", 4)
    monkeypatch.setattr(keyset, "MAX_PAGE", 2)


def rows(response) -> list[str]:
    return [f"{p.organ.slug}/{p.year}" for p in response.context["page"].object_list]


def walk(client, first_url: str, pattern=NEXT) -> list[list[str]]:
    pages, url = [], first_url
    while url:
        response = client.get(url)
        assert response.status_code == 200
        pages.append(rows(response))
        found = pattern.search(response.content.decode())
        url = reverse("reports:report_list") + unescape(found.group(1)) if found else None
        assert len(pages) < 20
    return pages


@pytest.mark.parametrize("sort", ["year", "organ", "received"])
def test_walking_the_list_by_next_links_shows_every_report_once_in_order(
    client, many, small_pages, sort
):
    pages = walk(client, reverse("reports:report_list") + f"?sort={sort}")
    walked = [row for page in pages for row in page]
    assert len(walked) == len(set(walked)) == 18
    assert walked == [f"{p.organ.slug}/{p.year}" for p in all_in_order(sort)]
    assert all(len(page) == 4 for page in pages[:-1])


def all_in_order(sort: str) -> list:
    """The list's order as OFFSET pagination had it (SORTS, then pk)."""
    from public.filters import PublicListFilter
    from public.models import Publication

    options = public_selectors.filter_options()
    qs = PublicListFilter(
        {"sort": sort},
        queryset=Publication.objects.current().select_related("organ"),
        years=options["years"],
        regions=options["regions"],
    ).qs
    return list(qs)


def test_previous_links_walk_back_through_the_same_pages(client, many, small_pages):
    forward = walk(client, reverse("reports:report_list") + "?sort=organ")
    url = reverse("reports:report_list") + "?sort=organ"
    for _ in range(len(forward) - 1):  # to the last page by next links
        found = NEXT.search(client.get(url).content.decode())
        url = reverse("reports:report_list") + unescape(found.group(1))
    backward = walk(client, url, PREV)
    assert backward == list(reversed(forward))


def test_a_broken_cursor_shows_the_first_page(client, many, small_pages):
    first = rows(client.get(reverse("reports:report_list")))
    assert rows(client.get(reverse("reports:report_list"), {"cursor": "not-a-cursor"})) == first


def list_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reports:report_list"), params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params", [{}, {"page": 2}, {"sort": "received", "year": 2023}, {"q": "镇"}]
)
def test_list_queries_do_not_grow_with_the_reports_or_the_depth(client, city, params, settings):
    organs = [Organ.objects.create(name=f"镇{i}", slug=f"z{i}", parent=city) for i in range(40)]
    for organ in organs[:4]:
        make_report(organ, 2023, Status.PUBLISHED, overview="镇 依申请")
    list_queries(client, params)  # the filter options, cached per public version
    few = list_queries(client, params)
    for organ in organs[4:]:
        make_report(organ, 2023, Status.PUBLISHED, overview="镇 依申请")
        make_report(organ, 2022, Status.PUBLISHED, overview="镇 依申请")
    many = list_queries(client, params)
    # A first page that holds every match is its own count (public.keyset.bounded_page):
    # the few reports may cost the count query less, never more.
    assert few <= many <= few + 1
    # A deep page by cursor costs what the first page does.
    cursor = keyset.encode("n", [2022, "镇9", 10**6])
    assert list_queries(client, {**params, "cursor": cursor}) == many


def test_the_api_follows_page_numbers_then_cursors_without_gaps(client, many, monkeypatch):
    monkeypatch.setattr(keyset, "MAX_PAGE", 2)
    url = reverse("reports:api_reports") + "?page_size=4"
    seen, links = [], []
    while url:
        body = client.get(url).json()
        # Counted up to the rows page numbers reach (2 pages of 4), then "more than".
        assert body["count"] == 8 and body["count_capped"] is True
        seen += [(r["organ"], r["year"]) for r in body["results"]]
        links.append(body["next"])
        url = body["next"]
    assert len(seen) == len(set(seen)) == 18
    assert "page=2" in links[0] and "cursor=" in links[1]
    assert client.get(reverse("reports:api_reports"), {"page": 3}).status_code == 404
