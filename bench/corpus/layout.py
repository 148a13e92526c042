"""The national table grids as a file prints them: core.layout's grid with the figures filled in.

core.layout is the one grid the portal binds to (clerk form, review, public page, documents);
here its cells become printed text with spans, for the text, HTML and DOCX renderers.
"""

from __future__ import annotations

from dataclasses import dataclass

from core import formats, layout


@dataclass(frozen=True)
class Printed:
    """One cell as a file prints it: text and spans; ``key`` names the figure it shows."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    head: bool = True
    key: tuple[str, str, str] | None = None


def format_value(value) -> str:
    """A figure as printed: integers plain, money to two decimals at most, blank for None."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def cell_value(figures: dict, key: tuple[str, str, str]):
    table, row, column = key
    if table == formats.SECTION2:
        return (figures.get(table) or {}).get(row, {}).get(column)
    if table == formats.SECTION3:
        return figures[table][row][formats.APPLICANT_KEYS.index(column)]
    return figures[table][formats.SECTION4_CELLS.index((row, column))]


# Printed in the corner of 表三 on the national form.
SECTION3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def _printed(item, figures: dict, numeral: str) -> Printed:
    if item.is_head:
        text = item.text or (SECTION3_NOTE if numeral == "三" else "")
        return Printed(text, item.colspan, item.rowspan)
    value = format_value(cell_value(figures, item.key))
    return Printed(value, item.colspan, 1, head=False, key=item.key)


def grids(edition_key: str, figures: dict) -> dict[str, list[list[Printed]]]:
    """The three tables by section numeral, from the portal's one grid (core.layout)."""
    return {
        grid.numeral: [
            [_printed(item, figures, grid.numeral) for item in row] for row in grid.head + grid.body
        ]
        for grid in layout.report_grids(edition_key)
    }


def matrix(rows: list[list[Printed]]) -> list[list[str]]:
    """The grid as text rows, every covered position an empty string (how text tables print)."""
    width = sum(c.colspan for c in rows[0])
    covered: set[tuple[int, int]] = set()
    out = []
    for r, items in enumerate(rows):
        line, c, queue = [], 0, list(items)
        while c < width and (queue or (r, c) in covered):
            if (r, c) in covered:
                line.append("")
                c += 1
                continue
            cell = queue.pop(0)
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if dr or dc:
                        covered.add((r + dr, c + dc))
            line.append(cell.text)
            c += 1
        out.append(line + [""] * (width - len(line)))
    return out
