"""PDF tables read from the page's words placed by pdfplumber's cell boxes.

The words are made once per page; each table cell takes the words whose middle lies in
its box. The texts must be those table.extract() gives, and a word across a cell border
sends the table back to table.extract().
"""

from __future__ import annotations

import io

import pdfplumber
import pytest

from core.parsing import pdf
from core.parsing.document import Line
from core.parsing.pdf import extract_pdf
from tests.support.render import CORPUS_TEXTS, docx_to_pdf, report_text, soffice_path, text_to_docx

COLUMNS = [50, 200, 260, 320, 380]
ROWS = [100, 130, 160, 190]


def ruled_pdf(texts: list[tuple[float, float, str]], columns=COLUMNS, rows=ROWS) -> bytes:
    """One page: a ruled grid (columns x rows, points from the top) and Helvetica texts."""
    ops = []
    for x in columns:
        ops.append(f"{x} {842 - rows[0]} m {x} {842 - rows[-1]} l S")
    for y in rows:
        ops.append(f"{columns[0]} {842 - y} m {columns[-1]} {842 - y} l S")
    for x, y, text in texts:
        ops.append(f"BT /F1 10 Tf {x:.1f} {842 - y:.1f} Td ({text}) Tj ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /Font << /F1 3 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(offsets) + 1,
        xref,
    )
    return bytes(out)


def grids(data: bytes):
    """(the words-placed grid, table.extract()) for every table of every page."""
    out = []
    with pdfplumber.open(io.BytesIO(data)) as document:
        for page in document.pages:
            tables = page.find_tables()
            words = page.extract_words()
            for i, table in enumerate(tables):
                inside = [w for w in words if pdf._table_of(w, tables) == i]
                out.append((pdf._grid(table, inside), table.extract()))
    return out


def test_cells_take_the_words_inside_their_boxes_as_table_extract_does():
    texts = [
        (55, 120, "Label one"),
        (205, 120, "12"),
        (265, 120, "3"),
        (55, 145, "Two lines"),
        (55, 155, "of label"),
        (325, 150, "1,234"),
        (385 - 60, 180, "0"),
    ]
    [(placed, extracted)] = grids(ruled_pdf(texts))
    assert placed == extracted
    assert placed[0] == ["Label one", "12", "3", ""]
    assert placed[1][0] == "Two lines\nof label" and placed[1][3] == "1,234"
    assert placed[2] == ["", "", "", "0"]
    rows = [line.cells for line in extract_pdf(ruled_pdf(texts)).lines if line.table is not None]
    assert rows == [["Label one", "12", "3", ""], ["Two lines\nof label", "", "", "1,234"],
                    ["", "", "", "0"]]  # fmt: skip


def test_a_word_across_a_cell_border_leaves_the_table_to_table_extract():
    # "123456789" starts in the second column and runs past its right border.
    texts = [(55, 120, "Label"), (240, 120, "123456789"), (55, 150, "Next"), (330, 150, "7")]
    [(placed, extracted)] = grids(ruled_pdf(texts))
    assert placed is None
    document = extract_pdf(ruled_pdf(texts))
    rows = [line.cells for line in document.lines if line.table is not None]
    assert rows == [[(c or "").strip() for c in row] for row in extracted if any(row)]


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("seed", CORPUS_TEXTS[:2])
def test_a_word_processor_pdf_reads_the_same_cells_either_way(seed):
    data = docx_to_pdf(text_to_docx(report_text(seed)))
    found = grids(data)
    assert found and all(placed == extracted for placed, extracted in found)


BOXES = [(50, 100), (100, 200), *((200 + 20 * i, 220 + 20 * i) for i in range(7))]


def row(cells: list[str], page: int, table: int) -> Line:
    line = Line(cells=cells, page=page, table=table)
    line.boxes = BOXES[-len(cells) :]
    return line


def test_a_row_cut_by_a_page_break_is_joined_cell_by_cell_when_its_label_then_reads():
    lines = [row(["（六）其他处", "1.申", "1", "0", "0", "0", "0", "0", "1"], 5, 4)]
    rest = "请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    page = [
        Line(cells=["- 5 -"], page=6),
        row(["理", rest, "", "", "", "", "", "", ""], 6, 5),
        row(["", "2.申请人逾期未按收费通知要求缴纳费用", "1", "0", "0", "0", "0", "0", "1"], 6, 5),
    ]
    pdf._join_page(lines, page)
    assert lines[0].cells[:3] == ["（六）其他处\n理", f"1.申\n{rest}", "1"]
    assert [line.cells[1] for line in lines[2:]] == ["2.申请人逾期未按收费通知要求缴纳费用"]


def test_a_new_row_at_the_top_of_a_page_is_not_joined_even_beside_a_blank():
    lines = [row(["2.重复申请", "3", "0", "0", "0", "0", "0", "3"], 5, 4)]
    page = [row(["3.要求提供公开出版物", "2", "", "0", "0", "0", "0", "2"], 6, 5)]
    pdf._join_page(lines, page)
    assert [line.cells[0] for line in lines] == ["2.重复申请", "3.要求提供公开出版物"]
