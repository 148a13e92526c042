"""The report grids are laid out from core.formats: every cell once, spans that fit."""

from collections import Counter

import pytest

from core import formats, layout


def expected_cells(edition_key):
    edition = formats.get_edition(edition_key)
    cells = [(formats.SECTION2, r, c) for r, c in edition.section2_cells()]
    cells += [
        (formats.SECTION3, r, c)
        for r in edition.section3_row_keys()
        for c in formats.APPLICANT_KEYS
    ]
    cells += [(formats.SECTION4, g, c) for g, c in formats.SECTION4_CELLS]
    return cells


@pytest.mark.parametrize("edition", formats.EDITIONS)
def test_every_cell_of_the_edition_appears_exactly_once(edition):
    counts = Counter(cell.key for cell in layout.edition_cells(edition))
    assert set(counts) == set(expected_cells(edition))
    assert set(counts.values()) == {1}


@pytest.mark.parametrize("edition", formats.EDITIONS)
@pytest.mark.parametrize("table", [formats.SECTION2, formats.SECTION3, formats.SECTION4])
def test_each_grid_row_fills_the_table_width_once_merged_cells_are_counted(edition, table):
    grid = next(g for g in layout.report_grids(edition) if g.table == table)
    # Cells merged down from rows above occupy columns of the rows below them.
    for part in (grid.head, grid.body):
        carried = [0] * len(part)
        for index, row in enumerate(part):
            used = carried[index] + sum(item.colspan for item in row)
            assert used == grid.width, (table, index, row)
            for item in row:
                for below in range(index + 1, index + getattr(item, "rowspan", 1)):
                    carried[below] += item.colspan


def test_section3_merges_the_result_rows_under_one_heading_per_group():
    grid = layout.section3_grid(formats.EDITION_2021)
    heads = [item for row in grid.body for item in row if item.is_head]
    by_text = {h.text: h for h in heads}
    results = [r for r in formats.get_edition("2021").section3_rows if r.key.startswith("三.")]
    assert by_text[formats.SECTION3_GROUPS["三"][0]].rowspan == len(results)
    assert by_text[formats.SECTION3_GROUPS["三.三"][0]].rowspan == 8
    assert by_text[formats.SECTION3_GROUPS["三.六"][0]].rowspan == 3


def test_section3_other_handling_is_a_single_row_in_the_2019_edition():
    grid = layout.section3_grid(formats.EDITION_2019)
    heads = {item.text: item for row in grid.body for item in row if item.is_head}
    assert heads["（六）其他处理"].colspan == 2
    assert heads["（六）其他处理"].rowspan == 1


def test_section3_header_groups_the_five_organisation_columns():
    grid = layout.section3_grid(formats.EDITION_2021)
    texts = [[h.text for h in row] for row in grid.head]
    assert texts[1] == ["自然人", str(layout.ORGANISATION_HEADING), "总计"]
    assert texts[2] == list(formats.APPLICANT_KEYS[1:6])
    assert grid.head[1][1].colspan == 5


def test_section4_header_splits_litigation_into_its_two_groups():
    grid = layout.section4_grid()
    assert [(h.text, h.colspan) for h in grid.head[0]] == [("行政复议", 5), ("行政诉讼", 10)]
    assert [h.text for h in grid.head[1]] == ["未经复议直接起诉", "复议后起诉"]
    assert len(grid.head[2]) == 15


def test_section2_narrow_blocks_widen_their_last_column():
    grid = layout.section2_grid(formats.EDITION_2021)
    licence_row = next(r for r in grid.body if r[0].text == "行政许可")
    assert [c.colspan for c in licence_row[1:]] == [3]
    assert grid.body[0][0].text == "第二十条第（一）项"


def test_totals_are_marked_for_the_live_sums():
    totals = {c.key for c in layout.edition_cells("2021") if c.role == "total"}
    assert (formats.SECTION3, "一", "总计") in totals
    assert (formats.SECTION3, "三.七", "自然人") in totals
    assert (formats.SECTION4, "行政复议", "总计") in totals
    assert (formats.SECTION3, "一", "自然人") not in totals


def test_field_names_round_trip_to_cells():
    for cell in layout.edition_cells("2019"):
        assert layout.cell_from_name(cell.name) == cell.key
    assert layout.cell_from_name("overview") is None
