"""HTML pages: junk dropped, text blocks in order, rowspan/colspan expanded onto the grid."""

import pytest

from core.parsing.extract import extract
from tests.support.render import CORPUS_TEXTS, report_text, seed_text, text_to_html


def _trimmed(cells):
    """Cells without trailing empties (the HTML grid pads rows to the table width)."""
    end = max((i + 1 for i, cell in enumerate(cells) if cell), default=0)
    return cells[:end]


def test_rowspan_and_colspan_put_the_text_at_the_top_left_and_cover_with_empty_cells():
    page = """<html><body><p>三、收到和处理</p><table>
      <tr><th colspan="2" rowspan="2">甲</th><th>乙</th></tr>
      <tr><td>丙</td></tr>
      <tr><td rowspan="2">丁</td><td>1</td><td>2</td></tr>
      <tr><td>3</td><td>4</td></tr>
    </table><p>四、结转</p></body></html>"""
    lines = extract(page.encode()).lines
    assert [(line.cells, line.table) for line in lines] == [
        (["三、收到和处理"], None),
        (["甲", "", "乙"], 0),
        (["", "", "丙"], 0),
        (["丁", "1", "2"], 0),
        (["", "3", "4"], 0),
        (["四、结转"], None),
    ]


def test_scripts_styles_and_navigation_are_dropped():
    page = text_to_html("正文第一段")
    texts = [line.text for line in extract(page).lines]
    assert texts == ["正文第一段"]


def test_blocks_and_line_breaks_become_separate_lines_and_cells_keep_their_breaks():
    page = (
        "<div>一、总体情况<br>第二行<span> 续</span></div>"
        "<table><tr><td><p>a</p><p>b</p></td><td>1</td></tr></table>"
    )
    lines = extract(page.encode()).lines
    assert [line.cells for line in lines] == [["一、总体情况"], ["第二行 续"], ["a\nb", "1"]]


@pytest.mark.parametrize("merged", [False, True])
@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004", *CORPUS_TEXTS])
def test_a_seed_rendered_to_html_reads_back_the_same_rows(seed, merged):
    text = report_text(seed)
    expected = [_trimmed(line.cells) for line in extract(text.encode()).lines if line.is_row]
    got = [_trimmed(line.cells) for line in extract(text_to_html(text, merged=merged)).lines
           if line.is_row]  # fmt: skip
    if merged:
        # Columns no merged cell starts at are lattice, left out: the cells keep their order.
        got, expected = [[c for c in r if c] for r in got], [[c for c in r if c] for r in expected]
    assert [row for row in got if row] == [row for row in expected if any(row)]


def test_merged_html_of_seed_000_really_uses_rowspan_and_colspan():
    page = text_to_html(seed_text("000"), merged=True).decode()
    assert "rowspan='20'" in page and "colspan='6'" in page


def test_a_gbk_page_is_decoded_through_its_meta_charset():
    page = text_to_html(seed_text("004"), encoding="gbk")
    document = extract(page)
    assert document.kind == "html"
    assert ["一、总体情况。"] in [line.cells for line in document.lines]


def test_a_page_laid_out_with_tables_reads_its_nested_data_table_as_rows():
    page = """<html><body><table><tr><td>导航</td><td>
      <p>晋江市某镇 2023 年政府信息公开工作年度报告</p>
      <table><tr><td>规章</td><td>0</td><td>1</td></tr></table>
      <p>三、收到和处理</p></td></tr></table></body></html>"""
    lines = extract(page.encode()).lines
    assert [(line.cells, line.table is not None) for line in lines] == [
        (["导航"], False),
        (["晋江市某镇 2023 年政府信息公开工作年度报告"], False),
        (["规章", "0", "1"], True),
        (["三、收到和处理"], False),
    ]


def test_html_colspans_on_a_finer_grid_give_one_cell_per_real_column():
    page = (
        "<table><tr><td colspan='2'>规章</td><td colspan='2'>0</td><td colspan='2'></td></tr>"
        "<tr><td colspan='2' rowspan='2'>合计</td><td colspan='4'>3</td></tr>"
        "<tr><td colspan='2'>1</td><td colspan='2'>2</td></tr></table>"
    )
    rows = [line.cells for line in extract(page.encode(), "a.html").lines]
    assert rows == [["规章", "0", ""], ["合计", "3", ""], ["", "1", "2"]]
