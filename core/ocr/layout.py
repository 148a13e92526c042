"""From text boxes to Lines: ruled tables rebuilt from the page's rules, prose in reading order.

A table's rows are the bands between its horizontal rules and its cells the
slots between the vertical rules crossing each band, so an empty printed cell
stays an empty cell and a missing figure cannot shift its neighbours. Page
numbers, running headers/footers and the seal's own text are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from core.ocr.engine import Box
from core.ocr.image import red_mask

_PAGE_NUMBER = re.compile(
    r"^[-—–一_\s·.]*(第\s*)?\d{1,3}(\s*页)?(\s*[/共]\s*\d{1,3}\s*页?)?[-—–一_\s·.]*$"
)
_MERGE = 6  # px: rules closer than this are one rule


@dataclass
class Grid:
    x0: int
    y0: int
    x1: int
    y1: int
    rows: list[int]  # horizontal rule positions, top to bottom
    verticals: list[tuple[int, int, int]]  # (x, y0, y1) vertical rule segments


@dataclass
class Row:
    """One line of a page: a prose line has one cell, a table row one cell per slot."""

    cells: list[str]
    page: int
    table: int | None = None


@dataclass
class PageLines:
    """The page's Lines with, for each line, the boxes behind each cell."""

    lines: list[Row] = field(default_factory=list)
    boxes: list[list[list[Box]]] = field(default_factory=list)
    tables: int = 0


def _segments(mask: np.ndarray, horizontal: bool) -> list[tuple[int, int, int, int]]:
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    out = []
    for i in range(1, count):
        x, y, w, h, _ = stats[i]
        out.append((int(x), int(y), int(x + w), int(y + h)))
    return out


def find_grids(gray: np.ndarray) -> list[Grid]:
    """Ruled tables on the page: components of long horizontal and vertical strokes."""
    import cv2

    h, w = gray.shape
    ink = (gray < 190).astype(np.uint8)
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(w // 25, 20)), np.uint8))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((max(h // 45, 30), 1), np.uint8))
    both = cv2.dilate(horiz | vert, np.ones((5, 5), np.uint8))
    grids = []
    for x0, y0, x1, y1 in _segments(both, True):
        if x1 - x0 < w * 0.3 or y1 - y0 < 40:
            continue
        ys = sorted((a + b) // 2 + y0 for _, a, _, b in _segments(horiz[y0:y1, x0:x1], True))
        rows: list[int] = []
        for y in ys:
            if rows and y - rows[-1] < _MERGE:
                continue
            rows.append(y)
        verticals = [
            ((a + c) // 2 + x0, b + y0, d + y0)
            for a, b, c, d in _segments(vert[y0:y1, x0:x1], False)
        ]
        if len(rows) >= 2:
            grids.append(Grid(x0, y0, x1, y1, rows, verticals))
    return [g for g in grids if not any(o is not g and _holds(g, o) for o in grids)]


def _holds(outer: Grid, inner: Grid) -> bool:
    """The format nests no table in another: an outer frame (a photo's sheet edge) is not one."""
    return (
        outer.x0 <= inner.x0 + 3
        and outer.y0 <= inner.y0 + 3
        and inner.x1 <= outer.x1 + 3
        and inner.y1 <= outer.y1 + 3
        and (outer.x1 - outer.x0) * (outer.y1 - outer.y0)
        > (inner.x1 - inner.x0) * (inner.y1 - inner.y0)
    )


def _inside(box: Box, grid: Grid) -> bool:
    return grid.x0 <= box.cx <= grid.x1 and grid.y0 <= box.cy <= grid.y1


def _columns(grid: Grid) -> set[int]:
    """Rules running down most of the table: a seal or a faint scan may break them in a band."""
    heights: dict[int, int] = {}
    for x, y0, y1 in grid.verticals:
        key = next((k for k in heights if abs(k - x) < 8), x)
        heights[key] = heights.get(key, 0) + (y1 - y0)
    return {x for x, h in heights.items() if h >= 0.5 * (grid.y1 - grid.y0)}


def _table_lines(grid: Grid, boxes: list[Box]) -> list[tuple[float, list[list[Box]]]]:
    """(top, cells as box lists) for every band of the grid holding text."""
    columns = _columns(grid)
    edges = [grid.y0, *grid.rows, grid.y1]
    edges = sorted(set(edges))
    out = []
    for top, bottom in zip(edges, edges[1:], strict=False):
        inside = [b for b in boxes if top <= b.cy < bottom]
        if not inside:
            continue
        middle = (top + bottom) / 2
        xs = sorted({v[0] for v in grid.verticals if v[1] - 3 <= middle <= v[2] + 3} | columns)
        xs = sorted({grid.x0, *xs, grid.x1})
        merged: list[int] = []
        for x in xs:
            if merged and x - merged[-1] < _MERGE:
                continue
            merged.append(x)
        slots: list[list[Box]] = [[] for _ in range(max(len(merged) - 1, 1))]
        for b in (part for box in inside for part in _cut(box, merged)):
            i = int(np.searchsorted(merged, b.cx)) - 1
            slots[min(max(i, 0), len(slots) - 1)].append(b)
        slots = [[b for _, line in _text_lines(slot) for b in line] for slot in slots]
        out.append((top, slots))
    return out


def _cut(box: Box, rules: list[int]) -> list[Box]:
    """A box the detector ran across column rules ("8" and "3" read as "83"), cut at them."""
    if not box.chars or len(box.chars) < 2:
        return [box]
    inner = [x for x in rules if box.x0 + 2 < x < box.x1 - 2]
    if not inner:
        return [box]
    parts: dict[int, list[int]] = {}
    for i, (a, b) in enumerate(box.chars):
        parts.setdefault(int(np.searchsorted(inner, (a + b) / 2)), []).append(i)
    if len(parts) < 2:
        return [box]
    out = []
    for indices in parts.values():
        chars = [box.chars[i] for i in indices]
        out.append(
            Box(
                text="".join(box.text[i] for i in indices),
                score=box.score,
                x0=min(a for a, _ in chars),
                y0=box.y0,
                x1=max(b for _, b in chars),
                y1=box.y1,
                chars=chars,
            )
        )
    return out


def _text_lines(boxes: list[Box]) -> list[tuple[float, list[Box]]]:
    """Group loose boxes into visual lines (y overlap), left to right."""
    rows: list[list[Box]] = []
    for b in sorted(boxes, key=lambda b: (b.cy, b.x0)):
        if rows:
            last = rows[-1]
            mid = np.mean([x.cy for x in last])
            if abs(b.cy - mid) <= max(np.mean([x.h for x in last]), b.h) / 2:
                last.append(b)
                continue
        rows.append([b])
    return [(min(x.y0 for x in r), sorted(r, key=lambda x: x.x0)) for r in rows]


def _furniture(box: Box, height: int) -> bool:
    """Page numbers and running lines at the top or bottom edge of the page."""
    edge = box.cy < height * 0.06 or box.cy > height * 0.92
    return edge and bool(_PAGE_NUMBER.match(box.text.strip()))


def _seal_text(box: Box, colour: np.ndarray) -> bool:
    x0, y0, x1, y1 = (max(int(v), 0) for v in (box.x0, box.y0, box.x1, box.y1))
    patch = colour[y0:y1, x0:x1]
    return patch.size > 0 and float(red_mask(patch).mean()) > 0.25


def page_lines(
    boxes: list[Box], gray: np.ndarray, colour: np.ndarray, page: int, table_base: int
) -> PageLines:
    """Lines of one page in reading order; table rows numbered from ``table_base``."""
    height = gray.shape[0]
    grids = find_grids(gray)
    kept = [b for b in boxes if b.text.strip() and not _furniture(b, height)]
    items: list[tuple[float, int, list[list[Box]], int | None]] = []
    loose = []
    for b in kept:
        if not any(_inside(b, g) for g in grids):
            if not _seal_text(b, colour):
                loose.append(b)
    for top, row in _text_lines(loose):
        items.append((top, 0, [row], None))
    for index, grid in enumerate(sorted(grids, key=lambda g: g.y0)):
        inside = [
            b for b in kept if _inside(b, grid) and (_digits(b.text) or not _seal_text(b, colour))
        ]
        for top, slots in _table_lines(grid, inside):
            items.append((top, 1, slots, table_base + index))
    items.sort(key=lambda t: (t[0], t[1]))
    items = _paragraphs(items, max((b.x1 for b in loose), default=0))
    out = PageLines(tables=len(grids))
    for _, _, cells, table in items:
        if table is None:
            text = _join(cells[0], loose=True)
            out.lines.append(Row(cells=[text], page=page))
        else:
            out.lines.append(Row(cells=[_join(c) for c in cells], page=page, table=table))
        out.boxes.append(cells)
    return out


def _paragraphs(items: list, right: float) -> list:
    """Join a wrapped line to the next when it runs to the right margin (a paragraph goes on)."""
    out: list = []
    for item in items:
        prev = out[-1] if out else None
        if prev is not None and prev[3] is None and item[3] is None:
            last, row = prev[2][0], item[2][0]
            height = max(b.h for b in row)
            full = max(b.x1 for b in last) >= right - 2 * height
            close = row[0].y0 - max(b.y1 for b in last) < 1.5 * height
            if full and close and row[0].x0 <= min(b.x0 for b in last) + height:
                out[-1] = (prev[0], 0, [last + row], None)
                continue
        out.append(item)
    return out


def _digits(text: str) -> bool:
    return bool(re.fullmatch(r"[\d.,\s]+", text))


def _join(boxes: list[Box], loose: bool = False) -> str:
    """Cell text: Chinese joins without spaces; a wide gap in a loose line is one space."""
    parts = []
    for prev, b in zip([None, *boxes], boxes, strict=False):
        if prev is not None and loose and b.x0 - prev.x1 > 2 * max(b.h, 1):
            parts.append(" ")
        parts.append(b.text.strip())
    return "".join(parts)
