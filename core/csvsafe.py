"""Spreadsheet-safe cells for every CSV and XLSX the portal writes.

Excel and WPS run a cell that starts with = + - @ (or a tab or carriage return before one)
as a formula, so an organ named "=HYPERLINK(...)" would act when a journalist opens the
download. Text starting with those characters gets a leading apostrophe; real numbers (and
text that is just a plain number, such as "-3" or "12.5") stay numbers.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?\Z")


def safe_cell(value):
    """The value as a spreadsheet will show it, never as a formula it would run."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if not isinstance(value, str):
        value = str(value)
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def safe_row(row) -> list:
    return [safe_cell(value) for value in row]


class SafeWriter:
    """csv.writer with every cell passed through safe_cell."""

    def __init__(self, fileobj, **kwargs):
        self._writer = csv.writer(fileobj, **kwargs)

    def writerow(self, row):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(fileobj, **kwargs) -> SafeWriter:
    """The one CSV writer of the portal: like csv.writer, but spreadsheet-safe."""
    return SafeWriter(fileobj, **kwargs)
