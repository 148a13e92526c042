"""From an extracted Document to a ParseResult: sections, tables, metadata."""

from __future__ import annotations

from core import formats

from . import stream
from .document import Document, Line
from .messages import Message, joined
from .meta import find_organ, find_published, find_title, find_year, head_end
from .normalize import recover_document
from .numbers import parse_number
from .prose import prose_numbers
from .result import ParseResult, Value
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
    # (where the section begins, where its body starts): a heading line is not body.
    bounds = {key: (h.index, h.index + 1) for key, h in headings.items()}
    after = 0
    for key in ("二", "三", "四"):
        if key not in bounds:
            found = _anchor(lines, key, after)
            if found is not None:
                bounds[key] = (found, found)
        after = bounds.get(key, (after, after))[1]
    ordered = sorted(bounds.items(), key=lambda kv: kv[1])
    regions = {}
    for i, (key, (_, start)) in enumerate(ordered):
        end = ordered[i + 1][1][0] if i + 1 < len(ordered) else len(lines)
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
        result.warn("edition_guessed", edition=edition)
    return edition


def _coverage(values: list[Value]) -> float:
    return sum(v.value is not None for v in values) / len(values) if values else 0.0


def _read_tables(region: dict[str, list[Line]], edition, result: ParseResult) -> None:
    """Read each table by rows; fall back to a cell stream where rows found little."""
    readers = {
        "二": (
            lambda r: read_section2(region["二"], edition, r),
            lambda: stream.read_rows(region["二"], formats.SECTION2, stream.section2_rows(edition)),
        ),
        "三": (
            lambda r: Section3Reader(edition, r).read(region["三"]),
            lambda: stream.read_rows(region["三"], formats.SECTION3, stream.section3_rows(edition)),
        ),
        "四": (lambda r: read_section4(region["四"], r), lambda: _stream4(region["四"])),
    }
    for key, (by_rows, by_stream) in readers.items():
        attempt = ParseResult()
        by_rows(attempt)
        values, warnings, ambiguous = attempt.values, attempt.warnings, attempt.ambiguous
        if _coverage(values) < 0.5 and region[key]:
            fallback = by_stream()
            if fallback and _coverage(fallback) > _coverage(values):
                values, ambiguous = fallback, []
                warnings = [Message("table_stream", table=f"表{key}")]
        result.values.extend(values)
        result.ambiguous.extend(ambiguous)
        for warning in warnings:
            result.warn(warning)


def _stream4(lines: list[Line]) -> list[Value] | None:
    numbers = stream.section4_values(lines)
    if numbers is None:
        return None
    return [
        Value(formats.SECTION4, g, c, parse_number(raw), raw, line.where(), 0.7, rule="stream")
        for (g, c), (raw, line) in zip(formats.SECTION4_CELLS, numbers, strict=True)
    ]


def read_document(doc: Document) -> ParseResult:
    """Everything the portal needs from one extracted report."""
    result = ParseResult(kind=doc.kind, text=doc.text)
    for warning in doc.warnings:
        result.warn(warning)
    # A paragraph holding a whole report (text copied off a web page) gets its lines back.
    lines = recover_document(doc.lines)
    headings = find_headings(lines)
    spans = section_spans(lines, headings)
    missing = [key for key, _, _ in formats.SECTIONS if key not in headings]
    if missing:
        result.warn("headings_missing", parts=joined(missing))

    first_heading = min((h.index for h in headings.values()), default=None)
    front = head_end(lines, first_heading)
    title = find_title(lines, front)
    if title is None:
        result.warn("title_missing")
    result.year, how = find_year(title, doc.text)
    if result.year is None:
        result.warn("year_missing")
    elif how != "title":
        result.warn("year_from_period")
    result.organ = find_organ(lines, title, front)
    if result.organ is None:
        result.warn("organ_missing")
    tail = spans["六"][0] if "六" in spans else None
    result.published = find_published(lines, tail, front)
    if result.published is None:
        result.warn("published_missing")

    regions = table_regions(lines, headings)
    result.edition = detect(lines, regions, result.year, result)
    edition = formats.get_edition(result.edition)
    region = {key: lines[slice(*regions[key])] if key in regions else [] for key in "二三四"}
    _read_tables(region, edition, result)

    result.sections = {key: prose(lines, spans.get(key)) for key, _, _ in formats.SECTIONS}
    body = "\n".join(result.sections[k] for k in ("一", "三", "四", "五", "六"))
    result.prose_numbers = prose_numbers(result.sections["一"]) or {}
    for key, value in prose_numbers(body).items():
        result.prose_numbers.setdefault(key, value)
    return result
