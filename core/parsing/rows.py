"""A table row seen as label cells followed by value cells.

Real files lose or gain empty cells (merged label cells come out as leading
blanks, some rows lose them), so rows are read by label text and by the run
of values after the last label, never by fixed column positions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core import formats

from .document import Line
from .normalize import Repaired, number_cell
from .numbers import is_blank, is_number, normalise, number_tokens

# "规章 0 0 0" in a single cell: a label, then a run of numbers.
_TRAILING_NUMBERS = re.compile(
    r"^(?P<label>.*?[^\d\s.,，+\-−－])\s+(?P<nums>(?:[+\-−－]?\d[\d,，.]*\s+)*[+\-−－]?\d[\d,，.]*)$"
)
# Sub-row labels inside one cell: "1. 属于国家秘密 2. 其他法律…"
SUBLABEL = re.compile(r"(?:^|(?<=\s)|(?<=[^\d]))(\d{1,2})\s*[.．、]\s*(?=\D)")


@dataclass
class Row:
    line: Line
    cells: list[str]
    labels: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """All label cells squashed together."""
        return formats.squash("".join(self.labels))

    @property
    def last_label(self) -> str:
        return formats.squash(self.labels[-1]) if self.labels else ""

    @property
    def numbers(self) -> list[str]:
        return [v for v in self.values if is_number(v)]


def _number_or_text(cell: str, grid: bool) -> str:
    """The cell normalised; a repaired figure keeps its Repaired type (provenance)."""
    repaired = number_cell(cell, spaced=grid)
    return repaired if isinstance(repaired, Repaired) else normalise(repaired)


def _is_value(cell: str) -> bool:
    # Digits a narrow cell wrapped ("29\n.5") are a value too; _unwrap joins them.
    wrapped = bool(_WRAPPED.match(cell))
    return wrapped or is_number(cell) or is_blank(cell) or number_tokens(cell) is not None


def split_row(line: Line) -> Row:
    """Label cells, then every cell after the last label (trailing blanks dropped)."""
    # A grid cell holds one figure: look-alikes and stray spaces in it are normalised.
    grid = line.table is not None
    cells = [_number_or_text(c, grid) for c in line.cells]
    if len([c for c in cells if c]) == 1 and not line.table:
        # Space-aligned text ("pdftotext -layout"): "规章  0  0  3" or "0  2  0 …".
        only = next(c for c in cells if c)
        match = _TRAILING_NUMBERS.match(only)
        if match:
            cells = [match.group("label"), *match.group("nums").split()]
        elif number_tokens(only) and len(only.split()) > 1:
            cells = only.split()
    last = -1
    for i, cell in enumerate(cells):
        if cell and not _is_value(cell):
            last = i
    labels = [c for c in cells[: last + 1] if c and not _is_value(c)]
    cells = [_unwrap(c, labels) for c in cells]
    values = cells[last + 1 :]
    # A tab or grid row keeps its trailing blanks: they are cells (a blank 总计), and
    # ``fit`` trims surplus ones against the table's width.
    if len(line.cells) == 1 or not any(values):
        while values and not values[-1]:
            values.pop()
    # "(七) 总计 0" - numbers that lost their cell border stay glued to the label.
    if labels:
        match = _TRAILING_NUMBERS.match(labels[-1])
        if match:
            labels[-1] = match.group("label")
            values = [*match.group("nums").split(), *values]
    return Row(line=line, cells=cells, labels=labels, values=values)


_WRAPPED = re.compile(r"^[\d,，.]+(?:\n[\d,，.]+)+$")


def _unwrap(cell: str, labels: list[str]) -> str:
    """Digits a narrow PDF cell wrapped ("1935\n8") are one number.

    Only a collapsed row, whose label holds as many numbered sub-labels as the
    cell holds lines, has one value per line.
    """
    if not _WRAPPED.match(cell):
        return cell
    parts = cell.split("\n")
    if labels and len(sublabels(labels[-1])) == len(parts):
        return " ".join(parts)
    return "".join(parts)


def fit(values: list[str], width: int) -> list[str] | None:
    """Trim leading blanks (merged label cells), then trailing ones, to fit the width."""
    values = list(values)
    while len(values) > width and values and not values[0]:
        values.pop(0)
    while len(values) > width and values and not values[-1]:
        values.pop()
    if len(values) > width:
        return None
    return values


def sublabels(text: str) -> list[str]:
    """Split "1. 甲 2. 乙 3. 丙" into its numbered parts (one part when not numbered)."""
    text = normalise(text)
    marks = list(SUBLABEL.finditer(text))
    numbered = [m for m in marks if m.group(1).isdigit()]
    if len(numbered) < 2:
        return [text]
    parts = []
    for i, mark in enumerate(numbered):
        end = numbered[i + 1].start() if i + 1 < len(numbered) else len(text)
        parts.append(text[mark.start() : end].strip())
    return parts
