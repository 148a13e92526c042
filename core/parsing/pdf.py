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
    # Words are made once per page: those inside a table fill its cells by the cell boxes,
    # the rest are running text (table.extract would group the page's characters again).
    words = page.extract_words()
    held: list[list[dict]] = [[] for _ in tables]
    free = []
    for word in words:
        index = _table_of(word, tables)
        if index is None:
            free.append(word)
        else:
            held[index].append(word)
    items: list[tuple[float, int, list[Line]]] = []
    for top, line in _text_lines(free):
        line.page = number
        items.append((top, 0, [line]))
    for table, inside in zip(tables, held, strict=True):
        grid = _grid(table, inside)
        if grid is None:
            grid = table.extract()  # a word across a cell border: the characters decide
        rows = []
        for cells in grid:
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


def _table_of(word: dict, tables) -> int | None:
    """The index of the table whose box holds the word's middle (1 pt of slack)."""
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    for i, table in enumerate(tables):
        x0, top, x1, bottom = table.bbox
        if x0 - 1 <= x <= x1 + 1 and top - 1 <= y <= bottom + 1:
            return i
    return None


# How far a word may stick out of its cell box, and how close two words' tops are on one line.
_SLACK = 1.5
_LINE_TOLERANCE = 3.0


def _grid(table, words: list[dict]) -> list[list[str | None]] | None:
    """The table's rows of cell texts from the page's words, placed by the cell boxes.

    The same texts table.extract() gives (words joined by a space, lines by a newline, None
    for a covered position); None when a word does not fit inside one cell.
    """
    rows = table.rows
    texts: list[list[list[dict] | None]] = [
        [None if cell is None else [] for cell in row.cells] for row in rows
    ]
    for word in words:
        x = (word["x0"] + word["x1"]) / 2
        y = (word["top"] + word["bottom"]) / 2
        placed = False
        for r, row in enumerate(rows):
            x0, top, x1, bottom = row.bbox
            if not (top <= y < bottom and x0 <= x < x1):
                continue
            for c, box in enumerate(row.cells):
                if box is None or not (box[0] <= x < box[2] and box[1] <= y < box[3]):
                    continue
                if (
                    word["x0"] < box[0] - _SLACK
                    or word["x1"] > box[2] + _SLACK
                    or word["top"] < box[1] - _SLACK
                    or word["bottom"] > box[3] + _SLACK
                ):
                    return None
                texts[r][c].append(word)
                placed = True
                break
            break
        if not placed and _inside_rows(x, y, rows):
            return None
    return [[None if cell is None else _cell_text(cell) for cell in row] for row in texts]


def _inside_rows(x: float, y: float, rows) -> bool:
    return any(r.bbox[0] <= x < r.bbox[2] and r.bbox[1] <= y < r.bbox[3] for r in rows)


def _cell_text(words: list[dict]) -> str:
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: w["top"]):
        if lines and word["top"] - lines[-1][0]["top"] <= _LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return "\n".join(
        " ".join(w["text"] for w in sorted(line, key=lambda w: w["x0"])) for line in lines
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
