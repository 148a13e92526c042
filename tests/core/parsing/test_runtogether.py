"""Digits of neighbouring cells run together, read by the format's arithmetic."""

from __future__ import annotations

import pytest

from core.parsing import parse_bytes, runtogether
from tests.core.parsing import synth


def test_cuts_never_make_leading_zeros():
    assert runtogether.expansions(["2001003"], 7) == [["2", "0", "0", "1", "0", "0", "3"]]
    assert runtogether.expansions(["105"], 2) == [["10", "5"]]  # "1|05" is no figure


def test_a_row_total_decides_between_splits():
    # 12 | 3 | 0 0 0 0 | 15 printed as "123 0 0 0 0 15": 1|23 would total 24.
    options = runtogether.candidates(["123", "0", "0", "0", "0", "15"], 7, runtogether.row_total)
    assert options == [[12, 3, 0, 0, 0, 0, 15]]


def test_two_splits_with_the_same_total_are_both_kept():
    options = runtogether.candidates(["13", "12", "0", "0", "0", "16"], 7, runtogether.row_total)
    assert sorted(options) == [[1, 3, 12, 0, 0, 0, 16], [13, 1, 2, 0, 0, 0, 16]]
    assert runtogether.agree(options) == [None, None, None, 0, 0, 0, 16]


def test_the_search_is_bounded_on_hostile_input():
    """Hostile runs are refused by counting, before any search (timing lives in bench_parse)."""
    assert runtogether.candidates(["1" * 60], 30, runtogether.row_total) is None
    assert runtogether.candidates(["123456789" * 3, "1"], 15, runtogether.row_total) is None
    with pytest.raises(runtogether.TooMany):
        runtogether.expansions(["1" * 60], 30)
    # A search that does run stops at its cap instead of listing every split.
    with pytest.raises(runtogether.TooMany):
        runtogether.expansions(["1" * 14], 8, cap=10)


def _glued(rows: list[list[str]], keys: set[str] | None = None) -> list[str]:
    """Space-aligned rows; figure runs of single digits printed without gaps."""
    out = []
    for cells in rows:
        labels = [c for c in cells if c and not c.isdigit()]
        figures = [c for c in cells if c.isdigit()]
        if len(figures) > 3 and all(len(f) == 1 for f in figures):
            out.append("   ".join([*labels, "".join(figures)]))
        else:
            out.append("   ".join(labels + figures))
    return out


def test_a_report_with_glued_single_digit_rows_reads_every_cell():
    fig = synth.figures(7, small=True)
    result = parse_bytes(synth.report(fig, table=_glued).encode(), "glued.txt")
    assert result.figures() == fig
    rules = {v.rule for v in result.values if v.table == "section3"}
    assert "arithmetic" in rules
    glued = [v for v in result.values if v.rule == "arithmetic"]
    assert all(v.confidence < 0.95 for v in glued)
    assert result.ambiguous == []


def _with_row(fig: dict, key: str, printed: str):
    def table(rows):
        lines = ["\t".join(r) for r in rows]
        return [
            f"{r[0]}\t{r[1]}\t{printed}" if r[0] and r[0].endswith(_label(key)) else line
            for r, line in zip(rows, lines, strict=True)
        ]

    return synth.report(fig, table=table)


def _label(key: str) -> str:
    return next(r.label for r in synth.EDITION.section3_rows if r.key == key)


def test_column_rules_decide_a_row_its_own_total_cannot():
    fig = synth.figures(2)
    fig["section3"]["三.一"] = [1, 3, 12, 0, 0, 0, 16]
    _rebalance(fig)
    text = _with_row(fig, "三.一", "13\t12\t0\t0\t0\t16")
    result = parse_bytes(text.encode(), "a.txt")
    assert result.figures()["section3"] == fig["section3"]
    assert result.ambiguous == []


def test_when_nothing_decides_the_cells_stay_blank_and_the_candidates_are_listed():
    fig = synth.figures(2)
    fig["section3"]["三.一"] = [1, 3, 12, 0, 0, 0, 16]
    _rebalance(fig)
    fig["section3"]["三.七"] = [None] * 7  # the column rules cannot be evaluated
    result = parse_bytes(_with_row(fig, "三.一", "13\t12\t0\t0\t0\t16").encode(), "a.txt")
    row = result.figures()["section3"]["三.一"]
    assert row == [None, None, None, 0, 0, 0, 16]  # never a guess
    [entry] = result.ambiguous
    assert entry["row"] == "三.一" and entry["columns"] == ["自然人", "商业企业", "科研机构"]
    assert sorted(entry["candidates"]) == [[1, 3, 12, 0, 0, 0, 16], [13, 1, 2, 0, 0, 0, 16]]
    assert any("13 12 0 0 0 16" in w for w in result.warnings)


def test_section4_glued_into_one_run_is_split_by_group_totals():
    fig = synth.figures(4)
    fig["section4"] = [0, 0, 0, 0, 0, 1, 0, 0, 1, 2, 0, 0, 0, 0, 0]
    text = synth.report(fig, table=_glued)
    result = parse_bytes(text.encode(), "a.txt")
    assert result.figures()["section4"] == fig["section4"]


def _rebalance(fig: dict) -> None:
    """Make (七), 一 and the balance hold again after a row changed."""
    s3 = fig["section3"]
    keys = synth.EDITION.section3_row_keys()
    new, carried_in, *results, total, carried_out = keys
    s3[total] = [sum(s3[k][i] for k in results) for i in range(7)]
    s3[new] = [s3[total][i] + s3[carried_out][i] - s3[carried_in][i] for i in range(7)]


def test_glued_section4_with_two_readings_keeps_only_what_all_readings_share():
    fig = synth.figures(4)
    fig["section4"] = [0, 10, 0, 1, 11, 0, 2, 2, 2, 6, 11, 2, 0, 0, 13]

    def table(rows):
        lines = ["\t".join(r) for r in rows]
        if rows[0][0].startswith("行政复议"):
            lines[1] = "0100111022261120013"  # 11|2 or 1|12: both total 13
        return lines

    result = parse_bytes(synth.report(fig, table=table).encode(), "a.txt")
    s4 = result.figures()["section4"]
    assert s4 == [0, 10, 0, 1, 11, 0, 2, 2, 2, 6, None, None, 0, 0, 13]
    [entry] = result.ambiguous
    assert entry["table"] == "section4"
    assert entry["columns"] == [["复议后起诉", "结果维持"], ["复议后起诉", "结果纠正"]]
    assert len(entry["candidates"]) == 2


def test_a_row_with_a_blank_cell_in_its_grid_is_not_split():
    fig = synth.figures(2)
    fig["section3"]["三.七"][6] = None
    fig["section3"]["三.七"][0] = 17
    result = parse_bytes(synth.report(fig).encode(), "a.txt")
    assert result.figures()["section3"]["三.七"] == fig["section3"]["三.七"]
    assert not [v for v in result.values if v.rule == "arithmetic"]


def test_a_space_separated_row_that_lost_its_blank_total_is_not_split():
    fig = synth.figures(2)
    fig["section3"]["三.七"][0] = 17
    fig["section3"]["三.七"][6] = None
    text = " ".join(synth.report(fig, sep=" ").split("\n"))  # the blank leaves no trace
    result = parse_bytes(text.encode(), "a.txt")
    assert result.figures()["section3"]["三.七"] == fig["section3"]["三.七"]


def test_an_endless_run_of_digits_is_no_figure_and_no_crash():
    text = "一、总体情况 二、主动公开政府信息情况 三、收到和处理政府信息公开申请情况 "
    text += " ".join("（一）予以公开 1234567890123" for _ in range(300))
    text += " 四、政府信息公开行政复议、行政诉讼情况 " + "1234567890" * 100
    result = parse_bytes(text.encode(), "a.txt")
    assert result.error is None
    assert not any(len(v.raw) > 24 for v in result.values if v.value is not None)


def _glued_row(fig: dict, key: str, printed: str) -> bytes:
    """The report with one 表三 row's figures printed as ``printed`` after its label."""

    def table(rows):
        return [
            f"{r[0]}   {printed}" if r[0] and r[0].endswith(_label(key)) else "\t".join(r)
            for r in rows
        ]

    return synth.report(fig, table=table).encode()


@pytest.mark.parametrize("printed", ["000000", "00000 0", "000 000", "0000 00"])
def test_glued_zeros_that_lost_a_blank_cell_stay_blank_with_candidates(printed):
    """Six zeros and a blank cell run together: the blank is never filled as 0."""
    fig = synth.figures(2, small=True)
    result = parse_bytes(_glued_row(fig, "三.二", printed), "a.txt")
    row = [v for v in result.values if v.table == "section3" and v.row == "三.二"]
    assert [v.value for v in row] == [None] * 7
    assert not [v for v in result.values if v.rule == "completion"]
    assert all(v.candidates == [0] and v.flag for v in row)
    [entry] = [e for e in result.ambiguous if e["row"] == "三.二"]
    assert len(entry["candidates"]) == 7
    assert sorted(r.index(None) for r in entry["candidates"]) == list(range(7))
    assert any(printed in w for w in result.warnings)
    # The other rows read as printed.
    got = result.figures()["section3"]
    assert all(got[k] == fig["section3"][k] for k in got if k != "三.二")


def test_glued_figures_that_lost_a_blank_list_only_readings_that_add_up():
    # 1 | 2 | blank | 0 0 0 | 3 printed "12 0003": 12|0|0|0|3 would exceed its total.
    fig = synth.figures(2, small=True)
    result = parse_bytes(_glued_row(fig, "三.二", "12 0003"), "a.txt")
    assert result.figures()["section3"]["三.二"] == [None] * 7
    [entry] = [e for e in result.ambiguous if e["row"] == "三.二"]
    readings = entry["candidates"]
    assert [1, 2, None, 0, 0, 0, 3] in readings
    for reading in readings:
        parts = [v for v in reading[:6] if v is not None]
        assert reading[6] is None or sum(parts) <= reading[6]
        assert reading.count(None) == 7 - len(parts) - (reading[6] is not None)
    # 12 | 0 0 0 | 3 breaks its printed total: only with a blank 总计 is 12 a reading.
    assert all(r[6] is None for r in readings if 12 in r)


def test_a_short_spaced_row_of_zeros_is_flagged_not_completed():
    """Six separate zeros for seven columns: one printed blank was lost, place unknown."""
    fig = synth.figures(2, small=True)
    result = parse_bytes(_glued_row(fig, "三.二", "0 0 0 0 0 0"), "a.txt")
    row = [v for v in result.values if v.table == "section3" and v.row == "三.二"]
    assert [v.value for v in row] == [None] * 7
    assert all(v.candidates == [0] for v in row)
    assert not [v for v in result.values if v.rule == "completion"]


def test_a_lost_blank_total_is_placed_when_no_other_place_adds_up():
    """Six figures whose parts exceed every printed total: 总计 was the blank, and stays so."""
    fig = synth.figures(2, small=True)
    result = parse_bytes(_glued_row(fig, "三.二", "5 2 0 0 1 1"), "a.txt")
    assert result.figures()["section3"]["三.二"] == [5, 2, 0, 0, 1, 1, None]
    assert not [e for e in result.ambiguous if e["row"] == "三.二"]
