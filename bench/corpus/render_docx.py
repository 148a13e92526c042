"""The official Word layout with python-docx: real gridSpan / vMerge merges, blanks left empty."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from bench.corpus.document import Block, blocks
from bench.corpus.model import Sample

_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
USABLE_TWIPS = 8845  # A4 less the official margins (28 mm + 26 mm)
# python-docx writes dates and random ids into a new package; fixed here so bytes repeat.
FIXED_DATE = "2026-01-01T00:00:00"


def _tc(widths: list[int], text: str, merge: str = "", size: int = 18) -> str:
    props = f'<w:tcW w:w="{sum(widths)}" w:type="dxa"/>'
    if len(widths) > 1:
        props += f'<w:gridSpan w:val="{len(widths)}"/>'
    if merge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif merge == "continue":
        props += "<w:vMerge/>"
    props += '<w:vAlign w:val="center"/>'
    run = (
        f'<w:r><w:rPr><w:sz w:val="{size}"/></w:rPr><w:t>{escape(text)}</w:t></w:r>' if text else ""
    )
    return f'<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr><w:jc w:val="center"/></w:pPr>{run}</w:p></w:tc>'


def _widths(rows) -> list[int]:
    width = sum(c.colspan for c in rows[0])
    weights = [3] * width
    for row in rows:
        c = 0
        for cell in row:
            if cell.colspan == 1 and cell.rowspan == 1 and cell.head:
                weights[c] = max(weights[c], min(len(cell.text), 14))
            c += cell.colspan
    return [USABLE_TWIPS * w // sum(weights) for w in weights]


def table_xml(block: Block, *, split: bool = False, lattice: bool = False) -> str:
    """The table as WordprocessingML; ``split``: large type and rows free to break across
    pages, so a cell's lines are printed partly on one page and partly on the next."""
    rows = block.rows
    size = 30 if split else 18
    row_props = "" if split else "<w:trPr><w:cantSplit/></w:trPr>"
    widths = _widths(rows)
    if lattice:
        # WPS-style: a finer grid than the cells, every cell spanning two grid columns.
        widths = [half for w in widths for half in (w // 2, w - w // 2)]
    scale = 2 if lattice else 1
    xml = [
        f'<w:tbl {_NS}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/>'
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    below: dict[tuple[int, int], int] = {}
    for r, items in enumerate(rows):
        xml.append(f"<w:tr>{row_props}")
        queue, c = list(items), 0
        while queue or (r, c) in below:
            if (r, c) in below:
                span = below[(r, c)]
                xml.append(_tc(widths[c : c + span], "", "continue", size))
                c += span
                continue
            cell = queue.pop(0)
            span = cell.colspan * scale
            for dr in range(1, cell.rowspan):
                below[(r + dr, c)] = span
            merge = "restart" if cell.rowspan > 1 else ""
            xml.append(_tc(widths[c : c + span], cell.text, merge, size))
            c += span
        xml.append("</w:tr>")
    xml.append("</w:tbl>")
    return "".join(xml)


def official(sample: Sample, *, split: bool = False, lattice: bool = False) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    for name, font, size in (
        ("Normal", "仿宋", 16),
        ("Title", "宋体", 22),
        ("Heading 1", "黑体", 16),
    ):
        style = document.styles[name]
        style.font.name, style.font.size = font, Pt(size)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    for block in blocks(sample):
        if block.kind == "title":
            document.add_paragraph(block.text, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind == "heading":
            document.add_heading(block.text, level=1)
        elif block.kind == "table":
            document.add_paragraph()._p.addprevious(
                parse_xml(table_xml(block, split=split, lattice=lattice))
            )
        elif block.kind == "sign":
            document.add_paragraph(block.text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            document.add_paragraph(block.text).paragraph_format.first_line_indent = Pt(32)
    props = document.core_properties
    props.title, props.author, props.last_modified_by = (
        sample.title,
        sample.organ.name,
        sample.organ.name,
    )
    import datetime

    stamp = datetime.datetime.fromisoformat(FIXED_DATE)
    props.created = props.modified = stamp
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member timestamps so the same sample gives the same bytes."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def split_rows(sample: Sample) -> bytes:
    """The official layout in large type with rows that may break across a page."""
    return official(sample, split=True)


def lattice(sample: Sample) -> bytes:
    """The official layout on a grid twice as fine: every cell a horizontal merge (gridSpan)
    of two grid columns, as WPS and converted tables often store them."""
    return official(sample, lattice=True)


LAYOUTS = {"official": official, "split-rows": split_rows, "lattice": lattice}


def render_docx(sample: Sample, layout_name: str) -> bytes:
    return LAYOUTS[layout_name](sample)
