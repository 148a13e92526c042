"""DOCX: body order, merged cells on the grid, and seeds surviving a trip through Word."""

import io
import zipfile

import docx
import pytest

from core.formats import squash
from core.parsing.document import ExtractionError
from core.parsing.extract import extract
from tests.support.render import CORPUS_TEXTS, report_text, seed_text, text_to_docx

SEEDS = ["000", "001", "002", "003", "004", *CORPUS_TEXTS]


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _non_empty(cells):
    return [squash(cell) for cell in cells if squash(cell)]


def test_merged_cells_stand_once_at_their_top_left_and_cover_with_empty_cells():
    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    for r in range(3):
        for c in range(4):
            table.cell(r, c).text = f"{r}{c}" if (r, c) not in {(0, 1), (2, 2)} else ""
    table.cell(0, 0).merge(table.cell(0, 1))  # gridSpan 2
    table.cell(1, 2).merge(table.cell(2, 2))  # vMerge restart + continue
    table.cell(2, 3).add_paragraph("second line")
    rows = [line.cells for line in extract(_save(document)).lines]
    assert rows == [
        ["00", "", "02", "03"],
        ["10", "11", "12", "13"],
        ["20", "21", "", "23\nsecond line"],
    ]


def test_paragraphs_and_tables_come_out_in_body_order():
    document = docx.Document()
    document.add_paragraph("二、主动公开政府信息情况")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "规章", "0"
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    second = document.add_table(rows=1, cols=2)
    second.cell(0, 0).text, second.cell(0, 1).text = "一、本年新收", "5"
    lines = extract(_save(document)).lines
    assert [(line.cells, line.table, line.number) for line in lines] == [
        (["二、主动公开政府信息情况"], None, 1),
        (["规章", "0"], 0, 2),
        (["三、收到和处理政府信息公开申请情况"], None, 3),
        (["一、本年新收", "5"], 1, 4),
    ]


def test_tables_nested_in_a_cell_are_flattened_into_their_own_rows():
    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "外层"
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "内层", "7"
    lines = extract(_save(document)).lines
    assert [(line.cells, line.table) for line in lines] == [(["外层", ""], 0), (["内层", "7"], 1)]


@pytest.mark.parametrize("seed", SEEDS)
def test_a_seed_rendered_to_docx_reads_back_the_same_table_rows(seed):
    text = report_text(seed)
    expected = [_non_empty(line.cells) for line in extract(text.encode()).lines if line.is_row]
    document = extract(text_to_docx(text))
    got = [_non_empty(line.cells) for line in document.lines if line.table is not None]
    assert [row for row in got if row] == [row for row in expected if row]
    prose = [line.text for line in document.lines if line.table is None]
    assert prose[:3] == [line.text for line in extract(text.encode()).lines if not line.is_row][:3]


def test_header_merges_in_a_rendered_seed_keep_the_grid_width():
    document = extract(text_to_docx(seed_text("000")))
    header = next(line for line in document.lines if line.cells[0].startswith("(本列数据"))
    assert len(header.cells) == 10
    assert header.cells[2] == "申请人情况" and header.cells[3:8] == [""] * 5


def test_a_zip_bomb_disguised_as_docx_is_refused_before_it_is_opened():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w") as member:
            for _ in range(64):  # 64 MB of zeros packs into a few dozen kB
                member.write(bytes(1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(ExtractionError) as caught:
        extract(data, "report.docx")
    assert caught.value.code == "zip_bomb"


def test_a_truncated_docx_is_refused_as_corrupt():
    data = text_to_docx(report_text(CORPUS_TEXTS[0]))
    with pytest.raises(ExtractionError) as caught:
        extract(data[: len(data) // 2])
    assert caught.value.code == "corrupt"


def test_a_docx_with_broken_xml_is_refused_as_corrupt():
    source = zipfile.ZipFile(io.BytesIO(text_to_docx("标题")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for info in source.infolist():
            body = source.read(info)
            zf.writestr(info, body[:200] if info.filename == "word/document.xml" else body)
    with pytest.raises(ExtractionError) as caught:
        extract(buffer.getvalue())
    assert caught.value.code == "corrupt"
    assert "DOCX" in str(caught.value)


def test_a_grid_finer_than_its_cells_gives_one_cell_per_real_column():
    """WPS-style lattice: every cell spans two grid columns; none starts at an odd one."""
    document = docx.Document()
    table = document.add_table(rows=2, cols=6)
    for r, texts in enumerate((["规章", "0", ""], ["行政规范性文件", "3", "12"])):
        for c, text in enumerate(texts):
            merged = table.cell(r, 2 * c).merge(table.cell(r, 2 * c + 1))
            merged.text = text
    rows = [line.cells for line in extract(_save(document)).lines]
    assert rows == [["规章", "0", ""], ["行政规范性文件", "3", "12"]]


def test_a_column_one_row_merges_over_stays_a_column():
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "信息内容"
    table.cell(0, 2).text = "本年处理决定数量"
    for c, text in enumerate(["行政许可", "", "7"]):
        table.cell(1, c).text = text
    rows = [line.cells for line in extract(_save(document)).lines]
    assert rows == [["信息内容", "", "本年处理决定数量"], ["行政许可", "", "7"]]
