"""Numbers the prose states, for the checks to hold against the tables.

Only clear statements count: a count with its unit in the same clause as
its subject ("共收到政府信息公开申请 6 件"). Petition counts (12345, 信访)
are not applications, and "依申请公开信息 0 条" in a list of 主动公开
categories is not a count of applications received.

:func:`prose_statements` also keeps the sentence each number came from, so a
finding can show the reviewer the words it rests on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_N = r"(?P<n>\d{1,3}(?:[,，]\d{3})+|\d+)"
_CLAUSE = r"[^。；;！!？?\n]"
_PHRASE = r"[^。；;，,！!？?\n]"
_STOPS = "。；;！？\n"
# Characters of context kept on each side of a statement that runs long.
CONTEXT = 60

PATTERNS: dict[str, tuple[re.Pattern, ...]] = {
    "主动公开条数": (
        re.compile(rf"主动公开{_PHRASE}{{0,40}}?(?:共|合计|累计|总计)计?\s*{_N}\s*[条件篇]"),
        re.compile(rf"主动公开(?:各类)?(?:政府)?(?:政务)?信息{_PHRASE}{{0,12}}?{_N}\s*[条件篇]"),
        re.compile(rf"主动公开{_PHRASE}{{0,20}}?{_N}\s*[条件篇]"),
    ),
    "依申请收到": (
        re.compile(
            rf"(?:收到|受理|接收|接到){_PHRASE}{{0,20}}?申请{_PHRASE}{{0,8}}?{_N}\s*[件条个宗份]"
        ),
        re.compile(rf"申请{_PHRASE}{{0,6}}?(?:收到|受理)\s*{_N}\s*[件条个宗份]"),
    ),
    # "新收" says row 一 alone, never 一 + 二.
    "本年新收": (
        re.compile(
            rf"新(?:收到|收|受理|接收){_PHRASE}{{0,20}}?申请{_PHRASE}{{0,8}}?{_N}\s*[件条个宗份]"
        ),
        re.compile(rf"申请{_PHRASE}{{0,6}}?新(?:收到|收|受理)\s*{_N}\s*[件条个宗份]"),
    ),
    "上年结转": (
        re.compile(rf"上一?年度?(?:亦|也)?(?:共)?结转{_PHRASE}{{0,10}}?{_N}\s*[件条个宗份]"),
        re.compile(rf"结转自上一?年度?{_PHRASE}{{0,10}}?{_N}\s*[件条个宗份]"),
    ),
    "依申请处理": (
        re.compile(
            rf"(?:处理|办结|答复|办理完毕){_PHRASE}{{0,20}}?申请{_PHRASE}{{0,8}}?{_N}\s*[件条个宗份]"
        ),
        re.compile(
            rf"申请{_CLAUSE}{{0,40}}?(?:已|均|全部)?(?:办结|答复|处理)\s*{_N}\s*[件条个宗份]"
        ),
    ),
    "结转下年度": (
        re.compile(
            rf"结转(?:至|到)?下一?年度?(?:继续)?(?:办理)?{_PHRASE}{{0,6}}?{_N}\s*[件条个宗份]"
        ),
    ),
    "行政复议": (re.compile(rf"行政复议(?:案件)?{_PHRASE}{{0,12}}?{_N}\s*[件起宗个]"),),
    "行政诉讼": (
        re.compile(rf"(?:行政诉讼|提起诉讼)(?:案件)?{_PHRASE}{{0,12}}?{_N}\s*[件起宗个]"),
    ),
}
# "全年未收到政府信息公开申请", "未发生行政复议、行政诉讼" state a zero.
ZEROS: dict[str, re.Pattern] = {
    "依申请收到": re.compile(rf"(?:未|没有)(?:收到|受理|接到){_PHRASE}{{0,14}}?申请"),
    "上年结转": re.compile(r"上一?年度?(?:亦|也)?(?:无|没有)(?:结转|遗留)"),
    "行政复议": re.compile(rf"(?:未|没有|无)(?:发生|收到|出现|被申请){_PHRASE}{{0,10}}?行政复议"),
    "行政诉讼": re.compile(
        rf"(?:未|没有|无)(?:发生|收到|出现|被提起|被申请){_PHRASE}{{0,14}}?行政诉讼"
    ),
}
# Clauses about petitions and hotlines, whose counts are not applications.
_NOT_APPLICATIONS = re.compile(r"12345|信访|市长专线|热线|留言|咨询|投诉|来信|来访|诉求")
_APPLICATION_KEYS = ("依申请收到", "依申请处理", "本年新收")


@dataclass(frozen=True)
class Statement:
    """One number the prose states and the sentence around it (``start:end`` is the number)."""

    value: int
    sentence: str
    start: int
    end: int

    def evidence(self) -> dict[str, str]:
        """The sentence cut at the number, for a finding to show with the number marked."""
        return {
            "before": self.sentence[: self.start],
            "number": self.sentence[self.start : self.end],
            "after": self.sentence[self.end :],
        }


def prose_numbers(text: str) -> dict[str, int]:
    """The first clear statement of each key number in the text."""
    return {key: s.value for key, s in prose_statements(text).items()}


def prose_statements(text: str) -> dict[str, Statement]:
    """Like :func:`prose_numbers`, with the sentence each number was read from."""
    found: dict[str, Statement] = {}
    for key, patterns in PATTERNS.items():
        for pattern in patterns:
            statement = _first(pattern, text, key)
            if statement is not None:
                found[key] = statement
                break
        if key not in found and key in ZEROS and (match := ZEROS[key].search(text)):
            found[key] = _statement(text, match.start(), match.end(), 0)
    zero = ZEROS["依申请收到"].search(text)
    if "依申请收到" not in found and "依申请处理" in found and zero:
        found["依申请收到"] = _statement(text, zero.start(), zero.end(), 0)
    return found


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(stop, 0, start) for stop in _STOPS) + 1
    rights = [i for stop in _STOPS if (i := text.find(stop, end)) >= 0]
    right = min(rights) + 1 if rights else len(text)
    return max(left, start - CONTEXT), min(right, end + CONTEXT)


def _statement(text: str, start: int, end: int, value: int) -> Statement:
    left, right = _sentence_bounds(text, start, end)
    return Statement(value, text[left:right].strip("\n"), start - left, end - left)


def _first(pattern: re.Pattern, text: str, key: str) -> Statement | None:
    for match in pattern.finditer(text):
        # The whole sentence up to the number: its subject may come before the match.
        start = max(text.rfind(stop, 0, match.start()) for stop in _STOPS) + 1
        clause = text[start : match.end()]
        if key in _APPLICATION_KEYS and _NOT_APPLICATIONS.search(clause):
            continue
        if key == "依申请收到" and "依申请公开信息" in clause and "收到" not in clause:
            continue
        value = int(match.group("n").replace(",", "").replace("，", ""))
        return _statement(text, match.start("n"), match.end("n"), value)
    return None
