"""HTML pages (government sites): text blocks and tables on the grid, in document order."""

from __future__ import annotations

import codecs
import re

from core.parsing.document import Document, ExtractionError, Line
from core.parsing.messages import Message
from core.parsing.normalize import inline_scripts
from core.parsing.text import clean, decode

MAX_SPAN = 100
_DROP = {
    "script", "style", "noscript", "template", "nav", "iframe", "object", "embed",
    "svg", "canvas", "select", "button", "input", "textarea", "head",
}  # fmt: skip
_BLOCK = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "h1", "h2",
    "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
    "center", "form", "fieldset", "address", "figure", "figcaption", "caption", "hr", "body",
}  # fmt: skip
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACES = re.compile(r"[ \t\r\n\f\u00a0\u3000]+")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def decode_html(data: bytes) -> tuple[str, list[str]]:
    """BOM, then <meta charset>, then the text decoder's guess."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data)
    found = _META_CHARSET.search(data[:4096])
    if found:
        name = found.group(1).decode("ascii").lower()
        if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk"):
            name = "gb18030"  # a superset; pages labelled GB2312 often use GBK characters
        try:
            return data.decode(name, "replace"), []
        except LookupError:
            pass
    return decode(data)


def extract_html(data: bytes) -> Document:
    """Read an HTML page into Lines."""
    import lxml.html
    from lxml import etree

    text, warnings = decode_html(data)
    text = inline_scripts(clean(_XML_DECL.sub("", text, count=1)))
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        if not text.strip():
            raise ExtractionError(Message("html_empty"), code="empty") from exc
        raise ExtractionError(Message("html_corrupt"), code="corrupt") from exc
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    document = Document(lines=walker.lines, kind="html", warnings=warnings)
    document.renumber()
    return document


def _skip(el) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag in _DROP or not tag or bool(_HIDDEN.search(el.get("style", "")))


class _Walker:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.buffer: list[str] = []
        self.tables = 0

    def flush(self) -> None:
        text = _SPACES.sub(" ", "".join(self.buffer)).strip()
        self.buffer = []
        if text:
            self.lines.append(Line(cells=[text]))

    def walk(self, el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if _skip(el):
            return
        if tag == "table":
            self.flush()
            if _is_layout(el):
                for cell in _own_cells(el):
                    self.walk(cell)
                    self.flush()
            else:
                self.table(el)
            return
        if tag == "br":
            self.flush()
            return
        block = tag in _BLOCK or tag in ("td", "th", "tr")
        if block:
            self.flush()
        if el.text:
            self.buffer.append(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.buffer.append(child.tail)
        if block:
            self.flush()

    def table(self, tbl) -> None:
        index = self.tables
        self.tables += 1
        for cells in _grid(tbl):
            if any(cells):
                self.lines.append(Line(cells=cells, table=index))


def _own_rows(tbl):
    return tbl.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")


def _own_cells(tbl):
    for tr in _own_rows(tbl):
        yield from tr.xpath("./td|./th")


def _is_layout(tbl) -> bool:
    """A table used to lay out a page (cells holding tables or long text), not data.

    Its cells are read as ordinary blocks, so tables nested in it come out as tables.
    """
    for cell in _own_cells(tbl):
        if cell.xpath(".//table"):
            return True
        if len(cell.xpath("./p|./div|./h1|./h2|./h3|./h4")) >= 3:
            return True
        if len(cell.text_content()) > 500:
            return True
    return False


def _grid(tbl) -> list[list[str]]:
    """Expand rowspan/colspan: the text once at the top-left, covered positions ""."""
    rows = _own_rows(tbl)
    grid: dict[tuple[int, int], str] = {}
    starts: set[int] = set()
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.xpath("./td|./th"):
            while (r, c) in grid:
                c += 1
            rowspan = _span(cell.get("rowspan"), len(rows) - r)
            colspan = _span(cell.get("colspan"), MAX_SPAN)
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = ""
            grid[(r, c)] = _cell_text(cell)
            starts.add(c)
            c += colspan
        width = max(width, c)
    # A grid finer than its cells (every cell colspan="2" and the like): a column no cell
    # of any row starts at is only lattice, and is left out of every row.
    columns = [c for c in range(width) if c in starts] if starts else list(range(width))
    return [[grid.get((r, c), "") for c in columns] for r in range(len(rows))]


def _span(value: str | None, limit: int) -> int:
    try:
        span = int(value or 1)
    except ValueError:
        return 1
    return max(1, min(span if span > 0 else limit, limit, MAX_SPAN))


def _cell_text(cell) -> str:
    """Cell text with its own line breaks (p, div, br) kept as newlines."""
    walker = _Walker()
    walker.walk(cell)
    walker.flush()
    return "\n".join(line.text for line in walker.lines)
