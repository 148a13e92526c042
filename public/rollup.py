"""The 汇总 of a region for a year: tables 二, 三, 四 summed over its current publications.

Sums (per edition, table, row, column: the total and the count of reports that filled the
cell) are kept at publication for every region (public/sums.py), so a province's roll-up
reads a few hundred rows, not its millions of cells. A blank cell is never a zero, and the
page says how many contributing reports left a cell blank. Everything is laid out in the 2021 edition; a 2019-edition report
contributes only where its cell means the same (:data:`FROM_2019`), and the 2021 cells it
cannot fill are marked incomplete. The number of queries does not depend on the region's size.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import F, Q
from django.utils import timezone

from core import checks, formats, layout
from core.checks.base import TABLE_NAMES, View
from core.checks.blanks import CODE as TOTAL_BLANK
from core.figureset import Cell, empty_figures, plain_number
from organs.models import Organ, region_q
from public.models import Publication, PublishedFigure
from public.sums import region_cells, region_reports
from review.deadlines import NOT_STARTED, ComplianceQuery, ComplianceRow, OrganNode, OrganTree
from review.standing import PUBLISHED

EDITION = formats.EDITION_2021
OLD = formats.EDITION_2019
S2, S3, S4 = formats.SECTION2, formats.SECTION3, formats.SECTION4
# The 勾稽 rules summed figures must obey (the arithmetic printed on the form).
BALANCE_CHECKS = (
    checks.check_s3_row_total,
    checks.check_s3_balance,
    checks.check_s3_results_total,
    checks.check_s4_group_total,
)
_RULES = ("s3_row_total", "s3_balance", "s3_results_total", "s4_group_total")
# A report breaks the sums' arithmetic by breaking a rule or by leaving a cell of it blank.
BALANCE_CODES = frozenset(_RULES + tuple(f"{c}_unchecked" for c in _RULES) + (TOTAL_BLANK,))


def _mapping_2019() -> dict[Cell, Cell]:
    """2019 cell -> the 2021 cell that counts the same thing.

    三 and 四 are the same in both editions except (六) 其他处理: one row in 2019, three
    sub-rows in 2021 that a 2019 figure cannot be split into. In 二 only two ideas survive:
    documents made this year (本年新制作数量 = 本年制发件数) and decisions taken this year
    (处理决定数量 = 本年处理决定数量). 2019's 新公开/对外公开总数量, 项目数量 and 增/减 are
    other quantities than 2021's 废止/现行有效 and 收费金额, so they are not carried over.
    """
    mapping: dict[Cell, Cell] = {}
    for row in formats.get_edition(OLD).section3_row_keys():
        if row != "三.六":
            for column in formats.APPLICANT_KEYS:
                mapping[Cell(S3, row, column)] = Cell(S3, row, column)
    for group, column in formats.SECTION4_CELLS:
        mapping[Cell(S4, group, column)] = Cell(S4, group, column)
    mapping[Cell(S2, "规章", "本年新制作数量")] = Cell(S2, "规章", "本年制发件数")
    mapping[Cell(S2, "规范性文件", "本年新制作数量")] = Cell(S2, "行政规范性文件", "本年制发件数")
    for row in ("行政许可", "行政处罚", "行政强制"):
        mapping[Cell(S2, row, "处理决定数量")] = Cell(S2, row, "本年处理决定数量")
    return mapping


FROM_2019 = _mapping_2019()
TO_2019 = {new: old for old, new in FROM_2019.items()}
# For the checks only: a 2019 report's (六) 其他处理 is counted under 2021's (六) 3.其他, so a
# region's arithmetic holds whenever every report's does.
CHECK_FOLD = {Cell(S3, "三.六", c): Cell(S3, "三.六.3", c) for c in formats.APPLICANT_KEYS}


@dataclass
class SumCell:
    """One summed cell: its total, how many reports filled it or left it blank."""

    cell: Cell
    total: Decimal | None = None
    filled: int = 0
    blank: int = 0
    # Contributing 2019-edition reports that have no cell meaning this one.
    unmapped: int = 0

    @property
    def value(self):
        return plain_number(self.total)

    @property
    def incomplete(self) -> bool:
        return self.unmapped > 0


@dataclass
class Coverage:
    """Which reporting organs of the region are in the sums, and which are not (and why).

    The counts are the compliance counts kept per region and year (review.standing, through
    ComplianceQuery.summary), and only the organs a page names (unpublished, published late)
    are read: a province no longer builds a row for each of its organs.
    """

    query: ComplianceQuery
    today: datetime.date

    @cached_property
    def counts(self) -> dict[str, tuple[int, int]]:
        return self.query.summary()

    @property
    def total(self) -> int:
        return sum(n for n, _late in self.counts.values())

    @property
    def included_count(self) -> int:
        return self.counts.get(PUBLISHED, (0, 0))[0]

    @property
    def late_count(self) -> int:
        return self.counts.get(PUBLISHED, (0, 0))[1]

    @property
    def unpublished_count(self) -> int:
        return self.total - self.included_count

    @cached_property
    def named(self) -> list[ComplianceRow]:
        return self.query.unpublished_or_late()

    @cached_property
    def late(self) -> list[ComplianceRow]:
        return [r for r in self.named if r.is_published and r.days_late > 0]

    @cached_property
    def unpublished(self) -> list[ComplianceRow]:
        return [r for r in self.named if not r.is_published]

    @cached_property
    def overdue(self) -> list[ComplianceRow]:
        return [r for r in self.unpublished if r.deadline < self.today]

    @cached_property
    def missing(self) -> list[ComplianceRow]:
        """No report started at all (the public sees them among the unpublished)."""
        return [r for r in self.unpublished if r.status == NOT_STARTED]


@dataclass
class Rollup:
    organ: Organ
    year: int
    cells: dict[Cell, SumCell]
    reports: dict[str, int]
    coverage: Coverage
    # Sums of 2019's (六) 其他处理 per applicant column, shown beside the split 2021 rows.
    other_2019: dict[str, object] = field(default_factory=dict)
    findings: list = field(default_factory=list)
    offenders: list[dict] = field(default_factory=list)

    @property
    def report_count(self) -> int:
        return sum(self.reports.values())

    @cached_property
    def region(self) -> Q:
        """The filter on a row's organ for this roll-up's region (organ_region), made once."""
        return organ_region(self.organ)

    @cached_property
    def included_slugs(self) -> list[str]:
        """The organs whose current publication is in the sums, by name: one column read
        off the publications (a national roll-up names ~20,000; building a coverage row for
        each cost more than the rest of the roll-up)."""
        rows = Publication.objects.current().filter(self.region, year=self.year)
        return list(rows.order_by("organ__name", "organ_id").values_list("organ__slug", flat=True))

    @property
    def incomplete_cells(self) -> list[SumCell]:
        return [c for c in self.cells.values() if c.incomplete]

    @property
    def blank_cells(self) -> list[SumCell]:
        return [c for c in self.cells.values() if c.blank]

    def figures(self, *, for_checks: bool = False) -> dict:
        """The sums in the figure-set shape (2021 edition)."""
        figures = empty_figures(EDITION)
        values = {key: c.total for key, c in self.cells.items()}
        if for_checks:
            for column, value in self.other_2019.items():
                key = CHECK_FOLD[Cell(S3, "三.六", column)]
                if value is not None:
                    values[key] = (values.get(key) or 0) + Decimal(value)
        for (table, row, column), value in values.items():
            value = plain_number(value) if value is not None else None
            if table == S2:
                figures[S2][row][column] = value
            elif table == S3:
                figures[S3][row][formats.APPLICANT_KEYS.index(column)] = value
            else:
                figures[S4][formats.SECTION4_CELLS.index((row, column))] = value
        return figures


def region_tree() -> tuple[OrganTree, dict[int, str]]:
    """Every organ in memory from one query, and each organ's kind."""
    rows = Organ.objects.values_list(
        "pk", "parent_id", "name", "short_name", "slug", "is_active", "kind"
    )
    kinds = {}
    nodes = []
    for *node, kind in rows:
        nodes.append(OrganNode(*node))
        kinds[node[0]] = kind
    return OrganTree(nodes), kinds


def organ_region(organ: Organ) -> Q:
    """The filter on a row's organ for the organ's region (itself and every organ below it):
    a prefix of its path, so no list of the region's ids is built or sent; the tree is
    walked only for an organ whose path is not written yet."""
    if organ.path:
        # Asked for every organ (one lookup on the parent index), so a county's page and the
        # province's make the same queries.
        other_roots = Organ.objects.filter(parent=None).exclude(pk=organ.pk).exists()
        if organ.parent_id is None and not other_roots:
            return Q()  # the only root: its region is every row, no filter to check on each
        return region_q([organ.path], field="organ__path")
    tree, _kinds = region_tree()
    return in_region(region_ids(tree, organ))


def in_region(ids: list[int] | None) -> Q:
    """The filter on organ_id for a region; none when the region is the whole tree."""
    return Q() if ids is None else Q(organ_id__in=ids)


def region_ids(tree: OrganTree, organ: Organ) -> list[int] | None:
    """The organ and every organ below it; None when that is every organ there is (the
    province's top organ), so the queries need no list of thousands of ids."""
    ids = tree.region([organ.pk])
    return None if len(ids) == len(tree.nodes) else sorted(ids)


def _sums(organ: Organ, year: int, reports: dict[str, int]) -> tuple[dict, dict]:
    """The region's kept sums (public/sums.py) and its own report's cells, in one query,
    mapped onto the 2021 grid."""
    cells = {Cell(*slot.key): SumCell(Cell(*slot.key)) for slot in layout.edition_cells(EDITION)}
    # Blank cells have no row: blanks are the contributing reports less the filled ones.
    found: dict[tuple, list] = {}
    for edition, table, row, column, total, filled in region_cells(region_id=organ.pk, year=year):
        summed = found.setdefault((edition, Cell(table, row, column)), [0, 0])
        summed[0] += total
        summed[1] += filled
    other_2019: dict[str, object] = {}
    for (edition, source), (total, filled) in found.items():
        if edition == OLD and source in CHECK_FOLD:
            other_2019[source.column] = plain_number(total)
        target = source if edition == EDITION else FROM_2019.get(source)
        if target not in cells:
            continue
        summed = cells[target]
        summed.total = (summed.total or 0) + total
        summed.filled += filled
    # Every column once a 2019-edition report contributes (None where all left it blank).
    other_2019 = {c: other_2019.get(c) for c in formats.APPLICANT_KEYS} if reports.get(OLD) else {}
    for key, summed in cells.items():
        editions = [EDITION] + ([OLD] if key in TO_2019 else [])
        summed.blank = sum(reports.get(e, 0) for e in editions) - summed.filled
        if key not in TO_2019:
            summed.unmapped = reports.get(OLD, 0)
    return cells, other_2019


def _offenders(region: Q, year: int, *, rerun: bool) -> list[dict]:
    """Contributing publications that break a 勾稽 rule (or leave one of its cells blank).

    Their findings as frozen at publication (the checks run at every save, so a published
    report carries them): one query reading only the publications that have findings. Only
    when the sums fail (``rerun``) and no stored finding names a culprit, since a report
    published without checks, or imported, has none stored, are the rules run again on every
    contributing report's figures.
    """
    rows = Publication.objects.current().filter(region, year=year).order_by("organ__name")
    found = []
    for row in rows.exclude(findings=[]).values("organ__name", "organ__slug", "findings"):
        broken = [f for f in row["findings"] or () if f.get("code") in BALANCE_CODES]
        if broken:
            found.append(
                {"name": row["organ__name"], "slug": row["organ__slug"], "findings": broken}
            )
    if found or not rerun:
        return found
    for row in rows.values("organ__name", "organ__slug", "figures", "edition"):
        broken = [
            f.to_dict()
            for check in BALANCE_CHECKS
            for f in check(row["figures"] or {}, row["edition"])
            if f.code in BALANCE_CODES
        ]
        if broken:
            found.append(
                {"name": row["organ__name"], "slug": row["organ__slug"], "findings": broken}
            )
    return found


def region_rollup(*, organ: Organ, year: int, today: datetime.date | None = None) -> Rollup:
    """The region's roll-up for the year: sums, coverage, checks and offending reports.

    A constant number of queries whatever the size of the region: the contributing reports
    per edition and the sums (both kept at publication: public/sums.py),
    the offenders (one more when the sums fail and no stored finding names a report), and the
    coverage's (the roots and deadlines, the kept compliance counts, the named organs).
    """
    today = today or timezone.localdate()
    reports = region_reports(region_id=organ.pk, year=year)
    cells, other_2019 = _sums(organ, year, reports)
    coverage = Coverage(ComplianceQuery(year=year, root_ids=[organ.pk], today=today), today)
    rollup = Rollup(organ, year, cells, reports, coverage, other_2019)
    if rollup.report_count:
        sums = rollup.figures(for_checks=True)
        rollup.findings = [
            f for check in BALANCE_CHECKS for f in check(sums, EDITION) if f.severity == "error"
        ]
        rollup.offenders = _offenders(rollup.region, year, rerun=bool(rollup.findings))
    return rollup


def cell_label(cell: Cell) -> str:
    """A cell as a reader names it: 表三“（一）予以公开”行总计列."""
    return f"{TABLE_NAMES[cell[0]]}{View(None, EDITION).cell_name(cell)}"


def cell_breakdown(*, organ: Organ, year: int, cell: Cell) -> list[dict]:
    """The region's contributing reports' values of one cell, largest first, blanks last."""
    match = Q(edition=EDITION, table=cell.table, row=cell.row, column=cell.column)
    if (old := TO_2019.get(cell)) is not None:
        match |= Q(edition=OLD, table=old.table, row=old.row, column=old.column)
    rows = (
        PublishedFigure.objects.filter(match, organ_region(organ), is_current=True, year=year)
        .values("organ__name", "organ__slug", "edition", "value")
        .order_by(F("value").desc(nulls_last=True), "organ__name")
    )
    return [{**row, "value": plain_number(row["value"])} for row in rows]


def is_cell(cell: Cell) -> bool:
    return cell in {Cell(*slot.key) for slot in layout.edition_cells(EDITION)}
