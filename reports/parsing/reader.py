"""From an extracted Document to a ParseResult: sections, tables, metadata."""

from __future__ import annotations

from reports import formats

from .document import Document, Line
from .meta import find_organ, find_published, find_title, find_year
from .prose import prose_numbers
from .result import ParseResult
from .section2 import read_section2
from .section3 import Section3Reader
from .section4 import read_section4
from .sections import find_headings, prose, section_spans

# Where a table starts when its section heading is missing: a label it prints.
_ANCHORS = {
    "二": ("第二十条",),
    "三": ("本年新收", "申请人情况", "勾稽"),
    "四": ("未经复议直接起诉", "复议后起诉"),
}


def _anchor(lines: list[Line], key: str, after: int = 0) -> int | None:
    for i in range(after, len(lines)):
        squashed = formats.squash(lines[i].text)
        if any(a in squashed for a in _ANCHORS[key]):
            return i
    return None


def table_regions(lines: list[Line], headings: dict) -> dict[str, tuple[int, int]]:
    """Line ranges for tables 二, 三, 四 (from headings, else from anchors)."""
    starts = {key: h.index + 1 for key, h in headings.items()}
    after = 0
    for key in ("二", "三", "四"):
        if key not in starts:
            found = _anchor(lines, key, after)
            if found is not None:
                starts[key] = found
        after = starts.get(key, after)
    ordered = sorted(starts.items(), key=lambda kv: kv[1])
    regions = {}
    for i, (key, start) in enumerate(ordered):
        end = ordered[i + 1][1] if i + 1 < len(ordered) else len(lines)
        # A heading that comes before its own anchor fallback keeps its section's end.
        regions[key] = (start, max(end, start))
    return {k: v for k, v in regions.items() if k in ("二", "三", "四")}


def detect(lines: list[Line], regions: dict, year: int | None, result: ParseResult) -> str:
    """The edition from the labels the tables print; the year only as a last resort."""
    table_text = "\n".join(
        line.text for key in ("二", "三") if key in regions for line in lines[slice(*regions[key])]
    )
    edition, scores = formats.detect_edition(table_text)
    if edition is None:
        edition, scores = formats.detect_edition("\n".join(line.text for line in lines))
    if edition is None:
        edition = formats.EDITION_2021 if (year or 0) >= 2021 else formats.EDITION_2019
        result.warn(f"无法从表格标签判断版式，按年度暂定为{edition}年版，请核对。")
    return edition


def read_document(doc: Document) -> ParseResult:
    """Everything the portal needs from one extracted report."""
    result = ParseResult(kind=doc.kind, text=doc.text)
    for warning in doc.warnings:
        result.warn(warning)
    lines = doc.lines
    headings = find_headings(lines)
    spans = section_spans(lines, headings)
    missing = [key for key, _, _ in formats.SECTIONS if key not in headings]
    if missing:
        result.warn(f"未找到以下部分的标题：{'、'.join(missing)}。")

    result.year, how = find_year(lines, doc.text)
    if result.year is None:
        result.warn("未能从标题中识别统计年度。")
    elif how != "title":
        result.warn("标题中没有年度，统计年度取自“统计期限”一句。")
    first_heading = min((h.index for h in headings.values()), default=len(lines))
    result.organ = find_organ(lines, first_heading)
    if result.organ is None:
        result.warn("未能识别发布机关。")
    tail = spans["六"][0] if "六" in spans else None
    result.published = find_published(lines, tail)

    regions = table_regions(lines, headings)
    result.edition = detect(lines, regions, result.year, result)
    edition = formats.get_edition(result.edition)
    read_section2(lines[slice(*regions["二"])] if "二" in regions else [], edition, result)
    Section3Reader(edition, result).read(lines[slice(*regions["三"])] if "三" in regions else [])
    read_section4(lines[slice(*regions["四"])] if "四" in regions else [], result)

    result.sections = {key: prose(lines, spans.get(key)) for key, _, _ in formats.SECTIONS}
    body = "\n".join(result.sections[k] for k in ("一", "三", "四", "五", "六"))
    result.prose_numbers = prose_numbers(result.sections["一"]) or {}
    for key, value in prose_numbers(body).items():
        result.prose_numbers.setdefault(key, value)
    if find_title(lines) is None:
        result.warn("未找到报告标题（“××年政府信息公开工作年度报告”）。")
    return result
