"""PDF: ruled tables and text lines in reading order; scans flagged; damage refused."""

import pytest

from core.formats import squash
from core.parsing import ocr
from core.parsing.document import ExtractionError
from core.parsing.extract import extract
from core.parsing.pdf import extract_pdf
from tests.support.render import (
    CORPUS_TEXTS,
    docx_to_pdf,
    image_pdf,
    report_text,
    seed_as_pdf,
    soffice_path,
    text_pdf,
    text_to_docx,
)

needs_soffice = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed")


def _non_empty(cells):
    return [squash(cell) for cell in cells if squash(cell)]


@needs_soffice
@pytest.mark.parametrize("seed", ["000", "003", "004", *CORPUS_TEXTS])
def test_a_seed_printed_to_pdf_reads_back_the_same_labels_and_numbers_row_by_row(seed):
    text = report_text(seed)
    expected = [_non_empty(line.cells) for line in extract(text.encode()).lines
                if line.is_row]  # fmt: skip
    document = extract(docx_to_pdf(text_to_docx(text)))
    got = [_non_empty(line.cells) for line in document.lines if line.table is not None]
    assert [row for row in got if row] == [row for row in expected if row]


@needs_soffice
def test_pdf_lines_carry_page_numbers_and_a_running_line_number():
    document = extract(seed_as_pdf("000"))
    assert document.kind == "pdf" and document.pages >= 3
    assert [line.number for line in document.lines] == list(range(1, len(document.lines) + 1))
    pages = [line.page for line in document.lines]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] == document.pages
    heading = next(
        line for line in document.lines if line.text == "三、收到和处理政府信息公开申请情况"
    )
    first_row = next(line for line in document.lines if line.number > heading.number)
    assert first_row.table is not None and first_row.cells[0].startswith("(本列数据")


@needs_soffice
def test_blank_pdf_cells_stay_blank_and_merged_header_labels_come_once():
    document = extract(seed_as_pdf("004"))
    row = next(line for line in document.lines if line.cells[5:10] == ["0", "2", "0", "0", "2"])
    assert row.cells == ["", "", "", "", "", "0", "2", "0", "0", "2", "0", "0", "0", "0", "0"]
    header = next(line for line in document.lines if line.cells[0].startswith("(本列数据"))
    assert _non_empty(header.cells)[1:] == ["申请人情况", "总计"]
    first = next(line for line in document.lines if squash(line.cells[0]) == "三、本年度办理结果")
    assert [squash(cell) for cell in first.cells[1:]] == ["(一)予以公开", "1"] + ["0"] * 6 + [""]


def test_an_unruled_row_of_numbers_is_split_into_cells_at_wide_gaps():
    data = text_pdf([[
        (72, 72, "Report 2023"),
        (72, 100, "Item"), (250, 100, "12"), (350, 100, "0"), (450, 100, "7"),
        (72, 120, "An ordinary sentence of prose"),
    ]])  # fmt: skip
    assert [line.cells for line in extract(data).lines] == [
        ["Report 2023"],
        ["Item", "12", "0", "7"],
        ["An ordinary sentence of prose"],
    ]


def test_a_pdf_without_a_text_layer_is_flagged_for_ocr():
    document = extract(image_pdf())
    assert document.needs_ocr
    assert document.kind == "pdf"
    if not ocr.available():
        assert document.lines == []
        assert any("扫描件" in warning for warning in document.warnings)


@pytest.mark.parametrize("keep", [0.5, 0.02])
def test_a_truncated_pdf_is_refused_as_corrupt(keep):
    data = text_pdf([[(72, 72, f"page {n}")] for n in range(3)])
    with pytest.raises(ExtractionError) as caught:
        extract(data[: int(len(data) * keep)])
    assert caught.value.code == "corrupt"
    assert "重新导出 PDF" in str(caught.value)


def test_a_pdf_with_too_many_pages_is_refused():
    data = text_pdf([[(72, 72, f"page {n}")] for n in range(5)])
    with pytest.raises(ExtractionError) as caught:
        extract_pdf(data, max_pages=3)
    assert caught.value.code == "too_large"
    assert len(extract_pdf(data, max_pages=5).lines) == 5


def test_a_scanned_page_inside_a_text_pdf_is_named_in_a_warning():
    import io

    import pypdfium2

    merged = pypdfium2.PdfDocument(text_pdf([[(72, 72, "Report 2023")]]))
    merged.import_pages(pypdfium2.PdfDocument(image_pdf()))
    buffer = io.BytesIO()
    merged.save(buffer)
    document = extract(buffer.getvalue())
    assert not document.needs_ocr
    assert [line.cells for line in document.lines] == [["Report 2023"]]
    assert any(warning.startswith("第2页是图片") for warning in document.warnings)
