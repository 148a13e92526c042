"""Arithmetic inside one report's tables 三 and 四 (the 勾稽关系 printed on the form)."""

from __future__ import annotations

from core import formats
from core.checks.base import (
    ERROR,
    Cell,
    Finding,
    View,
    finding,
    fmt,
    joined,
    phrase,
    quoted,
    total,
    unchecked,
)
from core.checks.messages import gettext_noop

S3 = formats.SECTION3
S4 = formats.SECTION4
TOTAL = formats.TOTAL_COLUMN


def _blanks(view: View, cells: list[Cell]) -> list[Cell]:
    return [c for c in cells if view.get(c) is None]


def _sum_text(view: View, rows: tuple[str, ...], column: str) -> dict:
    names = joined([quoted(view.row_label(r)) for r in rows], "与")
    terms = " + ".join(fmt(view.s3(r, column)) for r in rows)
    return phrase("phrase:sum_terms", names=names, terms=terms)


def check_s3_row_total(figures: dict, edition: str) -> list[Finding]:
    """表三: on every row, 总计 equals the sum of the six applicant columns."""
    view = View(figures, edition)
    findings, blanks = [], []
    for row in view.edition.section3_rows:
        cells = [(S3, row.key, c) for c in formats.APPLICANT_KEYS]
        if missing := _blanks(view, cells):
            blanks += missing
            continue
        printed = view.s3(row.key, TOTAL)
        parts = total([view.s3(row.key, c) for c in formats.APPLICANT_PARTS])
        if printed != parts:
            found = finding(
                "s3_row_total",
                ERROR,
                cells,
                row=view.row_label(row.key),
                printed=printed,
                parts=parts,
            )
            findings.append(found)
    rule = gettext_noop("表三各行总计列等于六类申请人之和")
    return findings + unchecked("s3_row_total", view, rule, blanks)


def check_s3_balance(figures: dict, edition: str) -> list[Finding]:
    """表三, per column: 一 + 二 = (七) 总计 + 四."""
    view = View(figures, edition)
    left_rows = (view.new.key, view.carried_in.key)
    right_rows = (view.results_total.key, view.carried_out.key)
    findings, blanks = [], []
    for column in formats.APPLICANT_KEYS:
        cells = [(S3, r, column) for r in left_rows + right_rows]
        if missing := _blanks(view, cells):
            blanks += missing
            continue
        left = total([view.s3(r, column) for r in left_rows])
        right = total([view.s3(r, column) for r in right_rows])
        if left != right:
            found = finding(
                "s3_balance",
                ERROR,
                cells,
                column=column,
                left_text=_sum_text(view, left_rows, column),
                left=left,
                right_text=_sum_text(view, right_rows, column),
                right=right,
            )
            findings.append(found)
    rule = gettext_noop("表三各列“一”加“二”等于“（七）总计”加“四”")
    return findings + unchecked("s3_balance", view, rule, blanks)


def check_s3_results_total(figures: dict, edition: str) -> list[Finding]:
    """表三, per column: (七) 总计 equals the sum of every result row (一)…(六)."""
    view = View(figures, edition)
    findings, blanks = [], []
    for column in formats.APPLICANT_KEYS:
        total_cell = (S3, view.results_total.key, column)
        part_cells = [(S3, r.key, column) for r in view.results]
        if missing := _blanks(view, [total_cell] + part_cells):
            blanks += missing
            continue
        printed = view.get(total_cell)
        parts = total([view.get(c) for c in part_cells])
        if printed != parts:
            found = finding(
                "s3_results_total",
                ERROR,
                (total_cell, *part_cells),
                column=column,
                row=view.row_label(view.results_total.key),
                printed=printed,
                parts=parts,
            )
            findings.append(found)
    rule = gettext_noop("表三各列“（七）总计”等于（一）至（六）各项之和")
    return findings + unchecked("s3_results_total", view, rule, blanks)


def check_s4_group_total(figures: dict, edition: str) -> list[Finding]:
    """表四: in each group, 总计 = 维持 + 纠正 + 其他 + 尚未审结."""
    view = View(figures, edition)
    *part_columns, total_column = formats.SECTION4_COLUMNS
    findings, blanks = [], []
    for group in formats.SECTION4_GROUPS:
        cells = [(S4, group.key, c.key) for c in formats.SECTION4_COLUMNS]
        if missing := _blanks(view, cells):
            blanks += missing
            continue
        printed = view.s4(group.key, total_column.key)
        parts = total([view.s4(group.key, c.key) for c in part_columns])
        if printed != parts:
            found = finding(
                "s4_group_total",
                ERROR,
                cells,
                group=group.label,
                total=total_column.label,
                printed=printed,
                names=joined([c.label for c in part_columns]),
                parts=parts,
            )
            findings.append(found)
    rule = gettext_noop("表四各组总计等于各项结果之和")
    return findings + unchecked("s4_group_total", view, rule, blanks)
