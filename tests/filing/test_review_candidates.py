"""The parse review offers, beside each cell the parser left blank, the values that fitted.

Readings come from the real parser on text whose digits ran together; they are aligned either
to the blank columns or to the whole row, and both shapes must reach the cell.
"""

from __future__ import annotations

from core.parsing import parse_bytes
from filing.selectors import _candidates
from tests.core.parsing import synth
from tests.core.parsing.test_runtogether import _rebalance, _with_row


def test_section3_whole_row_readings_reach_each_blank_cell():
    fig = synth.figures(2)
    fig["section3"]["三.一"] = [1, 3, 12, 0, 0, 0, 16]
    _rebalance(fig)
    fig["section3"]["三.七"] = [None] * 7
    result = parse_bytes(_with_row(fig, "三.一", "13\t12\t0\t0\t0\t16").encode(), "a.txt")
    offered = _candidates(result.ambiguous)
    assert sorted(offered[("section3", "三.一", "自然人")]) == [1, 13]
    assert sorted(offered[("section3", "三.一", "商业企业")]) == [1, 3]
    assert sorted(offered[("section3", "三.一", "科研机构")]) == [2, 12]
    assert ("section3", "三.一", "总计") not in offered  # printed, not blank


def test_section4_readings_reach_the_group_and_column_they_belong_to():
    fig = synth.figures(4)
    fig["section4"] = [0, 10, 0, 1, 11, 0, 2, 2, 2, 6, 11, 2, 0, 0, 13]

    def table(rows):
        lines = ["\t".join(r) for r in rows]
        if rows[0][0].startswith("行政复议"):
            lines[1] = "0100111022261120013"  # 11|2 or 1|12: both total 13
        return lines

    result = parse_bytes(synth.report(fig, table=table).encode(), "a.txt")
    offered = _candidates(result.ambiguous)
    assert sorted(offered[("section4", "复议后起诉", "结果维持")]) == [1, 11]
    assert sorted(offered[("section4", "复议后起诉", "结果纠正")]) == [2, 12]
    assert len(offered) == 2


def test_blank_readings_and_malformed_entries_offer_nothing():
    offered = _candidates(
        [
            {"table": "section3", "row": "三.二", "columns": ["自然人"], "candidates": [[None]]},
            "not an entry",
            {"table": "section3", "row": "三.二", "columns": ["自然人"], "candidates": [[1, 2]]},
        ]
    )
    assert offered == {}
