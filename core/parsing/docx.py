"""Word (DOCX): paragraphs and table rows in body order, merged cells on the grid."""

from __future__ import annotations

import io
import zipfile

from core.parsing.document import Document, ExtractionError, Line
from core.parsing.messages import Message

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 10_000
# Small archives compress XML very well; only judge the ratio once the size matters.
RATIO_FLOOR = 20 * 1024 * 1024
# One XML part (a long report's word/document.xml is a few MB); bigger ones take minutes.
MAX_XML_PART = 20 * 1024 * 1024

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


def check_zip(data: bytes) -> None:
    """Refuse archives that would expand to something huge (zip bombs)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise ExtractionError(Message("docx_corrupt"), code="corrupt") from None
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if (
        len(infos) > MAX_MEMBERS
        or total > MAX_UNCOMPRESSED
        or (total > RATIO_FLOOR and total / packed > MAX_RATIO)
        or any(i.file_size > MAX_XML_PART for i in infos if i.filename.endswith(".xml"))
    ):
        raise ExtractionError(Message("docx_zip_bomb"), code="zip_bomb")


def extract_docx(data: bytes) -> Document:
    """Read a DOCX into Lines: one per paragraph line, one per table row."""
    check_zip(data)
    import docx  # python-docx; imported late so text-only callers stay light

    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception as exc:  # python-docx/lxml raise many types on damaged packages
        raise ExtractionError(Message("docx_corrupt"), code="corrupt") from exc
    walker = _Walker()
    walker.block(body)
    document = Document(lines=walker.lines, kind="docx")
    document.renumber()
    return document


class _Walker:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.tables = 0

    def block(self, parent) -> None:
        for child in parent.iterchildren():
            tag = child.tag
            if tag == W + "p":
                self.paragraph(child)
            elif tag == W + "tbl":
                self.table(child)
            elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "smartTag"):
                self.block(child)

    def paragraph(self, p) -> None:
        for text in _paragraph_text(p).split("\n"):
            if text.strip():
                cells = [c.strip() for c in text.split("\t")] if "\t" in text else [text.strip()]
                self.lines.append(Line(cells=cells))
        for box in _text_boxes(p):
            self.block(box)

    def table(self, tbl) -> None:
        index = self.tables
        self.tables += 1
        rows = []
        starts: set[int] = set()
        for tr in _rows(tbl):
            nested: list = []
            cells = self.row(tr, nested, starts)
            rows.append((cells, nested))
        # A grid finer than its cells (WPS, converters): a grid column no cell of any row
        # starts at is only lattice, not a column; it is left out of every row.
        width = max((len(cells) for cells, _ in rows), default=0)
        lattice = [c for c in range(width) if c not in starts]
        for cells, nested in rows:
            if lattice:
                cells = [text for c, text in enumerate(cells) if c in starts]
            if any(cells):
                self.lines.append(Line(cells=cells, table=index))
            # Tables nested in a cell become their own rows right after the outer row.
            for inner in nested:
                self.table(inner)

    def row(self, tr, nested: list, starts: set[int]) -> list[str]:
        cells: list[str] = []
        trpr = tr.find(W + "trPr")
        before = _int_val(trpr, "gridBefore", 0)
        starts.update(range(min(before, 64)))
        cells += [""] * before
        for tc in _cells(tr):
            tcpr = tc.find(W + "tcPr")
            span = max(1, min(_int_val(tcpr, "gridSpan", 1), 64))
            vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
            continued = vmerge is not None and vmerge.get(W + "val", "continue") == "continue"
            text = "" if continued else _cell_text(tc, nested)
            starts.add(len(cells))
            cells += [text] + [""] * (span - 1)
        after = _int_val(trpr, "gridAfter", 0)
        starts.update(range(len(cells), len(cells) + min(after, 64)))
        cells += [""] * after
        return cells


def _children(parent, tag: str):
    """Child elements named ``tag``, also those wrapped in content controls."""
    for child in parent.iterchildren():
        if child.tag == W + tag:
            yield child
        elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml"):
            yield from _children(child, tag)


def _rows(tbl):
    return _children(tbl, "tr")


def _cells(tr):
    return _children(tr, "tc")


def _cell_text(tc, nested: list) -> str:
    parts: list[str] = []
    for child in tc.iter(W + "p", W + "tbl"):
        if child.tag == W + "tbl":
            if _owner_cell(child) is tc:
                nested.append(child)
            continue
        if _owner_cell(child) is tc and not _in_skipped(child, tc, (MC + "Fallback",)):
            text = _paragraph_text(child)
            if text.strip():
                parts.append(text.strip())
    return "\n".join(parts)


def _owner_cell(el):
    """The nearest enclosing table cell, so nested-table text is not counted twice."""
    parent = el.getparent()
    while parent is not None and parent.tag != W + "tc":
        parent = parent.getparent()
    return parent


def _paragraph_text(p) -> str:
    out: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag == W + "t":
            if not _in_skipped(el, p):
                out.append(el.text or "")
        elif tag == W + "tab" and el.getparent().tag == W + "r":
            if not _in_skipped(el, p):
                out.append("\t")
        elif tag in (W + "br", W + "cr"):
            if not _in_skipped(el, p):
                out.append("\n")
    return "".join(out)


def _in_skipped(el, p, tags=(W + "txbxContent", MC + "Fallback", W + "moveFrom")) -> bool:
    """Text inside text boxes (read separately), alternate-content fallbacks, moved-away text."""
    parent = el.getparent()
    while parent is not None and parent is not p:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def _text_boxes(p):
    for box in p.iter(W + "txbxContent"):
        if not _in_skipped(box, p):
            yield box


def _int_val(pr, name: str, default: int) -> int:
    if pr is None:
        return default
    el = pr.find(W + name)
    if el is None:
        return default
    try:
        return int(el.get(W + "val", default))
    except (TypeError, ValueError):
        return default
