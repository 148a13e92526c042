"""A region's roll-up as CSV and XLSX, each with the coverage note.

Cells go through the portal's one spreadsheet guard (core.csvsafe): organ names come from
the database, and a text starting with = + - @ or a tab/CR would run as a formula in Excel;
numbers, and text that is just a plain number, stay numbers.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext

from core import csvsafe
from core.figureset import plain_number
from public.rollup import Rollup, cell_label


def coverage_note(rollup: Rollup) -> str:
    """One paragraph: who is in the sums, who is not, and the edition caveat."""
    coverage = rollup.coverage
    note = gettext(
        "本汇总为%(region)s%(year)s年度本地区已发布年度报告之和：应报机关 %(total)s 个，"
        "已发布并计入 %(included)s 个（2021年版 %(new)s 份，2019年版 %(old)s 份），"
        "未发布 %(unpublished)s 个，逾期发布 %(late)s 个。空白格不按零计。"
    ) % {
        "region": rollup.organ.name,
        "year": rollup.year,
        "total": coverage.total,
        "included": coverage.included_count,
        "new": rollup.reports.get("2021", 0),
        "old": rollup.reports.get("2019", 0),
        "unpublished": coverage.unpublished_count,
        "late": coverage.late_count,
    }
    if coverage.unpublished:
        names = "、".join(r.organ.name for r in coverage.unpublished)
        note += gettext("未发布：%(names)s。") % {"names": names}
    if rollup.incomplete_cells:
        note += gettext("有 %(count)s 格因2019年版报告没有对应栏目而不完整（标记为“不完整”）。") % {
            "count": len(rollup.incomplete_cells)
        }
    return note


def rollup_rows(rollup: Rollup) -> list[list]:
    """Header plus one row per cell of the 2021 grid."""
    rows = [
        [
            "table",
            "row",
            "column",
            gettext("栏目"),
            "value",
            gettext("有数值的报告数"),
            gettext("空白的报告数"),
            gettext("不完整"),
        ]
    ]
    for summed in rollup.cells.values():
        table, row, column = summed.cell
        rows.append(
            [
                table,
                row,
                column,
                cell_label(summed.cell),
                plain_number(summed.total) if summed.total is not None else "",
                summed.filled,
                summed.blank,
                gettext("不完整") if summed.incomplete else "",
            ]
        )
    return rows


def rollup_csv(rollup: Rollup) -> str:
    """UTF-8 with a BOM so Excel reads it; the coverage note as the first line."""
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer, lineterminator="\r\n")
    writer.writerow([coverage_note(rollup)])
    writer.writerows(rollup_rows(rollup))
    return "\ufeff" + buffer.getvalue()


def rollup_xlsx(rollup: Rollup) -> bytes:
    """One sheet: the coverage note, then the cells."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = str(rollup.year)
    sheet.append(csvsafe.safe_row([coverage_note(rollup)]))
    for row in rollup_rows(rollup):
        sheet.append(csvsafe.safe_row(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
