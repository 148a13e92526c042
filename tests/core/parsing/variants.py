"""Non-zero reports built on the seeds' real layouts, with the figures they print.

The seeds are nearly all zeros. Here every printed figure of tables 二, 三
and 四 is replaced, in printed order, by a distinct number, and the expected
figures are built from the same sequence and the national row order, not by
the parser. Layout quirks (shifted rows, page breaks, blank cells) stay as
they are in the seed.
"""

from __future__ import annotations

import random
import re

from core import formats

_INT = re.compile(r"^\d+$")


def _regions(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Line ranges of the three tables, found by the labels every seed prints."""

    def first(pattern: str, start: int = 0) -> int:
        return next(i for i in range(start, len(lines)) if re.search(pattern, lines[i]))

    s2 = first(r"第二十条")
    s3 = first(r"勾稽", s2)
    s4 = first(r"行政复议.*行政诉讼", s3)
    end = first(r"^\W*五、", s4)
    return {"二": (s2, s3), "三": (s3, s4), "四": (s4, end)}


def _is_row(line: str) -> bool:
    return "\t" in line or line.lstrip().startswith("|")


def nonzero(text: str, expected: dict, seed: int = 1) -> tuple[str, dict]:
    """The seed text with new figures, and those figures in the parser's shape."""
    rng = random.Random(seed)
    lines = text.split("\n")
    regions = _regions(lines)
    edition = formats.get_edition(expected["format"])
    figures: dict = {"section2": {}, "section3": {}, "section4": []}

    def draw() -> int:
        return rng.choice([rng.randint(1, 99), rng.randint(100, 999), rng.randint(1000, 25000)])

    printed = {"二": [], "三": [], "四": []}
    for key, (start, end) in regions.items():
        for i in range(start, end):
            if not _is_row(lines[i]):
                continue
            sep = "\t" if "\t" in lines[i] else "|"
            cells = lines[i].split(sep)
            for j, cell in enumerate(cells):
                if _INT.match(cell.strip()):
                    value = draw()
                    printed[key].append(value)
                    cells[j] = cell.replace(cell.strip(), str(value))
            lines[i] = sep.join(cells)

    numbers = iter(printed["二"])
    for row, columns in expected["section2"].items():
        figures["section2"][row] = {col: next(numbers) for col in columns}
    numbers = iter(printed["三"])
    for row in edition.section3_row_keys():
        figures["section3"][row] = [next(numbers) for _ in formats.APPLICANT_KEYS]
    numbers = iter(printed["四"])
    figures["section4"] = [None if v is None else next(numbers) for v in expected["section4"]]
    for key, values in printed.items():
        leftover = len(values) - _count(figures, key)
        assert leftover == 0, f"table {key}: {leftover} printed figures not placed"
    return "\n".join(lines), figures


def _count(figures: dict, key: str) -> int:
    if key == "二":
        return sum(len(cols) for cols in figures["section2"].values())
    if key == "三":
        return sum(len(v) for v in figures["section3"].values())
    return sum(1 for v in figures["section4"] if v is not None)


def space_aligned(text: str) -> str:
    """Tab rows as `pdftotext -layout` prints them: cells padded with spaces."""
    out = []
    for line in text.split("\n"):
        if "\t" in line and not line.lstrip().startswith("|"):
            cells = [c.strip() for c in line.split("\t")]
            line = "   ".join(c for c in cells if c)
        out.append(line)
    return "\n".join(out)


def one_cell_per_line(text: str) -> str:
    """Tables as plain extractors print them: every non-empty cell on its own line."""
    out = []
    for line in text.split("\n"):
        if "\t" in line or line.lstrip().startswith("|"):
            sep = "\t" if "\t" in line else "|"
            if set(line.strip()) <= set("|-: "):
                continue
            out.extend(c.strip() for c in line.split(sep) if c.strip())
        else:
            out.append(line)
    return "\n".join(out)
