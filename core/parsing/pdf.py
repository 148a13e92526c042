"""PDF: text lines and ruled tables per page, in reading order (pdfplumber)."""

from __future__ import annotations

import io
import logging
import re
import struct
import time
import zlib

from core.parsing import ocr
from core.parsing.document import Document, ExtractionError, Line

log = logging.getLogger(__name__)

MAX_PAGES = 300
TIME_BUDGET = 120.0
_NUMERIC = re.compile(r"^[-+]?[\d,，.]+%?$")
_CORRUPT = "PDF 文件已损坏或不完整，无法读取。请重新导出 PDF 后上传，或直接在表单中填写。"
_ENCRYPTED = (
    "PDF 文件设置了密码保护，无法读取。请取消密码后重新导出 PDF 再上传，或直接在表单中填写。"
)


def _pdf_errors() -> tuple[type[BaseException], ...]:
    """Everything pdfminer is known to raise on hostile or damaged files."""
    from pdfminer.pdfexceptions import PDFException, PSException
    from pdfplumber.utils.exceptions import PdfminerException

    return (
        PdfminerException,
        PDFException,
        PSException,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        AssertionError,
        RecursionError,
        OverflowError,
        struct.error,
        zlib.error,
    )


def extract_pdf(
    data: bytes, *, max_pages: int = MAX_PAGES, budget: float = TIME_BUDGET
) -> Document:
    """Read a PDF into Lines; a PDF without a text layer comes back with needs_ocr=True."""
    import pdfplumber

    errors = _pdf_errors()
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except errors as exc:
        raise _open_error(exc) from exc
    with pdf:
        if not pages:
            raise ExtractionError(_CORRUPT, code="corrupt")
        if len(pages) > max_pages:
            raise ExtractionError(
                f"PDF 共 {len(pages)} 页，超过 {max_pages} 页的上限，不像是一份年度报告。"
                "请只上传年度报告本身。",
                code="too_large",
            )
        return _read_pages(pages, errors, budget)


def _read_pages(pages, errors, budget: float) -> Document:
    document = Document(lines=[], kind="pdf", pages=len(pages))
    started = time.monotonic()
    state = {"tables": 0, "chars": 0, "images": 0, "failed": 0}
    scanned: list[int] = []
    for number, page in enumerate(pages, 1):
        if time.monotonic() - started > budget:
            document.warnings.append(f"读取超时，只读取了前 {number - 1} 页。")
            break
        try:
            images = state["images"]
            document.lines += _read_page(page, number, state)
            if state["images"] > images:
                scanned.append(number)
        except errors as exc:
            log.warning("pdf page %s unreadable: %r", number, exc)
            state["failed"] += 1
            document.warnings.append(f"第{number}页无法读取，已跳过。")
        finally:
            page.close()
    if state["failed"] == len(pages):
        raise ExtractionError(_CORRUPT, code="corrupt")
    if state["chars"] == 0:
        _no_text_layer(document, pages, state)
    elif scanned:
        listed = "、".join(str(n) for n in scanned[:20])
        document.warnings.append(f"第{listed}页是图片（扫描件），其中的文字未能读取，请核对。")
    document.renumber()
    return document


def _read_page(page, number: int, state: dict) -> list[Line]:
    if not page.chars:
        state["images"] += len(page.images) + (1 if page.curves or page.rects else 0)
        return []
    state["chars"] += len(page.chars)
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    items: list[tuple[float, int, list[Line]]] = []
    words = [w for w in page.extract_words() if not _inside(w, boxes)]
    for top, line in _text_lines(words):
        line.page = number
        items.append((top, 0, [line]))
    for table in tables:
        rows = []
        for cells in table.extract():
            # None marks a grid position covered by a merged cell, not a blank cell: ruled
            # tables drawn by Word/WPS yield a lattice finer than their real cells, so
            # keeping those positions would scatter a row's figures between fake blanks.
            cells = [cell.strip() for cell in cells if cell is not None]
            if any(cells):
                rows.append(Line(cells=cells, page=number, table=state["tables"]))
        state["tables"] += 1
        items.append((table.bbox[1], 1, rows))
    items.sort(key=lambda item: (item[0], item[1]))
    return [line for _, _, lines in items for line in lines]


def _inside(word: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return any(
        x0 - 1 <= x <= x1 + 1 and top - 1 <= y <= bottom + 1 for x0, top, x1, bottom in boxes
    )


def _text_lines(words: list[dict]):
    """Group words into visual lines; yield (top, Line)."""
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        middle = (word["top"] + word["bottom"]) / 2
        if rows:
            last = rows[-1][0]
            half = max((last["bottom"] - last["top"]) / 2, 1.0)
            if abs(middle - (last["top"] + last["bottom"]) / 2) <= half:
                rows[-1].append(word)
                continue
        rows.append([word])
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        yield row[0]["top"], Line(cells=_cells(row))


def _cells(row: list[dict]) -> list[str]:
    """Split a line at wide gaps when it looks like an unruled table row."""
    pieces: list[list[str]] = [[row[0]["text"]]]
    for prev, word in zip(row, row[1:], strict=False):
        height = max(word["bottom"] - word["top"], 1.0)
        if word["x0"] - prev["x1"] > 1.5 * height:
            pieces.append([word["text"]])
        else:
            pieces[-1].append(word["text"])
    cells = [" ".join(piece) for piece in pieces]
    numeric = sum(1 for cell in cells if _NUMERIC.match(cell))
    tabular = numeric >= 2 or (len(cells) >= 3 and sum(len(c) for c in cells) > 2 * len(cells))
    return cells if len(cells) > 1 and tabular else [" ".join(w["text"] for w in row)]


def _no_text_layer(document: Document, pages, state: dict) -> None:
    if state["images"] == 0:
        raise ExtractionError(
            "PDF 中没有任何文字或图像内容。请检查文件后重新上传，或直接在表单中填写。",
            code="empty",
        )
    document.needs_ocr = True
    if not ocr.available():
        document.warnings.append(
            "这是扫描件（PDF 中没有文字层），系统无法读取表格数字。"
            "请上传由 Word/WPS 直接导出的 PDF，或直接在表单中填写。"
        )
        return
    # The pages are read by core.ocr (parse_bytes hands the file over); nothing to do here.
    document.warnings.append("这是扫描件（PDF 中没有文字层），由自动识别（OCR）读取。")


def _open_error(exc: BaseException) -> ExtractionError:
    text = f"{type(exc).__name__} {exc!r}".lower()  # repr names a wrapped PDFPasswordIncorrect
    if "password" in text or "encrypt" in text:
        return ExtractionError(_ENCRYPTED, code="encrypted")
    return ExtractionError(_CORRUPT, code="corrupt")
