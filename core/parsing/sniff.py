"""Tell what an uploaded file is from its bytes, never from its name."""

from __future__ import annotations

import io
import re
import zipfile

from core.parsing.document import ExtractionError
from core.parsing.text import decode, utf16_guess

_OLD_OFFICE = (
    "这是旧版 Word/Excel 文件（.doc/.xls），系统无法直接读取。"
    "请在 Office 或 WPS 中另存为 DOCX 或 PDF 后上传，或直接在表单中填写。"
)
_IMAGE = (
    "这是图片文件，系统无法直接读取其中的文字（需要文字识别）。"
    "请上传带文字的 PDF 或 DOCX，或直接在表单中填写。"
)
_BINARY = (
    "无法识别该文件的格式（不是 PDF、DOCX、网页或文本文件）。"
    "请上传 PDF 或 DOCX 格式的年度报告，或直接在表单中填写。"
)
_OTHER_OFFICE = "这是{what}文件，系统无法读取。请另存为 DOCX 或 PDF 后上传，或直接在表单中填写。"

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",
    b"MM\x00*",
    b"\x00\x00\x00\x0cjP  ",
)
_BINARIES = (
    b"MZ",  # Windows executable
    b"\x7fELF",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"\x1f\x8b",  # gzip
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"SQLite format 3",
)
_HTML_START = re.compile(
    r"(<!doctype\s+html|<html|<head|<body|<table|<meta|<title|<div|<p[\s>]|<h[1-6][\s>])",
    re.IGNORECASE,
)
_LEADING_JUNK = re.compile(r"^(\s|<!--.*?-->|<\?xml[^>]*\?>)*", re.DOTALL)
# Control bytes that never occur in real text (tab, LF, CR, FF and ESC excluded).
_CONTROL = (
    frozenset(range(0x00, 0x09))
    | frozenset({0x0B, 0x0E, 0x0F})
    | frozenset(range(0x10, 0x1B))
    | frozenset(range(0x1C, 0x20))
    | {0x7F}
)


_IMAGE_KINDS = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)


def image_kind(data: bytes) -> str | None:
    """ "jpeg", "png" or "tiff" for a scan or photo the OCR can read, else None.

    ``sniff`` still refuses images (a Document needs text); callers with OCR ask here first.
    """
    for magic, kind in _IMAGE_KINDS:
        if data.startswith(magic):
            return kind
    return None


def sniff(data: bytes) -> str:
    """Return "pdf", "docx", "html" or "text"; raise ExtractionError for anything else."""
    if not data.strip():
        raise ExtractionError("文件是空的，没有可读取的内容。请检查后重新上传。", code="empty")
    head = data[:2048]
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(_OLE2):
        raise ExtractionError(_OLD_OFFICE, code="unsupported_type")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(data)
    if head.startswith(_IMAGES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        raise ExtractionError(_IMAGE, code="needs_ocr")
    if head.startswith(b"{\\rtf"):
        raise ExtractionError(_OTHER_OFFICE.format(what="RTF"), code="unsupported_type")
    if head.startswith(_BINARIES):
        raise ExtractionError(_BINARY, code="unsupported_type")
    sample = _sample_text(data[:8192])
    if sample is None:
        raise ExtractionError(_BINARY, code="unsupported_type")
    rest = _LEADING_JUNK.sub("", sample.lstrip("\ufeff"), count=1)
    if _HTML_START.match(rest) or (sample.lstrip().startswith("<?xml") and "<html" in sample):
        return "html"
    return "text"


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError):
        raise ExtractionError(
            "文件已损坏或不完整，无法读取。请重新导出后上传，或直接在表单中填写。",
            code="corrupt",
        ) from None
    if "word/document.xml" in names or any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        raise ExtractionError(_OTHER_OFFICE.format(what="Excel 表格"), code="unsupported_type")
    if any(n.startswith("ppt/") for n in names):
        raise ExtractionError(_OTHER_OFFICE.format(what="PowerPoint"), code="unsupported_type")
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise ExtractionError(_OTHER_OFFICE.format(what="OpenDocument"), code="unsupported_type")
    raise ExtractionError(
        "这是压缩包（ZIP），不是 Word 文档。请解压后上传其中的 PDF 或 DOCX 文件。",
        code="unsupported_type",
    )


def _sample_text(sample: bytes) -> str | None:
    """Decode the first bytes for a look; None when they are clearly binary."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or utf16_guess(sample):
        text, _ = decode(sample)
        bad = sum(1 for ch in text if ord(ch) in _CONTROL)
        return None if bad > 0.05 * max(len(text), 1) else text
    if _control_ratio(sample) > 0.05:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            return sample.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 4:  # a character cut by the sample's end
                return sample[: exc.start].decode(encoding, "replace")
    return sample.decode("utf-8", "replace")


def _control_ratio(sample: bytes) -> float:
    if not sample:
        return 0.0
    return sum(1 for b in sample if b in _CONTROL) / len(sample)
