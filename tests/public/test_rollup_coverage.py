"""The roll-up's coverage: counted from the compliance counts kept per region, naming only the
unpublished and late organs, with the same answers as counting every organ of the region."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filing.workflow import Status
from organs.models import Organ
from public import rollup as rollups
from public import rollup_export
from review.deadlines import OrganTree, compliance_rows
from review.models import Deadline
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db
YEAR = 2023
TODAYS = (datetime.date(2024, 1, 20), datetime.date(2024, 3, 1))


@pytest.fixture
def county():
    county = Organ.objects.create(name="覆盖县", slug="cover", kind="county")
    inner = Organ.objects.create(
        name="覆盖县城区", slug="cover-inner", kind="district", parent=county
    )
    towns = [
        Organ.objects.create(name=f"覆盖镇{i}", slug=f"cover-{i}", kind="town", parent=parent)
        for i, parent in enumerate([county, county, county, inner, inner, inner])
    ]
    make_report(towns[0], YEAR, Status.PUBLISHED, published_on=datetime.date(2024, 1, 10))
    make_report(towns[1], YEAR, Status.PUBLISHED, published_on=datetime.date(2024, 2, 8))
    make_report(towns[3], YEAR, Status.PUBLISHED, published_on=datetime.date(2024, 2, 8))
    make_report(towns[4], YEAR, Status.SUBMITTED)
    # The inner district has until 15 February: its town published on 8 February is on time.
    Deadline.objects.create(organ=inner, year=YEAR, due_on=datetime.date(2024, 2, 15))
    return county


def test_the_coverage_counts_and_names_agree_with_counting_every_organ(county):
    for today in TODAYS:
        coverage = rollups.region_rollup(organ=county, year=YEAR, today=today).coverage
        rows = compliance_rows(year=YEAR, tree=OrganTree.load(), root_ids=[county.pk], today=today)
        published = [r for r in rows if r.is_published]
        assert coverage.total == len(rows) == 6
        assert coverage.included_count == len(published) == 3
        assert coverage.unpublished_count == 3
        assert coverage.late_count == sum(r.days_late > 0 for r in published) == 1
        assert coverage.unpublished == [r for r in rows if not r.is_published]
        assert coverage.late == [r for r in published if r.days_late > 0]
        assert [r.organ.slug for r in coverage.late] == ["cover-1"]
        assert coverage.query.all() == rows
        rollup = rollups.region_rollup(organ=county, year=YEAR, today=today)
        assert rollup.included_slugs == [r.organ.slug for r in published]


def test_the_page_reads_only_the_organs_it_names(county, client):
    url = reverse("reports:region_rollup", kwargs={"slug": county.slug, "year": YEAR})
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()
    assert "应报机关" in page and "覆盖镇5" in page and "覆盖镇0" not in page
    # Published on time: neither listed nor read as a row of the coverage.
    named = [q["sql"] for q in captured.captured_queries if "WITH compliance" in q["sql"]]
    assert len(named) == 1 and "status_key <> " in named[0]
    note = rollup_export.coverage_note(rollups.region_rollup(organ=county, year=YEAR))
    assert "应报机关 6 个" in note and "已发布并计入 3 个" in note and "逾期发布 1 个" in note
