"""The issuing organ, the statistics year and the publication date.

The year is the one in the report's *title*; letterhead document numbers
(〔2024〕3号), the statistics-period sentence and activity dates in the
prose are not it. The publication date is the signature date after the last
section, so dates inside embedded forms are never taken.
"""

from __future__ import annotations

import datetime
import re

from core import formats

from .document import Line
from .numbers import chinese_small, chinese_year, normalise
from .sections import line_text

_YEAR = r"(?P<year>(?:19|20)\d{2}|[〇零○O一二三四五六七八九]{4})"
_REPORT = r"(?:政府)?(?:信息公开|政务公开)(?:工作)?的?(?:年度)?(?:报告|年报)"
# "<organ> 2023年(度)政府信息公开工作年度报告" and "2023年(度)<organ>政府信息公开…".
TITLE_ORGAN_FIRST = re.compile(rf"^(?P<organ>.*?)(?:关于)?{_YEAR}年度?(?:的)?{_REPORT}")
TITLE_YEAR_FIRST = re.compile(rf"^{_YEAR}年度?(?P<organ>.+?){_REPORT}")
# "<organ>政府信息公开工作年度报告（2023年度）".
TITLE_YEAR_AFTER = re.compile(rf"^(?P<organ>.*?){_REPORT}[（(\[【]?{_YEAR}年?度?[)）\]】]?$")
PERIOD = re.compile(r"统计期限[^。]{0,10}?(?P<year>(?:19|20)\d{2})年1月1日")
# Formal names end with one of these; "晋江市西园街道" in a title is a short form.
ORGAN_SUFFIX = re.compile(
    r"(人民政府|办事处|政府办公室|办公室|局|委员会|委|厅|署|院|中心|管委会|管理委员会|办|所|站|队|政府)$"
)
_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2}|[〇零○O一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
_ISO_DATE = re.compile(r"(?P<y>20\d{2})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})")
# Without a section heading to stop at, the title is looked for this far in.
_HEAD_LINES = 60
# Web pages put navigation above the title; never look past this many lines.
_MAX_HEAD_LINES = 300


def head_end(lines: list[Line], first_heading: int | None) -> int:
    """Where the front matter (letterhead, title, intro) ends."""
    if first_heading is None:
        return min(_HEAD_LINES, len(lines))
    return min(first_heading, _MAX_HEAD_LINES)


def _year(text: str) -> int | None:
    return int(text) if text.isdigit() else chinese_year(text)


def _clean_organ(text: str) -> str:
    # "关于印发《晋江市××镇…年度报告》的通知": the organ starts after the quotation mark.
    text = re.sub(r"^.*《", "", text)
    text = re.sub(r"^关于(?:印发|公布|发布)?", "", text)
    text = re.sub(r"^[^\w（(]+|[\s*]+$", "", text)
    text = re.sub(r"(文件|关于)$", "", text)
    return text.strip("《》“”\"'：: ")


Title = tuple[int, str, int | None, str | None]


def find_title(lines: list[Line], end: int) -> Title | None:
    """(line index, title text, year, organ from the title) of the report's title."""
    head = [(i, formats.squash(normalise(line_text(line)))) for i, line in enumerate(lines[:end])]
    head = [(i, t) for i, t in head if t]
    # A title on one line wins; then one broken over two lines in PDFs
    # ("…2022年政府信息" / "公开工作年度报告", or the organ above the year).
    for joined in (False, True):
        for n, (i, text) in enumerate(head):
            candidate = text + head[n + 1][1] if joined and n + 1 < len(head) else text
            if len(candidate) > 80 or (joined and candidate == text):
                continue
            found = _title_match(candidate)
            if found and found[1] is None and n and not joined:
                # "晋江市教育局" on its own line above "2022年政府信息公开工作年度报告".
                above = _clean_organ(head[n - 1][1])
                above = _join_wrapped_organ([t for _, t in head[: n - 1]], above)
                if len(above) <= 80 and ORGAN_SUFFIX.search(above.rstrip(")）")):
                    found = (found[0], above)
            if found:
                if found[1]:
                    found = (found[0], _join_wrapped_organ([t for _, t in head[:n]], found[1]))
                return i, candidate, *found
    return None


# An organ name wrapped over more lines than the title's own pair: at most this many above.
_WRAP_LINES = 3


def _join_wrapped_organ(above: list[str], organ: str) -> str:
    """Prepend the lines a wrapped organ name started on ("…（…" / "…" / "…管委会）")."""
    joined = organ
    for text in reversed(above[-_WRAP_LINES:]):
        if _open_brackets(joined) >= 0:
            break
        joined = text + joined
    return _clean_organ(joined) if _open_brackets(joined) == 0 and len(joined) <= 80 else organ


def _open_brackets(text: str) -> int:
    """Opening minus closing brackets: negative when the text starts inside a bracket."""
    return sum(text.count(c) for c in "（(") - sum(text.count(c) for c in "）)")


def _title_match(text: str) -> tuple[int | None, str | None] | None:
    """(year, organ or None) if the text is a report title."""
    first = TITLE_ORGAN_FIRST.match(text)
    if first and _clean_organ(first.group("organ")):
        return _year(first.group("year")), _clean_organ(first.group("organ"))
    second = TITLE_YEAR_FIRST.match(text)
    if second and _clean_organ(second.group("organ")) not in ("", "政府", "本"):
        return _year(second.group("year")), _clean_organ(second.group("organ"))
    if first or second:
        return _year((first or second).group("year")), None
    after = TITLE_YEAR_AFTER.match(text)
    if after:
        return _year(after.group("year")), _clean_organ(after.group("organ")) or None
    return None


def find_year(title: Title | None, text: str) -> tuple[int | None, str]:
    """The statistics year and how it was found."""
    if title and title[2]:
        return title[2], "title"
    match = PERIOD.search(formats.squash(text))
    if match:
        return int(match.group("year")), "period"
    return None, ""


def find_organ(lines: list[Line], title: Title | None, end: int) -> str | None:
    """The organ's formal name: from the title, a line near it, or the signature."""
    title_organ = title[3] if title else None
    if title_organ and ORGAN_SUFFIX.search(title_organ):
        return title_organ
    end = min(end, (title[0] + 3) if title else end)
    for line in lines[:end]:
        text = _clean_organ(formats.squash(normalise(line_text(line))))
        if 2 < len(text) <= 30 and ORGAN_SUFFIX.search(text) and not _DATE.search(text):
            if not title_organ or _related(title_organ, text):
                return text
    for line in reversed(lines[-12:]):
        text = _clean_organ(formats.squash(normalise(line_text(line))))
        if 2 < len(text) <= 30 and ORGAN_SUFFIX.search(text) and not re.search(r"[：:。，]", text):
            if not title_organ or _related(title_organ, text):
                return text if not title_organ or len(text) >= len(title_organ) else title_organ
    return title_organ


def _related(short: str, formal: str) -> bool:
    """Does a formal name plausibly name the same organ as a title's short form?"""
    core = re.sub(r"^.{1,6}?[省市县区]", "", short)
    core = re.sub(r"(镇|乡|街道|街道办事处)$", "", core) or short
    return core[:2] in formal


def _date(match: re.Match) -> str | None:
    year = _year(match.group("y"))
    month, day = chinese_small(match.group("m")), chinese_small(match.group("d"))
    try:
        return datetime.date(year, month, day).isoformat() if year and month and day else None
    except ValueError:
        return None


def find_published(lines: list[Line], tail_start: int | None, head: int = 15) -> str | None:
    """The signature date: a short line holding just a date, after the last section."""
    start = tail_start if tail_start is not None else max(0, len(lines) - 12)
    for line in lines[start:]:
        text = formats.squash(normalise(line_text(line)))
        match = _DATE.search(text) or _ISO_DATE.search(text)
        if not match:
            continue
        rest = text.replace(match.group(0), "")
        if len(rest) <= 30 and not re.search(r"[\d，。；;,]", rest):
            return _date(match)
    # Government web pages print "发布日期：2024-01-19" above the text.
    for line in lines[:head]:
        text = formats.squash(normalise(line_text(line)))
        if re.search(r"(发布|成文|印发)(日期|时间)", text):
            match = _DATE.search(text) or _ISO_DATE.search(text)
            if match:
                return _date(match)
    return None
