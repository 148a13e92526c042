"""Reading scanned and photographed reports (pure Python, no Django).

``parse_scan`` reads an image file or the image-only pages of a PDF into the
same ParseResult the text extractors give, each OCR'd value carrying its page,
box and confidence; ``crop`` cuts a value's box out of the prepared page so a
reviewer can see the scan beside a flagged figure.
"""

from __future__ import annotations

import io

from core.ocr.engine import available
from core.ocr.scan import NO_TABLE, ScanError, merge, read_pages

__all__ = ["ScanError", "available", "crop", "parse_scan", "scanned_pages"]

OCR_WARNING = "这是扫描件，表格数字由自动识别（OCR）得到，请对照原件逐项核对标记的数字。"


def scanned_pages(document, data: bytes | None = None) -> list[int]:
    """Pages of an extracted PDF with no text but an image on them (they need OCR).

    Born-digital pages keep their text layer and are never rendered.
    """
    if not document.pages:
        return []
    with_text = {line.page for line in document.lines if any(c.strip() for c in line.cells)}
    empty = [n for n in range(1, document.pages + 1) if n not in with_text]
    if not empty or data is None:
        return empty
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(data)
    try:
        return [
            n
            for n in empty
            if any(
                True for _ in pdf[n - 1].get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3)
            )
        ]
    except Exception:  # noqa: BLE001 - unreadable here means "try OCR on all of them"
        return empty
    finally:
        pdf.close()


def parse_scan(data: bytes, kind: str, document=None, *, budget: float | None = None):
    """OCR an image file, or the text-less pages of a PDF, and read the report."""
    from core.ocr import proof
    from core.parsing.reader import read_document
    from core.parsing.result import ParseResult

    pages = scanned_pages(document, data) if document is not None else None
    try:
        kwargs = {} if budget is None else {"budget": budget}
        scan = read_pages(data, kind, pages, **kwargs)
    except ScanError as exc:
        return ParseResult(error=str(exc), error_code=exc.code, kind=kind)
    total = document.pages if document is not None and document.pages else len(scan.pages)
    doc, provenance = merge(document, scan, total)
    result = read_document(doc)
    result.kind = kind
    ocr_values = [v for v in result.values if _from_scan(v, provenance)]
    if scan.tables == 0 and not any(v.value is not None for v in ocr_values):
        if document is None or not any(v.value is not None for v in result.values):
            return ParseResult(error=NO_TABLE, error_code="no_table", kind=kind, text=doc.text)
    result.warn(OCR_WARNING)
    proof.attach(result, provenance)
    proof.proofread(result)
    return result


def _from_scan(value, provenance) -> bool:
    from core.ocr.proof import _WHERE

    match = _WHERE.search(value.location or "")
    return bool(match) and int(match.group(2)) in provenance


def crop(data: bytes, page: int, bbox, *, margin: int = 12) -> bytes:
    """PNG of ``bbox`` on prepared page ``page`` of a scan (PDF or image file)."""
    import cv2
    import numpy as np

    from core.ocr import image
    from core.parsing.sniff import sniff

    kind = sniff(data)
    raw = image.render_pdf_page(data, page) if kind == "pdf" else image.image_frames(data)[page - 1]
    _, colour = image.prepare(raw)
    h, w = colour.shape[:2]
    x0, y0, x1, y1 = (int(round(v)) for v in bbox)
    x0, y0 = max(x0 - margin, 0), max(y0 - margin, 0)
    x1, y1 = min(x1 + margin, w), min(y1 + margin, h)
    part = colour[y0:y1, x0:x1] if x1 > x0 and y1 > y0 else np.full((1, 1, 3), 255, np.uint8)
    ok, png = cv2.imencode(".png", part)
    return io.BytesIO(png.tobytes()).getvalue() if ok else b""
