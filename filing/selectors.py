"""Reads for the upload pages: attachments with their latest run, and a run laid out for review."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import formats
from core.figureset import Cell, plain_number
from filing.models import AnnualReport, Attachment, Figure, ParsedValue, ParseRun

EQUAL = "equal"
FILL = "fill"
REPLACE = "replace"
CONFLICT = "conflict"
UNREADABLE = "unreadable"
MARKS = {
    EQUAL: _("一致"),
    FILL: _("空白，将填入"),
    REPLACE: _("将替换上次识别的值"),
    CONFLICT: _("与已填数值不同"),
    UNREADABLE: _("未能读出数值"),
}


# Below this confidence a parsed value is shown for confirmation even when it only fills a blank.
CONFIDENT = 0.9
RULES = {
    "table": _("表格"),
    "arithmetic": _("按勾稽关系推算"),
    "normalised": _("规范化后读出"),
    "completion": _("按合计补全"),
    "ocr": _("扫描识别"),
}


def report_attachments(*, report: AnnualReport) -> list[Attachment]:
    """The report's attachments, newest first, each with `latest_run` (or None)."""
    runs = Prefetch("parse_runs", queryset=ParseRun.objects.defer("extracted_text", "result"))
    attachments = list(report.attachments.select_related("uploaded_by").prefetch_related(runs))
    for attachment in attachments:
        # parse_runs are ordered newest first (ParseRun.Meta.ordering).
        attachment.latest_run = next(iter(attachment.parse_runs.all()), None)
    return attachments


def attachment_latest_run(*, attachment: Attachment) -> ParseRun | None:
    """The attachment's most recent parse run."""
    return attachment.parse_runs.defer("extracted_text").first()


@dataclass
class ReviewCell:
    """One parsed value beside the report's current value for the same cell."""

    cell: Cell
    row_label: str
    column_label: str
    parsed: ParsedValue
    current: int | float | None
    mark: str
    # Provenance from the run's JSON: which parser rule read the value, and the other
    # readings that fitted when the digits were ambiguous.
    rule: str = "table"
    candidates: list = field(default_factory=list)

    @property
    def mark_label(self) -> str:
        return MARKS[self.mark]

    @property
    def rule_label(self) -> str:
        return str(RULES.get(self.rule, self.rule))

    @property
    def needs_attention(self) -> bool:
        """Shown by default: differs from a held value, or the reading wants a look."""
        if self.mark in (CONFLICT, REPLACE, UNREADABLE) or self.candidates:
            return True
        return self.rule != "table" or self.parsed.confidence < CONFIDENT

    @property
    def key(self) -> str:
        return "|".join(self.cell)


@dataclass
class ReviewTable:
    """The review cells of one table (二, 三 or 四) in the official order."""

    title: str
    cells: list[ReviewCell] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.cells[0].cell[0] if self.cells else ""

    @property
    def conflict_count(self) -> int:
        return sum(1 for c in self.cells if c.mark == CONFLICT)

    @property
    def attention_count(self) -> int:
        return sum(1 for c in self.cells if c.needs_attention)


@dataclass
class Review:
    """A done run laid out against the report, table by table."""

    edition: formats.Edition
    edition_changes: bool
    tables: list[ReviewTable]
    unknown: list[ParsedValue]
    mismatches: list[str] = field(default_factory=list)

    def count(self, mark: str) -> int:
        return sum(1 for t in self.tables for c in t.cells if c.mark == mark)

    @property
    def conflicts(self) -> list[Cell]:
        return [c.cell for t in self.tables for c in t.cells if c.mark == CONFLICT]

    @property
    def quiet_count(self) -> int:
        """Cells hidden by default: equal, or filling a blank from a plain, sure reading."""
        return sum(1 for t in self.tables for c in t.cells if not c.needs_attention)


def _official_cells(edition: formats.Edition) -> list[tuple[str, Cell, str, str]]:
    """(table title, cell, row label, column label) of every cell, in printed order."""
    titles = dict(Figure.Table.choices)
    out = []
    for block in edition.section2:
        for row in block.rows:
            for column in block.columns:
                cell = (formats.SECTION2, row.key, column.key)
                out.append((titles[formats.SECTION2], cell, row.label, column.label))
    for row in edition.section3_rows:
        group = formats.SECTION3_GROUPS.get(row.group, ("",))[0]
        label = f"{group} {row.label}".strip()
        for column in formats.APPLICANT_COLUMNS:
            cell = (formats.SECTION3, row.key, column.key)
            out.append((titles[formats.SECTION3], cell, label, column.label))
    groups = {g.key: g.label for g in formats.SECTION4_GROUPS}
    columns = {c.key: c.label for c in formats.SECTION4_COLUMNS}
    for group, column in formats.SECTION4_CELLS:
        cell = (formats.SECTION4, group, column)
        out.append((titles[formats.SECTION4], cell, groups[group], columns[column]))
    return out


def _mark(parsed: Decimal | None, current: Figure | None) -> str:
    if parsed is None:
        return UNREADABLE
    if current is None or current.value is None:
        return FILL
    if current.value == parsed:
        return EQUAL
    # report_apply_parsed replaces values an earlier parse wrote; only typed ones conflict.
    return REPLACE if current.source == Figure.Source.PARSED else CONFLICT


def parse_run_review(*, report: AnnualReport, run: ParseRun) -> Review:
    """Every parsed value of the run beside the report's value, grouped as the report prints."""
    current = {(f.table, f.row, f.column): f for f in report.figures.all()}
    parsed_edition = (run.result or {}).get("edition")
    has_values = any(f.value is not None for f in current.values())
    # Mirrors report_apply_parsed: an empty report adopts the edition the file uses.
    edition_changes = (
        parsed_edition in formats.EDITIONS and parsed_edition != report.edition and not has_values
    )
    edition = formats.get_edition(parsed_edition if edition_changes else report.edition)
    parsed = {(v.table, v.row, v.column): v for v in run.values.all()}
    rules = {
        (c.get("table"), c.get("row"), c.get("column")): c.get("rule") or "table"
        for c in (run.result or {}).get("cells") or []
    }
    candidates = _candidates((run.result or {}).get("ambiguous") or [])
    tables: dict[str, ReviewTable] = {}
    for title, cell, row_label, column_label in _official_cells(edition):
        value = parsed.pop(cell, None)
        if value is None:
            continue
        figure = current.get(cell)
        review_cell = ReviewCell(
            cell=cell,
            row_label=row_label,
            column_label=column_label,
            parsed=value,
            current=plain_number(figure.value) if figure else None,
            mark=_mark(value.value, figure),
            rule=rules.get(cell, "table"),
            candidates=candidates.get(cell, []),
        )
        tables.setdefault(title, ReviewTable(title)).cells.append(review_cell)
    return Review(
        edition=edition,
        edition_changes=edition_changes,
        tables=list(tables.values()),
        unknown=list(parsed.values()),
        mismatches=_mismatches(report, run.result or {}),
    )


def _candidates(ambiguous: list) -> dict[tuple, list]:
    """The parser's ambiguous readings by cell: {cell: [the values that fitted there]}.

    An entry names a row and the columns left blank; each reading is aligned either to those
    columns or to the whole row (表三's seven columns, 表四's fifteen cells), as the parser
    wrote it. A blank in a reading is not a value to offer.
    """
    out: dict[tuple, list] = {}
    for item in ambiguous:
        if not isinstance(item, dict):
            continue
        table, row = item.get("table"), item.get("row")
        blanks = [_cell_of(table, row, column) for column in item.get("columns") or []]
        whole = _whole_row(table, row)
        for reading in item.get("candidates") or []:
            if not isinstance(reading, list | tuple):
                continue
            if len(reading) == len(blanks):
                pairs = zip(blanks, reading, strict=True)
            elif whole and len(reading) == len(whole):
                pairs = ((c, v) for c, v in zip(whole, reading, strict=True) if c in blanks)
            else:
                continue
            for cell, value in pairs:
                if value is None:
                    continue
                seen = out.setdefault(cell, [])
                if value not in seen:
                    seen.append(value)
    return out


def _cell_of(table, row, column) -> tuple:
    """(table, row, column): 表四 entries name each blank as a [group, column] pair."""
    if isinstance(column, list | tuple) and len(column) == 2:
        return (table, column[0], column[1])
    return (table, row, column)


def _whole_row(table, row) -> list[tuple]:
    if table == formats.SECTION3:
        return [(table, row, column) for column in formats.APPLICANT_KEYS]
    if table == formats.SECTION4:
        return [(table, group, column) for group, column in formats.SECTION4_CELLS]
    return []


def prose_choices(*, report: AnnualReport, run: ParseRun) -> list[dict]:
    """Each prose section the file has: the parsed text beside the report's current text."""
    from filing.services.reports import PROSE_FIELDS

    sections = (run.result or {}).get("sections") or {}
    out = []
    for numeral, field_name in PROSE_FIELDS.items():
        parsed = (sections.get(numeral) or "").strip()
        if not parsed:
            continue
        current = (getattr(report, field_name) or "").strip()
        out.append(
            {
                "numeral": numeral,
                "field": field_name,
                "parsed": parsed,
                "current": current,
                "same": parsed == current,
            }
        )
    return out


def _mismatches(report: AnnualReport, result: dict) -> list[str]:
    """Warnings when the file seems to be another organ's or another year's report."""
    out = []
    year, organ = result.get("year"), result.get("organ")
    if year and year != report.year:
        out.append(
            gettext(
                "文件中的年度是 %(found)s 年，本报告是 %(year)s 年。请确认上传的是本年度的报告。"
            )
            % {"found": year, "year": report.year}
        )
    names = {n for n in (report.organ.name, report.organ.short_name) if n}
    if organ and not any(n in organ or organ in n for n in names):
        out.append(
            gettext(
                "文件中的机关是“%(found)s”，本报告属于“%(organ)s”。请确认上传的是本机关的报告。"
            )
            % {"found": organ, "organ": report.organ.name}
        )
    return out


def apply_outcome_summary(*, edition_key: str, outcome) -> dict:
    """An ApplyOutcome as labels the review page can show after the redirect."""
    return {
        "filled": cell_labels(edition_key=edition_key, cells=outcome.filled),
        "replaced": cell_labels(edition_key=edition_key, cells=outcome.replaced),
        "conflicts": cell_labels(
            edition_key=edition_key, cells=[c.cell for c in outcome.conflicts]
        ),
        "prose": len(outcome.prose),
    }


def cell_labels(*, edition_key: str, cells, with_table: bool = True) -> list[str]:
    """Readable labels ("表三 （一）予以公开 · 自然人") of (table, row, column) cells, in the
    viewer's language (the printed labels are catalogue entries, filing/forms/format_labels.py);
    without the table's title when ``with_table`` is False."""
    labels = {
        cell: (title, r, c)
        for title, cell, r, c in _official_cells(formats.get_edition(edition_key))
    }
    out = []
    for cell in cells:
        title, row, column = labels.get(tuple(cell), (cell[0], cell[1], cell[2]))
        # A 三 sub-row's label is its group's and its own, each a catalogue entry.
        row = " ".join(gettext(part) for part in str(row).split(" ") if part)
        label = f"{row} · {gettext(column) if column else column}"
        out.append(f"{title} {label}" if with_table else label)
    return out
