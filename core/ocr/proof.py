"""Numbers read by OCR: look-alike repair, confidence, provenance and the 勾稽 proof-reading.

Nothing is corrected silently: a low-confidence cell is marked, and a cell
that breaks one of the format's arithmetic relations is flagged with the
value that would make the relation hold, for the clerk to decide.
"""

from __future__ import annotations

import re

from core import formats
from core.ocr.engine import Box
from core.parsing.result import ParseResult, Value

LOW_CONFIDENCE = 0.9
_LOOKALIKE = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "Q": "0", "〇": "0", "l": "1", "I": "1", "|": "1",
     "i": "1", "!": "1", "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "g": "9",
     "，": ",", "。": "."}
)  # fmt: skip
_NUMBERISH = re.compile(r"^[\dOoDQ〇lI|i!ZzSsBg.,，。\s]+$")
_WHERE = re.compile(r"第(\d+)页 第(\d+)行")


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


def attach(result: ParseResult, provenance: dict[int, tuple[list[str], list[list[Box]]]]) -> None:
    """Give every table value its page, box and OCR confidence; mark the doubtful ones."""
    used: dict[int, int] = {}
    for value in result.values:
        match = _WHERE.search(value.location or "")
        if not match:
            continue
        page, number = int(match.group(1)), int(match.group(2))
        if number not in provenance:
            continue  # a text-layer page of a mixed PDF: no scan to point at
        value.page = page
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
    for value in result.values:
        if value.value is None:
            _flag(value, "未能识别该格数字")
        elif value.confidence < LOW_CONFIDENCE:
            _flag(value, f"识别置信度低（{value.confidence:.2f}）")
    doubtful = [v for v in result.values if v.flag]
    if doubtful:
        where = "、".join(_name(v) for v in doubtful[:8])
        more = f"等 {len(doubtful)} 格" if len(doubtful) > 8 else ""
        result.warn(f"以下数字识别不确定，请对照原件核对：{where}{more}。")


def _same(cell: str, raw: str) -> bool:
    return re.sub(r"\s", "", cell) == re.sub(r"\s", "", raw or "")


def _bbox(boxes: list[Box]) -> list[float]:
    return [
        round(min(b.x0 for b in boxes), 1),
        round(min(b.y0 for b in boxes), 1),
        round(max(b.x1 for b in boxes), 1),
        round(max(b.y1 for b in boxes), 1),
    ]


def _flag(value: Value, reason: str) -> None:
    value.flag = f"{value.flag}；{reason}" if value.flag else reason


def _name(v: Value) -> str:
    table = {formats.SECTION2: "表二", formats.SECTION3: "表三", formats.SECTION4: "表四"}
    page = f"第{v.page}页" if v.page else ""
    return f"{page}{table.get(v.table, v.table)}「{v.row}·{v.column}」"


def _relations(edition: formats.Edition) -> list[tuple[str, tuple, list[tuple]]]:
    """(description, total cell, part cells): total = sum(parts)."""
    s3, cols = formats.SECTION3, formats.APPLICANT_KEYS
    rows = edition.section3_row_keys()
    out = []
    for row in rows:
        out.append((f"表三「{row}」行总计", (s3, row, cols[-1]), [(s3, row, c) for c in cols[:-1]]))
    handled = [r for r in rows if r.startswith("三.") and r != "三.七"]
    for col in cols:
        out.append(
            (f"表三「{col}」列（七）总计", (s3, "三.七", col), [(s3, r, col) for r in handled])
        )
    s4 = formats.SECTION4
    for group in formats.SECTION4_GROUPS:
        parts = [(s4, group.key, c.key) for c in formats.SECTION4_COLUMNS if c.key != "总计"]
        out.append((f"表四「{group.key}」总计", (s4, group.key, "总计"), parts))
    return out


def proofread(result: ParseResult) -> None:
    """Flag cells breaking a 勾稽 relation, with the value that would make it hold."""
    edition = formats.get_edition(result.edition or formats.EDITION_2021)
    cells = {(v.table, v.row, v.column): v for v in result.values}
    checks = _relations(edition)
    s3 = formats.SECTION3
    for col in formats.APPLICANT_KEYS:  # 一 + 二 = 七 + 四, as a relation on 一
        one, two, seven, four = ((s3, r, col) for r in ("一", "二", "三.七", "四"))
        checks.append((f"表三「{col}」列 一+二=（七）+四", (one, two), [seven, four]))
    for name, total, parts in checks:
        lhs = [cells.get(k) for k in (total if isinstance(total[0], tuple) else (total,))]
        rhs = [cells.get(k) for k in parts]
        involved = [v for v in lhs + rhs if v is not None]
        if any(v is None or v.value is None for v in lhs + rhs):
            continue
        left, right = sum(v.value for v in lhs), sum(v.value for v in rhs)
        if abs(left - right) < 1e-6:
            continue
        options = []
        for v in involved:
            wanted = v.value + (right - left if v in lhs else left - right)
            if wanted >= 0 and float(wanted).is_integer():
                v.candidates = sorted({*(v.candidates or []), int(wanted)})
                options.append(f"{_name(v)}为{int(wanted)}")
            _flag(v, f"{name}不符")
        result.warn(
            f"{name}不符（{left:g} ≠ {right:g}），可能是某格识别错误，"
            f"请核对原件：{'；或'.join(options[:6])}。"
        )
