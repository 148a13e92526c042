"""Completing a row of table 三 from the 总计 rule, and refusing to guess."""

from core import formats
from core.parsing.completion import Cell, place

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


def test_zeros_fit_every_placement_so_a_short_zero_row_is_all_zero():
    placed = place(cells(0, 0, 0, 0, 0), NO_OTHER)
    assert values(placed) == [0] * 7
