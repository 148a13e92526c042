"""Totals the report leaves blank while their parts are printed.

A blank 总计 is not a zero and not a sum: the parser keeps it blank (None) and
this check tells the clerk that it is missing and what its parts add up to,
so the figure is filled in by a person, from the report, never by the parser.
"""

from __future__ import annotations

from core import formats
from core.checks.base import (
    TABLE_NAMES,
    WARNING,
    Cell,
    Finding,
    View,
    finding,
    joined,
    phrase,
    total,
)

CODE = "total_blank"
S3 = formats.SECTION3
S4 = formats.SECTION4
TOTAL = formats.TOTAL_COLUMN


def _finding(view: View, total_cell: Cell, part_cells: list[Cell], name: dict, parts):
    if view.get(total_cell) is not None:
        return None
    computed = total([view.get(c) for c in part_cells])
    if computed is None:
        return None  # parts blank too: check_missing lists the cells
    return finding(
        CODE, WARNING, (total_cell, *part_cells), name=name, parts_name=parts, computed=computed
    )


def check_total_blank(figures: dict, edition: str) -> list[Finding]:
    """表三 row totals, 表三 (七) 总计 per column, 表四 group totals: blank while parts are not."""
    view = View(figures, edition)
    findings = []
    for row in view.edition.section3_rows:
        found = _finding(
            view,
            (S3, row.key, TOTAL),
            [(S3, row.key, c) for c in formats.APPLICANT_PARTS],
            phrase("phrase:s3_row_total", row=view.row_label(row.key)),
            "六类申请人之和",
        )
        findings.append(found)
    for column in formats.APPLICANT_KEYS:
        found = _finding(
            view,
            (S3, view.results_total.key, column),
            [(S3, r.key, column) for r in view.results],
            phrase(
                "phrase:s3_column_total",
                column=column,
                row=view.row_label(view.results_total.key),
            ),
            "（一）至（六）各项办理结果之和",
        )
        findings.append(found)
    *part_columns, total_column = formats.SECTION4_COLUMNS
    for group in formats.SECTION4_GROUPS:
        found = _finding(
            view,
            (S4, group.key, total_column.key),
            [(S4, group.key, c.key) for c in part_columns],
            phrase("phrase:s4_total", group=group.label, column=total_column.label),
            phrase("phrase:sum_of", names=joined([c.label for c in part_columns])),
        )
        findings.append(found)
    return [f for f in findings if f is not None]


# More blank, "/" or "—" cells than this in 表三 or 表四 is a warning of its own.
BLANK_LIMIT = 5
# What reports print in a cell that holds no figure.
BLANK_MARKS = frozenset({"", "/", "／", "—", "——", "-", "－", "–"})


def _is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() in BLANK_MARKS)


def check_too_many_blanks(figures: dict, edition: str) -> list[Finding]:
    """表三 or 表四 with more than BLANK_LIMIT empty cells: a bad parse or a careless report."""
    view = View(figures, edition)
    findings = []
    for table in (S3, S4):
        cells = view.cells(table)
        blanks = [c for c in cells if _is_blank(view.raw(c))]
        if len(blanks) > BLANK_LIMIT:
            params = {"table": TABLE_NAMES[table], "count": len(blanks), "of": len(cells)}
            found = finding("too_many_blanks", WARNING, blanks, limit=BLANK_LIMIT, **params)
            findings.append(found)
    return findings
