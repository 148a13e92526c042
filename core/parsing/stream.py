"""A fallback for tables flattened into a stream of cells.

Some extractors (pdftotext without -layout, docx2txt) print one cell per
line, so no line holds a label and its figures together. Read as a stream,
a table is still "label, then its figures": each recognised row label takes
the numbers that follow it, up to the row's width. Used only when reading by
rows found little, and blank cells are lost in such text, so rows that come
out short stay blank rather than shifted.
"""

from __future__ import annotations

from core import formats

from .completion import Cell, place
from .document import Line
from .numbers import is_number, normalise, number_tokens, parse_number
from .result import Value


def tokens(lines: list[Line]) -> list[tuple[str, str, Line]]:
    """("label" | "number", text, line) for every non-empty cell, in order."""
    out = []
    for line in lines:
        for cell in line.cells:
            cell = normalise(cell)
            if not cell:
                continue
            numbers = number_tokens(cell)
            if numbers:
                out.extend(("number", n, line) for n in numbers if is_number(n))
            else:
                out.append(("label", cell, line))
    return out


_PENDING_MAX = 200


def read_rows(lines: list[Line], table: str, rows: list[tuple[str, list[str], formats.Label]]):
    """Values for (row key, column keys, label) definitions from a cell stream."""
    width = {key: len(columns) for key, columns, _ in rows}
    found: dict[str, list[tuple[str, Line]]] = {}
    current: str | None = None
    pending = ""
    stream = tokens(lines)
    # Header cells ("其他", "总计") also name rows; the data starts at the first row's label.
    first = rows[0][2]
    start = next((i for i, t in enumerate(stream) if t[0] == "label" and first.matches(t[1])), 0)
    for kind, text, line in stream[start:]:
        if kind == "label":
            # A wrapped label arrives in pieces; try the piece, then the pieces joined.
            pending = (pending + text) if current is None or found.get(current) else text
            # A label is a few dozen characters; unbounded joining made junk tables quadratic.
            pending = pending[-_PENDING_MAX:]
            match = _match(text, rows, found) or _match(pending, rows, found)
            if match is not None:
                current, pending = match, ""
                found[current] = []
            continue
        if current is not None and len(found[current]) < width[current]:
            found[current].append((text, line))
            pending = ""
    values = []
    for key, columns, _ in rows:
        cells = found.get(key, [])
        complete = len(cells) == len(columns)
        placed = None if complete or table != formats.SECTION3 else _place(cells, columns)
        for i, column in enumerate(columns):
            raw, line = cells[i] if complete else ("", None)
            value = parse_number(raw) if complete else None
            if placed is not None:
                value, raw, line = placed[i].value, placed[i].raw, cells[0][1]
            values.append(
                Value(
                    table=table,
                    row=key,
                    column=column,
                    value=value,
                    raw=raw,
                    location=line.where() if line else "",
                    confidence=0.7 if complete else (0.6 if value is not None else 0.0),
                    rule="stream",
                )
            )
    return values


def _place(cells: list[tuple[str, Line]], columns: list[str]):
    """A 表三 row one cell short: placed only where a single alignment fits (blank 总计)."""
    if len(cells) != len(columns) - 1:
        return None
    found = [Cell(parse_number(raw), raw, 0.6) for raw, _ in cells]
    placed = place(found, columns)
    return placed[0] if placed else None


def _match(text: str, rows, found) -> str | None:
    for key, _, label in rows:
        if key not in found and label.matches(text):
            return key
    return None


def section3_rows(edition: formats.Edition):
    return [(r.key, list(formats.APPLICANT_KEYS), r) for r in edition.section3_rows]


def section2_rows(edition: formats.Edition):
    return [(r.key, [c.key for c in b.columns], r) for b in edition.section2 for r in b.rows]


def section4_values(lines: list[Line]) -> list[tuple[str, Line]] | None:
    """The 15 figures of 四 when they follow its header as a bare stream of numbers."""
    stream = tokens(lines)
    last_label = max((i for i, t in enumerate(stream) if t[0] == "label"), default=-1)
    numbers = [(text, line) for kind, text, line in stream[last_label + 1 :] if kind == "number"]
    return numbers if len(numbers) == len(formats.SECTION4_CELLS) else None
