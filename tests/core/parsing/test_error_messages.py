"""A file that cannot be read fails with a Message: the Chinese sentence as before (the CLI
and JSON print it), and the template key + params the portal says again in another language.
"""

from __future__ import annotations

import io
import pickle
import zipfile

import pytest

from core import ocr
from core.ocr import scan
from core.parsing import parse_bytes, scanned
from core.parsing.document import ExtractionError
from core.parsing.extract import extract
from core.parsing.messages import ERRORS, WARNINGS, Message, render_warning
from core.parsing.output import result_json
from tests.support.hostile_pdf import encrypted_pdf
from tests.support.render import image_pdf


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


# Each file, and the sentence the clerk was shown before failures kept their templates.
CASES = [
    ("empty", b"  \n", "empty", "empty_file", "文件是空的，没有可读取的内容。请检查后重新上传。"),
    (
        "xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        "unsupported_type",
        "old_office",
        "这是旧版 Word/Excel 文件（.doc/.xls），系统无法直接读取。"
        "请在 Office 或 WPS 中另存为 DOCX 或 PDF 后上传，或直接在表单中填写。",
    ),
    (
        "xlsx",
        _zip("xl/workbook.xml"),
        "unsupported_type",
        "other_office",
        "这是Excel 表格文件，系统无法读取。请另存为 DOCX 或 PDF 后上传，或直接在表单中填写。",
    ),
    (
        "zip",
        _zip("a.txt"),
        "unsupported_type",
        "zip_archive",
        "这是压缩包（ZIP），不是 Word 文档。请解压后上传其中的 PDF 或 DOCX 文件。",
    ),
    (
        "executable",
        b"MZ" + b"\0" * 100,
        "unsupported_type",
        "unknown_format",
        "无法识别该文件的格式（不是 PDF、DOCX、网页或文本文件）。"
        "请上传 PDF 或 DOCX 格式的年度报告，或直接在表单中填写。",
    ),
    (
        "damaged pdf",
        b"%PDF-1.4 nothing",
        "corrupt",
        "pdf_corrupt",
        "PDF 文件已损坏或不完整，无法读取。请重新导出 PDF 后上传，或直接在表单中填写。",
    ),
    (
        "encrypted pdf",
        encrypted_pdf(),
        "encrypted",
        "pdf_encrypted",
        "PDF 文件设置了密码保护，无法读取。请取消密码后重新导出 PDF 再上传，或直接在表单中填写。",
    ),
    (
        "html without text",
        b"<html><body></body></html>",
        "empty",
        "no_text",
        "文件中没有找到可读取的文字。请确认上传的是年度报告正文，或直接在表单中填写。",
    ),
]


@pytest.mark.parametrize(
    ("data", "code", "template", "chinese"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_a_failure_keeps_its_chinese_and_carries_its_template(data, code, template, chinese):
    result = parse_bytes(data, "upload")
    assert (result.error, result.error_code) == (chinese, code)
    assert type(result.error) is str  # JSON and the CLI print it as before
    assert result.error_message.template == template
    assert result.error_message.to_dict()["text"] == chinese
    assert result_json("upload", result)["error"] == chinese


def test_a_template_with_params_is_said_again_from_them():
    result = parse_bytes(_zip("xl/workbook.xml"))
    assert result.error_message.params == {"what": "Excel 表格"}
    english = {
        ERRORS["other_office"]: "This is a file in %(what)s format.",
        "Excel 表格": "Excel spreadsheet",
    }
    said = render_warning("other_office", result.error_message.params, lambda s: english.get(s, s))
    assert said == "This is a file in Excel spreadsheet format."


def test_a_file_over_the_size_limit_says_both_sizes():
    with pytest.raises(ExtractionError) as caught:
        extract(b"x" * 3 * 1048576, max_bytes=2 * 1048576)
    message = caught.value.message
    assert (message.template, message.params) == ("too_large", {"size": "3.0", "limit": "2"})
    assert str(caught.value) == (
        "文件过大（3.0 MB），上限为 2 MB。请压缩图片或只保留年度报告正文后重新上传。"
    )


def test_the_message_survives_the_sandboxs_pickle():
    result = pickle.loads(pickle.dumps(parse_bytes(_zip("ppt/slide.xml"))))
    assert result.error_message.template == "other_office"
    assert result.error_message.params == {"what": "PowerPoint"}
    assert str(result.error_message) == result.error


def test_a_scan_without_ocr_fails_with_the_pdfs_own_warning(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    monkeypatch.setattr("core.parsing.pdf.ocr.available", lambda: False)
    result = parse_bytes(image_pdf(), "scan.pdf")
    assert result.error_code == "needs_ocr"
    assert result.error_message.template == "pdf_scan_no_ocr"
    assert result.error == WARNINGS["pdf_scan_no_ocr"]


@pytest.mark.parametrize(
    ("error", "chinese"),
    [
        (
            scan.ScanError("too_many_pages", "ocr_too_many_pages", pages=50, limit=40),
            "扫描件共 50 页，超过 40 页的识别上限。请只上传年度报告本身，或直接在表单中填写。",
        ),
        (
            scan.ScanError("ocr_timeout", "ocr_timeout", budget=600, done=3),
            "扫描件识别超时（超过 600 秒），只识别了前 3 页。"
            "请上传较少页数或较清晰的扫描件，或直接在表单中填写。",
        ),
        (scan.ScanError("unreadable_scan", "ocr_unreadable"), scan.UNREADABLE),
    ],
    ids=["too many pages", "timeout", "blurred"],
)
def test_an_ocr_failure_carries_its_template(monkeypatch, error, chinese):
    def refuse(*args, **kwargs):
        raise error

    monkeypatch.setattr(ocr, "read_pages", refuse)
    result = scanned.parse_scan(b"\xff\xd8\xff", "jpeg")
    assert (result.error, result.error_code) == (chinese, error.code)
    assert result.error_message.template == error.template
    assert result.error_message.params == error.params


def test_every_failure_template_is_known_once_and_fills():
    assert not set(WARNINGS) & set(ERRORS)
    samples = {"what": "RTF", "size": "1.0", "limit": 2, "pages": 3, "budget": 4, "done": 5}
    for key, template in ERRORS.items():
        params = {k: v for k, v in samples.items() if f"%({k})s" in template}
        message = Message(key, **params)
        assert "%(" not in message, key
        assert message.to_dict() == {"text": str(message), "template": key, "params": params}
