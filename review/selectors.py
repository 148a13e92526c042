"""Reads for the supervisor's review pages: the queue, last year's figures, where values came from.

The writes are in reports/services/review.py; everything here only reads.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from core import layout
from core.figureset import Cell, plain_number
from filing.figures import figures_cells
from filing.models import AnnualReport, AuditEvent, Finding, ParsedValue
from filing.selectors import cell_labels
from filing.services.workflow import previous_report
from filing.workflow import Status
from organs.models import Membership, region_q
from review import deadlines
from review.models import Deadline
from review.standing import path_ids

# Findings that compare the report with the organ's report of the year before.
YEAR_CODES = ("carryover", "s2_stock", "s2_projects")


def can_review(user) -> bool:
    """Supervisors of some region and portal admins: the people with a review queue.

    One query (permissions.is_portal_admin, or a supervisor's membership): every staff page
    asks twice, in the view and in the header.
    """
    if user is None or not user.is_authenticated:
        return False
    if user.is_active and user.is_superuser:
        return True
    roles = [Membership.Role.SUPERVISOR]
    if user.is_active:
        roles.append(Membership.Role.ADMIN)
    return Membership.objects.filter(user=user, role__in=roles).exists()


def review_paths(user) -> list[str] | None:
    """The paths of the regions the user supervises; None for a portal admin (everything).

    One query (the user's admin and supervisor memberships with their organs' paths).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    roles = Membership.objects.filter(
        user=user, role__in=[Membership.Role.SUPERVISOR, Membership.Role.ADMIN]
    ).values_list("role", "organ__path")
    paths = []
    for role, path in roles:
        if role == Membership.Role.ADMIN:
            return None
        paths.append(path)
    return paths


def reviewable_reports(user):
    """Reports the user may review: the queryset twin of permissions.supervises (admins: all).

    The region is a prefix of the organ's materialised path, checked on each report read: a
    page of a province's queue no longer walks the province's tree first.
    """
    paths = review_paths(user)
    if paths is None:
        return AnnualReport.objects.all()
    return AnnualReport.objects.filter(region_q(paths, "organ__path"))


def report_deadline(organ, year: int) -> datetime.date:
    """The publication deadline of an organ's report for a year."""
    return deadlines.deadline_for(organ, year)


def attach_deadlines(reports: list[AnnualReport]) -> None:
    """Deadlines for reports of any years from two queries (the organ tree, the Deadline rows)."""
    if not reports:
        return
    years = {r.year for r in reports}
    rows = Deadline.objects.filter(year__in=years)
    parents = _parents_from_paths(reports)
    if parents is None:  # an organ not loaded with its report, or its path not written yet
        parents = deadlines.ancestor_parents({r.organ_id for r in reports})
    else:  # only the rows of the organs above these reports', however many regions set one
        rows = rows.filter(organ_id__in=list(parents))
    rows = rows.values_list("year", "organ_id", "due_on")
    due_dates: dict[int, dict[int, datetime.date]] = defaultdict(dict)
    for year, organ_id, due_on in rows:
        due_dates[year][organ_id] = due_on
    due = {
        year: deadlines.resolve_deadlines(
            {r.organ_id for r in reports if r.year == year},
            year,
            parents=parents,
            due_dates=due_dates[year],
        )
        for year in years
    }
    today = timezone.localdate()
    for report in reports:
        report.deadline = due[report.year][report.organ_id]
        report.days_left = (report.deadline - today).days
        report.days_overdue = max(0, -report.days_left)


def _parents_from_paths(reports: list[AnnualReport]) -> dict[int, int | None] | None:
    """{organ id: parent id} of the reports' organs and their ancestors, read off the organs'
    paths (no query); None when an organ was not loaded with its report or has no path."""
    parents: dict[int, int | None] = {}
    for report in reports:
        if not AnnualReport.organ.is_cached(report):
            return None
        chain = path_ids(report.organ.path or "")
        if not chain or chain[-1] != report.organ_id:
            return None
        for parent, child in zip([None, *chain], chain, strict=False):
            parents[child] = parent
    return parents


def _finding_count(severity: str):
    """The report's findings of a severity, as a subquery: counted for the page's rows only."""
    return Coalesce(
        Subquery(
            Finding.objects.filter(report=OuterRef("pk"), severity=severity)
            .order_by()
            .values("report")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


def queue_rows(ids) -> dict[int, AnnualReport]:
    """{pk: report} of a queue page's reports, with the organ and their finding counts."""
    if not ids:
        return {}
    severity = Finding.Severity
    reports = (
        AnnualReport.objects.filter(pk__in=list(ids))
        .select_related("organ")
        .defer("overview", "problems", "other_matters")
        .order_by()
        .annotate(
            error_count=_finding_count(severity.ERROR),
            warning_count=_finding_count(severity.WARNING),
        )
    )
    return {r.pk: r for r in reports}


@dataclass
class Change:
    """One figure that differs from the organ's report of the year before."""

    cell: Cell
    label: str
    old: int | float | None
    new: int | float | None

    @property
    def difference(self) -> int | float | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old


@dataclass
class Comparison:
    """This year's report against the organ's previous one."""

    edition: str
    previous: AnnualReport | None
    changes: list[Change] = field(default_factory=list)
    # Cross-year findings (codes in YEAR_CODES) of this report.
    findings: list[Finding] = field(default_factory=list)
    unchanged: int = 0

    @property
    def edition_differs(self) -> bool:
        """Last year's tables used the other edition: only the cells both share are compared."""
        return self.previous is not None and self.previous.edition != self.edition


def year_comparison(*, report: AnnualReport, findings: list[Finding]) -> Comparison:
    """Each figure that changed since last year's report (old, new, difference)."""
    cross = [f for f in findings if f.code in YEAR_CODES]
    previous = previous_report(report)
    if previous is None:
        return Comparison(report.edition, None, findings=cross)
    now = figures_cells(report.figures_dict(), report.edition)
    before = figures_cells(previous.figures_dict(), previous.edition)
    changed = [c for c, v in now.items() if c in before and before[c] != v]
    labels = cell_labels(edition_key=report.edition, cells=changed)
    changes = [
        Change(cell, label, plain_number(before[cell]), plain_number(now[cell]))
        for cell, label in zip(changed, labels, strict=True)
    ]
    unchanged = sum(1 for c, v in now.items() if c in before and before[c] == v)
    return Comparison(
        report.edition, previous, changes=changes, findings=cross, unchanged=unchanged
    )


@dataclass
class Provenance:
    """Where one figure came from: the parsed value behind it and the file it was read from."""

    cell: Cell
    label: str
    value: int | float | None
    source: str
    parsed: ParsedValue

    @property
    def parsed_value(self) -> int | float | None:
        return plain_number(self.parsed.value)

    @property
    def matches(self) -> bool:
        """Whether the report still holds the value the parser read."""
        return self.parsed_value == self.value


def applied_run_ids(report: AnnualReport) -> list[int]:
    """Parse runs applied to the report, in the order they were applied."""
    events = AuditEvent.objects.filter(report=report, action="report.apply_parsed")
    ids: list[int] = []
    for data in events.order_by("at", "id").values_list("data", flat=True):
        run = (data or {}).get("run")
        if isinstance(run, int) and run not in ids:
            ids.append(run)
    return ids


def report_provenance(*, report: AnnualReport) -> list[Provenance]:
    """Each figure a parse run applied to the report supplied, with its raw text and place.

    When several runs were applied, the latest one to read a cell is the one shown.
    """
    run_ids = applied_run_ids(report)
    if not run_ids:
        return []
    order = {pk: i for i, pk in enumerate(run_ids)}
    parsed: dict[Cell, ParsedValue] = {}
    values = ParsedValue.objects.filter(run_id__in=run_ids).select_related("run__attachment")
    for value in sorted(values, key=lambda v: (order[v.run_id], v.pk)):
        parsed[(value.table, value.row, value.column)] = value
    figures = {(f.table, f.row, f.column): f for f in report.figures.all()}
    cells = [c.key for c in layout.edition_cells(report.edition) if c.key in parsed]
    labels = cell_labels(edition_key=report.edition, cells=cells)
    out = []
    for cell, label in zip(cells, labels, strict=True):
        figure = figures.get(cell)
        out.append(
            Provenance(
                cell=cell,
                label=label,
                value=plain_number(figure.value) if figure else None,
                source=figure.get_source_display() if figure else "",
                parsed=parsed[cell],
            )
        )
    return out


def comment_cell_choices(edition_key: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The edition's cells grouped by table, as (cell_name, label) for a cell comment's select."""
    groups = []
    for grid in layout.report_grids(edition_key):
        cells = [c.key for c in grid.cells()]
        # Without the table's title, which the group already names.
        labels = cell_labels(edition_key=edition_key, cells=cells, with_table=False)
        options = [(layout.cell_name(c), label) for c, label in zip(cells, labels, strict=True)]
        groups.append((grid_title(grid), options))
    return groups


@dataclass
class ReadonlyItem:
    """A header or value cell of the read-only grid."""

    item: layout.Head | layout.Slot
    value: int | float | None = None
    findings: list = field(default_factory=list)
    comments: list = field(default_factory=list)

    @property
    def is_head(self) -> bool:
        return self.item.is_head

    @property
    def severity(self) -> str:
        severities = {f.severity for f in self.findings}
        return next((s for s in ("error", "warning") if s in severities), "")


@dataclass
class ReadonlyGrid:
    grid: layout.Grid
    head: list[list[ReadonlyItem]]
    body: list[list[ReadonlyItem]]

    @property
    def title(self) -> str:
        return grid_title(self.grid)


def grid_title(grid: layout.Grid) -> str:
    """ "三、收到和处理政府信息公开申请情况" in the viewer's language (a catalogue entry)."""
    return gettext(f"{grid.numeral}、{grid.caption}")


def readonly_grids(*, report: AnnualReport, findings, comments) -> list[ReadonlyGrid]:
    """The report's tables in the official layout with values, flags and cell comments."""
    values = figures_cells(report.figures_dict(), report.edition)
    by_cell: dict[Cell, list] = defaultdict(list)
    for finding in findings:
        if finding.severity in ("error", "warning"):
            for cell in finding.cells:
                by_cell[tuple(cell)].append(finding)
    comments_by_cell: dict[Cell, list] = defaultdict(list)
    for comment in comments:
        if comment.cell:
            comments_by_cell[comment.cell].append(comment)

    def bind(item):
        if item.is_head:
            return ReadonlyItem(item)
        return ReadonlyItem(
            item,
            value=plain_number(values.get(item.key)),
            findings=by_cell.get(item.key, []),
            comments=comments_by_cell.get(item.key, []),
        )

    return [
        ReadonlyGrid(
            grid,
            head=[[bind(i) for i in row] for row in grid.head],
            body=[[bind(i) for i in row] for row in grid.body],
        )
        for grid in layout.report_grids(report.edition)
    ]


def comments_labelled(*, report: AnnualReport, comments) -> list:
    """The comments, each with ``cell_label`` ("" for the whole report) and ``status_label``."""
    comments = list(comments)
    on_cells = [c for c in comments if c.cell]
    labels = cell_labels(edition_key=report.edition, cells=[c.cell for c in on_cells])
    for comment, label in zip(on_cells, labels, strict=True):
        comment.cell_label = label
    statuses = dict(Status.choices)
    for comment in comments:
        comment.cell_label = getattr(comment, "cell_label", "")
        comment.status_label = statuses.get(comment.status, comment.status)
    return comments
