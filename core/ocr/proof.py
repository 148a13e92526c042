"""Numbers read by OCR: look-alike repair, confidence, provenance and the 勾稽 proof-reading.

The functions work on a parse result's values by their attributes (table,
row, column, value, raw, location, page, bbox, confidence, flag, candidates),
so this package never imports the parser: core.parsing calls core.ocr, not
the reverse. Nothing is corrected silently: a low-confidence cell is marked, and a cell
that breaks one of the format's arithmetic relations is flagged with the
value that would make the relation hold, for the clerk to decide.
"""

from __future__ import annotations

import re

from core import formats
from core.ocr.engine import Box

LOW_CONFIDENCE = 0.9
# A cell no 勾稽 relation covers (table 二) has only its confidence to vouch for it.
UNCHECKED_CONFIDENCE = 0.97
_INFERRED = {
    "arithmetic": "由勾稽关系推算拆分",
    "completion": "由总计推算补全",
    "stream": "表格结构缺失",
}
_LOOKALIKE = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "Q": "0", "〇": "0", "l": "1", "I": "1", "|": "1",
     "i": "1", "!": "1", "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "g": "9",
     "，": ",", "。": "."}
)  # fmt: skip
_NUMBERISH = re.compile(r"^[\dOoDQ〇lI|i!ZzSsBg.,，。\s]+$")
_WHERE = re.compile(r"第(\d+)页 第(\d+)行")


def line_number(value) -> int | None:
    """The document line a value was read from (its location says "第N页 第M行")."""
    match = _WHERE.search(value.location or "")
    return int(match.group(2)) if match else None


def number_cell(text: str) -> tuple[str, bool]:
    """(text with look-alikes turned into digits, whether anything was changed).

    Only a cell made entirely of digits and look-alikes is touched, and only
    when it contains at least one real digit or is a single character.
    """
    squashed = text.strip()
    if not squashed or not _NUMBERISH.match(squashed) or squashed.isdigit():
        return text, False
    if not any(ch.isdigit() for ch in squashed) and len(squashed) > 1:
        return text, False
    fixed = squashed.translate(_LOOKALIKE).replace(" ", "").strip(".,")
    return (fixed, True) if fixed and fixed != squashed else (text, False)


def attach(result, provenance: dict[int, tuple[list[str], list[list[Box]]]]) -> None:
    """Give every table value its page, box and OCR confidence; mark the doubtful ones.

    Doubtful: read with low confidence, not read at all (a cell missing from
    its row, or a whole cell of the format absent), or not read as printed
    but inferred by the reader (split glued digits, completed from a total).
    """
    used: dict[int, int] = {}
    for value in result.values:
        number = line_number(value)
        if number is None or number not in provenance:
            continue  # a text-layer page of a mixed PDF: no scan to point at
        value.page = int(_WHERE.search(value.location).group(1))
        cells, boxes = provenance[number]
        start = used.get(number, 0)
        for i in range(start, len(cells)):
            if cells[i].strip() and _same(cells[i], value.raw) and boxes[i]:
                used[number] = i + 1
                value.bbox = _bbox(boxes[i])
                value.confidence = round(min(value.confidence, *(b.score for b in boxes[i])), 3)
                break
        else:
            if value.value is not None:
                value.confidence = min(value.confidence, 0.5)
        if value.value is not None and value.rule in _INFERRED:
            _flag(value, _INFERRED[value.rule])
    _absent(result)
    checked = {cell for _, _, total, parts in _checks(result) for cell in [*_keys(total), *parts]}
    for value in result.values:
        key = (value.table, value.row, value.column)
        floor = LOW_CONFIDENCE if key in checked else UNCHECKED_CONFIDENCE
        if value.value is None:
            _flag(value, "未能识别该格数字")
        elif value.confidence < floor:
            _flag(value, f"识别置信度低（{value.confidence:.2f}）")
    doubtful = [v for v in result.values if v.flag]
    if doubtful:
        cells = {"join": "、", "items": [_cell(v) for v in doubtful[:8]]}
        if len(doubtful) > 8:
            cells = {"template": "cells_more", "names": cells, "count": len(doubtful)}
        result.warn("ocr_uncertain", cells=cells)


def _absent(result) -> None:
    """A cell of a table the scan shows but the reader did not place stands as blank, flagged."""
    edition = formats.get_edition(result.edition or formats.EDITION_2021)
    tables = {
        formats.SECTION2: [(formats.SECTION2, r, c) for r, c in edition.section2_cells()],
        formats.SECTION3: [
            (formats.SECTION3, r, c)
            for r in edition.section3_row_keys()
            for c in formats.APPLICANT_KEYS
        ],
        formats.SECTION4: [(formats.SECTION4, g, c) for g, c in formats.SECTION4_CELLS],
    }
    have = {(v.table, v.row, v.column): v for v in result.values}
    template = next((v for v in result.values if v.page), None)
    if template is None:
        return
    for keys in tables.values():
        if not any(k in have for k in keys):
            continue  # the whole table is missing: the reader's own findings say so
        for key in keys:
            if key not in have:
                value = type(template)(*key, None, "", "", 0.0)
                value.flag = "扫描件中未找到该格"
                result.add(value)


def _same(cell: str, raw: str) -> bool:
    return re.sub(r"\s", "", cell) == re.sub(r"\s", "", raw or "")


def _bbox(boxes: list[Box]) -> list[float]:
    return [
        round(min(b.x0 for b in boxes), 1),
        round(min(b.y0 for b in boxes), 1),
        round(max(b.x1 for b in boxes), 1),
        round(max(b.y1 for b in boxes), 1),
    ]


def _flag(value, reason: str) -> None:
    if value.flag and reason in value.flag:
        return
    value.flag = f"{value.flag}；{reason}" if value.flag else reason


def _cell(v) -> dict:
    """A cell's name (第2页表三「一·自然人」) as a phrase of core/parsing/messages.py."""
    table = {formats.SECTION2: "表二", formats.SECTION3: "表三", formats.SECTION4: "表四"}
    return {
        "template": "ocr:cell",
        "page": {"template": "ocr:page", "page": v.page} if v.page else "",
        "table": table.get(v.table, v.table),
        "row": v.row,
        "column": v.column,
    }


def _keys(total) -> tuple:
    return total if isinstance(total[0], tuple) else (total,)


def _checks(result) -> list[tuple[str, dict, tuple, list[tuple]]]:
    """(description, the same as a phrase, left cells, right cells): Σ left = Σ right."""
    edition = formats.get_edition(result.edition or formats.EDITION_2021)
    s3, cols = formats.SECTION3, formats.APPLICANT_KEYS
    rows = edition.section3_row_keys()
    out = []
    for row in rows:
        rule = {"template": "ocr:rule_row_total", "row": row}
        total, parts = (s3, row, cols[-1]), [(s3, row, c) for c in cols[:-1]]
        out.append((f"表三「{row}」行总计", rule, total, parts))
    handled = [r for r in rows if r.startswith("三.") and r != "三.七"]
    for col in cols:
        rule = {"template": "ocr:rule_column_total", "column": col}
        total, parts = (s3, "三.七", col), [(s3, r, col) for r in handled]
        out.append((f"表三「{col}」列（七）总计", rule, total, parts))
        one, two, seven, four = ((s3, r, col) for r in ("一", "二", "三.七", "四"))
        rule = {"template": "ocr:rule_balance", "column": col}
        out.append((f"表三「{col}」列 一+二=（七）+四", rule, (one, two), [seven, four]))
    s4 = formats.SECTION4
    for group in formats.SECTION4_GROUPS:
        parts = [(s4, group.key, c.key) for c in formats.SECTION4_COLUMNS if c.key != "总计"]
        rule = {"template": "ocr:rule_s4_total", "group": group.key}
        out.append((f"表四「{group.key}」总计", rule, (s4, group.key, "总计"), parts))
    return out


def _implied(checks, cells: dict) -> dict[tuple, int]:
    """Blank cells whose value two relations agree on (each with that cell its only gap).

    One relation alone would make any misread neighbour invisible; two that
    agree cross-check each other, so the other cells of both are verified.
    """
    seen: dict[tuple, list[float]] = {}
    for _, _, total, parts in checks:
        lhs, rhs = list(_keys(total)), list(parts)
        gaps = [k for k in lhs + rhs if cells.get(k) is None or cells[k].value is None]
        if len(gaps) != 1 or any(k not in cells for k in lhs + rhs):
            continue
        gap = gaps[0]
        left = sum(cells[k].value for k in lhs if k != gap)
        right = sum(cells[k].value for k in rhs if k != gap)
        seen.setdefault(gap, []).append(right - left if gap in lhs else left - right)
    return {
        k: int(vs[0])
        for k, vs in seen.items()
        if len(vs) >= 2 and len(set(vs)) == 1 and vs[0] >= 0 and float(vs[0]).is_integer()
    }


def proofread(result) -> None:
    """Flag cells breaking a 勾稽 relation, with the values that would make it hold.

    A relation that cannot be checked because a cell is blank leaves its other
    cells unverified, so they are flagged too, unless the blank cell's value is
    pinned down by two relations that agree (then it is offered as the candidate).
    """
    cells = {(v.table, v.row, v.column): v for v in result.values}
    checks = _checks(result)
    implied = _implied(checks, cells)
    for key, wanted in implied.items():
        cells[key].candidates = sorted({*(cells[key].candidates or []), wanted})

    def number(key):
        v = cells.get(key)
        if v is None:
            return None
        return v.value if v.value is not None else implied.get(key)

    for name, rule, total, parts in checks:
        lhs, rhs = list(_keys(total)), list(parts)
        involved = [cells[k] for k in lhs + rhs if k in cells]
        if not involved or all(v.value is None for v in involved):
            continue  # the table is not in this report
        if any(number(k) is None for k in lhs + rhs):
            for v in involved:
                if v.value is not None:
                    _flag(v, f"{name}无法核对（有未识别的格）")
            continue
        left, right = sum(number(k) for k in lhs), sum(number(k) for k in rhs)
        if abs(left - right) < 1e-6:
            continue
        options = []
        for key in lhs + rhs:
            v = cells[key]
            wanted = number(key) + (right - left if key in lhs else left - right)
            if wanted >= 0 and float(wanted).is_integer():
                v.candidates = sorted({*(v.candidates or []), int(wanted)})
                options.append({"template": "ocr:option", "cell": _cell(v), "value": int(wanted)})
            _flag(v, f"{name}不符")
        result.warn(
            "ocr_mismatch",
            rule=rule,
            left=f"{left:g}",
            right=f"{right:g}",
            options={"join": "；或", "items": options[:6]},
        )
