"""The compliance counts read a year's reports from one index that holds every column they use.

Without an index on the year, the dashboard's one pass over a region scanned every year's
reports (report_one_per_organ_year starts with the organ). PostgreSQL only: the plan is
PostgreSQL's, and SQLite ignores the index's INCLUDE columns.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filing.models import AnnualReport
from filing.workflow import Status
from organs.models import Organ
from review.deadlines import ComplianceQuery

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="INCLUDE columns and the plan are PostgreSQL's"
)

YEAR = 2023


@pytest.mark.django_db
def test_the_compliance_counts_are_an_index_only_scan_of_the_year():
    root = Organ.objects.create(name="省", slug="p", kind="other")
    statuses = [Status.DRAFT, Status.SUBMITTED, Status.APPROVED]
    reports = []
    for i in range(30):
        town = Organ.objects.create(name=f"镇{i:02d}", slug=f"t{i}", kind="town", parent=root)
        for year in (YEAR - 2, YEAR - 1, YEAR):
            reports.append(AnnualReport(organ=town, year=year, status=statuses[i % 3]))
    AnnualReport.objects.bulk_create(reports)
    rows = ComplianceQuery(year=YEAR, root_ids=[root.pk], today=datetime.date(2024, 3, 1))
    with CaptureQueriesContext(connection) as captured:
        counts = rows.summary()
    assert {key: n for key, (n, _late) in counts.items()} == {s.value: 10 for s in statuses}
    sql = [q["sql"] for q in captured.captured_queries if "WITH compliance" in q["sql"]][0]
    with connection.cursor() as cursor:
        # A few rows: make the planner show whether the index can answer alone (a column
        # missing from it turns this into an Index Scan, or a scan of the table).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    reads = [line.strip() for line in plan.splitlines() if " on reports_annualreport " in line]
    assert reads, plan
    assert all(
        "Index Only Scan using report_year_organ_idx on reports_annualreport" in line
        for line in reads
    ), plan
