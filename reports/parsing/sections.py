"""Cutting a report into its six sections by their headings.

A heading is recognised by its *title* (formats.SECTIONS), never by the
numeral alone: rows of table 三 also start "一、", "四、". It must open the
line (after markdown marks) and the line must be short, so the intro
paragraph that names all six sections is not taken for headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reports import formats

from .document import Line

_MARKUP = re.compile(r"^[#>*\s]+|[*]+")
_NUMERAL = re.compile(
    r"^(?:第?([一二三四五六])(?:部分)?[、.．,，:：\s]*|[(（]([一二三四五六])[)）]\s*)"
)
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


def heading_key(line: Line) -> str | None:
    """The section numeral a line is the heading of, or None."""
    if len([c for c in line.cells if c.strip()]) > 1:
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
                return key
    return None


def find_headings(lines: list[Line]) -> dict[str, Heading]:
    """The first heading of each section, taken in document order."""
    found: dict[str, Heading] = {}
    order = [key for key, _, _ in formats.SECTIONS]
    for index, line in enumerate(lines):
        key = heading_key(line)
        if key is None or key in found:
            continue
        # A later section's heading must come after the ones already found.
        position = order.index(key)
        if any(order.index(k) > position for k in found):
            continue
        found[key] = Heading(key, index, line_text(line))
    return found


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
        if text:
            paragraphs.append(text)
    return "\n".join(paragraphs)
