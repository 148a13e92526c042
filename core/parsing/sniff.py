"""Tell what an uploaded file is from its bytes, never from its name."""

from __future__ import annotations

import io
import re
import zipfile

from core.parsing.document import ExtractionError
from core.parsing.messages import Message
from core.parsing.text import decode, utf16_guess

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
        raise ExtractionError(Message("empty_file"), code="empty")
    head = data[:2048]
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(_OLE2):
        raise ExtractionError(Message("old_office"), code="unsupported_type")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(data)
    if head.startswith(_IMAGES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        raise ExtractionError(Message("image_file"), code="needs_ocr")
    if head.startswith(b"{\\rtf"):
        raise ExtractionError(Message("other_office", what="RTF"), code="unsupported_type")
    if head.startswith(_BINARIES):
        raise ExtractionError(Message("unknown_format"), code="unsupported_type")
    sample = _sample_text(data[:8192])
    if sample is None:
        raise ExtractionError(Message("unknown_format"), code="unsupported_type")
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
        raise ExtractionError(Message("zip_corrupt"), code="corrupt") from None
    if "word/document.xml" in names or any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        raise ExtractionError(Message("other_office", what="Excel 表格"), code="unsupported_type")
    if any(n.startswith("ppt/") for n in names):
        raise ExtractionError(Message("other_office", what="PowerPoint"), code="unsupported_type")
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise ExtractionError(Message("other_office", what="OpenDocument"), code="unsupported_type")
    raise ExtractionError(Message("zip_archive"), code="unsupported_type")


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
