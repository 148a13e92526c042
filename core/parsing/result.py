"""Plain data the reader returns: figures, values with provenance, warnings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from core import formats

from .messages import WARNINGS, Message

# Figures whose printed text needed repair (look-alikes, spaces) are less sure.
NORMALISED_CONFIDENCE = 0.8


@dataclass
class Value:
    """One figure as found: where, as what text, and how sure we are."""

    table: str
    row: str
    column: str
    value: int | float | None
    raw: str
    location: str
    confidence: float
    # Scans (OCR) only: 1-based page, [x0, y0, x1, y1] in that prepared page's pixels
    # (core.ocr.crop cuts it out again), why the cell needs a look, and the values that
    # would make a broken 勾稽 relation hold.
    page: int | None = None
    bbox: list[float] | None = None
    flag: str | None = None
    candidates: list[int] | None = None
    # Which rule read the cell: "table" (a cell of a table row), "stream" (a cell stream
    # whose table structure was lost), "normalised" (look-alike or spaced digits made a
    # number), "arithmetic" (digits that ran together, split by the format's relations),
    # "completion" (an applicant column fixed by 总计 = Σ parts). Lower confidence for the
    # last three.
    rule: str = "table"

    def __post_init__(self) -> None:
        self.raw = str(self.raw)  # a plain str, whatever text type the reader carried
        if self.rule == "normalised":
            self.confidence = min(self.confidence, NORMALISED_CONFIDENCE)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ParseResult:
    organ: str | None = None
    year: int | None = None
    published: str | None = None  # YYYY-MM-DD
    edition: str | None = None
    # Prose of the six sections by numeral (一 … 六); tables' sections hold their notes.
    sections: dict[str, str] = field(default_factory=dict)
    values: list[Value] = field(default_factory=list)
    prose_numbers: dict[str, int] = field(default_factory=dict)
    # Message objects (Chinese sentences that keep template + params); plain sentences too.
    warnings: list[str] = field(default_factory=list)
    # Why the file cannot be read: the Chinese sentence (the CLI and JSON print it), and the
    # Message behind it (template + params) when it has one. A Message given as ``error`` is
    # kept as both.
    error: str | None = None
    error_code: str | None = None
    kind: str | None = None  # the sniffed file type
    text: str = ""  # the extracted text
    # Cells left blank because more than one reading fits the format's relations:
    # {"table", "row", "columns", "raw", "candidates", "location"}; the clerk chooses.
    ambiguous: list[dict] = field(default_factory=list)
    error_message: Message | None = None

    def __post_init__(self) -> None:
        if isinstance(self.error, Message):
            self.error_message = self.error_message or self.error
            self.error = str(self.error)

    def warn(self, message: str, /, **params) -> None:
        """Warn once: a template key of core.parsing.messages with its params, or a Message.

        A sentence that names no template is kept as it is (callers not yet moved to keys).
        """
        if not isinstance(message, Message) and (params or message in WARNINGS):
            message = Message(message, **params)
        if message not in self.warnings:
            self.warnings.append(message)

    def add(self, value: Value) -> None:
        self.values.append(value)

    def figures(self) -> dict:
        """The three tables in the shape the checks, forms and JSON share."""
        edition = formats.get_edition(self.edition or formats.EDITION_2021)
        found = {(v.table, v.row, v.column): v.value for v in self.values}
        section2: dict[str, dict] = {}
        for block in edition.section2:
            for row in block.rows:
                section2[row.key] = {
                    col.key: found.get((formats.SECTION2, row.key, col.key))
                    for col in block.columns
                }
        section3 = {
            row: [found.get((formats.SECTION3, row, col)) for col in formats.APPLICANT_KEYS]
            for row in edition.section3_row_keys()
        }
        section4 = [found.get((formats.SECTION4, g, c)) for g, c in formats.SECTION4_CELLS]
        return {"section2": section2, "section3": section3, "section4": section4}
