"""Checks on single cells: counts that cannot be, and cells left blank."""

from __future__ import annotations

from core import formats
from core.checks.base import (
    ERROR,
    INFO,
    TABLE_NAMES,
    Finding,
    View,
    finding,
    fmt,
    joined,
    list_cells,
    phrase,
)

# Tables whose cells count applications or cases (whole, non-negative numbers).
COUNT_TABLES = (formats.SECTION3, formats.SECTION4)


def _cell_values(view: View, cells) -> dict:
    return joined(
        [
            phrase("phrase:cell_value", cell=view.cell_phrase(c), value=fmt(view.get(c)))
            for c in cells
        ]
    )


def check_negative(figures: dict, edition: str) -> list[Finding]:
    """表三/表四 count applications and cases, which cannot be negative."""
    view = View(figures, edition)
    findings = []
    for table in COUNT_TABLES:
        cells = [c for c in view.cells(table) if (v := view.get(c)) is not None and v < 0]
        if cells:
            values = _cell_values(view, cells)
            findings.append(
                finding("negative", ERROR, cells, table=TABLE_NAMES[table], values=values)
            )
    return findings


def check_non_integer(figures: dict, edition: str) -> list[Finding]:
    """表三/表四 count applications and cases, which are whole numbers."""
    view = View(figures, edition)
    findings = []
    for table in COUNT_TABLES:
        cells = [
            c
            for c in view.cells(table)
            if (v := view.get(c)) is not None and v != v.to_integral_value()
        ]
        if cells:
            values = _cell_values(view, cells)
            findings.append(
                finding("non_integer", ERROR, cells, table=TABLE_NAMES[table], values=values)
            )
    return findings


def check_missing(figures: dict, edition: str) -> list[Finding]:
    """List the blank (or unreadable) cells of each table, so the clerk can fill them."""
    view = View(figures, edition)
    findings = []
    for table in (formats.SECTION2, *COUNT_TABLES):
        expected = view.cells(table)
        blanks = [c for c in expected if view.get(c) is None]
        if not blanks:
            continue
        name, count = TABLE_NAMES[table], len(blanks)
        if count == len(expected):
            found = finding(
                "missing", INFO, blanks, template="missing:all", table=name, count=count
            )
        else:
            cells = list_cells(view, blanks)
            found = finding("missing", INFO, blanks, table=name, count=count, cells=cells)
        findings.append(found)
    return findings
