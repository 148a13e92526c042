"""A title whose organ name wraps over three lines is read whole, as the DOCX gives it."""

from __future__ import annotations

import pytest

from core.parsing.document import Line
from core.parsing.meta import find_organ, find_title

FULL = "福建晋江经济开发区(五里园区、安东园区、晋江高新技术产业开发区、晋江国际鞋纺城实验区管委会)"


@pytest.mark.parametrize(
    "head",
    [
        # The organ on three lines above the year line (PDF title block).
        [
            "福建晋江经济开发区（五里园区、安东园区、",
            "晋江高新技术产业开发区、晋江国际鞋纺城",
            "实验区管委会）",
            "2023年政府信息公开工作年度报告",
        ],
        # The organ's last line shares its line with the year.
        [
            "福建晋江经济开发区（五里园区、安东园区、",
            "晋江高新技术产业开发区、晋江国际鞋纺城",
            "实验区管委会）2023年政府信息公开工作年度报告",
        ],
        # The DOCX of the same report: one line.
        [FULL + "2023年政府信息公开工作年度报告"],
    ],
)
def test_an_organ_name_wrapped_over_three_title_lines_is_joined(head):
    lines = [Line([t]) for t in [*head, "一、总体情况"]]
    title = find_title(lines, len(head))
    assert title is not None and title[2] == 2023
    assert title[3] == FULL
    assert find_organ(lines, title, len(head)) == FULL


def test_a_short_organ_line_above_the_title_is_unchanged():
    lines = [Line([t]) for t in ["晋江市教育局", "2022年政府信息公开工作年度报告"]]
    assert find_title(lines, 2)[3] == "晋江市教育局"
