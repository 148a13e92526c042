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


def _table_lines(
    grid: Grid, boxes: list[Box], gray: np.ndarray | None = None, covered: np.ndarray | None = None
) -> list[tuple[float, list[list[Box]]]]:
    """(top, cells as box lists) for every band of the grid holding text.

    With the page image given, ink in a cell that no detected box covers (a
    lone "1" beside a rule is the detector's usual miss) is read on its own.
    """
    columns = _columns(grid)
    edges = [grid.y0, *grid.rows, grid.y1]
    edges = sorted(set(edges))
    out = []
    if gray is not None and covered is None:
        covered = _covered(gray, boxes)
    # A detected box stands about 1.5 times a figure's height: ink much shorter is a fragment.
    tall = 0.35 * float(np.median([b.h for b in boxes])) if boxes else 8.0
    for top, bottom in zip(edges, edges[1:], strict=False):
        middle = (top + bottom) / 2
        xs = sorted({v[0] for v in grid.verticals if v[1] - 3 <= middle <= v[2] + 3} | columns)
        xs = sorted({grid.x0, *xs, grid.x1})
        merged: list[int] = []
        for x in xs:
            if merged and x - merged[-1] < _MERGE:
                continue
            merged.append(x)
        inside = [b for b in boxes if top <= b.cy < bottom]
        if gray is not None and covered is not None:
            inside += _missed(gray, covered, top, bottom, merged, tall)
        if not inside:
            continue
        slots: list[list[Box]] = [[] for _ in range(max(len(merged) - 1, 1))]
        for b in (part for box in inside for part in _cut(box, merged)):
            i = int(np.searchsorted(merged, b.cx)) - 1
            slots[min(max(i, 0), len(slots) - 1)].append(b)
        slots = [[b for _, line in _text_lines(slot) for b in line] for slot in slots]
        out.append((top, slots))
    return out


_INK = 140  # a prepared page's print is darker than this; its paper near 255


def _covered(gray: np.ndarray, boxes: list[Box]) -> np.ndarray:
    """The page's pixels some detected box covers (a little widened)."""
    mask = np.zeros(gray.shape, bool)
    h, w = gray.shape
    for b in boxes:
        x0, y0 = max(int(b.x0) - 2, 0), max(int(b.y0) - 2, 0)
        mask[y0 : min(int(b.y1) + 3, h), x0 : min(int(b.x1) + 3, w)] = True
    return mask


def _missed(
    gray: np.ndarray, covered: np.ndarray, top: int, bottom: int, xs: list[int], tall: float = 8.0
) -> list:
    """Figures printed in a band's cells that the detector left out, read cell by cell.

    Ink no box covers, away from the cell's rules and not a rule itself (it
    would touch both sides of the cell), grouped into lines and recognised;
    only what reads as a number is kept, so a seal's remnant cannot become a label.
    """
    from core.ocr import engine

    margin = 4
    crops, places = [], []
    for left, right in zip(xs, xs[1:], strict=False):
        y0, y1, x0, x1 = top + margin, bottom - margin, left + margin, right - margin
        if y1 - y0 < 8 or x1 - x0 < 6:
            continue
        ink = (gray[y0:y1, x0:x1] < _INK) & ~covered[y0:y1, x0:x1]
        if ink.sum() < 15:
            continue
        for ly0, ly1, lx0, lx1 in _ink_lines(ink):
            if ly1 - ly0 < tall:
                continue
            py0, py1 = max(ly0 - 4, 0), min(ly1 + 4, y1 - y0)
            px0, px1 = max(lx0 - 4, 0), min(lx1 + 4, x1 - x0)
            crop = gray[y0 + py0 : y0 + py1, x0 + px0 : x0 + px1]
            crops.append(np.ascontiguousarray(np.repeat(crop[:, :, None], 3, axis=2)))
            places.append((x0 + lx0, y0 + ly0, x0 + lx1, y0 + ly1))
    found = []
    for (text, score), (bx0, by0, bx1, by1) in zip(
        engine.recognise_crops(crops), places, strict=True
    ):
        text = text.strip()
        if score >= 0.5 and re.fullmatch(r"\d+", text):
            found.append(Box(text=text, score=score, x0=bx0, y0=by0, x1=bx1, y1=by1))
    return found


def _ink_lines(ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Character-sized blobs of ``ink`` grouped into lines: (y0, y1, x0, x1) each."""
    import cv2

    h, w = ink.shape
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    blobs = []
    for i in range(1, count):
        x, y, bw, bh, area = stats[i]
        if bh < 8 or area < 12:
            continue  # noise, a speck of a seal
        if (y == 0 and y + bh == h) or (x == 0 and x + bw == w) or bw > 3 * max(bh, 1) + 20:
            continue  # a rule's remnant runs across the whole cell
        blobs.append((int(y), int(y + bh), int(x), int(x + bw)))
    lines: list[list[int]] = []
    for y0, y1, x0, x1 in sorted(blobs):
        last = lines[-1] if lines else None
        if last and y0 < last[1] - 0.3 * (y1 - y0):
            last[:] = [min(last[0], y0), max(last[1], y1), min(last[2], x0), max(last[3], x1)]
        else:
            lines.append([y0, y1, x0, x1])
    return [tuple(line) for line in lines]


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
    covered = _covered(gray, boxes) if grids else None
    for index, grid in enumerate(sorted(grids, key=lambda g: g.y0)):
        inside = [
            b for b in kept if _inside(b, grid) and (_digits(b.text) or not _seal_text(b, colour))
        ]
        for top, slots in _table_lines(grid, inside, gray, covered):
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
