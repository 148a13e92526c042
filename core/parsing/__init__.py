"""Reading report files: bytes in, plain data out (no ORM).

``parse_bytes`` is the one entry point: it extracts a Document from the file
(sniffing the type from its content) and reads the report out of it. A file
that cannot be read comes back as a ParseResult with ``error`` set (and
``error_message``, its template and params), never as an exception, so
callers record the failure and go on.
"""

from __future__ import annotations

import logging

from core import ocr

from .document import Document, ExtractionError
from .extract import MAX_BYTES, extract
from .messages import Message
from .reader import read_document
from .result import ParseResult, Value
from .scanned import parse_scan
from .sniff import image_kind

logger = logging.getLogger("core.parsing")

__all__ = ["Document", "ExtractionError", "ParseResult", "Value", "parse_bytes", "read_document"]


def parse_bytes(data: bytes, filename: str | None = None) -> ParseResult:
    """Extract and read one report file; failures are results with ``error``."""
    kind = image_kind(data)
    if kind and len(data) <= MAX_BYTES and ocr.available():
        return parse_scan(data, kind)
    try:
        document = extract(data, filename)
    except ExtractionError as exc:
        logger.info("cannot read %s: %s (%s)", filename, exc, exc.code)
        return ParseResult(error=exc.message, error_code=exc.code)
    if document.kind == "pdf" and ocr.available() and ocr.scanned_pages(document, data):
        return parse_scan(data, "pdf", document)
    if document.needs_ocr and not any(c for line in document.lines for c in line.cells):
        message = document.warnings[0] if document.warnings else Message("scan_unreadable")
        return ParseResult(error=message, error_code="needs_ocr", kind=document.kind)
    return read_document(document)
