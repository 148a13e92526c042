"""One entry point: uploaded bytes in, a Document out (or a clear ExtractionError)."""

from __future__ import annotations

from core.parsing.document import Document, ExtractionError
from core.parsing.messages import Message
from core.parsing.sniff import sniff
from core.parsing.text import clean, extract_text, looks_like_markdown

MAX_BYTES = 50 * 1024 * 1024
_MARKDOWN_SUFFIXES = (".md", ".markdown")


def extract(data: bytes, filename: str | None = None, *, max_bytes: int = MAX_BYTES) -> Document:
    """Sniff the content, run the matching extractor, and return clean Lines."""
    if len(data) > max_bytes:
        size, limit = f"{len(data) / 1048576:.1f}", f"{max_bytes / 1048576:.0f}"
        raise ExtractionError(Message("too_large", size=size, limit=limit), code="too_large")
    kind = sniff(data)
    if kind == "pdf":
        from core.parsing.pdf import extract_pdf

        document = extract_pdf(data)
    elif kind == "docx":
        from core.parsing.docx import extract_docx

        document = extract_docx(data)
    elif kind == "html":
        from core.parsing.html import extract_html

        document = extract_html(data)
    else:
        document = extract_text(data)
        markdown = (filename or "").lower().endswith(_MARKDOWN_SUFFIXES)
        document.kind = "markdown" if markdown or looks_like_markdown(document.lines) else "text"
    _tidy(document)
    if not document.needs_ocr and not any(cell for line in document.lines for cell in line.cells):
        raise ExtractionError(Message("no_text"), code="empty")
    return document


def _tidy(document: Document) -> None:
    """Strip NULs and control characters from every cell (PostgreSQL rejects NUL)."""
    for line in document.lines:
        line.cells = [clean(cell) for cell in line.cells]
