"""Hostile or broken uploads end in an ExtractionError (or a Document), never a crash or hang."""

import os
import random

import pytest

from core.parsing.document import Document, ExtractionError
from core.parsing.extract import extract
from tests.support.render import TOWN_2023, corpus_text, text_pdf


def _outcome(data: bytes, filename: str | None = None):
    try:
        return extract(data, filename)
    except ExtractionError as exc:
        return exc


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_bytes_are_refused(seed):
    data = random.Random(seed).randbytes(200_000)
    result = _outcome(data, "report.pdf")
    assert isinstance(result, ExtractionError)
    assert result.code == "unsupported_type"


@pytest.mark.parametrize("data", [b"", b"   \r\n\t  \n"])
def test_empty_files_are_refused_as_empty(data):
    result = _outcome(data)
    assert isinstance(result, ExtractionError) and result.code == "empty"


def test_a_file_over_the_size_limit_is_refused_with_the_limit_in_the_message():
    with pytest.raises(ExtractionError) as caught:
        extract(b"a\n" * (3 * 1024 * 1024), max_bytes=5 * 1024 * 1024)
    assert caught.value.code == "too_large"
    assert "上限为 5 MB" in str(caught.value)


def test_a_fifty_megabyte_text_file_finishes_with_a_capped_document():
    row = "行政许可\t0\t0\t0\n".encode()
    data = row * (49 * 1024 * 1024 // len(row))
    result = _outcome(data)
    assert isinstance(result, Document)
    assert result.lines[0].cells == ["行政许可", "0", "0", "0"]
    assert len(result.lines) <= 50_000 and result.warnings


def test_one_enormous_line_full_of_tabs_is_capped():
    result = _outcome(b"1\t" * (20 * 1024 * 1024))
    assert isinstance(result, Document)
    assert max(len(line.cells) for line in result.lines) <= 200


@pytest.mark.parametrize("offset", [100, 1000, 5000])
def test_pdfs_with_garbage_after_the_header_are_refused_as_corrupt(offset):
    data = text_pdf([[(72, 72, "Report")]])
    broken = data[:offset] + os.urandom(4000)
    result = _outcome(broken)
    assert isinstance(result, ExtractionError | Document)
    if isinstance(result, ExtractionError):
        assert result.code == "corrupt"


def test_nul_bytes_inside_a_text_file_are_stripped():
    body = corpus_text(TOWN_2023).replace("龙梅镇", "龙梅\x00镇")
    result = _outcome(body.encode())
    assert isinstance(result, Document)
    assert "\x00" not in result.text and "龙梅镇" in result.text


def test_a_pdf_with_an_enormous_page_count_claim_does_not_crash():
    data = text_pdf([[(72, 72, "one page")]]).replace(b"/Count 1", b"/Count 99999999")
    result = _outcome(data)
    assert isinstance(result, Document | ExtractionError)
