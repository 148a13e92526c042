"""The annual report as a Word document in the national layout (python-docx).

Plain data in (:class:`DocumentData`), bytes out. The tables are the grids of
:mod:`core.layout`, so merged header cells and labels match the form and the
public page exactly.
"""

from __future__ import annotations

import functools
import io
import subprocess
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from core import formats, layout

# The national format's faces: 方正小标宋 title (二号), 黑体 headings and 仿宋 body (三号).
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋"
# Bump when the layout changes, so cached documents are built again.
BUILDER_VERSION = 2


@dataclass(frozen=True)
class DocumentData:
    """Everything the document shows: the live report's or a publication's frozen data."""

    organ: str
    year: int
    edition: str
    overview: str
    problems: str
    other_matters: str
    figures: dict  # the shape of filing.figures
    published_on: date | None = None

    @property
    def title(self) -> str:
        return f"{self.organ}{self.year}年政府信息公开工作年度报告"

    def prose(self, numeral: str) -> str:
        return {"一": self.overview, "五": self.problems, "六": self.other_matters}[numeral]


def format_value(value) -> str:
    """A figure as printed: integers plain, decimals without trailing zeros, blank for None."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def cell_value(figures: dict, key: tuple[str, str, str]):
    """The value of one (table, row, column) cell in the figures dict, or None."""
    table, row, column = key
    if table == formats.SECTION2:
        return (figures.get(table) or {}).get(row, {}).get(column)
    if table == formats.SECTION3:
        values = (figures.get(table) or {}).get(row) or []
        index = formats.APPLICANT_KEYS.index(column)
        return values[index] if index < len(values) else None
    values = figures.get(table) or []
    index = formats.SECTION4_CELLS.index((row, column))
    return values[index] if index < len(values) else None


def build_docx(data: DocumentData) -> bytes:
    """The report as DOCX bytes: title, six sections, the three official tables."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _fonts(document, Pt)
    _page_numbers(document)
    title = document.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(data.title)
    for numeral, caption, _patterns in formats.SECTIONS:
        document.add_heading(f"{numeral}、{caption}", level=1)
        if numeral in formats.PROSE_SECTIONS:
            _prose(document, data.prose(numeral))
        else:
            _table(document, _grid(numeral, data.edition), data.figures)
    if data.published_on:
        for text in (data.organ, _chinese_date(data.published_on)):
            document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.core_properties.title = data.title
    document.core_properties.author = data.organ
    document.save(buffer)
    return buffer.getvalue()


def _grid(numeral: str, edition: str) -> layout.Grid:
    return {"二": layout.section2_grid, "三": layout.section3_grid, "四": layout.section4_grid}[
        numeral
    ](edition)


def _prose(document, text: str) -> None:
    paragraphs = [p.strip() for p in (text or "").splitlines() if p.strip()] or ["无。"]
    for paragraph in paragraphs:
        document.add_paragraph(paragraph).paragraph_format.first_line_indent = _indent()


def _indent():
    from docx.shared import Pt

    return Pt(32)  # two characters of 三号


def _table(document, grid: layout.Grid, figures: dict) -> None:
    """Append the grid as one table, written as WordprocessingML (python-docx merges are slow)."""
    from docx.oxml import parse_xml

    widths = _column_widths(grid)
    xml = [
        f'<w:tbl {_NS}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        '<w:tblW w:w="5000" w:type="pct"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    below: dict[tuple[int, int], int] = {}  # (row, column) under a rowspan -> its colspan
    for r, items in enumerate(grid.head + grid.body):
        # Header rows repeat at the top of every page the table runs onto.
        repeat = "<w:tblHeader/>" if r < len(grid.head) else ""
        xml.append(f"<w:tr><w:trPr><w:cantSplit/>{repeat}</w:trPr>")
        queue, c = list(items), 0
        while queue or (r, c) in below:
            if (r, c) in below:
                span = below[(r, c)]
                xml.append(_tc(widths[c : c + span], "", merge="continue"))
                c += span
                continue
            item = queue.pop(0)
            rowspan = getattr(item, "rowspan", 1)
            for dr in range(1, rowspan):
                below[(r + dr, c)] = item.colspan
            text = item.text if item.is_head else format_value(cell_value(figures, item.key))
            bold = item.is_head and getattr(item, "scope", "") == "colgroup"
            merge = "restart" if rowspan > 1 else ""
            xml.append(_tc(widths[c : c + item.colspan], text, merge=merge, bold=bold))
            c += item.colspan
        xml.append("</w:tr>")
    xml.append("</w:tbl>")
    # Inserted through the paragraph python-docx places before the body's section properties.
    document.add_paragraph()._p.addprevious(parse_xml("".join(xml)))


_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
USABLE_TWIPS = 8845  # A4 less the official margins (28 mm + 26 mm)


def _tc(widths: list[int], text: str, *, merge: str = "", bold: bool = False) -> str:
    props = f'<w:tcW w:w="{sum(widths)}" w:type="dxa"/>'
    if len(widths) > 1:
        props += f'<w:gridSpan w:val="{len(widths)}"/>'
    if merge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif merge == "continue":
        props += "<w:vMerge/>"
    props += '<w:vAlign w:val="center"/>'
    run = ""
    if text:
        weight = "<w:b/>" if bold else ""
        face = escape(font_for(BODY_FONT))
        fonts = f'<w:rFonts w:ascii="{face}" w:hAnsi="{face}" w:eastAsia="{face}"/>'
        run = (
            f'<w:r><w:rPr>{fonts}{weight}<w:sz w:val="18"/></w:rPr><w:t>{escape(text)}</w:t></w:r>'
        )
    return f'<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr><w:jc w:val="center"/></w:pPr>{run}</w:p></w:tc>'


def _placed(grid: layout.Grid):
    """(column, item) of every item, columns counted past the cells rows above span into."""
    taken: set[tuple[int, int]] = set()
    for r, items in enumerate(grid.head + grid.body):
        c = 0
        for item in items:
            while (r, c) in taken:
                c += 1
            for dr in range(getattr(item, "rowspan", 1)):
                for dc in range(item.colspan):
                    taken.add((r + dr, c + dc))
            yield c, item
            c += item.colspan


def _column_widths(grid: layout.Grid) -> list[int]:
    """Label columns as wide as their longest label (capped), figure columns narrow and even.

    A label alone in its column (表三's "1.属于国家秘密") gets room for one line; a label that
    spans many rows ("三、本年度办理结果") is printed in a narrow column, a few characters a line.
    """
    placed = list(_placed(grid))
    figure_columns = {c for c, item in placed if not item.is_head}
    weights = [FIGURE_WEIGHT if c in figure_columns else 0 for c in range(grid.width)]
    for c, item in placed:
        if c in figure_columns or not item.is_head or item.colspan != 1:
            continue
        spans_rows = getattr(item, "rowspan", 1) > 1
        weights[c] = max(
            weights[c], min(len(item.text), SPANNING_LABEL_CHARS if spans_rows else 14)
        )
    weights = [w or FIGURE_WEIGHT for w in weights]
    total = sum(weights)
    return [USABLE_TWIPS * w // total for w in weights]


def _fonts(document, Pt) -> None:
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    for name, official, size in (
        ("Normal", BODY_FONT, 16),
        ("Title", TITLE_FONT, 22),
        ("Heading 1", HEADING_FONT, 16),
    ):
        style = document.styles[name]
        font = font_for(official)
        style.font.name = font
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        # Word's template names theme fonts here, which win over the face set above.
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        fonts.set(qn("w:eastAsia"), font)
        # 小标宋 is a heavy Song: the fallback serif gets its weight from bold.
        style.font.bold = name == "Title" and font != official

    # The template's title has a blue rule under it; an official title has none.
    title = document.styles["Title"].element
    borders = title.find(qn("w:pPr") + "/" + qn("w:pBdr"))
    if borders is not None:
        borders.getparent().remove(borders)


FIGURE_WEIGHT = 3
# Characters a line of a label spanning several rows gets (its column stays narrow).
SPANNING_LABEL_CHARS = 4
# What this server has instead of the official faces (fonts-noto-cjk): a 宋体-style serif,
# and for 黑体 a sans.
SERIF_FALLBACK = "Noto Serif CJK SC"
FALLBACKS = {"黑体": "Noto Sans CJK SC"}


@functools.cache
def _installed_families() -> frozenset[str]:
    try:
        out = subprocess.run(
            ["fc-list", ":", "family"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(f.strip() for line in out.splitlines() for f in line.split(","))


def font_for(official: str) -> str:
    """The official face where installed, else the serif CJK face LibreOffice can find.

    Without this LibreOffice renders 宋体/仿宋 in a sans fallback and the PDF looks unofficial.
    """
    families = _installed_families()
    fallback = FALLBACKS.get(official, SERIF_FALLBACK)
    if not families or official in families or fallback not in families:
        return official
    return fallback


def _page_numbers(document) -> None:
    """Centred "— N —" page numbers in the footer, as printed government documents have."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml

    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    field = f'<w:fldSimple {_NS} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    paragraph._p.append(parse_xml(field))
    paragraph.add_run(" —")


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
