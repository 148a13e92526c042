"""The figure set: one report's figures in the dict shape every layer passes around.

The shape, shared by the parser's JSON, the checks, the clerk form, the documents, the
exports and the public tables::

    {"section2": {row: {column: value}},
     "section3": {row: [7 values in formats.APPLICANT_KEYS order]},
     "section4": [15 values in formats.SECTION4_CELLS order]}

Values are ints where integral, floats otherwise, None for a blank cell (a printed blank is
not a zero). ``Cell`` names one figure of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple, Protocol

from core import formats


class Cell(NamedTuple):
    """One figure's address: (table, row, column) with formats' keys."""

    table: str
    row: str
    column: str


class StoredCell(Protocol):
    """Anything shaped like a stored figure row (the Figure model, PublishedFigure)."""

    table: str
    row: str
    column: str
    value: Decimal | None


def plain_number(value: Decimal | None) -> int | float | None:
    """A stored Decimal as the int or float the dict shape uses."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


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


def figures_to_dict(figures: Iterable[StoredCell], edition_key: str) -> dict:
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
