"""Tables of core.layout bound to a form's fields and to the report's findings."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import derived, formats, layout
from filing.models import Finding

# Info findings (blank cells and the like) are listed above the form, not flagged per cell.
FLAGGED = (Finding.Severity.ERROR, Finding.Severity.WARNING)

# The words beside a flagged cell: a short form of the finding's message (the whole sentence
# is in the list above the form, which the words link to). Filled from the finding's params.
CELL_NOTES = {
    "s3_row_total": _("六类申请人之和为 %(parts)s"),
    "s3_results_total": _("各项办理结果之和为 %(parts)s"),
    "s4_group_total": _("各项之和为 %(parts)s"),
    "total_blank": _("空白，各项之和为 %(computed)s"),
    "s3_balance": _("一+二 为 %(left)s，（七）+四 为 %(right)s，应相等"),
    "carryover": _("上年报告结转 %(before)s，应相等"),
    "s2_stock": _("按上年推算应为 %(expected)s"),
    "s2_projects": _("按上年推算为 %(sum)s"),
    "prose:blank": _("正文写 %(stated)s"),
    "prose:printed": _("正文写 %(stated)s"),
    "prose:both": _("正文写 %(stated)s"),
    "prose_received": _("正文写 %(stated)s"),
    "negative": _("不能为负数"),
    "non_integer": _("应为整数"),
    "unchecked": _("无法核对"),
}
# A total check names the total and its parts: the total gets the note, each part this.
PART_NOTE = _("与合计不符")
TOTAL_CODES = frozenset({"s3_row_total", "s3_results_total", "s4_group_total", "total_blank"})
# Said of a whole table (the list above the form says it once), never cell by cell: an empty
# form would otherwise carry a mark on every cell before anything was typed.
TABLE_CODES = frozenset({"too_many_blanks", "missing"})
FALLBACK_NOTES = {
    Finding.Severity.ERROR: _("有错误，见校验结果"),
    Finding.Severity.WARNING: _("请核对，见校验结果"),
}


@dataclass(frozen=True)
class CellNote:
    """Words beside one cell for one finding; ``total`` names the total cell the finding is
    about (a field name), so the form's script can retire the note once that total agrees."""

    finding: Finding
    text: str
    total: str = ""


def total_cell(finding: Finding, totals: frozenset) -> tuple | None:
    """The total a total check is about: a derived cell in 总计, else the first derived one."""
    cells = [tuple(c) for c in finding.cells]
    derived_cells = [c for c in cells if c in totals]
    in_total_column = [c for c in derived_cells if c[2] == formats.TOTAL_COLUMN]
    return next(iter(in_total_column or derived_cells or cells), None)


def note_text(finding: Finding) -> str:
    template = CELL_NOTES.get(finding.params.get("template") or finding.code) or CELL_NOTES.get(
        finding.code
    )
    if template is not None:
        try:
            params = {
                k: gettext(v) if isinstance(v, str) and v else v  # labels are catalogue entries
                for k, v in finding.params.items()
            }
            return gettext(str(template)) % params
        except (KeyError, TypeError, ValueError):
            pass
    return str(FALLBACK_NOTES.get(finding.severity, FALLBACK_NOTES[Finding.Severity.WARNING]))


def cell_notes(findings, edition_key: str) -> dict[tuple, list[CellNote]]:
    """Each flagged cell's notes: words for every error or warning naming it."""
    totals = frozenset(d.cell for d in derived.derived_cells(edition_key))
    by_cell: dict[tuple, list[CellNote]] = defaultdict(list)
    for finding in findings:
        if (
            finding.severity not in FLAGGED
            or finding.code in TABLE_CODES
            or finding.decision == Finding.Decision.DISMISSED
        ):
            continue
        target = total_cell(finding, totals) if finding.code in TOTAL_CODES else None
        text = note_text(finding)
        for cell in map(tuple, finding.cells):
            if target is None:
                by_cell[cell].append(CellNote(finding, text))
            else:
                words = text if cell == target else str(PART_NOTE)
                by_cell[cell].append(CellNote(finding, words, layout.cell_name(target)))
    return by_cell


@dataclass
class BoundItem:
    """A header or input cell ready for the template."""

    item: layout.Head | layout.Slot
    field: object = None
    notes: list = dataclasses.field(default_factory=list)
    hint: object = None

    @property
    def findings(self) -> list:
        return [n.finding for n in self.notes]

    @property
    def is_head(self) -> bool:
        return self.item.is_head

    @property
    def severity(self) -> str:
        severities = {f.severity for f in self.findings}
        return next((s for s in FLAGGED if s in severities), "")

    @property
    def described_by(self) -> str:
        return " ".join(f"finding-{f.pk}" for f in self.findings)


@dataclass
class BoundGrid:
    grid: layout.Grid
    head: list[list[BoundItem]]
    body: list[list[BoundItem]]
    # data-* attributes telling static/js/report-form.js which cells add up to which.
    data: dict = dataclasses.field(default_factory=dict)

    @property
    def title(self) -> str:
        """ "三、收到和处理政府信息公开申请情况" in the viewer's language (a catalogue entry)."""
        return gettext(f"{self.grid.numeral}、{self.grid.caption}")

    @property
    def balance_columns(self) -> tuple[str, ...]:
        """Columns of 三 whose 勾稽 check the form shows live."""
        return formats.APPLICANT_KEYS if self.grid.table == formats.SECTION3 else ()


def grid_data(grid: layout.Grid, edition_key: str) -> dict:
    """Row and column keys the live totals need, as space-separated data attributes."""
    if grid.table == formats.SECTION3:
        rows = formats.get_edition(edition_key).section3_rows
        new, carried_in, *results, results_total, carried_out = (r.key for r in rows)
        return {
            "cols": " ".join(formats.APPLICANT_KEYS),
            "parts": " ".join(formats.APPLICANT_PARTS),
            "total": formats.TOTAL_COLUMN,
            "row-new": new,
            "row-carried-in": carried_in,
            "rows-results": " ".join(results),
            "row-results-total": results_total,
            "row-carried-out": carried_out,
        }
    if grid.table == formats.SECTION4:
        *parts, total = formats.SECTION4_COLUMNS
        return {
            "groups": " ".join(g.key for g in formats.SECTION4_GROUPS),
            "parts": " ".join(c.key for c in parts),
            "total": total.key,
        }
    return {}


def bound_grids(form, findings, hints: dict | None = None) -> list[BoundGrid]:
    """The form's grids with each input cell carrying its field, findings and hint."""
    by_cell = cell_notes(findings, form.edition_key)
    hints = hints or {}

    def bind(item):
        if item.is_head:
            return BoundItem(item)
        return BoundItem(
            item,
            field=form[item.name],
            notes=by_cell.get(item.key, []),
            hint=hints.get(item.key),
        )

    return [
        BoundGrid(
            grid,
            head=[[bind(i) for i in row] for row in grid.head],
            body=[[bind(i) for i in row] for row in grid.body],
            data=grid_data(grid, form.edition_key),
        )
        for grid in form.grids
    ]
