"""The compliance counts read the rows kept for the region (review/standing.py), through their
index, and never the region's reports or organs: they cost the same for a town or a country.
PostgreSQL only: the plan is PostgreSQL's.
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
from review.standing import standing_rebuild

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the plan is PostgreSQL's"
)

YEAR = 2023


@pytest.mark.django_db
def test_the_compliance_counts_read_only_the_kept_rows_by_their_index():
    root = Organ.objects.create(name="省", slug="p", kind="other")
    statuses = [Status.DRAFT, Status.SUBMITTED, Status.APPROVED]
    reports = []
    for i in range(30):
        town = Organ.objects.create(name=f"镇{i:02d}", slug=f"t{i}", kind="town", parent=root)
        for year in (YEAR - 2, YEAR - 1, YEAR):
            reports.append(AnnualReport(organ=town, year=year, status=statuses[i % 3]))
    AnnualReport.objects.bulk_create(reports)  # behind the saves: the rebuild counts them
    standing_rebuild()
    rows = ComplianceQuery(year=YEAR, root_ids=[root.pk], today=datetime.date(2024, 3, 1))
    with CaptureQueriesContext(connection) as captured:
        counts = rows.summary()
    assert {key: n for key, (n, _late) in counts.items()} == {s.value: 10 for s in statuses}
    sqls = [q["sql"] for q in captured.captured_queries]
    assert not [sql for sql in sqls if "reports_annualreport" in sql], sqls
    kept = [sql for sql in sqls if "review_compliance" in sql]
    assert len(kept) == 2, sqls
    with connection.cursor() as cursor:
        # A few rows: make the planner show whether an index can answer.
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in kept:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Index" in plan and "Seq Scan" not in plan, plan
