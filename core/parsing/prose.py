"""Numbers the prose states, for the checks to hold against the tables.

Only clear statements count: a count with its unit in the same clause as
its subject ("共收到政府信息公开申请 6 件"). Petition counts (12345, 信访)
are not applications, and "依申请公开信息 0 条" in a list of 主动公开
categories is not a count of applications received.
"""

from __future__ import annotations

import re

_N = r"(?P<n>\d{1,3}(?:[,，]\d{3})+|\d+)"
_CLAUSE = r"[^。；;！!？?\n]"
_PHRASE = r"[^。；;，,！!？?\n]"

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
    "依申请处理": (
        re.compile(
            rf"(?:处理|办结|答复|办理完毕){_PHRASE}{{0,20}}?申请{_PHRASE}{{0,8}}?{_N}\s*[件条个宗份]"
        ),
        re.compile(
            rf"申请{_CLAUSE}{{0,40}}?(?:已|均|全部)?(?:办结|答复|处理)\s*{_N}\s*[件条个宗份]"
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
    "行政复议": re.compile(rf"(?:未|没有|无)(?:发生|收到|出现|被申请){_PHRASE}{{0,10}}?行政复议"),
    "行政诉讼": re.compile(
        rf"(?:未|没有|无)(?:发生|收到|出现|被提起|被申请){_PHRASE}{{0,14}}?行政诉讼"
    ),
}
# Clauses about petitions and hotlines, whose counts are not applications.
_NOT_APPLICATIONS = re.compile(r"12345|信访|市长专线|热线|留言|咨询|投诉|来信|来访|诉求")


def prose_numbers(text: str) -> dict[str, int]:
    """The first clear statement of each key number in the text."""
    found: dict[str, int] = {}
    for key, patterns in PATTERNS.items():
        for pattern in patterns:
            value = _first(pattern, text, key)
            if value is not None:
                found[key] = value
                break
        if key not in found and key in ZEROS and ZEROS[key].search(text):
            found[key] = 0
    if "依申请收到" not in found and "依申请处理" in found and ZEROS["依申请收到"].search(text):
        found["依申请收到"] = 0
    return found


def _first(pattern: re.Pattern, text: str, key: str) -> int | None:
    for match in pattern.finditer(text):
        # The whole sentence up to the number: its subject may come before the match.
        start = max(text.rfind(stop, 0, match.start()) for stop in "。；;！？\n") + 1
        clause = text[start : match.end()]
        if key.startswith("依申请") and _NOT_APPLICATIONS.search(clause):
            continue
        if key == "依申请收到" and "依申请公开信息" in clause and "收到" not in clause:
            continue
        return int(match.group("n").replace(",", "").replace("，", ""))
    return None
