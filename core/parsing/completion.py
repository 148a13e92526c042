"""Completing a row of table 三 printed without some of its seven columns.

Only the 总计 rule (总计 = the six applicant columns) may fill a gap in the
applicant columns, and only when every way of lining the printed figures up
with the columns gives the same row; otherwise the row stays blank. Counts
are never negative, so when the known parts already reach 总计, the unknown
parts are 0. 总计 itself is never filled in: a total the report leaves blank
stays blank (None), and the check ``s3_total_blank`` reports the parts' sum.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from core import formats

KEYS = formats.APPLICANT_KEYS
TOTAL = KEYS.index(formats.TOTAL_COLUMN)


@dataclass
class Cell:
    value: int | float | None
    raw: str
    confidence: float
    rule: str = "table"


def place(
    cells: list[Cell], columns: list[str], *, strict: bool = False
) -> tuple[list[Cell], bool] | None:
    """Put a row's cells on the seven columns; None when that is ambiguous.

    ``columns`` are those the header prints. A row shorter than the header, or
    a header without some column, is completed only where the 总计 rule fixes
    the missing cells; the bool says whether anything was derived.

    ``strict``: the table's other rows print every column, so a short row lost a
    printed blank, whose position must be certain (a blank never becomes a 0).
    """
    present = [KEYS.index(c) for c in columns]
    drop = len(present) - len(cells)
    if drop < 0:
        return None
    if drop and any(c.value is None for c in cells):
        return None
    outcomes = []
    for dropped in itertools.combinations(present, drop):
        slots = [i for i in present if i not in dropped]
        row: list = [None] * len(KEYS)
        for slot, cell in zip(slots, cells, strict=True):
            row[slot] = cell.value
        unknown = [i for i in range(len(KEYS)) if i not in slots]
        derived = derive(row, unknown) if unknown else row
        if derived is None and not drop:
            derived = row  # positions are known; the unknown cells stay blank
        if derived is not None:
            outcomes.append((derived, slots))
    rows = [o[0] for o in outcomes]
    if strict and any(row != rows[0] for row in rows):
        return None
    values = _unify(rows)
    if values is None:
        return None
    # The alignment that leaves fewest cells blank names which cells were printed.
    slots = min(outcomes, key=lambda o: o[0].count(None))[1]
    sure = len(outcomes) == 1
    placed = []
    for i, value in enumerate(values):
        if i in slots:
            cell = cells[slots.index(i)]
            placed.append(cell if sure else Cell(cell.value, cell.raw, 0.6, cell.rule))
        else:
            placed.append(Cell(value, "", 0.6, "completion" if value is not None else "table"))
    return placed, len(slots) < len(KEYS)


def alignments(cells: list[Cell], columns: list[str], cap: int = 50) -> list[list]:
    """Each way of lining a short row's figures up with the columns (blanks None)."""
    present = [KEYS.index(c) for c in columns]
    drop = len(present) - len(cells)
    out = []
    for dropped in itertools.islice(itertools.combinations(present, max(drop, 0)), cap):
        slots = iter(cells)
        out.append(
            [
                next(slots).value if i in present and i not in dropped else None
                for i in range(len(KEYS))
            ]
        )
    return out


def _unify(rows: list[list]) -> list | None:
    """The row every alignment agrees on; a blank in one alignment yields to a figure.

    An alignment that leaves 总计 blank and one that reads a printed figure there
    agree when the figure is the same everywhere else; None when they contradict.
    """
    if not rows:
        return None
    merged = []
    for column in zip(*rows, strict=True):
        figures = {v for v in column if v is not None}
        if len(figures) > 1:
            return None
        merged.append(figures.pop() if figures else None)
    return merged


def derive(row: list, unknown: list[int]) -> list | None:
    """Fill unknown cells from 总计 = Σ parts; None when that does not decide them."""
    if any(row[i] is None for i in range(len(KEYS)) if i not in unknown):
        return None
    parts = [i for i in range(len(KEYS)) if i != TOTAL]
    if TOTAL in unknown:
        # A 总计 not printed stays blank: a blank is not a sum (core.checks says so).
        return row if len(unknown) == 1 else None
    rest = row[TOTAL] - sum(row[i] for i in parts if i not in unknown)
    if rest < 0:
        return None
    if len(unknown) == 1:
        row[unknown[0]] = rest
        return row
    if rest == 0:  # counts are never negative, so every unknown part is 0
        for i in unknown:
            row[i] = 0
        return row
    return None
