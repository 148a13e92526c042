"""How well core.parsing reads the corpus: every cell of every rendering against the truth.

``python -m bench.corpus.accuracy`` prints one row per (form, layout): reports, cells,
cells correct, %, reports read exactly, median and max parse time.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass, field

from bench.corpus.expected import expected_json
from bench.corpus.model import Sample
from bench.corpus.render import RENDERINGS, filename, render
from bench.corpus.render_pdf import SofficeMissing
from core import formats
from core.parsing import ParseResult, parse_bytes


@dataclass
class Comparison:
    cells: int = 0
    correct: int = 0
    wrong: list = field(default_factory=list)  # (cell, expected, parsed)
    meta_wrong: list = field(default_factory=list)  # ("organ", expected, parsed) ...

    @property
    def exact(self) -> bool:
        return not self.wrong and not self.meta_wrong


def cells_of(data: dict, edition: str) -> dict[tuple[str, str, str], object]:
    """Every cell the edition prints, (table, row, column) -> value, from the dict shape."""
    out = {}
    ed = formats.get_edition(edition)
    for row, column in ed.section2_cells():
        out[(formats.SECTION2, row, column)] = ((data.get("section2") or {}).get(row) or {}).get(
            column
        )
    for row in ed.section3_row_keys():
        values = (data.get("section3") or {}).get(row) or [None] * 7
        for column, value in zip(formats.APPLICANT_KEYS, values, strict=False):
            out[(formats.SECTION3, row, column)] = value
    values = data.get("section4") or [None] * 15
    for (group, column), value in zip(formats.SECTION4_CELLS, values, strict=False):
        out[(formats.SECTION4, group, column)] = value
    return out


def same(expected, parsed) -> bool:
    if expected is None or parsed is None:
        return expected is None and parsed is None
    try:
        return abs(float(expected) - float(parsed)) < 0.005
    except (TypeError, ValueError):
        return False


def candidates(result) -> dict:
    """Values the parser offers for cells it left blank as ambiguous: cell -> candidate values.

    Hook for the parser's ambiguity reporting: read from ``result.candidates`` (a dict) or
    from values carrying ``ambiguous``/``candidates`` attributes, whichever the parser offers.
    """
    found = dict(getattr(result, "candidates", None) or {})
    for value in getattr(result, "values", ()):
        options = getattr(value, "candidates", None)
        if options and getattr(value, "ambiguous", True):
            found[(value.table, value.row, value.column)] = list(options)
    return found


def compare(expected: dict, result) -> Comparison:
    """Cell by cell; a blank left on purpose counts when the truth is among its candidates."""
    out = Comparison()
    if getattr(result, "error", None):
        parsed, meta = {}, {}
    else:
        parsed = result.figures() if result.edition == expected["edition"] else {}
        meta = {"organ": result.organ, "year": result.year, "edition": result.edition}
    for key in ("organ", "year", "edition"):
        if meta.get(key) != expected[key]:
            out.meta_wrong.append((key, expected[key], meta.get(key)))
    offered = candidates(result)
    got = cells_of(parsed, expected["edition"])
    for cell, value in cells_of(expected, expected["edition"]).items():
        out.cells += 1
        found = got.get(cell)
        ok = same(value, found) or (
            found is None and any(same(value, c) for c in offered.get(cell, ()))
        )
        if ok:
            out.correct += 1
        else:
            out.wrong.append((cell, value, found))
    return out


def parse_rendering(sample: Sample, form: str, layout: str):
    """(result, milliseconds) of parsing one rendering of the sample."""
    data = render(sample, form, layout)
    started = time.perf_counter()
    try:
        result = parse_bytes(data, filename(sample, form, layout))
    except Exception as exc:  # noqa: BLE001 - a crash is a report read wrongly, not a stop
        result = ParseResult(error=f"parser crashed: {exc!r}", error_code="crash")
    return result, (time.perf_counter() - started) * 1000


def accuracy_table(samples: list[Sample], renderings=RENDERINGS) -> list[dict]:
    """One row per (form, layout); PDF rows are skipped (with a note) without LibreOffice."""
    rows = []
    for form, layout in renderings:
        row = {"form": form, "layout": layout, "reports": 0, "cells": 0, "correct": 0,
               "percent": 0.0, "exact": 0, "median_ms": 0.0, "max_ms": 0.0, "note": ""}  # fmt: skip
        times = []
        for sample in samples:
            try:
                result, ms = parse_rendering(sample, form, layout)
            except SofficeMissing as exc:
                row["note"] = str(exc)
                break
            outcome = compare(expected_json(sample), result)
            row["reports"] += 1
            row["cells"] += outcome.cells
            row["correct"] += outcome.correct
            row["exact"] += outcome.exact
            times.append(ms)
        if row["cells"]:
            row["percent"] = round(100 * row["correct"] / row["cells"], 2)
        if times:
            row["median_ms"] = round(statistics.median(times), 1)
            row["max_ms"] = round(max(times), 1)
        rows.append(row)
    return rows


COLUMNS = (
    "form",
    "layout",
    "reports",
    "cells",
    "correct",
    "percent",
    "exact",
    "median_ms",
    "max_ms",
)


def print_table(rows: list[dict]) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        widths = [max(len(c), *(len(str(r[c])) for r in rows)) for c in COLUMNS]
        print("  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True)))
        for r in rows:
            print("  ".join(str(r[c]).ljust(w) for c, w in zip(COLUMNS, widths, strict=True)))
        return
    table = Table(title="Corpus parse accuracy")
    for column in COLUMNS:
        table.add_column(column, justify="left" if column in ("form", "layout") else "right")
    for r in rows:
        table.add_row(*(str(r[c]) for c in COLUMNS))
    Console(width=140).print(table)


def main(argv: list[str] | None = None) -> None:
    from bench.corpus.family import family_samples
    from bench.corpus.samples import samples as all_samples
    from bench.corpus.selection import representative

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--all", action="store_true", help="every sample, not a selection")
    parser.add_argument("--form", help="only renderings of this form")
    parser.add_argument(
        "--no-family", action="store_true", help="without the county/city/department family"
    )
    args = parser.parse_args(argv)
    chosen = all_samples(args.seed)
    if not args.all:
        chosen = representative(chosen)
    if not args.no_family:
        chosen += family_samples(args.seed)
    renderings = [r for r in RENDERINGS if not args.form or r[0] == args.form]
    rows = accuracy_table(chosen, renderings)
    print_table(rows)
    for r in rows:
        if r["note"]:
            print(f"{r['form']}/{r['layout']}: {r['note']}")


if __name__ == "__main__":
    main()
