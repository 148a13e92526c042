"""Cutting a report into its six sections by their headings.

A heading is recognised by its *title* (formats.SECTIONS), never by the
numeral alone: rows of table 三 also start "一、", "四、". It must open the
line (after markdown marks) and the line must be short, so the intro
paragraph that names all six sections is not taken for headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core import formats

from .document import Line
from .normalize import is_debris

_MARKUP = re.compile(r"^[#>*\s]+|[*]+")
_NUMERAL = re.compile(
    r"^(?:第?([一二三四五六])(?:部分)?[、.．,，:：\s]*|[(（]([一二三四五六])[)）]\s*)"
)
_FIGURE = re.compile(r"^[\d\s,，.+\-−－]*$")
_TRAILING = re.compile(r"[。.：:，,；;]+$")
# Longest heading text we accept beyond its title (e.g. "（2023年度）").
_SLACK = 14


def line_text(line: Line) -> str:
    """A line's text without markdown marks, cells joined by spaces."""
    text = " ".join(c for c in line.cells if c.strip())
    return _MARKUP.sub("", text).strip()


@dataclass
class Heading:
    key: str  # 一 … 六
    index: int  # index into the document's lines
    text: str


def heading_key(line: Line) -> tuple[str, bool] | None:
    """The section a line is the heading of, and whether it is a top-level form.

    "一、总体情况" is top-level; "（一）…" and a bare title are weaker forms,
    used only for sections that have no top-level heading (a sub-heading
    "（二）主动公开政府信息情况" inside 一 must not open section 二).
    """
    filled = [c for c in line.cells if c.strip()]
    # A heading a converter put into table cells ("| 一、 | 总体情况 |") has no figures.
    if len(filled) > 3 or (len(filled) > 1 and any(_FIGURE.match(c.strip()) for c in filled)):
        return None
    squashed = formats.squash(line_text(line))
    match = _NUMERAL.match(squashed)
    numeral = (match.group(1) or match.group(2)) if match else None
    title = _TRAILING.sub("", squashed[match.end() :] if match else squashed)
    for key, canonical, patterns in formats.SECTIONS:
        if numeral and numeral != key:
            continue
        if len(title) > len(canonical) + _SLACK:
            continue
        if any(re.search(p, title) for p in patterns):
            # Without a numeral, only an exact title counts as a heading.
            if numeral or title == canonical:
                return key, bool(match and match.group(1))
    return None


def find_headings(lines: list[Line]) -> dict[str, Heading]:
    """The first heading of each section, in document order, top-level forms first."""
    candidates = [(i, found) for i, line in enumerate(lines) if (found := heading_key(line))]
    order = [key for key, _, _ in formats.SECTIONS]
    headings: dict[str, Heading] = {}
    for strong in (True, False):
        for index, (key, top_level) in candidates:
            if key in headings or top_level != strong:
                continue
            # Sections come in order: a heading must fall between its neighbours' headings.
            before = [h.index for k, h in headings.items() if order.index(k) < order.index(key)]
            after = [h.index for k, h in headings.items() if order.index(k) > order.index(key)]
            if (before and index < max(before)) or (after and index > min(after)):
                continue
            headings[key] = Heading(key, index, line_text(lines[index]))
    return headings


def section_spans(lines: list[Line], headings: dict[str, Heading]) -> dict[str, tuple[int, int]]:
    """Line index ranges [start, end) of each found section's body."""
    ordered = sorted(headings.values(), key=lambda h: h.index)
    spans = {}
    for i, heading in enumerate(ordered):
        end = ordered[i + 1].index if i + 1 < len(ordered) else len(lines)
        spans[heading.key] = (heading.index + 1, end)
    return spans


def prose(lines: list[Line], span: tuple[int, int] | None) -> str:
    """The running text of a section: paragraphs joined, table rows left out."""
    if span is None:
        return ""
    paragraphs = []
    for line in lines[span[0] : span[1]]:
        if line.is_row:
            continue
        text = line_text(line)
        if text and not is_debris(text):
            paragraphs.append(text)
    return "\n".join(paragraphs)
