"""Behaviour that only PostgreSQL provides (skipped on SQLite)."""

from decimal import Decimal

import pytest
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import DataError, connection
from django.db.models import Q, Sum

from core import formats
from filing.figures import figures_set
from filing.models import AnnualReport, Attachment, Figure, ParseRun

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_database_is_postgresql_when_configured():
    assert connection.vendor == "postgresql"
    assert connection.pg_version >= 130000


def test_figures_aggregate_across_towns_in_the_database(town, other_town):
    for organ, received in ((town, 4), (other_town, 6)):
        report = AnnualReport.objects.create(organ=organ, year=2023, edition="2021")
        figures_set(
            report=report, figures={"section3": {"一": [received, 0, 0, 0, 0, 0, received]}}
        )
    totals = (
        Figure.objects.filter(table=formats.SECTION3, row="一", column=formats.TOTAL_COLUMN)
        .values("report__year")
        .annotate(
            total=Sum("value"),
            towns=ArrayAgg("report__organ__slug", order_by="report__organ__slug"),
            nonzero=ArrayAgg("report__organ__slug", filter=Q(value__gt=4)),
        )
    )
    assert list(totals) == [
        {
            "report__year": 2023,
            "total": Decimal("10.00"),
            "towns": ["yinglin", "zimao"],
            "nonzero": ["yinglin"],
        }
    ]


def test_parse_results_can_be_queried_by_json_containment(town):
    attachment = Attachment.objects.create(
        file="attachments/x.txt", original_name="x.txt", sha256="a" * 64, size=1
    )
    ParseRun.objects.create(attachment=attachment, result={"edition": "2019", "year": 2023})
    ParseRun.objects.create(attachment=attachment, result={"edition": "2021", "year": 2023})
    found = ParseRun.objects.filter(result__contains={"edition": "2019"})
    assert [run.result["edition"] for run in found] == ["2019"]


def test_text_with_nul_bytes_is_refused_so_extractors_must_strip_them(town):
    attachment = Attachment.objects.create(
        file="attachments/y.txt", original_name="y.txt", sha256="b" * 64, size=1
    )
    with pytest.raises(DataError, match="NUL"):
        ParseRun.objects.create(attachment=attachment, extracted_text="a\x00b")
