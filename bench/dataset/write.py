"""Writing drawn batches: reports, cells, findings, publications, in bulk; and clearing them.

Rows are written in batches (PostgreSQL COPY for the millions of cells), never one service
call per report; published reports get the same Publication and PublishedFigure fields as
review.services.report_publish writes, because publication_build builds them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from bench.dataset.draw import Item
from bench.dataset.organs import PREFIX
from core.checks import ERROR
from filing.figures import figures_cells
from filing.models import AnnualReport, AuditEvent, Figure, Finding
from filing.workflow import Status
from organs.models import Membership, Organ
from public.models import Publication, PublishedFigure
from public.services import publication_build
from review.models import Deadline, ReviewComment

RETURN_REASON = "表三数据与上一年度“结转下年度继续办理”不一致，请核实后重新提交。"


@dataclass
class Stats:
    organs: int = 0
    reports: int = 0
    figures: int = 0
    publications: int = 0
    published_figures: int = 0
    findings: int = 0
    with_errors: int = 0
    seconds: float = 0.0
    by_status: dict = field(default_factory=dict)


def _copy_or_bulk(model, columns: list[str], rows, objects: Callable) -> int:
    """COPY rows into the model's table on PostgreSQL; bulk_create elsewhere."""
    rows = list(rows)
    if connection.vendor != "postgresql":
        model.objects.bulk_create((objects(r) for r in rows), batch_size=1000)
        return len(rows)
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    return len(rows)


def batch_write(items: list[Item], publisher, stats: Stats, last_year: int) -> None:
    """One batch: reports, cells, findings, publications and their cells, in one transaction."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A bulk load: a crash loses only the last batches, which --clear redoes anyway.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    AnnualReport.objects.bulk_create([i.report for i in items])
    cols = ["report", "table", "row", "column", "value", "source", "updated_at"]
    stats.figures += _copy_or_bulk(
        Figure, cols,
        ((i.report.pk, t, r, c, v, Figure.Source.MANUAL, now)
         for i in items for (t, r, c), v in i.cells.items()),
        lambda x: Figure(report_id=x[0], table=x[1], row=x[2], column=x[3], value=x[4],
                         source=x[5]),
    )  # fmt: skip
    findings = []
    for item in items:
        for f in item.findings:
            f.report = item.report
        findings += item.findings
        stats.with_errors += any(f.severity == ERROR for f in item.findings)
        status = str(item.report.status)
        stats.by_status[status] = stats.by_status.get(status, 0) + 1
    Finding.objects.bulk_create(findings, batch_size=1000)
    stats.findings += len(findings)
    published = [i for i in items if i.published_on]
    publications = Publication.objects.bulk_create([_publication(i, publisher) for i in published])
    cols = ["publication", "organ", "year", "edition", "table", "row", "column", "value",
            "is_current"]  # fmt: skip
    stats.published_figures += _copy_or_bulk(
        PublishedFigure, cols,
        ((p.pk, p.organ_id, p.year, p.edition, t, r, c, v, True)
         for p in publications for (t, r, c), v in figures_cells(p.figures, p.edition).items()),
        lambda x: PublishedFigure(publication_id=x[0], organ_id=x[1], year=x[2], edition=x[3],
                                  table=x[4], row=x[5], column=x[6], value=x[7], is_current=x[8]),
    )  # fmt: skip
    AnnualReport.objects.filter(pk__in=[i.report.pk for i in published]).update(
        current_publication=Subquery(
            Publication.objects.filter(report=OuterRef("pk"), is_current=True).values("pk")[:1]
        )
    )
    stats.publications += len(publications)
    stats.reports += len(items)
    _workflow_traces(items, publisher, last_year)


def _publication(item: Item, publisher) -> Publication:
    """A first publication, built exactly as report_publish builds one."""
    return publication_build(
        report=item.report,
        figures=item.figures,
        findings=item.findings,
        published_on=item.published_on,
        published_by=publisher,
    )


def _workflow_traces(items: list[Item], supervisor, last_year: int) -> None:
    """Audit events for this year's submissions and the reason of each return."""
    events, comments = [], []
    for item in items:
        report = item.report
        if report.status == Status.DRAFT or report.year < last_year:
            continue
        events.append(AuditEvent(report=report, action="report.submitted",
                                 from_status=Status.DRAFT, to_status=Status.SUBMITTED))  # fmt: skip
        if report.status == Status.RETURNED:
            comments.append(ReviewComment(report=report, author=supervisor, body=RETURN_REASON,
                                          status=Status.RETURNED))  # fmt: skip
    AuditEvent.objects.bulk_create(events)
    ReviewComment.objects.bulk_create(comments)


def dataset_clear() -> None:
    """Remove everything generated (organs and users whose slug/name starts with gen-)."""
    organs = Organ.objects.filter(slug__startswith=PREFIX)
    reports = AnnualReport.objects.filter(organ__in=organs)
    with transaction.atomic():
        PublishedFigure.objects.filter(organ__in=organs).delete()
        Figure.objects.filter(report__in=reports).delete()
        Finding.objects.filter(report__in=reports).delete()
        ReviewComment.objects.filter(report__in=reports).delete()
        AuditEvent.objects.filter(report__in=reports).delete()
        reports.update(current_publication=None)
        Publication.objects.filter(organ__in=organs)._raw_delete(connection.alias)
        reports._raw_delete(connection.alias)
        Deadline.objects.filter(organ__in=organs).delete()
        Membership.objects.filter(organ__in=organs).delete()
        get_user_model().objects.filter(username__startswith=PREFIX).delete()
        organs.update(parent=None)
        organs._raw_delete(connection.alias)


def analyze() -> None:
    """Fresh planner statistics and visibility map after a bulk load (PostgreSQL, autocommit)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    models = (Organ, AnnualReport, Figure, Finding, Publication, PublishedFigure)
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
