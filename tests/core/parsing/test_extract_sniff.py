"""File type and encoding are decided by content, never by the file name."""

import codecs
import io
import zipfile

import pytest

from core.parsing.document import ExtractionError
from core.parsing.extract import extract
from core.parsing.sniff import sniff
from tests.support.render import (
    FAULTY_2022,
    TOWN_2023,
    corpus_text,
    text_pdf,
    text_to_docx,
    text_to_html,
)


def _rows(document):
    return [line.cells for line in document.lines]


def test_a_pdf_named_txt_is_read_as_pdf():
    data = text_pdf([[(72, 72, "Annual report 2023")]])
    document = extract(data, "report.txt")
    assert document.kind == "pdf"
    assert document.lines[0].cells == ["Annual report 2023"]


def test_a_docx_named_pdf_is_read_as_docx():
    document = extract(text_to_docx("标题\n\n规章\t0\t0\t0"), "report.pdf")
    assert document.kind == "docx"
    assert ["规章", "0", "0", "0"] in _rows(document)


@pytest.mark.parametrize(
    "encoding",
    ["gbk", "gb18030", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"],
)
def test_text_in_any_common_encoding_reads_the_same_as_utf8(encoding):
    text = corpus_text(FAULTY_2022, "tabbed")
    expected = _rows(extract(text.encode("utf-8")))
    document = extract(text.encode(encoding))
    assert document.kind == "text"
    assert _rows(document) == expected
    assert document.warnings == []


def test_utf16_with_bom_is_sniffed_as_text_not_binary():
    data = codecs.BOM_UTF16_LE + corpus_text(TOWN_2023, "tabbed").encode("utf-16-le")
    assert sniff(data) == "text"


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "utf-16"])
def test_html_is_recognised_by_its_leading_markup_in_any_encoding(encoding):
    data = text_to_html(corpus_text(TOWN_2023, "tabbed"), encoding=encoding)
    assert sniff(data) == "html"
    assert extract(data, "report.txt").kind == "html"


@pytest.mark.parametrize(
    "head",
    [b"<table><tr><td>1</td></tr></table>", b"  \n<!-- x --><html><body>x</body></html>",
     b'\xef\xbb\xbf<meta charset="utf-8"><p>x</p>'],
)  # fmt: skip
def test_html_fragments_and_comments_before_markup_are_html(head):
    assert sniff(head) == "html"


def test_markdown_is_told_from_text_by_content_and_by_extension_hint():
    assert extract(corpus_text(TOWN_2023, "markdown").encode()).kind == "markdown"
    tabbed = corpus_text(TOWN_2023, "tabbed").encode()
    assert extract(tabbed).kind == "text"
    assert extract(tabbed, "report.md").kind == "markdown"


def test_old_word_files_are_refused_with_save_as_advice():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024
    with pytest.raises(ExtractionError) as caught:
        extract(ole2, "report.docx")
    assert caught.value.code == "unsupported_type"
    assert "请另存为 DOCX 或 PDF" in str(caught.value).replace("在 Office 或 WPS 中", "")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        b"\xff\xd8\xff\xe0" + b"\x00" * 64,
        b"GIF89a" + b"\0" * 9,
    ],
)
def test_images_are_refused_as_needing_ocr_or_manual_entry(data):
    with pytest.raises(ExtractionError) as caught:
        extract(data, "report.pdf")
    assert caught.value.code == "needs_ocr"
    assert "表单" in str(caught.value)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "members",
    [{"a.txt": b"hello"}, {"xl/workbook.xml": b"<x/>"}, {"mimetype": b"application/vnd.oasis"
     b".opendocument.text", "content.xml": b"<x/>"}],
)  # fmt: skip
def test_zips_that_are_not_word_documents_are_refused(members):
    with pytest.raises(ExtractionError) as caught:
        extract(_zip(members), "report.docx")
    assert caught.value.code == "unsupported_type"


@pytest.mark.parametrize(
    "data", [b"MZ\x90\x00" + bytes(range(256)) * 4, b"\x7fELF" + bytes(200), bytes(range(256)) * 8]
)
def test_executables_and_binary_junk_are_refused(data):
    with pytest.raises(ExtractionError) as caught:
        sniff(data)
    assert caught.value.code == "unsupported_type"
