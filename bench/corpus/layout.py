"""The national table grids as plain data (no Django): label cells and figure cells with spans.

Mirrors the official layout: 二 as one block per 第二十条 item, 三 with three label columns
and 申请人情况 / 法人或其他组织 headings, 四 with three header rows and one row of 15.
"""

from __future__ import annotations

from dataclasses import dataclass

from core import formats


@dataclass(frozen=True)
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    head: bool = True
    key: tuple[str, str, str] | None = None  # (table, row, column) for figure cells


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


def _figure(figures: dict, key, colspan: int = 1) -> Cell:
    return Cell(format_value(cell_value(figures, key)), colspan=colspan, head=False, key=key)


def section2(edition: formats.Edition, figures: dict) -> list[list[Cell]]:
    width = max(len(b.columns) for b in edition.section2)
    rows: list[list[Cell]] = []
    for block in edition.section2:
        spans = [1] * (len(block.columns) - 1) + [width - len(block.columns) + 1]
        rows.append([Cell(block.item, colspan=width + 1)])
        heads = [Cell(c.label, colspan=s) for c, s in zip(block.columns, spans, strict=True)]
        rows.append([Cell("信息内容"), *heads])
        for row in block.rows:
            keys = [(formats.SECTION2, row.key, c.key) for c in block.columns]
            rows.append(
                [Cell(row.label)]
                + [_figure(figures, k, s) for k, s in zip(keys, spans, strict=True)]
            )
    return rows


def section3(edition: formats.Edition, figures: dict) -> list[list[Cell]]:
    natural, *organisations, total = formats.APPLICANT_COLUMNS
    rows: list[list[Cell]] = [
        [
            Cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3),
            Cell("申请人情况", colspan=7),
        ],
        [
            Cell(natural.label, rowspan=2),
            Cell("法人或其他组织", colspan=5),
            Cell(total.label, rowspan=2),
        ],
        [Cell(c.label) for c in organisations],
    ]
    results = [r for r in edition.section3_rows if r.key.startswith("三.")]
    groups_seen: set[str] = set()
    for row in edition.section3_rows:
        labels: list[Cell] = []
        if not row.key.startswith("三."):
            labels.append(Cell(row.label, colspan=3))
        else:
            if row is results[0]:
                labels.append(Cell(formats.SECTION3_GROUPS["三"][0], rowspan=len(results)))
            if row.group and row.group not in groups_seen:
                groups_seen.add(row.group)
                size = sum(1 for r in edition.section3_rows if r.group == row.group)
                labels.append(Cell(formats.SECTION3_GROUPS[row.group][0], rowspan=size))
            labels.append(Cell(row.label, colspan=1 if row.group else 2))
        keys = [(formats.SECTION3, row.key, c) for c in formats.APPLICANT_KEYS]
        rows.append(labels + [_figure(figures, k) for k in keys])
    return rows


def section4(figures: dict) -> list[list[Cell]]:
    review, *litigation = formats.SECTION4_GROUPS
    width = len(formats.SECTION4_COLUMNS)
    return [
        [Cell(review.label, colspan=width, rowspan=2), Cell("行政诉讼", colspan=2 * width)],
        [Cell(g.key, colspan=width) for g in litigation],
        [Cell(c.label) for _ in formats.SECTION4_GROUPS for c in formats.SECTION4_COLUMNS],
        [_figure(figures, (formats.SECTION4, g, c)) for g, c in formats.SECTION4_CELLS],
    ]


def grids(edition_key: str, figures: dict) -> dict[str, list[list[Cell]]]:
    """The three tables by section numeral."""
    edition = formats.get_edition(edition_key)
    return {
        "二": section2(edition, figures),
        "三": section3(edition, figures),
        "四": section4(figures),
    }


def matrix(rows: list[list[Cell]]) -> list[list[str]]:
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
