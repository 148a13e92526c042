"""Derived cells: the totals of the official tables and the cells they add up.

Defined once, from the grid (:mod:`core.layout`, ``Slot.role == "total"``) and the format
(:mod:`core.formats`): the clerk form's script gets this list as JSON, and the server fills a
blank total from the same list on save. A typed total that disagrees is left as typed; the
row-total checks in :mod:`core.checks` report it.

- 三, every row: 总计 = the six applicant columns;
- 三, row (七) 总计, each applicant column: the sum of the outcome rows (三.x) above it;
- 四, each group: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core import formats, layout

Key = tuple[str, str, str]


@dataclass(frozen=True)
class Derived:
    """One computed cell and the cells whose sum it is."""

    cell: Key
    parts: tuple[Key, ...]

    def as_json(self) -> dict:
        return {
            "cell": layout.cell_name(self.cell),
            "parts": [layout.cell_name(p) for p in self.parts],
        }


def derived_cells(edition_key: str) -> list[Derived]:
    """Every total cell of the edition's tables with its parts, in printed order."""
    edition = formats.get_edition(edition_key)
    outcome_rows = [r.key for r in edition.section3_rows if r.key.startswith("三.")]
    results_total, outcomes = outcome_rows[-1], outcome_rows[:-1]
    out = []
    for slot in layout.edition_cells(edition_key):
        if slot.role != "total":
            continue
        table, row, column = slot.key
        if table == formats.SECTION3 and column == formats.TOTAL_COLUMN:
            parts = tuple((table, row, c) for c in formats.APPLICANT_PARTS)
        elif table == formats.SECTION3 and row == results_total:
            parts = tuple((table, r, column) for r in outcomes)
        elif table == formats.SECTION4:
            parts = tuple(
                (table, row, c.key)
                for c in formats.SECTION4_COLUMNS
                if c.key != formats.TOTAL_COLUMN
            )
        else:  # a total role this module does not know: never guess its rule
            continue
        out.append(Derived(slot.key, parts))
    return out


def derived_json(edition_key: str) -> list[dict]:
    """The list for the form's script: [{"cell": field name, "parts": [field names]}]."""
    return [d.as_json() for d in derived_cells(edition_key)]


def fill_blank_totals(edition_key: str, values: dict[Key, object]) -> dict[Key, Decimal]:
    """The totals to fill: blank derived cells whose parts are all present, in order.

    Totals are filled in printed order, so (七) 总计 · 总计 sees the (七) row it depends on only
    when that was typed; a typed total is never replaced.
    """
    filled: dict[Key, Decimal] = {}
    for derived in derived_cells(edition_key):
        if values.get(derived.cell) is not None:
            continue
        parts = [filled.get(p) if values.get(p) is None else values[p] for p in derived.parts]
        if any(v is None for v in parts):
            continue
        filled[derived.cell] = sum((Decimal(str(v)) for v in parts), Decimal(0))
    return filled
