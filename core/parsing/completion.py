"""Completing a row of table 三 printed without some of its seven columns.

Two different things make a row shorter than the seven columns:

- a column the header does not print at all (*absent*): the 总计 rule
  (总计 = the six applicant columns) may fill it, when every other cell of the
  row is a printed figure. Counts are never negative, so when the printed parts
  already reach 总计, absent parts are 0. 总计 itself is never filled in: a
  total the report leaves blank stays blank (None), and the check
  ``s3_total_blank`` reports the parts' sum.
- a cell the header prints but the row lost (*dropped*): extraction loses a
  printed blank cell (space-aligned text, PDF words). A printed blank is
  never guessed: a dropped cell stays blank (None), and none of the row's
  absent columns is derived (a blank among the parts decides nothing).

Which cells were dropped is known only when one alignment of the printed
figures with the columns is consistent with the 总计 rule (a printed total
cannot be smaller than the printed parts); otherwise the row stays blank and
the reader lists the consistent alignments for a person to choose from.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from core import formats

KEYS = formats.APPLICANT_KEYS
TOTAL = KEYS.index(formats.TOTAL_COLUMN)
PARTS = [i for i in range(len(KEYS)) if i != TOTAL]
# Most alignments of a short row listed for a person.
MAX_ALIGNMENTS = 50


@dataclass
class Cell:
    value: int | float | None
    raw: str
    confidence: float
    rule: str = "table"


def place(cells: list[Cell], columns: list[str]) -> tuple[list[Cell], bool] | None:
    """Put a row's cells on the seven columns; None when that is ambiguous.

    ``columns`` are those the header prints. A row as long as the header is read
    as printed, absent columns completed where the 总计 rule fixes them; a shorter
    row is placed only when one alignment alone is consistent, its lost cells
    blank. The bool says whether anything was derived.
    """
    present = [KEYS.index(c) for c in columns]
    absent = [i for i in range(len(KEYS)) if i not in present]
    drop = len(present) - len(cells)
    if drop < 0:
        return None
    if drop == 0:
        row = _laid(cells, present)
        derived = derive(list(row), absent) if absent else None
        values = derived if derived is not None else row
        filled = any(values[i] is not None for i in absent)
        return _cells(cells, present, values, sure=True), filled
    if any(c.value is None for c in cells):
        return None  # a blank among the figures and a lost cell: nothing lines up for sure
    fits = consistent(cells, present, drop)
    if len(fits) != 1:
        return None
    slots = fits[0]
    return _cells(cells, slots, _laid(cells, slots), sure=False), False


def _laid(cells: list[Cell], slots: list[int]) -> list:
    row: list = [None] * len(KEYS)
    for slot, cell in zip(slots, cells, strict=True):
        row[slot] = cell.value
    return row


def _cells(cells: list[Cell], slots: list[int], values: list, *, sure: bool) -> list[Cell]:
    """Printed cells at their slots (less sure when deduced), derived or blank elsewhere."""
    placed = []
    for i, value in enumerate(values):
        if i in slots:
            cell = cells[slots.index(i)]
            placed.append(cell if sure else Cell(cell.value, cell.raw, 0.6, cell.rule))
        elif value is not None:
            placed.append(Cell(value, "", 0.6, "completion"))
        else:
            placed.append(Cell(None, "", 0.5))
    return placed


def fits_total(row: list) -> bool:
    """False only when the row breaks 总计 = Σ parts whatever its blank cells hold.

    A blank counts nothing or something, never less than nothing: a printed total
    smaller than its printed parts cannot be right; a row with no blank must add up.
    """
    total = row[TOTAL]
    if total is None:
        return True
    known = [row[i] for i in PARTS if row[i] is not None]
    if len(known) == len(PARTS):
        return sum(known) == total
    return sum(known) <= total


def consistent(cells: list[Cell], present: list[int], drop: int) -> list[list[int]]:
    """The slot lists (one a printed cell) of every alignment a short row may have."""
    out = []
    for dropped in itertools.combinations(present, drop):
        slots = [i for i in present if i not in dropped]
        if fits_total(_laid(cells, slots)):
            out.append(slots)
    return out


def alignments(cells: list[Cell], columns: list[str], cap: int = MAX_ALIGNMENTS) -> list[list]:
    """Each consistent way of lining a short row's figures up with the columns (blanks None).

    When no alignment is consistent (the report's figures disagree), every one is listed.
    """
    present = [KEYS.index(c) for c in columns]
    drop = len(present) - len(cells)
    if drop < 0:
        return []
    fits = consistent(cells, present, drop) if all(c.value is not None for c in cells) else []
    if not fits:
        fits = [
            [i for i in present if i not in dropped]
            for dropped in itertools.combinations(present, drop)
        ]
    return [_laid(cells, slots) for slots in fits[:cap]]


def derive(row: list, unknown: list[int]) -> list | None:
    """Fill unknown (absent) cells from 总计 = Σ parts; None when that does not decide them."""
    if any(row[i] is None for i in range(len(KEYS)) if i not in unknown):
        return None
    if TOTAL in unknown:
        # A 总计 not printed stays blank: a blank is not a sum (core.checks says so).
        return row if len(unknown) == 1 else None
    rest = row[TOTAL] - sum(row[i] for i in PARTS if i not in unknown)
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
