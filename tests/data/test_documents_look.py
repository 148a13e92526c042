"""The official document looks like the national format: black serif title without Word's
blue rule, heading and body faces set (not the template's theme fonts), and table columns
placed by where cells really sit (rowspans included), so the label column is not squeezed."""

import io

import docx
import pytest
from docx.oxml.ns import qn

from data.documents.docx import DocumentData, _column_widths, _grid, _placed, build_docx

# 9 pt table text: one CJK character is about 180 twips wide.
CHAR_TWIPS = 180


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_table_three_gives_its_row_labels_a_line_and_its_figures_even_columns(edition):
    grid = _grid("三", edition)
    placed = {item.text: column for column, item in _placed(grid) if item.is_head}
    assert placed["1.属于国家秘密"] == 2
    assert placed["（三）不予公开"] == 1
    assert placed["商业企业"] == 4  # under 法人或其他组织, past 自然人's rowspan
    widths = _column_widths(grid)
    labels, figures = widths[:3], widths[3:]
    assert labels[2] == max(widths)
    assert labels[2] >= 14 * CHAR_TWIPS, (
        "a row label such as 2.其他法律行政法规禁止公开 fits a line"
    )
    assert len(set(figures)) == 1


def test_the_title_and_headings_use_the_official_faces_in_black_without_a_rule():
    data = DocumentData(
        organ="晋江市紫帽镇人民政府",
        year=2023,
        edition="2021",
        overview="概述。",
        problems="问题。",
        other_matters="无。",
        figures={},
    )
    document = docx.Document(io.BytesIO(build_docx(data)))
    for name in ("Title", "Heading 1", "Normal"):
        style = document.styles[name]
        fonts = style.element.rPr.rFonts
        assert fonts.get(qn("w:eastAsiaTheme")) is None and fonts.get(qn("w:asciiTheme")) is None
        assert fonts.get(qn("w:eastAsia")), name
        assert str(style.font.color.rgb) == "000000", name
    title = document.styles["Title"].element
    assert title.find(qn("w:pPr") + "/" + qn("w:pBdr")) is None
    assert document.paragraphs[0].text == data.title
