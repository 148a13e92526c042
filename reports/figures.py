"""Figures between their two shapes: one database row a cell, and the parser's dict.

The dict shape, shared with the parser's JSON and the checks::

    {"section2": {row: {column: value}},
     "section3": {row: [7 values in formats.APPLICANT_KEYS order]},
     "section4": [15 values in formats.SECTION4_CELLS order]}

Values are ints where integral, floats otherwise, None for a blank cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from core import formats
from reports.models import AnnualReport, Figure

Cell = tuple[str, str, str]  # (table, row, column)


def plain_number(value: Decimal | None) -> int | float | None:
    """A stored Decimal as the int or float the dict shape uses."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


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


def empty_figures(edition_key: str) -> dict:
    """Every cell of the edition, blank."""
    edition = formats.get_edition(edition_key)
    section2: dict[str, dict] = {}
    for row, column in edition.section2_cells():
        section2.setdefault(row, {})[column] = None
    return {
        formats.SECTION2: section2,
        formats.SECTION3: {
            key: [None] * len(formats.APPLICANT_KEYS) for key in edition.section3_row_keys()
        },
        formats.SECTION4: [None] * len(formats.SECTION4_CELLS),
    }


def figures_to_dict(figures: Iterable[Figure], edition_key: str) -> dict:
    """Lay stored cells out in the dict shape; cells the edition does not define are left out."""
    result = empty_figures(edition_key)
    s2, s3 = result[formats.SECTION2], result[formats.SECTION3]
    s4_index = {cell: i for i, cell in enumerate(formats.SECTION4_CELLS)}
    s3_index = {key: i for i, key in enumerate(formats.APPLICANT_KEYS)}
    for fig in figures:
        value = plain_number(fig.value)
        if fig.table == formats.SECTION2 and fig.column in s2.get(fig.row, {}):
            s2[fig.row][fig.column] = value
        elif fig.table == formats.SECTION3 and fig.row in s3 and fig.column in s3_index:
            s3[fig.row][s3_index[fig.column]] = value
        elif fig.table == formats.SECTION4 and (fig.row, fig.column) in s4_index:
            result[formats.SECTION4][s4_index[(fig.row, fig.column)]] = value
    return result


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
