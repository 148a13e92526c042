"""The fixes behind exact scans, each on a small made-up case (no OCR engine needed)."""

from __future__ import annotations

import numpy as np

from core import formats
from core.ocr.engine import Box
from core.ocr.image import remove_seal
from core.ocr.layout import _cut
from core.ocr.proof import attach, proofread
from core.parsing.result import ParseResult, Value


def test_a_seal_turns_to_paper_but_grey_print_under_it_stays():
    page = np.full((20, 40, 3), 255, np.uint8)
    page[:, 20:] = (205, 195, 230)  # a washed-out seal alone (BGR: pale pink)
    page[8:12, :] = (120, 120, 120)  # a grey table rule, blurred
    page[8:12, 20:] = (101 * 0.16, 101 * 0.14, 101)  # the same rule under the seal
    clean = remove_seal(page)
    assert (clean[0, 25] == 255).all()  # seal gone
    assert clean[10, 25, 0] < 130 and clean[10, 5, 0] < 130  # rule kept on both sides


def test_a_box_run_across_a_column_rule_is_cut_there():
    box = Box("83", 0.99, 562, 1604, 651, 1644, chars=[(562, 600), (608, 651)])
    left, right = _cut(box, [500, 604, 700])
    assert (left.text, right.text) == ("8", "3")
    assert left.x1 <= 604 <= right.x0
    assert _cut(Box("12", 0.99, 10, 0, 40, 20, chars=[(10, 24), (26, 40)]), [0, 60]) == [
        Box("12", 0.99, 10, 0, 40, 20, chars=[(10, 24), (26, 40)])
    ]


def _section4(values, page=3):
    result = ParseResult(edition=formats.EDITION_2021)
    for (group, col), value in zip(formats.SECTION4_CELLS, values, strict=False):
        result.add(Value(formats.SECTION4, group, col, value, "" if value is None else str(value),
                         f"第{page}页 第1行", 0.99))  # fmt: skip
    return result


def test_a_relation_with_an_unread_cell_leaves_its_other_cells_flagged():
    result = _section4([1, None, 0, 0, 8, *[0] * 10])
    attach(result, {})
    proofread(result)
    group = [v for v in result.values if v.row == "行政复议"]
    assert all(v.flag for v in group)  # 8 may be wrong: nothing vouches for it
    assert not any(v.flag for v in result.values if v.row == "复议后起诉")


def test_a_cell_of_a_scanned_table_the_reader_did_not_place_is_added_flagged():
    result = _section4([1, 2, 0, 0, 3])
    for v in result.values:
        v.page = 3
    attach(result, {})
    cells = {(v.row, v.column): v for v in result.values}
    assert len(cells) == len(formats.SECTION4_CELLS)
    missing = cells[("复议后起诉", "总计")]
    assert missing.value is None and missing.flag


def test_a_cell_the_reader_inferred_rather_than_read_is_flagged():
    result = _section4([1, 2, 0, 0, 3, *[0] * 10])
    result.values[0].rule = "arithmetic"
    attach(result, {1: (["1", "2", "0", "0", "3"], [[Box("1", 1.0, 0, 0, 1, 1)]] * 5)})
    assert "推算" in (result.values[0].flag or "")
    assert not result.values[1].flag


def test_a_table_two_cell_needs_more_confidence_than_one_the_arithmetic_checks():
    result = ParseResult(edition=formats.EDITION_2021)
    result.add(
        Value(formats.SECTION2, "行政许可", "本年处理决定数量", 123, "123", "第1页 第1行", 0.95)
    )
    result.add(Value(formats.SECTION4, "行政复议", "结果维持", 1, "1", "第1页 第2行", 0.95))
    attach(result, {})
    assert result.values[0].flag and not result.values[1].flag
