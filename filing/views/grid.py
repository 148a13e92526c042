"""Tables of core.layout bound to a form's fields and to the report's findings."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass

from core import formats, layout
from filing.models import Finding

# Info findings (blank cells and the like) are listed above the form, not flagged per cell.
FLAGGED = (Finding.Severity.ERROR, Finding.Severity.WARNING)


@dataclass
class BoundItem:
    """A header or input cell ready for the template."""

    item: layout.Head | layout.Slot
    field: object = None
    findings: list = dataclasses.field(default_factory=list)
    hint: object = None

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
    by_cell = defaultdict(list)
    for finding in findings:
        if finding.severity in FLAGGED:
            for cell in finding.cells:
                by_cell[tuple(cell)].append(finding)
    hints = hints or {}

    def bind(item):
        if item.is_head:
            return BoundItem(item)
        return BoundItem(
            item,
            field=form[item.name],
            findings=by_cell.get(item.key, []),
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
