"""What every extractor produces and the report reader consumes.

An extracted document is a flat, ordered list of :class:`Line`. A line of
running text has one cell; a table row has one cell per grid column, with
the cells covered by a merged cell left as ``""`` (the merged cell's text
stands once, at its top-left position), exactly as tab-separated text
extracted from PDFs looks. The reader never depends on fixed column
positions, so rows that lost or gained empty cells still read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue; the portal translates it when shown."""
    return message


# Where a value was printed, as stored with it; the portal says it again in the viewer's
# language from location_params (filing.messages.location_text).
LOCATION_LINE = gettext_noop("第%(line)s行")
LOCATION_PAGE_LINE = gettext_noop("第%(page)s页 第%(line)s行")
_LOCATION = re.compile(r"(?:第(?P<page>\d+)页 )?第(?P<line>\d+)行")


def location_params(location: str) -> dict[str, int] | None:
    """{"line": n} or {"page": p, "line": n} of a location Line.where() wrote, else None."""
    match = _LOCATION.fullmatch(location or "")
    if match is None:
        return None
    return {k: int(v) for k, v in match.groupdict().items() if v is not None}


@dataclass
class Line:
    cells: list[str]
    # 1-based position in the extracted text, for provenance.
    number: int = 0
    page: int | None = None
    # Index of the real table this row belongs to (DOCX/PDF/HTML), else None.
    table: int | None = None
    # PDF table rows: each cell's (x0, x1) on the page, to join a row a page break cut.
    boxes: list[tuple[float, float]] | None = field(default=None, repr=False, compare=False)

    @property
    def is_row(self) -> bool:
        return len(self.cells) > 1 or self.table is not None

    @property
    def text(self) -> str:
        return "\t".join(self.cells)

    def where(self) -> str:
        if self.page is not None:
            return LOCATION_PAGE_LINE % {"page": self.page, "line": self.number}
        return LOCATION_LINE % {"line": self.number}


@dataclass
class Document:
    lines: list[Line]
    # "text", "markdown", "docx", "pdf", "html"
    kind: str
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)
    # True for a PDF whose pages carry no text layer (scanned images).
    needs_ocr: bool = False

    @property
    def text(self) -> str:
        """The extracted text, one line per Line, cells joined by tabs."""
        return "\n".join(line.text for line in self.lines)

    def renumber(self) -> None:
        for i, line in enumerate(self.lines, 1):
            line.number = i


class ExtractionError(Exception):
    """The file cannot be read (corrupt, hostile, wrong type, too large).

    The message is Chinese for the clerk: a core.parsing.messages.Message, which keeps its
    template and params to be said in another language (or a plain sentence); ``code`` is
    stable.
    """

    def __init__(self, message: str, code: str = "unreadable"):
        super().__init__(message)
        self.message = message
        self.code = code
