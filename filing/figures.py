"""Figures between the database (one Figure row a cell) and the figure set (core.figureset).

figures_to_dict (core.figureset) reads rows into the set; figures_cells validates a set
against its edition and flattens it; figures_set writes it back as rows.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from core import formats
from core.figureset import Cell
from filing.models import AnnualReport, Figure


def to_decimal(value) -> Decimal | None:
    """Any number-ish value (int, float, str, Decimal, None) as a Decimal with 2 places."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(
            "“%(value)s”不是有效的数字。", code="figure_not_a_number", params={"value": value}
        ) from exc


def figures_cells(figures: dict, edition_key: str) -> dict[Cell, Decimal | None]:
    """Flatten a (possibly partial) dict to {(table, row, column): value}, validating the labels."""
    edition = formats.get_edition(edition_key)
    known2 = set(edition.section2_cells())
    known3 = set(edition.section3_row_keys())
    cells: dict[Cell, Decimal | None] = {}
    for row, columns in (figures.get(formats.SECTION2) or {}).items():
        for column, value in columns.items():
            if (row, column) not in known2:
                raise _unknown_cell(formats.SECTION2, row, column, edition_key)
            cells[(formats.SECTION2, row, column)] = to_decimal(value)
    for row, values in (figures.get(formats.SECTION3) or {}).items():
        if row not in known3 or len(values) != len(formats.APPLICANT_KEYS):
            raise _unknown_cell(formats.SECTION3, row, f"{len(values)}列", edition_key)
        for column, value in zip(formats.APPLICANT_KEYS, values, strict=True):
            cells[(formats.SECTION3, row, column)] = to_decimal(value)
    section4 = figures.get(formats.SECTION4)
    if section4 is not None:
        if len(section4) != len(formats.SECTION4_CELLS):
            raise _unknown_cell(formats.SECTION4, "", f"{len(section4)}格", edition_key)
        for (group, column), value in zip(formats.SECTION4_CELLS, section4, strict=True):
            cells[(formats.SECTION4, group, column)] = to_decimal(value)
    return cells


def _unknown_cell(table: str, row: str, column: str, edition_key: str) -> ValidationError:
    return ValidationError(
        "%(edition)s年版表格中没有“%(table)s %(row)s %(column)s”。",
        code="figure_unknown_cell",
        params={"edition": edition_key, "table": table, "row": row, "column": column},
    )


@transaction.atomic
def figures_set(
    *,
    report: AnnualReport,
    figures: dict,
    source: str = Figure.Source.MANUAL,
    keep_manual: bool = False,
) -> int:
    """Upsert the cells of a (possibly partial) figures dict into the report; return rows written.

    With keep_manual, cells a clerk typed (source manual, not blank) are left as they are.
    """
    cells = figures_cells(figures, report.edition)
    if keep_manual:
        typed = report.figures.filter(source=Figure.Source.MANUAL, value__isnull=False)
        for key in typed.values_list("table", "row", "column"):
            cells.pop(tuple(key), None)
    rows = [
        Figure(report=report, table=t, row=r, column=c, value=v, source=source)
        for (t, r, c), v in cells.items()
    ]
    Figure.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["report", "table", "row", "column"],
        update_fields=["value", "source", "updated_at"],
    )
    return len(rows)
