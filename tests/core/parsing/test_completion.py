"""Completing a row of table 三 from the 总计 rule, and refusing to guess."""

from core import formats
from core.parsing.completion import Cell, alignments, place

ALL = list(formats.APPLICANT_KEYS)
NO_OTHER = [k for k in ALL if k != "其他"]


def cells(*values):
    return [Cell(v, "" if v is None else str(v), 0.95) for v in values]


def values(placed):
    return [c.value for c in placed[0]]


def test_a_full_row_is_placed_as_printed_blanks_included():
    placed = place(cells(5, None, 0, 0, 0, 0, 5), ALL)
    assert values(placed) == [5, None, 0, 0, 0, 0, 5]
    assert placed[1] is False


def test_a_column_missing_from_the_header_is_derived_from_the_total():
    placed = place(cells(5, 2, 0, 0, 1, 9), NO_OTHER)
    assert values(placed) == [5, 2, 0, 0, 1, 1, 9]
    assert placed[1] is True
    assert placed[0][5].raw == "" and placed[0][5].confidence < 0.9


def test_a_derived_negative_part_means_the_row_cannot_be_completed():
    placed = place(cells(5, 2, 0, 0, 1, 7), NO_OTHER)
    assert values(placed) == [5, 2, 0, 0, 1, None, 7]


def test_a_row_shorter_than_its_header_is_left_blank_when_two_placements_fit():
    assert place(cells(1, 2, 0, 0, 0, 3), ALL) is None


def test_a_short_row_of_zeros_keeps_its_lost_blank_blank():
    """Zeros fit every placement, so which printed cell was blank is unknown: no cell is 0."""
    assert place(cells(0, 0, 0, 0, 0), NO_OTHER) is None
    assert place(cells(0, 0, 0, 0, 0, 0), ALL) is None
    options = alignments(cells(0, 0, 0, 0, 0, 0), ALL)
    assert len(options) == 7 and all(row.count(None) == 1 for row in options)


def test_a_lost_cell_is_never_derived_from_the_total():
    # 5 2 0 0 1 | 8 with one cell lost: a part's blank would be 0 by the sum, but blank it stays.
    placed = place(cells(5, 2, 0, 0, 1, 8), ALL)
    assert placed is None
    assert all(c is None or c >= 0 for row in alignments(cells(5, 2, 0, 0, 1, 8), ALL) for c in row)


def test_a_blank_total_is_the_only_consistent_place_for_a_lost_cell():
    # Parts 5 2 0 0 1 1 add up to 9: no printed total smaller than them, so 总计 was the blank.
    placed = place(cells(5, 2, 0, 0, 1, 1), ALL)
    assert values(placed) == [5, 2, 0, 0, 1, 1, None]
    assert placed[0][6].rule == "table" and placed[0][6].raw == ""
    assert all(c.confidence < 0.95 for c in placed[0][:6])


def test_an_absent_column_is_not_derived_when_a_printed_cell_was_lost():
    # Header without 其他, and the row lost one of its six printed cells.
    assert place(cells(3, 0, 0, 0, 3), NO_OTHER) is None


def test_a_printed_blank_in_a_full_row_blocks_the_total_rule():
    placed = place(cells(5, None, 0, 0, 1, 9), NO_OTHER)
    assert values(placed) == [5, None, 0, 0, 1, None, 9]
    assert placed[1] is False
    assert not [c for c in placed[0] if c.rule == "completion"]


def test_absent_columns_are_zero_only_when_every_printed_cell_is_a_figure():
    placed = place(cells(0, 0, 0, 0, 0, 0), NO_OTHER)
    assert values(placed) == [0] * 7
    assert placed[0][5].rule == "completion" and placed[0][5].raw == ""
