"""表四's row of figures broken across a PDF page: the cells' last digits open the next page."""

from __future__ import annotations

from core.parsing.document import Line
from core.parsing.result import ParseResult
from core.parsing.section4 import read_section4

HEAD = Line(cells=["行政复议", "行政诉讼"], number=1, page=6, table=6)


def read(*rows: list[str]) -> tuple[list, ParseResult]:
    lines = [HEAD] + [
        Line(cells=cells, number=2 + i, page=6 + i, table=6 + i) for i, cells in enumerate(rows)
    ]
    result = ParseResult()
    read_section4(lines, result)
    return [v.value for v in result.values], result


# 197 34 29 32 | 292, 53 13 10 20 | 96, 26 7 8 11 | 52; the page broke after the first
# line of every two-line cell ("19" / "7", "2" / "9\n2").
FIRST = ["19", "34", "29", "32", "2", "53", "13", "10", "20", "9", "26", "7", "8", "11", "5"]
REST = ["7", "", "", "", "9\n2", "", "", "", "", "6", "", "", "", "", "2"]
# Only two cells run on: the continuation is no row of figures by itself.
FEW = ["", "", "", "", "8", "", "", "", "", "3", "", "", "", "", ""]
WHOLE = [197, 34, 29, 32, 292, 53, 13, 10, 20, 96, 26, 7, 8, 11, 52]


def test_a_figures_row_broken_by_a_page_is_joined_when_every_group_then_adds_up():
    values, result = read(FIRST, REST)
    assert values == WHOLE
    assert any("跨页" in w for w in result.warnings)
    joined = [v for v in result.values if v.raw in ("197", "292")]
    assert joined and all(v.rule == "arithmetic" and v.confidence < 0.9 for v in joined)


def test_a_row_that_already_adds_up_is_not_joined_with_the_next():
    whole = [str(v) for v in WHOLE]
    values, result = read(whole, REST)
    assert values == WHOLE
    assert not any("跨页" in w for w in result.warnings)


def test_fragments_that_do_not_make_the_groups_add_up_are_left_alone():
    rest = ["8", "", "", "", "9\n2", "", "", "", "", "6", "", "", "", "", "2"]
    values, result = read(FIRST, rest)
    assert values == [int(v) for v in FIRST]
    assert not any("跨页" in w for w in result.warnings)


def test_a_continuation_holding_only_two_figure_fragments_is_joined_too():
    first = ["26", "1", "5", "6", "3", "8", "1", "2", "2", "1", "0", "0", "1", "0", "1"]
    values, _ = read(first, FEW)
    assert values == [26, 1, 5, 6, 38, 8, 1, 2, 2, 13, 0, 0, 1, 0, 1]
