"""Reading numbers as printed in report tables and prose."""

from __future__ import annotations

import re
import unicodedata

# Longest figure text read as a number (amounts in 万元 have a few decimals at most).
MAX_DIGITS = 24
# A cell that holds one number: optional sign, thousands separators, decimals.
_NUMBER = re.compile(r"^[+\-−－]?\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?$|^[+\-−－]?\d+(?:\.\d+)?$")
# Cells that stand for "nothing printed" rather than a figure.
_BLANKS = {"", "-", "—", "——", "–", "/", "／", "\\", "无", "空", "null", "none", "n/a", "—-"}
_SEPARATORS = re.compile(r"^[-=_—–]{3,}$")
# Units some clerks type into figure cells ("12.5万元", "3件"); the column says the unit.
_UNIT = re.compile(r"(?<=\d)(?:万元|亿元|元|件|个|条|项|宗|起|次|人次|份|篇)$")


def normalise(text: str) -> str:
    """NFKC (full-width digits and brackets to ASCII) and trimmed."""
    return unicodedata.normalize("NFKC", text or "").strip()


def parse_number(text: str) -> int | float | None:
    """The number a cell holds, or None when it holds none.

    Integral values come back as int so counts stay counts; amounts such as
    收费金额 keep their decimals.
    """
    s = _UNIT.sub("", normalise(text).replace(" ", ""))
    if not _NUMBER.match(s):
        return None
    s = s.replace(",", "").replace("，", "").replace("−", "-").replace("－", "-")
    if len(s) > MAX_DIGITS:
        return None  # no report prints such a figure; float() would overflow
    value = float(s)
    if "." not in s:
        return int(value)
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


def is_number(text: str) -> bool:
    return parse_number(text) is not None


def is_blank(text: str) -> bool:
    """An empty cell, or a dash / slash that prints 'nothing here'."""
    s = normalise(text).replace(" ", "").lower()
    return s in _BLANKS or bool(_SEPARATORS.match(s))


def number_tokens(text: str) -> list[str] | None:
    """Split a cell of whitespace-separated numbers ("0 0 3"); None if any token isn't one."""
    tokens = normalise(text).split()
    if not tokens or not all(is_number(t) or is_blank(t) for t in tokens):
        return None
    return tokens


_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def chinese_year(text: str) -> int | None:
    """二〇二三 → 2023 (digit by digit, as years are written)."""
    if len(text) != 4 or any(ch not in _CN_DIGITS for ch in text):
        return None
    return int("".join(str(_CN_DIGITS[ch]) for ch in text))


def chinese_small(text: str) -> int | None:
    """一 … 三十一 → 1 … 31 (months and days)."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if "十" in text:
        tens, _, units = text.partition("十")
        t = _CN_DIGITS.get(tens, None) if tens else 1
        u = _CN_DIGITS.get(units, None) if units else 0
        if t is None or u is None:
            return None
        return t * 10 + u
    return _CN_DIGITS.get(text) if len(text) == 1 else None
