"""Scans read as reports: core.ocr gives rows of cells with boxes, the reader reads them.

The OCR package knows nothing of the parser; this module joins its rows to a
text layer's lines (a mixed PDF), reads the report as for any other file, and
lets the OCR proof-reader attach page, box and confidence to every value and
flag the doubtful ones. Nothing is corrected silently.
"""

from __future__ import annotations

from core import ocr
from core.ocr import proof

from .document import Document, Line
from .messages import Message
from .reader import read_document
from .result import ParseResult

OCR_WARNING = "ocr_scan"  # core.parsing.messages key


def parse_scan(
    data: bytes, kind: str, document: Document | None = None, *, budget: float | None = None
) -> ParseResult:
    """OCR an image file, or the text-less pages of a PDF, and read the report."""
    pages = ocr.scanned_pages(document, data) if document is not None else None
    try:
        kwargs = {} if budget is None else {"budget": budget}
        scan = ocr.read_pages(data, kind, pages, **kwargs)
    except ocr.ScanError as exc:
        message = Message(exc.template, **exc.params)
        return ParseResult(error=message, error_code=exc.code, kind=kind)
    total = document.pages if document is not None and document.pages else len(scan.pages)
    doc, provenance = merge(document, scan, total)
    result = read_document(doc)
    result.kind = kind
    ocr_values = [v for v in result.values if proof.line_number(v) in provenance]
    if scan.tables == 0 and not any(v.value is not None for v in ocr_values):
        if document is None or not any(v.value is not None for v in result.values):
            no_table = Message("ocr_no_table")  # ocr.NO_TABLE
            return ParseResult(error=no_table, error_code="no_table", kind=kind, text=doc.text)
    result.warn(OCR_WARNING)
    proof.attach(result, provenance)
    proof.proofread(result)
    return result


def merge(document: Document | None, scan: ocr.Scan, pages: int) -> tuple[Document, dict]:
    """The text layer's lines and the OCR'd pages in page order; provenance by line number."""
    kept: dict[int, list[tuple[Line, list | None]]] = {}
    if document is not None:
        for line in document.lines:
            kept.setdefault(line.page or 0, []).append((line, None))
    for number, page in scan.pages.items():
        kept[number] = [
            (Line(cells=row.cells, page=row.page, table=row.table), boxes)
            for row, boxes in zip(page.lines, page.boxes, strict=True)
        ]
    ordered = [item for n in sorted(kept) for item in kept[n]]
    doc = Document(
        lines=[line for line, _ in ordered],
        kind=document.kind if document else "image",
        pages=pages,
        warnings=[w for w in (document.warnings if document else []) if "扫描件" not in w],
    )
    doc.renumber()
    provenance = {line.number: (line.cells, boxes) for line, boxes in ordered if boxes is not None}
    return doc, provenance
