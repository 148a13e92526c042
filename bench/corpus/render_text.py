"""Plain-text renderings: the shapes report text takes after PDF/Word extraction or copying."""

from __future__ import annotations

import random

from bench.corpus import layout
from bench.corpus.document import Block, blocks
from bench.corpus.model import Sample

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _rule(width: int) -> str:
    return "|" + "|".join(["---"] * width) + "|"


def _header_rows(rows: list[list[layout.Printed]]) -> int:
    """Rows before the first that holds a figure."""
    return next(i for i, r in enumerate(rows) if any(not c.head for c in r))


def _text_table(block: Block) -> list[list[str]]:
    return layout.matrix(list(block.rows))


def _lines(sample: Sample, table) -> list[str]:
    out = []
    for block in blocks(sample):
        if block.kind == "table":
            out += table(block)
            out.append("")
        elif block.kind == "heading":
            out += [block.text, ""]
        else:
            out += [block.text, ""]
    return out


def markdown(sample: Sample, rng: random.Random) -> str:
    """Pipe tables, a rule under the first row, as converters print them."""

    def table(block: Block) -> list[str]:
        grid = _text_table(block)
        return [_pipe(grid[0]), _rule(len(grid[0]))] + [_pipe(r) for r in grid[1:]]

    return "\n".join(_lines(sample, table))


def markdown_paged(sample: Sample, rng: random.Random) -> str:
    """Pipe tables broken by a page break (page number, form feed) and a repeated header."""
    page = [rng.randint(2, 3)]

    def table(block: Block) -> list[str]:
        grid = _text_table(block)
        head = _header_rows(list(block.rows))
        top = [_pipe(grid[0]), _rule(len(grid[0]))] + [_pipe(r) for r in grid[1:head]]
        body = [_pipe(r) for r in grid[head:]]
        if len(body) < 4:
            return top + body
        cut = rng.randint(2, len(body) - 2)
        page[0] += 1
        brk = ["", f"- {page[0] - 1} -", "\f", ""]
        return top + body[:cut] + brk + top + body[cut:]

    return "\n".join(_lines(sample, table))


def tabbed(sample: Sample, rng: random.Random) -> str:
    """Tab-separated rows, the way Word text export prints tables."""

    def table(block: Block) -> list[str]:
        return ["\t".join(r) for r in _text_table(block)]

    return "\n".join(_lines(sample, table))


def cell_per_line(sample: Sample, rng: random.Random) -> str:
    """Every non-empty cell on its own line, as plain PDF text extraction prints tables."""

    def table(block: Block) -> list[str]:
        return [c for r in _text_table(block) for c in r if c]

    return "\n".join(_lines(sample, table))


def rows_run_together(sample: Sample, rng: random.Random) -> str:
    """The sub-rows of a 三 group on one line: labels joined, each column's figures joined."""

    def table(block: Block) -> list[str]:
        grid = _text_table(block)
        if block.numeral != "三":
            return ["\t".join(r) for r in grid]
        out, i = [], 0
        while i < len(grid):
            row = grid[i]
            j = i + 1
            if row[1] and row[2] and row[1].startswith("（"):
                while j < len(grid) and not grid[j][1] and grid[j][2]:
                    j += 1
            if j - i > 1:
                labels = " ".join(r[2] for r in grid[i:j])
                figures = [" ".join(r[c] for r in grid[i:j]) for c in range(3, len(row))]
                out.append("\t".join([row[0], row[1], labels, *figures]))
            else:
                out.append("\t".join(row))
            i = j
        return out

    return "\n".join(_lines(sample, table))


def one_line(sample: Sample, rng: random.Random) -> str:
    """The whole report on one line: text copied out of a web page, cells space-separated."""

    def table(block: Block) -> list[str]:
        return [" ".join(c for r in _text_table(block) for c in r if c)]

    return " ".join(line for line in _lines(sample, table) if line)


def run_together_digits(sample: Sample, rng: random.Random) -> str:
    """Space-aligned rows where narrow columns of single digits print with no gap ("2001003")."""

    def table(block: Block) -> list[str]:
        out = []
        for cells in _text_table(block):
            labels = [c for c in cells if c and not _is_figure(c)]
            figures = [c for c in cells if _is_figure(c)]
            if len(figures) > 3 and all(len(f) == 1 for f in figures):
                out.append("   ".join(labels + ["".join(figures)]))
            else:
                out.append("   ".join(labels + figures))
        return out

    return "\n".join(_lines(sample, table))


def _is_figure(text: str) -> bool:
    return text.replace(".", "", 1).lstrip("-").isdigit()


def converter(sample: Sample, rng: random.Random) -> str:
    """Converter/OCR markdown: merged header rows, full-width digits, spaces inside numbers,
    O/〇 for 0 and l/I for 1, section headings swallowed into table rows."""

    def number(text: str) -> str:
        roll = rng.random()
        if len(text) >= 4 and roll < 0.5:
            return f"{text[:-3]} {text[-3:]}"
        if roll < 0.15:
            return text.translate(FULL_WIDTH)
        if roll < 0.22 and set(text) <= {"0", "1"}:
            return text.replace("0", rng.choice("O〇")).replace("1", rng.choice("lI"))
        return text

    def table(block: Block) -> list[str]:
        grid = _text_table(block)
        head = _header_rows(list(block.rows))
        if block.numeral in ("三", "四") and head > 1:
            merged = [" ".join(r[c] for r in grid[:head] if r[c]) for c in range(len(grid[0]))]
            grid = [merged] + grid[head:]
        grid = [[number(c) if _is_figure(c) else c for c in r] for r in grid]
        return [_pipe(grid[0]), _rule(len(grid[0]))] + [_pipe(r) for r in grid[1:]]

    lines = _lines(sample, table)
    out: list[str] = []
    swallowed = False
    for i, line in enumerate(lines):
        following = next((n for n in lines[i + 1 :] if n), "")
        if swallowed and not line:
            continue  # the heading became the table's first row: no gap before the table
        swallowed = (
            line[:2] in ("二、", "三、", "四、")
            and following.startswith("|")
            and rng.random() < 0.7
        )
        if swallowed:
            out.append(_pipe([line] + [""] * (following.count("|") - 2)))
        else:
            out.append(line)
    return "\n".join(out)


def mixed_whitespace(sample: Sample, rng: random.Random) -> str:
    """Rows whose cells are parted by what editors leave: a tab, runs of spaces, full-width
    spaces (U+3000), or a tab and spaces together; blank cells stay as empty tab cells."""
    gaps = ("\t", "  ", "    ", "\u3000", "\u3000\u3000", " \t ", "\t\u3000")

    def table(block: Block) -> list[str]:
        out = []
        for cells in _text_table(block):
            if "" in cells[cells.index(next((c for c in cells if c), "")) :]:
                out.append("\t".join(cells))  # a blank among the cells needs the tabs
                continue
            gap = rng.choice(gaps)
            filled = [c for c in cells if c]
            out.append(gap.join(filled))
        return out

    return "\n".join(_lines(sample, table))


def thousands(sample: Sample, rng: random.Random) -> str:
    """Tab rows; figures of four digits and more with thousands separators (12,345 or the
    full-width １２，３４５), some rows wholly in full-width digits."""

    def number(text: str, wide: bool) -> str:
        if "." not in text and text.lstrip("-").isdigit() and len(text.lstrip("-")) >= 4:
            text = f"{int(text):,}"
            if wide:
                text = text.replace(",", "，")
        return text.translate(FULL_WIDTH) if wide else text

    def table(block: Block) -> list[str]:
        out = []
        for cells in _text_table(block):
            wide = rng.random() < 0.3
            out.append("\t".join(number(c, wide) if _is_figure(c) else c for c in cells))
        return out

    return "\n".join(_lines(sample, table))


LAYOUTS = {
    "markdown": markdown,
    "markdown-paged": markdown_paged,
    "tabbed": tabbed,
    "cell-per-line": cell_per_line,
    "rows-run-together": rows_run_together,
    "one-line": one_line,
    "run-together-digits": run_together_digits,
    "converter": converter,
    "mixed-whitespace": mixed_whitespace,
    "thousands": thousands,
}


def render_text(sample: Sample, layout_name: str) -> bytes:
    rng = random.Random(f"{sample.key}:text:{layout_name}")
    return LAYOUTS[layout_name](sample, rng).encode("utf-8")
