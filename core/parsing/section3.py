"""Table 三: applications received and how they were handled.

Rows are recognised by their label text (formats.Section3Row.variants);
values are the cells after the last label. Collapsed rows (all sub-rows of
a group joined in one line, one space-separated value list per column) are
transposed. A row printed without some column is completed only when the
总计 rule determines the missing cells unambiguously; otherwise they stay
blank (None) with a warning. Nothing is "repaired": the checks judge.
"""

from __future__ import annotations

from core import formats

from . import runtogether
from .completion import KEYS, Cell, alignments, fits_total, place
from .document import Line
from .messages import joined, printed, where
from .normalize import number_cell, rule_of
from .numbers import is_blank, number_tokens, parse_number
from .result import ParseResult, Value
from .rows import Row, fit, split_row, sublabels

# Why a blank cell with candidates needs a person (ParsedValue.flag).
UNPLACED = "该格所在列无法确定（空白或数字连在一起），请对照原件选择。"


def header_columns(rows: list[Row]) -> list[str]:
    """Applicant columns in printed order, from the header rows above the data."""
    seen: list[str] = []
    for row in rows:
        for cell in row.cells:
            names = [c.key for c in formats.APPLICANT_COLUMNS if c.matches(cell)]
            # A cell's own line breaks are only wrapping ("商业企\n业"): words are split at spaces.
            words = cell.replace("\n", "").split()
            if len(names) > 1 or (names and len(words) > 1):
                # A header printed as one space-aligned cell names its columns word by word.
                names = [c.key for t in words for c in formats.APPLICANT_COLUMNS if c.matches(t)]
            seen.extend(name for name in names if name not in seen)
    if len(seen) < 5:
        return list(KEYS)
    # 总计 sits last in the national layout even when printed in the top header row.
    ordered = [k for k in KEYS if k in seen]
    return ordered


def match_row(label: str, rows: tuple[formats.Section3Row, ...]) -> formats.Section3Row | None:
    for row in rows:
        if row.matches(label):
            return row
    return None


def _cells(raw_values: list[str], confidence: float, result: ParseResult, line: Line) -> list[Cell]:
    cells = []
    for raw in raw_values:
        value = parse_number(raw)
        if value is None and not is_blank(raw):
            result.warn("s3_unreadable", where=where(line), raw=printed(raw))
        cells.append(Cell(value, raw, confidence if value is not None else 0.5, rule_of(raw)))
    return cells


def _leading_blanks(values: list[str]) -> int:
    return next((i for i, v in enumerate(values) if v.strip()), len(values))


def _row_def(label_cells: list[str], rows) -> formats.Section3Row | None:
    """Match the most specific label first: the last cell, its last numbered part, all."""
    if not label_cells:
        return None
    last = formats.squash(label_cells[-1])
    parts = sublabels(label_cells[-1])
    for text in (last, formats.squash(parts[-1]), formats.squash("".join(label_cells))):
        row = match_row(text, rows)
        if row is not None:
            return row
    return None


def _join_broken_rows(rows: list[Row]) -> list[Row]:
    """A row cut by a page break goes on in a line of figures with no label: join them."""
    joined: list[Row] = []
    for row in rows:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and not row.labels
            and row.numbers
            and previous.labels
            and 0 < len(previous.numbers) < len(KEYS)
            and len(previous.numbers) + len(row.numbers) == len(KEYS)
        ):
            joined[-1] = Row(
                line=previous.line,
                cells=previous.cells + row.cells,
                labels=previous.labels,
                values=previous.numbers + row.numbers,
            )
            continue
        joined.append(row)
    return joined


class Section3Reader:
    """Reads table 三 out of the lines of its section."""

    def __init__(self, edition: formats.Edition, result: ParseResult):
        self.edition = edition
        self.result = result
        self.found: dict[str, tuple[list[Cell], Line]] = {}
        self.columns: list[str] = list(KEYS)
        self.derived: list[str] = []
        # Rows whose digits ran together and more than one split fits the row's total.
        self.open: dict[str, tuple[list[list[int]], Line, str]] = {}

    def read(self, lines: list[Line]) -> None:
        rows = [split_row(line) for line in lines]
        first = next(
            (
                i
                for i, r in enumerate(rows)
                if r.values and _row_def(r.labels, self.edition.section3_rows)
            ),
            len(rows),
        )
        self.columns = header_columns(rows[:first])
        if len(self.columns) < len(KEYS):
            missing = joined(k for k in KEYS if k not in self.columns)
            self.result.warn("s3_header_missing", columns=missing)
        body = _join_broken_rows(rows[first:])
        # A last column blank on every row is a column the extraction lost, not a
        # column of printed blanks: those rows are read as rows without it.
        data = [r for r in body if r.values]
        # Leading blanks are merged label cells: widths are counted without them.
        widths = [len(r.values) - _leading_blanks(r.values) for r in data]
        width = max(widths, default=0)
        widest = [r for r, w in zip(data, widths, strict=True) if w == width]
        if len(widest) >= 3 and all(not r.values[-1].strip() for r in widest):
            for r in data:
                r.values = r.values[_leading_blanks(r.values) :]
                while r.values and not r.values[-1].strip():
                    r.values.pop()
        for i, row in enumerate(body):
            if row.values and not self._collapsed(row):
                row_def = _row_def(row.labels, self.edition.section3_rows) or self._wrapped(body, i)
                self._assign(row_def, row.values, row.line, 0.95)
        self._resolve()
        self._emit()

    def _wrapped(self, rows: list[Row], i: int):
        """A label wrapped over the lines around its values ("1.申请人无正当理由逾" / …)."""
        before = rows[i - 1].labels if i and not rows[i - 1].values else []
        after = rows[i + 1].labels if i + 1 < len(rows) and not rows[i + 1].values else []
        label = "".join([*before[-1:], *rows[i].labels[-1:], *after[:1]])
        return _row_def([label], self.edition.section3_rows) if label else None

    def _collapsed(self, row: Row) -> bool:
        """Transpose a line holding several sub-rows; True if it was one."""
        if not row.labels:
            return False
        parts = sublabels(row.labels[-1])
        tokens = [number_tokens(v) for v in row.values if v.strip()]
        if len(parts) < 2 or not tokens or any(t is None for t in tokens):
            return False
        if any(len(t) != len(parts) for t in tokens):
            self.result.warn("s3_collapsed_mismatch", where=where(row.line), parts=len(parts))
            return True
        for j, part in enumerate(parts):
            row_def = _row_def([part], self.edition.section3_rows)
            self._assign(row_def, [t[j] for t in tokens], row.line, 0.85)
        return True

    def _assign(self, row_def, raw_values: list[str], line: Line, confidence: float) -> None:
        if row_def is None:
            return
        at = where(line)
        if row_def.key in self.found:
            self.result.warn("s3_row_repeated", row=row_def.label, where=at)
            return
        # Seven values are read as the seven columns whatever the header showed.
        filled = [v for v in raw_values if v.strip()]
        # Only a row with fewer cells than columns can hide glued figures.
        cells_printed = len(raw_values) - _leading_blanks(raw_values)
        if cells_printed < len(KEYS) and self._split(row_def, filled, line):
            return
        width = len(KEYS) if len(filled) >= len(KEYS) else len(self.columns)
        columns = list(KEYS) if width == len(KEYS) else self.columns
        values = fit(raw_values, width)
        if values is None:
            self.result.warn("s3_too_many_values", row=row_def.label, where=at, width=width)
            values = raw_values[-width:]
        cells = _cells(values, confidence, self.result, line)
        placed = place(cells, columns)
        if placed is None:
            self.result.warn("s3_unplaced", row=row_def.label, where=at, count=len(cells))
            if 0 < len(cells) < len(columns):
                self.result.ambiguous.append(
                    {
                        "table": formats.SECTION3,
                        "row": row_def.key,
                        "columns": list(KEYS),
                        "raw": " ".join(c.raw for c in cells),
                        "candidates": alignments(cells, columns),
                        "location": line.where(),
                    }
                )
            cells = [Cell(None, "", 0.0)] * len(KEYS)
        else:
            cells, derived = placed
            if derived:
                self.derived.append(row_def.label)
        self.found[row_def.key] = (cells, line)

    def _split(self, row_def, filled: list[str], line: Line) -> bool:
        """Digits that ran together: split by 总计 = Σ parts; True when the row is taken."""
        tokens = [number_cell(t).replace(",", "") for t in filled]
        glued = all(t.isdigit() for t in tokens) and runtogether.glued(tokens)
        if not glued and (
            len(self.columns) != len(KEYS) or not runtogether.splittable(tokens, len(KEYS))
        ):
            return False
        options = None
        if runtogether.splittable(tokens, len(KEYS)):
            options = runtogether.candidates(tokens, len(KEYS), runtogether.row_total)
        raw = " ".join(filled)
        if not options and glued:
            # "000000": a run no figure prints, too short for every cell, so printed blanks
            # were lost in it too. Where they stood is for a person to say.
            self._lost_blanks(row_def, tokens, line, raw)
            return True
        if not options:
            return False  # no split fits: read as printed (the checks judge)
        if len(options) == 1:
            self.found[row_def.key] = ([Cell(v, raw, 0.6, "arithmetic") for v in options[0]], line)
        else:
            self.open[row_def.key] = (options, line, raw)
            self.found[row_def.key] = ([Cell(None, raw, 0.0, "arithmetic")] * len(KEYS), line)
        return True

    def _lost_blanks(self, row_def, tokens: list[str], line: Line, raw: str) -> None:
        """Glued digits that also lost blank cells: the row stays blank, its readings listed."""
        options = runtogether.with_blanks(tokens, len(KEYS), fits_total)
        values = runtogether.agree(options) if options else [None] * len(KEYS)
        self.found[row_def.key] = (
            [Cell(v, raw, 0.6 if v is not None else 0.0, "arithmetic") for v in values],
            line,
        )
        self.result.ambiguous.append(
            {
                "table": formats.SECTION3,
                "row": row_def.key,
                "columns": list(KEYS),
                "raw": raw,
                "candidates": options or [],
                "location": line.where(),
            }
        )
        self.result.warn("s3_glued_blanks", row=row_def.label, where=where(line), raw=printed(raw))

    def _resolve(self) -> None:
        """Narrow open rows jointly by the column rules; blank what still differs."""
        if not self.open:
            return
        fixed = {
            key: [c.value for c in cells]
            for key, (cells, _) in self.found.items()
            if key not in self.open
        }
        options = runtogether.joint(
            fixed,
            {k: v[0] for k, v in self.open.items()},
            runtogether.section3_relations(self.edition),
        )
        for key, choices in options.items():
            _, line, raw = self.open[key]
            values = runtogether.agree(choices)
            self.found[key] = (
                [Cell(v, raw, 0.6 if v is not None else 0.0, "arithmetic") for v in values],
                line,
            )
            columns = [KEYS[i] for i, v in enumerate(values) if v is None]
            if not columns:
                continue
            label = next(r.label for r in self.edition.section3_rows if r.key == key)
            self.result.ambiguous.append(
                {
                    "table": formats.SECTION3,
                    "row": key,
                    "columns": columns,
                    "raw": raw,
                    "candidates": choices,
                    "location": line.where(),
                }
            )
            self.result.warn(
                "s3_glued_ambiguous",
                row=label,
                where=where(line),
                raw=printed(raw),
                count=len(choices),
                options=joined(choices[:5], "；"),
                columns=joined(columns),
            )

    def _offered(self) -> dict[tuple[str, str], list]:
        """(row, column) -> the figures a person may choose from, for cells left blank."""
        out: dict[tuple[str, str], list] = {}
        for entry in self.result.ambiguous:
            if entry.get("table") != formats.SECTION3:
                continue
            for reading in entry.get("candidates") or []:
                if len(reading) != len(KEYS):
                    continue
                for column, value in zip(KEYS, reading, strict=True):
                    seen = out.setdefault((entry["row"], column), [])
                    if value is not None and value not in seen:
                        seen.append(value)
        return out

    def _emit(self) -> None:
        offered = self._offered()
        if self.derived:
            self.result.warn("s3_derived", rows=joined(self.derived))
        for row_def in self.edition.section3_rows:
            cells, line = self.found.get(row_def.key, (None, None))
            if cells is None:
                self.result.warn("s3_row_missing", row=row_def.label)
            for i, key in enumerate(KEYS):
                cell = cells[i] if cells else Cell(None, "", 0.0)
                choices = offered.get((row_def.key, key)) if cell.value is None else None
                self.result.add(
                    Value(
                        table=formats.SECTION3,
                        row=row_def.key,
                        column=key,
                        value=cell.value,
                        raw=cell.raw,
                        location=line.where() if line else "",
                        confidence=cell.confidence,
                        rule=cell.rule,
                        flag=UNPLACED if choices else None,
                        candidates=sorted(choices) if choices else None,
                    )
                )
