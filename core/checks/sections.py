"""Prose sections the national format requires, left empty or as good as empty."""

from __future__ import annotations

import re

from core.checks.base import WARNING, Finding, finding
from core.checks.messages import gettext_noop

# Section 五 shorter than this (punctuation and spaces not counted) says nothing.
SECTION5_MIN_CHARS = 15
_NOTHING = re.compile(r"^(?:无|暂无|没有|本年度无|无问题)$")
_NOISE = re.compile(r"[\s\W_]+")


def check_section5(sections: dict | None) -> list[Finding]:
    """Section 五 (存在的主要问题及改进情况): empty, "无", or a few characters is a warning.

    ``sections`` maps the section numeral to its text; None means the prose is unknown
    (figures imported without text), which is not checked.
    """
    if sections is None:
        return []
    text = _NOISE.sub("", sections.get("五") or "")
    if not text:
        state = gettext_noop("空白")
    elif _NOTHING.match(text):
        state = gettext_noop("只写了“无”")
    elif len(text) < SECTION5_MIN_CHARS:
        state = gettext_noop("内容过短")
    else:
        return []
    return [finding("section5_empty", WARNING, (), state=state, length=len(text))]
