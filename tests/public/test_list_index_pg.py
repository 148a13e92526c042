"""On PostgreSQL each order of the public list and the API is read off an index over current
publications, from the page's first row on: no join to the organs to sort, no sort at all."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filing.workflow import Status
from organs.models import Organ
from public import keyset
from public import selectors as public_selectors
from public.filters import PublicListFilter
from public.models import Publication
from public.views.pages import LIST_COLUMNS, list_rows
from tests.support.factories import make_report

PUBLICATIONS = "on reports_publication"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


@pytest.fixture
def published(city):
    for i in range(4):
        organ = Organ.objects.create(name=f"镇{i}", slug=f"z{i}", parent=city)
        for year in (2022, 2023):
            make_report(organ, year, Status.PUBLISHED)


def page_queryset(params: dict):
    """The list view's filtered queryset and its sort keys."""
    options = public_selectors.filter_options()
    filterset = PublicListFilter(
        params,
        queryset=Publication.objects.current().only(*LIST_COLUMNS),
        years=options["years"],
        regions=options["regions"],
    )
    return list_rows(filterset.qs), filterset.sort_keys


def plan(queryset) -> str:
    # A handful of rows make a scan and a sort cheaper: forbid both, so only a plan that
    # reads the rows in order from an index is left (or the sort shows in the plan).
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
    return queryset.explain()


@pytest.mark.parametrize(
    "params, index",
    [
        ({"sort": "organ"}, "publication_list_organ_idx"),
        ({}, "publication_list_year_idx"),
        ({"year": "2023"}, "publication_list_year_idx"),
        ({"sort": "received"}, "publication_list_received_idx"),
        ({"sort": "received", "year": "2023"}, "publication_list_year_received_idx"),
        ({"edition": "2021"}, "publication_list_edition_idx"),
        # Every report here has the 2021 form: the planner may as well read the year's.
        ({"sort": "received", "year": "2023", "edition": "2021"},
         ("publication_list_edition_received_idx", "publication_list_year_received_idx")),
    ],
)  # fmt: skip
def test_a_list_page_is_read_in_order_off_its_index(published, params, index):
    queryset, keys = page_queryset(params)
    page = queryset.order_by(*keyset.ordering(keys))[50:101]
    explained = plan(page)
    assert any(name in explained for name in ((index,) if isinstance(index, str) else index))
    assert "Sort" not in explained


def test_the_api_order_is_the_year_index(published):
    from data.api.views import ReportList

    explained = plan(ReportList.queryset[:51])
    assert "publication_list_year_idx" in explained and "Sort" not in explained


@pytest.mark.parametrize("sort", ["year", "organ", "received"])
def test_a_cursor_page_starts_each_range_at_the_cursor(published, sort):
    queryset, keys = page_queryset({"sort": sort})
    rows = list(queryset.order_by(*keyset.ordering(keys)))
    middle = keyset._values(rows[3], keys)
    for backwards in (False, True):
        with CaptureQueriesContext(connection) as captured:
            found = keyset.rows_after(queryset, keys, middle, backwards, 3)
        expected = rows[4:7] if not backwards else rows[:3][::-1]
        assert [p.pk for p in found] == [p.pk for p in expected]
        (query,) = captured.captured_queries
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + query["sql"])
            explained = "\n".join(row[0] for row in cursor.fetchall())
        # Each range is an index range (the cursor's values in its Index Cond), not a walk
        # from the start of the index that filters out every row before the cursor.
        lines = explained.splitlines()
        scans = [i for i, line in enumerate(lines) if "Index Scan" in line and PUBLICATIONS in line]
        assert len(scans) == len(keyset.after_ranges(keys, middle, backwards)) > 1
        for i in scans:
            assert "publication_list_" in lines[i] and "Index Cond" in lines[i + 1]
        assert "Filter" not in explained
