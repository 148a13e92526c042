"""Reading scanned and photographed pages (pure Python, no Django, no parser).

``read_pages`` turns an image file or the image-only pages of a PDF into rows
of cells, each cell keeping the boxes (page pixels, confidence) it was read
from; ``crop`` cuts a value's box out of the prepared page so a reviewer can
see the scan beside a flagged figure. The parser (core.parsing.scanned) calls
this package and reads the report out of the rows; this package never imports
the parser, so the dependency points one way.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict

import numpy as np

from core.ocr import image
from core.ocr.engine import available
from core.ocr.scan import NO_TABLE, Scan, ScanError, read_pages

__all__ = [
    "NO_TABLE",
    "Scan",
    "ScanError",
    "available",
    "crop",
    "prepared_page",
    "read_pages",
    "scanned_pages",
]


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


_PREPARED: OrderedDict[tuple[str, int], np.ndarray] = OrderedDict()
_PREPARED_PAGES = 4  # about 11 MB each at 200 dpi: the pages a reviewer is looking at
_PREPARED_LOCK = threading.Lock()


def prepared_page(data: bytes, page: int) -> np.ndarray:
    """Prepared page ``page`` of a scan in colour, kept for the next crops of the same page.

    Preparing turns and straightens the page (an OCR pass of its own), so the
    review page's crops of one page share one preparation in this process.
    """
    key = (hashlib.sha256(data).hexdigest(), page)
    with _PREPARED_LOCK:
        if key in _PREPARED:
            _PREPARED.move_to_end(key)
            return _PREPARED[key]
    is_pdf = b"%PDF-" in data[:1024]
    raw = image.render_pdf_page(data, page) if is_pdf else image.image_frames(data)[page - 1]
    _, colour = image.prepare(raw)
    with _PREPARED_LOCK:
        _PREPARED[key] = colour
        while len(_PREPARED) > _PREPARED_PAGES:
            _PREPARED.popitem(last=False)
    return colour


def crop(data: bytes, page: int, bbox, *, margin: int = 12) -> bytes:
    """PNG of ``bbox`` on prepared page ``page`` of a scan (PDF or image file)."""
    import cv2

    colour = prepared_page(data, page)
    h, w = colour.shape[:2]
    x0, y0, x1, y1 = (int(round(v)) for v in bbox)
    x0, y0 = max(x0 - margin, 0), max(y0 - margin, 0)
    x1, y1 = min(x1 + margin, w), min(y1 + margin, h)
    part = colour[y0:y1, x0:x1] if x1 > x0 and y1 > y0 else np.full((1, 1, 3), 255, np.uint8)
    ok, png = cv2.imencode(".png", part)
    return io.BytesIO(png.tobytes()).getvalue() if ok else b""
