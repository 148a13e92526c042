"""Shared pieces of the checks: the Finding type, exact numbers and cell names."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from core import formats
from core.checks.messages import gettext_noop, render, render_value
from core.figureset import Cell

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)


# How many cells a message names before it says "等 N 格".
NAMED_CELLS = 6


@dataclass(frozen=True)
class Finding:
    """One failed or unevaluable check: stable code, severity, message, cells involved.

    ``params`` fill the code's message template (core/checks/messages.py), so the portal can
    say it in the viewer's language; ``evidence`` is the prose sentence a prose finding rests
    on, cut at the number ({"before", "number", "after"}).
    """

    code: str
    severity: str
    message: str
    cells: tuple[Cell, ...] = ()
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    evidence: dict[str, str] | None = field(default=None, hash=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "cells": [list(cell) for cell in self.cells],
            "params": self.params,
            "evidence": self.evidence,
        }


def finding(
    code: str,
    severity: str,
    involved=(),
    *,
    evidence: dict[str, str] | None = None,
    **params: Any,
) -> Finding:
    """A finding whose message is its code's template filled with ``params``."""
    params = {k: fmt(v) if isinstance(v, Decimal) else v for k, v in params.items()}
    message = render(code, params)
    if message is None:
        raise KeyError(f"no message template for {code!r}")
    return Finding(code, severity, message, tuple(involved), params, evidence)


def number(value: Any) -> Decimal | None:
    """The value as an exact Decimal, or None when blank or unreadable."""
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, Decimal):
            result = value
        elif isinstance(value, int):
            result = Decimal(value)
        elif isinstance(value, (float, str)):
            # str() keeps 0.1 as 0.1 instead of its binary expansion.
            result = Decimal(str(value).strip().replace(",", ""))
        else:
            return None
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


def fmt(value: Decimal) -> str:
    """A number as a clerk would write it: 6, not 6.0 or Decimal('6')."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def total(values: list[Decimal | None]) -> Decimal | None:
    """Sum of the values, or None when any of them is blank."""
    if any(v is None for v in values):
        return None
    return sum(values, Decimal(0))


class View:
    """Read access to one report's figures by formats' keys; blanks come back as None."""

    def __init__(self, figures: dict | None, edition: str):
        if str(edition) not in formats.EDITION_DEFS:
            raise ValueError(f"unknown edition {edition!r}; expected one of {formats.EDITIONS}")
        self.edition = formats.get_edition(edition)
        self.figures = figures or {}
        # The form prints 一, 二, the result rows, (七) 总计, 四 in this order, in both editions.
        rows = self.edition.section3_rows
        self.new, self.carried_in, *self.results, self.results_total, self.carried_out = rows

    def raw(self, cell: Cell) -> Any:
        table, row, column = cell
        data = self.figures.get(table)
        if table == formats.SECTION2:
            return ((data or {}).get(row) or {}).get(column)
        if table == formats.SECTION3:
            values = (data or {}).get(row) or ()
            index = formats.APPLICANT_KEYS.index(column)
        else:
            values = data or ()
            index = formats.SECTION4_CELLS.index((row, column))
        return values[index] if index < len(values) else None

    def get(self, cell: Cell) -> Decimal | None:
        return number(self.raw(cell))

    def s2(self, row: str, column: str) -> Decimal | None:
        return self.get((formats.SECTION2, row, column))

    def s3(self, row: str, column: str) -> Decimal | None:
        return self.get((formats.SECTION3, row, column))

    def s4(self, group: str, column: str) -> Decimal | None:
        return self.get((formats.SECTION4, group, column))

    def cells(self, table: str) -> list[Cell]:
        """Every cell the edition prints in one table, in printed order."""
        if table == formats.SECTION2:
            return [(table, r, c) for r, c in self.edition.section2_cells()]
        if table == formats.SECTION3:
            keys = self.edition.section3_row_keys()
            return [(table, r, c) for r in keys for c in formats.APPLICANT_KEYS]
        return [(table, g, c) for g, c in formats.SECTION4_CELLS]

    def row_name(self, key: str) -> str:
        """The printed label of a 三 row, with its group heading for sub-rows."""
        row = next(r for r in self.edition.section3_rows if r.key == key)
        if row.group:
            return f"{formats.SECTION3_GROUPS[row.group][0]} {row.label}"
        return row.label

    def row_label(self, key: str) -> str | list[str]:
        """The printed label of a 三 row as data: [group heading, label] for sub-rows."""
        row = next(r for r in self.edition.section3_rows if r.key == key)
        if row.group:
            return [formats.SECTION3_GROUPS[row.group][0], row.label]
        return row.label

    def cell_name(self, cell: Cell) -> str:
        return render_value(self.cell_phrase(cell))

    def cell_phrase(self, cell: Cell) -> dict:
        """A cell's name as a phrase (messages.py), said in the viewer's language when shown."""
        table, row, column = cell
        if table == formats.SECTION3:
            return phrase(f"cell:{table}", row=self.row_label(row), column=column)
        if table == formats.SECTION4:
            return phrase(f"cell:{table}", group=group_name(row), column=column)
        return phrase(f"cell:{table}", row=row, column=column)


TABLE_NAMES = {
    formats.SECTION2: gettext_noop("表二"),
    formats.SECTION3: gettext_noop("表三"),
    formats.SECTION4: gettext_noop("表四"),
}


def group_name(key: str) -> str:
    return next(g.label for g in formats.SECTION4_GROUPS if g.key == key)


def phrase(template: str, **params: Any) -> dict:
    """A param that is a phrase of its own: a template of messages.py and what fills it."""
    return {"template": template, **params}


def joined(items: list, separator: str = "、") -> dict:
    """A param that lists items, the separator said in the viewer's language."""
    return {"join": separator, "items": list(items)}


def quoted(text: Any) -> dict:
    return phrase("phrase:quoted", text=text)


def list_cells(view: View, cells: list[Cell]) -> dict:
    """Name the first few cells, then say how many more there are."""
    names = joined([view.cell_phrase(c) for c in cells[:NAMED_CELLS]])
    if len(cells) > NAMED_CELLS:
        return phrase("phrase:cells_more", names=names, count=len(cells))
    return names


def unchecked(
    code: str, view: View, rule: str | dict, blanks: list[Cell], reason: str = gettext_noop("空白")
) -> list[Finding]:
    """One info finding saying a rule could not be evaluated because of blank cells."""
    if not blanks:
        return []
    blanks = list(dict.fromkeys(blanks))
    return [
        finding(
            f"{code}_unchecked",
            INFO,
            blanks,
            template="unchecked",
            rule=rule,
            cells=list_cells(view, blanks),
            reason=reason,
        )
    ]
