"""PDF: text lines and ruled tables per page, in reading order (pdfplumber)."""

from __future__ import annotations

import functools
import io
import logging
import re
import struct
import time
import zlib

from core import formats
from core.parsing import ocr
from core.parsing.document import Document, ExtractionError, Line
from core.parsing.messages import Message, joined

log = logging.getLogger(__name__)

MAX_PAGES = 300
TIME_BUDGET = 120.0
_NUMERIC = re.compile(r"^[-+]?[\d,，.]+%?$")


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
            raise ExtractionError(Message("pdf_corrupt"), code="corrupt")
        if len(pages) > max_pages:
            too_many = Message("pdf_too_many_pages", pages=len(pages), limit=max_pages)
            raise ExtractionError(too_many, code="too_large")
        return _read_pages(pages, errors, budget)


def _read_pages(pages, errors, budget: float) -> Document:
    document = Document(lines=[], kind="pdf", pages=len(pages))
    started = time.monotonic()
    state = {"tables": 0, "chars": 0, "images": 0, "failed": 0}
    scanned: list[int] = []
    for number, page in enumerate(pages, 1):
        if time.monotonic() - started > budget:
            document.warnings.append(Message("pdf_timeout", count=number - 1))
            break
        try:
            images = state["images"]
            _join_page(document.lines, _read_page(page, number, state))
            if state["images"] > images:
                scanned.append(number)
        except errors as exc:
            log.warning("pdf page %s unreadable: %r", number, exc)
            state["failed"] += 1
            document.warnings.append(Message("pdf_page_unreadable", page=number))
        finally:
            page.close()
    if state["failed"] == len(pages):
        raise ExtractionError(Message("pdf_corrupt"), code="corrupt")
    if state["chars"] == 0:
        _no_text_layer(document, pages, state)
    elif scanned:
        document.warnings.append(Message("pdf_image_pages", pages=joined(scanned[:20])))
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
        for cells, row in zip(grid, table.rows, strict=False):
            # None marks a grid position covered by a merged cell, not a blank cell: ruled
            # tables drawn by Word/WPS yield a lattice finer than their real cells, so
            # keeping those positions would scatter a row's figures between fake blanks.
            boxes = [(b[0], b[2]) for b, c in zip(row.cells, cells, strict=False) if c is not None]
            cells = [cell.strip() for cell in cells if cell is not None]
            if any(cells):
                line = Line(cells=cells, page=number, table=state["tables"])
                line.boxes = boxes if len(boxes) == len(cells) else None
                rows.append(line)
        state["tables"] += 1
        items.append((table.bbox[1], 1, rows))
    items.sort(key=lambda item: (item[0], item[1]))
    return [line for _, _, lines in items for line in lines]


# Page furniture between a table's parts: page numbers ("- 6 -", "第6页 共9页").
_FOLIO = re.compile(r"^[\s\-—–第页共/\d]*$")


def _join_page(lines: list[Line], page: list[Line]) -> None:
    """Append a page's lines; a table row the page break cut in two becomes one row again.

    Word processors let a tall row break across pages: the last row on one page and the
    first on the next hold the two parts of its cells. They are joined cell by cell (by
    the cells' x ranges) only when a label cell of the first part is no label of the
    national format by itself and becomes one with its rest; figures then join likewise.
    """
    before = _last_row(lines)
    after = _first_row(page)
    joined = (
        _joined(lines[before], page[after]) if before is not None and after is not None else None
    )
    if joined is not None:
        lines[before].cells = joined
        page = page[:after] + page[after + 1 :]
    lines += page


def _last_row(lines: list[Line]) -> int | None:
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].table is not None:
            return i
        if not _FOLIO.match(lines[i].text):
            return None
    return None


def _first_row(lines: list[Line]) -> int | None:
    for i, line in enumerate(lines):
        if line.table is not None:
            return i
        if not _FOLIO.match(line.text):
            return None
    return None


@functools.cache
def _labels() -> tuple:
    rows = []
    for edition in formats.EDITION_DEFS.values():
        rows += list(edition.section3_rows)
        rows += [row for block in edition.section2 for row in block.rows]
    return tuple(rows)


def _is_label(text: str) -> bool:
    squashed = formats.squash(text)
    return bool(squashed) and any(row.matches(squashed) for row in _labels())


def _joined(first: Line, rest: Line) -> list[str] | None:
    """``first``'s cells with ``rest``'s parts added under the same x range; None if no cut row."""
    if first.boxes is None or rest.boxes is None or first.table == rest.table:
        return None
    if len(first.boxes) != len(first.cells) or len(rest.boxes) != len(rest.cells):
        return None
    parts: list[list[str]] = [[cell] for cell in first.cells]
    for text, (x0, x1) in zip(rest.cells, rest.boxes, strict=True):
        if not text:
            continue
        middle = (x0 + x1) / 2
        index = next((i for i, (a, b) in enumerate(first.boxes) if a - 2 <= middle <= b + 2), None)
        if index is None or not first.cells[index]:
            return None  # a cell the first part does not have: a row of its own
        parts[index].append(text)
    cut = [i for i, p in enumerate(parts) if len(p) > 1]
    if not cut:
        return None
    numeric = [bool(_NUMERIC.match(formats.squash(p[0]))) for p in parts]
    if any(not numeric[i] and _NUMERIC.match(formats.squash(parts[i][1])) for i in cut):
        return None  # a figure under a word starts a row of its own, it continues nothing
    labels = [i for i in cut if not numeric[i]]
    if not labels or any(_is_label(parts[i][0]) for i in labels):
        return None
    if not any(_is_label("".join(parts[i])) for i in labels):
        return None
    return ["\n".join(p) for p in parts]


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
        raise ExtractionError(Message("pdf_empty"), code="empty")
    document.needs_ocr = True
    if not ocr.available():
        document.warnings.append(Message("pdf_scan_no_ocr"))
        return
    # The pages are read by core.ocr (parse_bytes hands the file over); nothing to do here.
    document.warnings.append(Message("pdf_scan_ocr"))


def _open_error(exc: BaseException) -> ExtractionError:
    text = f"{type(exc).__name__} {exc!r}".lower()  # repr names a wrapped PDFPasswordIncorrect
    if "password" in text or "encrypt" in text:
        return ExtractionError(Message("pdf_encrypted"), code="encrypted")
    return ExtractionError(Message("pdf_corrupt"), code="corrupt")
