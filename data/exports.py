"""The published dataset as CSV, XLSX and JSON: current publications only, never drafts.

Every export is reproducible: rows come in a stable order (year, organ slug, table, printed
order) and nothing inside depends on when the export ran, so two exports of the same data
are byte-identical. The CSV and JSON are generators of bytes, for streaming responses and
for the export_dataset command alike.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO
from xml.sax.saxutils import escape

from core import csvsafe, formats
from core.figureset import empty_figures, plain_number
from organs.models import Organ
from public.models import Publication, PublishedFigure

HEADER = (
    "organ",
    "organ_slug",
    "region",
    "year",
    "edition",
    "table",
    "row",
    "row_label",
    "column",
    "value",
)
CHUNK_SIZE = 2000
# Excel opens UTF-8 CSV as UTF-8 only with a byte-order mark; the Chinese labels need it.
CSV_BOM = "\ufeff".encode()
# One sheet holds at most 1,048,576 rows; a province's cells continue on further sheets.
XLSX_SHEET_ROWS = 1_000_000
# One fixed time on every zip entry: the same data gives the same bytes.
ZIP_TIMESTAMP = (2000, 1, 1, 0, 0, 0)
JSON_FORMAT = "gov-disclosure-dataset/1"


@dataclass(frozen=True)
class OrganInfo:
    name: str
    slug: str
    region: str


def organ_infos() -> dict[int, OrganInfo]:
    """Name, slug and region (the parent's name; a root is its own region) of every organ."""
    rows = list(Organ.objects.values_list("pk", "name", "slug", "parent_id"))
    names = {pk: name for pk, name, _, _ in rows}
    return {
        pk: OrganInfo(name=name, slug=slug, region=names.get(parent_id, name))
        for pk, name, slug, parent_id in rows
    }


def row_labels() -> dict[tuple[str, str, str], str]:
    """(edition, table, row key) -> the official row label of formats.py."""
    labels: dict[tuple[str, str, str], str] = {}
    for key, edition in formats.EDITION_DEFS.items():
        for block in edition.section2:
            for row in block.rows:
                labels[(key, formats.SECTION2, row.key)] = row.label
        for row in edition.section3_rows:
            labels[(key, formats.SECTION3, row.key)] = row.label
        for group in formats.SECTION4_GROUPS:
            labels[(key, formats.SECTION4, group.key)] = group.label
    return labels


def value_text(value: Decimal | None) -> str:
    """A cell for the CSV: "" when blank, "12" for whole numbers, "3.5" otherwise."""
    number = plain_number(value)
    return "" if number is None else str(number)


def published_cells(year: int | None = None):
    """Current published cells in the export order, as value tuples, fetched in chunks."""
    cells = PublishedFigure.objects.filter(is_current=True, publication__is_current=True)
    if year is not None:
        cells = cells.filter(year=year)
    # Ids follow the printed order within a publication (its cells are bulk-created so).
    return (
        cells.order_by("year", "organ__slug", "table", "id")
        .values_list("organ_id", "year", "edition", "table", "row", "column", "value")
        .iterator(chunk_size=CHUNK_SIZE)
    )


def dataset_rows(year: int | None = None) -> Iterator[tuple]:
    """The long-form dataset, one tuple of HEADER's fields per published cell."""
    organs, labels = organ_infos(), row_labels()
    for organ_id, cell_year, edition, table, row, column, value in published_cells(year):
        organ = organs[organ_id]
        label = labels.get((edition, table, row), row)
        yield (organ.name, organ.slug, organ.region, cell_year, edition, table, row, label,
               column, value)  # fmt: skip


class _Line:
    """A file-like sink for csv.writer that hands back what was written."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(year: int | None = None, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """The dataset as UTF-8 CSV (with a BOM), in chunks of a few hundred rows."""
    writer = csvsafe.writer(_Line())
    yield CSV_BOM + writer.writerow(HEADER).encode()
    batch: list[str] = []
    for row in dataset_rows(year):
        batch.append(writer.writerow((*row[:-1], value_text(row[-1]))))
        if len(batch) >= rows_per_chunk:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()


def _ordered_figures(figures: dict, edition: str) -> dict:
    """A publication's figures in the edition's printed order, whatever the JSON column kept."""
    ordered = empty_figures(edition)
    s2 = figures.get(formats.SECTION2) or {}
    for row, columns in ordered[formats.SECTION2].items():
        for column in columns:
            columns[column] = (s2.get(row) or {}).get(column)
    s3 = figures.get(formats.SECTION3) or {}
    for row in ordered[formats.SECTION3]:
        if row in s3:
            ordered[formats.SECTION3][row] = list(s3[row])
    if figures.get(formats.SECTION4) is not None:
        ordered[formats.SECTION4] = list(figures[formats.SECTION4])
    return ordered


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def json_chunks(year: int | None = None) -> Iterator[bytes]:
    """The dataset as one JSON document: organs, then reports with prose and figures."""
    publications = Publication.objects.current()
    if year is not None:
        publications = publications.filter(year=year)
    publications = publications.order_by("year", "organ__slug")
    organs = organ_infos()
    organ_ids = sorted(
        set(publications.values_list("organ_id", flat=True)), key=lambda pk: organs[pk].slug
    )
    kinds = dict(Organ.objects.filter(pk__in=organ_ids).values_list("pk", "kind"))
    organ_list = [
        {
            "slug": organs[pk].slug,
            "name": organs[pk].name,
            "kind": kinds[pk],
            "region": organs[pk].region,
        }
        for pk in organ_ids
    ]
    yield ('{"format":' + _dumps(JSON_FORMAT) + ',"organs":' + _dumps(organ_list)).encode()
    yield b',"reports":['
    first = True
    for pub in publications.iterator(chunk_size=200):
        organ = organs[pub.organ_id]
        report = {
            "organ": organ.name,
            "organ_slug": organ.slug,
            "region": organ.region,
            "year": pub.year,
            "edition": pub.edition,
            "publication": pub.number,
            "published_on": pub.published_on.isoformat(),
            "correction_note": pub.correction_note,
            "overview": pub.overview,
            "problems": pub.problems,
            "other_matters": pub.other_matters,
            "figures": _ordered_figures(pub.figures, pub.edition),
        }
        yield (("\n" if first else ",\n") + _dumps(report)).encode()
        first = False
    yield b"\n]}\n"


def write_xlsx(out: BinaryIO, year: int | None = None) -> None:
    """The dataset as an XLSX workbook written to ``out``; the same data gives the same bytes.

    The sheets are written as SpreadsheetML by hand, streaming: openpyxl, even write-only,
    spends most of an export building cell objects. No document properties are written,
    and every zip entry carries one fixed time.
    """
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        sheets = _write_sheets(archive, dataset_rows(year))
        names = [f"dataset{n}" if n > 1 else "dataset" for n in range(1, sheets + 1)]
        _put(archive, "xl/workbook.xml", _workbook_xml(names))
        _put(archive, "xl/_rels/workbook.xml.rels", _workbook_rels(sheets))
        _put(archive, "xl/styles.xml", XLSX_STYLES)
        _put(archive, "_rels/.rels", XLSX_ROOT_RELS)
        _put(archive, "[Content_Types].xml", _content_types(sheets))


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _put(archive: zipfile.ZipFile, name: str, text: str) -> None:
    archive.writestr(_entry(name), text.encode())


def _write_sheets(archive: zipfile.ZipFile, rows: Iterator[tuple]) -> int:
    """Write the rows over as many sheets as they need; return the number of sheets."""
    header = _xlsx_row(HEADER)
    number, stream, count, batch = 1, None, 0, []
    for row in rows:
        if stream is None or count >= XLSX_SHEET_ROWS:
            if stream is not None:
                _close_sheet(stream, batch)
                number, count, batch = number + 1, 0, []
            stream = archive.open(_entry(f"xl/worksheets/sheet{number}.xml"), "w")
            stream.write((XLSX_SHEET_HEAD + header).encode())
        batch.append(_xlsx_row((*row[:-1], plain_number(row[-1]))))
        count += 1
        if len(batch) >= 1000:
            stream.write("".join(batch).encode())
            batch = []
    if stream is None:
        stream = archive.open(_entry("xl/worksheets/sheet1.xml"), "w")
        stream.write((XLSX_SHEET_HEAD + header).encode())
    _close_sheet(stream, batch)
    return number


def _close_sheet(stream, batch: list[str]) -> None:
    stream.write(("".join(batch) + XLSX_SHEET_TAIL).encode())
    stream.close()


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xlsx_cell(value) -> str:
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"<c><v>{value}</v></c>"
    text = escape(_XML_ILLEGAL.sub("", str(csvsafe.safe_cell(value))))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _xlsx_row(values) -> str:
    return "<row>" + "".join(_xlsx_cell(v) for v in values) + "</row>"


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
XLSX_SHEET_HEAD = f'{_XML_DECL}<worksheet xmlns="{_MAIN_NS}"><sheetData>'
XLSX_SHEET_TAIL = "</sheetData></worksheet>"
XLSX_STYLES = (
    f'{_XML_DECL}<styleSheet xmlns="{_MAIN_NS}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
XLSX_ROOT_RELS = (
    f'{_XML_DECL}<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)


def _workbook_xml(names: list[str]) -> str:
    sheets = "".join(
        f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(names, 1)
    )
    return (
        f'{_XML_DECL}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        f"<sheets>{sheets}</sheets></workbook>"
    )


def _workbook_rels(sheets: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    styles = f'<Relationship Id="rId{sheets + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
    return f'{_XML_DECL}<Relationships xmlns="{_PKG_REL_NS}">{rels}{styles}</Relationships>'


def _content_types(sheets: int) -> str:
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{main}.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{main}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{main}.styles+xml"/>'
        f"{overrides}</Types>"
    )
