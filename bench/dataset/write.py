"""Writing drawn batches: reports, cells, findings, publications, in bulk; and clearing them.

Rows are written in batches (PostgreSQL COPY for the millions of cells), never one service
call per report; published reports get the same Publication and PublishedFigure fields as
review.services.report_publish writes, because publication_build builds them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from bench.dataset.draw import Item
from bench.dataset.organs import PREFIX
from core.checks import ERROR
from filing.models import AnnualReport, AuditEvent, Figure, Finding
from filing.workflow import Status
from organs.models import Membership, Organ
from public.models import Publication, PublishedFigure, RegionSum, RegionYear
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
    unchecked_keys: bool = False  # foreign keys written without triggers, verified at the end
    peak_rss_mb: int = 0  # this process
    peak_worker_rss_mb: int = 0  # the largest drawing process


def _text(value) -> str:
    """One field in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        text = text.replace("\r", "\\r")
    return text


def copies() -> bool:
    """Whether cells are written with COPY (PostgreSQL) rather than bulk_create."""
    return connection.vendor == "postgresql"


def _cells_write(model, head: list[str], tail: list[str], groups: Iterable[tuple]) -> int:
    """Rows of cells: each group is (head values, {(table, row, column): value}, tail values).

    On PostgreSQL the rows stream into COPY in its text format (the cell labels formatted
    once, a group's head and tail once per group); elsewhere bulk_create.
    """
    columns = [*head, "table", "row", "column", "value", *tail]
    fields = [model._meta.get_field(c) for c in columns]
    if not copies():
        names = [f.attname for f in fields]
        objects = (
            model(**dict(zip(names, (*h, *cell, value, *t), strict=True)))
            for h, cells, t in groups
            for cell, value in cells.items()
        )
        return len(model.objects.bulk_create(objects, batch_size=1000))
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
    count, lines = 0, []
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for h, cells, t in groups:
            start = "".join(_text(v) + "\t" for v in h)
            end = "".join("\t" + _text(v) for v in t) + "\n"
            for cell, value in cells.items():
                label = _LABELS.get(cell)
                if label is None:
                    label = _LABELS[cell] = "\t".join(_text(v) for v in cell)
                number = "\\N" if value is None else str(value)  # a Decimal never needs escaping
                lines.append(f"{start}{label}\t{number}{end}")
            if len(lines) >= COPY_CHUNK:
                copy.write("".join(lines))
                count, lines = count + len(lines), []
        copy.write("".join(lines))
    return count + len(lines)


_LABELS: dict[tuple, str] = {}  # a cell's (table, row, column) in COPY text
COPY_CHUNK = 20_000  # rows handed to COPY at a time


def _bulk_session() -> bool:
    """Settings for a bulk load in this transaction; True when foreign keys go unchecked.

    Commits do not wait for the disk (a crash loses only the last batches, which --clear
    redoes anyway). A superuser also skips the row-by-row foreign-key triggers, which cost
    more than the rows themselves: every key written comes from rows of the same batch or
    of the organ tree, and foreign_keys_verify checks all of them in bulk at the end.
    """
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = bool(cursor.fetchone()[0])
        if superuser:
            cursor.execute("SET LOCAL session_replication_role = replica")
    return superuser


def batch_write(items: list[Item], publisher, stats: Stats, last_year: int) -> None:
    """One batch: reports, cells, findings, publications and their cells, in one transaction."""
    now = timezone.now()
    stats.unchecked_keys = _bulk_session() or stats.unchecked_keys
    AnnualReport.objects.bulk_create([i.report for i in items])
    stats.figures += _cells_write(
        Figure, ["report"], ["source", "updated_at"],
        (((i.report.pk,), i.cells, (Figure.Source.MANUAL, now)) for i in items),
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
    stats.published_figures += _cells_write(
        PublishedFigure, ["publication", "organ", "year", "edition"], ["is_current"],
        (((p.pk, p.organ_id, p.year, p.edition), i.published_cells, (True,))
         for i, p in zip(published, publications, strict=True)),
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
    # The review queue orders by submitted_at: the submission event's time, as the workflow
    # (and the migration that added it) sets it.
    AnnualReport.objects.filter(pk__in=[e.report_id for e in events]).update(
        submitted_at=Subquery(
            AuditEvent.objects.filter(report=OuterRef("pk"), action="report.submitted")
            .order_by("-at", "-id")
            .values("at")[:1]
        )
    )


def dataset_clear() -> None:
    """Remove everything generated (organs and users whose slug/name starts with gen-)."""
    organs = Organ.objects.filter(slug__startswith=PREFIX)
    reports = AnnualReport.objects.filter(organ__in=organs)
    with transaction.atomic():
        PublishedFigure.objects.filter(organ__in=organs).delete()
        # The generated regions' kept sums (the rest is made true by the rebuild that ends
        # every generation).
        RegionSum.objects.filter(region__in=organs)._raw_delete(connection.alias)
        RegionYear.objects.filter(region__in=organs)._raw_delete(connection.alias)
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


def foreign_keys_verify() -> None:
    """Every foreign key of the generated tables points at a row (after a load without triggers).

    One anti-join per key over the whole table, instead of one trigger call per row written.
    """
    models = (Organ, AnnualReport, Figure, Finding, Publication, PublishedFigure, AuditEvent,
              ReviewComment, Deadline, Membership)  # fmt: skip
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")  # hash anti-joins in memory
        for model in models:
            for fk in model._meta.concrete_fields:
                if not fk.is_relation or not fk.db_constraint:
                    continue
                target = fk.target_field
                cursor.execute(
                    f"SELECT count(*) FROM {quote(model._meta.db_table)} c"
                    f" WHERE c.{quote(fk.column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM"
                    f" {quote(target.model._meta.db_table)} p"
                    f" WHERE p.{quote(target.column)} = c.{quote(fk.column)})"
                )
                missing = cursor.fetchone()[0]
                if missing:
                    raise ValueError(f"{missing} rows of {model.__name__}.{fk.name} point nowhere")


def analyze() -> None:
    """Fresh planner statistics and visibility map after a bulk load (PostgreSQL, autocommit)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    models = (Organ, AnnualReport, Figure, Finding, Publication, PublishedFigure, RegionSum,
              RegionYear)  # fmt: skip
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
