"""Table 四: administrative review and litigation, 3 groups × 5 outcomes.

The usual layout prints all 15 figures on one row; blank cells are kept
blank (None), so a row that leaves 行政复议 empty does not shift the
litigation figures left. Layouts with one row per group are read too.
"""

from __future__ import annotations

from core import formats

from . import runtogether
from .document import Line
from .messages import joined, printed, where
from .normalize import rule_of
from .numbers import is_blank, parse_number
from .result import ParseResult, Value
from .rows import Row, fit, split_row

WIDTH = len(formats.SECTION4_CELLS)
GROUP = len(formats.SECTION4_COLUMNS)


def _values_row(row: Row) -> bool:
    """A row of figures: several numbers and no other text among its values."""
    text = [v for v in row.values if v and not is_blank(v) and parse_number(v) is None]
    # Or a bare run of glued digits ("000000001100000"), split later by arithmetic.
    glued = not row.labels and sum(len(n) for n in row.numbers) >= GROUP
    return (len(row.numbers) >= 3 or glued) and not text


def read_section4(lines: list[Line], result: ParseResult) -> None:
    rows = [split_row(line) for line in lines]
    cells: list[tuple | None] = [None] * WIDTH
    # One row per group: "行政复议 0 0 0 0 0".
    grouped = False
    for row in rows:
        group = next(
            (i for i, g in enumerate(formats.SECTION4_GROUPS) if g.matches(row.label)), None
        )
        values = fit(row.values, GROUP) if row.values else None
        if group is not None and values and _values_row(row):
            grouped = True
            for j, raw in enumerate(values):
                cells[group * GROUP + j] = (raw, row.line, 0.9)
    if not grouped:
        data = [r for r in rows if _values_row(r) and not r.labels]
        data = data or [r for r in rows if _values_row(r)]
        cells = _flat(data, result, rows)
    _emit(cells, result)


def _flat(data: list[Row], result: ParseResult, rows: list[Row] | None = None) -> list:
    """The 15 figures from one row, or from consecutive rows split by a page break."""
    cells: list = []
    for row in data:
        values = _positions(row)
        cells.extend((raw, row.line, 0.9) for raw in values)
        if len(cells) >= WIDTH:
            following = _after(row, rows or data)
            if len(cells) == WIDTH and following is not None:
                cells = _continued(cells, following, result) or cells
            break
    if not cells:
        result.warn("s4_no_data")
        return [None] * WIDTH
    if len(cells) < WIDTH:
        cells = _split(cells, result) or cells
    if len(cells) != WIDTH:
        result.warn("s4_width", count=len(cells), width=WIDTH)
        return [None] * WIDTH
    return cells


def _after(row: Row, rows: list[Row]) -> Row | None:
    """The row printed right after ``row`` (a page's continuation may hold one figure)."""
    index = next((i for i, r in enumerate(rows) if r is row), None)
    return rows[index + 1] if index is not None and index + 1 < len(rows) else None


def _positions(row: Row) -> list[str]:
    if len(row.cells) >= WIDTH and not row.labels:
        # Keep the row's own positions: leading blank cells are blank figures.
        values = list(row.cells)
        while len(values) > WIDTH and not values[-1]:
            values.pop()
        return values[-WIDTH:]
    return row.values


def _holds(values: list) -> bool:
    return None not in values and runtogether.group_rule(GROUP)(values)


def _continued(cells: list, following: Row, result: ParseResult) -> list | None:
    """The figures row broken across a page: each cell's last digits open the next page.

    A PDF row split by a page break goes on in a row of the same cells holding the rest of
    the tall ones ("19" | "7" is 197). Joined only when the following row has a figure
    fragment under figures alone and the joined row keeps every group total that the row
    as printed on the first page breaks; otherwise the rows are left as they are.
    """
    rest = _positions(following)
    if following.labels or len(rest) != WIDTH or all(r.strip() for r in rest):
        return None
    if not any(r.strip() for r in rest):
        return None
    digits = lambda text: text.replace("\n", "").replace(" ", "")  # noqa: E731
    if any(r.strip() and not digits(r).isdigit() for r in rest):
        return None
    if any(r.strip() and not digits(c[0]).isdigit() for c, r in zip(cells, rest, strict=True)):
        return None
    joined = [digits(c[0]) + digits(r) for c, r in zip(cells, rest, strict=True)]
    if _holds([parse_number(c[0]) for c in cells]) or not _holds([parse_number(j) for j in joined]):
        return None
    line = following.line
    result.warn("s4_page_break", first=where(cells[0][1]), second=where(line))
    return [
        (j, c[1], 0.8, "arithmetic") if r.strip() else c
        for c, r, j in zip(cells, rest, joined, strict=True)
    ]


def _split(cells: list, result: ParseResult) -> list | None:
    """Digits that ran together ("000000001100000"), split so each group adds up."""
    filled = [c for c in cells if c[0].strip()]
    tokens = [c[0].replace(",", "") for c in filled]
    if not runtogether.splittable(tokens, WIDTH):
        return None
    options = runtogether.candidates(tokens, WIDTH, runtogether.group_rule(GROUP))
    if not options:
        return None
    line = filled[0][1]
    values = runtogether.agree(options)
    if None in values:
        raw = " ".join(tokens)
        columns = [formats.SECTION4_CELLS[i] for i, v in enumerate(values) if v is None]
        result.ambiguous.append(
            {
                "table": formats.SECTION4,
                "row": columns[0][0],
                "columns": [list(c) for c in columns],
                "raw": raw,
                "candidates": options,
                "location": line.where(),
            }
        )
        result.warn(
            "s4_glued_ambiguous",
            where=where(line),
            raw=printed(raw),
            count=len(options),
            options=joined(options[:5], "；"),
        )
    return [("" if v is None else str(v), line, 0.6, "arithmetic") for v in values]


def _emit(cells: list, result: ParseResult) -> None:
    blanks = []
    for (group, column), cell in zip(formats.SECTION4_CELLS, cells, strict=True):
        raw, line, confidence, *rule = cell if cell else ("", None, 0.0)
        value = parse_number(raw)
        if value is None and cell is not None:
            blanks.append({"template": "s4_cell", "group": group, "column": column})
            if not is_blank(raw):
                result.warn("s4_unreadable", where=where(line), raw=printed(raw))
        result.add(
            Value(
                table=formats.SECTION4,
                row=group,
                column=column,
                value=value,
                raw=raw,
                location=line.where() if line else "",
                confidence=confidence if value is not None else 0.5,
                rule=rule[0] if rule else rule_of(raw),
            )
        )
    if blanks:
        result.warn("s4_blanks", cells=joined(blanks))
