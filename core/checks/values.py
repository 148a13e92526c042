"""Checks on single cells: counts that cannot be, and cells left blank."""

from __future__ import annotations

from core import formats
from core.checks.base import ERROR, INFO, TABLE_NAMES, Finding, View, fmt, list_cells

# Tables whose cells count applications or cases (whole, non-negative numbers).
COUNT_TABLES = (formats.SECTION3, formats.SECTION4)


def _cell_values(view: View, cells) -> str:
    return "、".join(f"{view.cell_name(c)}为 {fmt(view.get(c))}" for c in cells)


def check_negative(figures: dict, edition: str) -> list[Finding]:
    """表三/表四 count applications and cases, which cannot be negative."""
    view = View(figures, edition)
    findings = []
    for table in COUNT_TABLES:
        cells = [c for c in view.cells(table) if (v := view.get(c)) is not None and v < 0]
        if cells:
            message = f"{TABLE_NAMES[table]}有负数：{_cell_values(view, cells)}。件数不能为负。"
            findings.append(Finding("negative", ERROR, message, tuple(cells)))
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
            message = f"{TABLE_NAMES[table]}有小数：{_cell_values(view, cells)}。件数应为整数。"
            findings.append(Finding("non_integer", ERROR, message, tuple(cells)))
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
        name = TABLE_NAMES[table]
        if len(blanks) == len(expected):
            message = f"{name}全部空白（{len(blanks)} 格）。"
        else:
            message = f"{name}有 {len(blanks)} 个空白格：{list_cells(view, blanks)}。"
        findings.append(Finding("missing", INFO, message, tuple(blanks)))
    return findings
