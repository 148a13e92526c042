"""The published dataset as CSV, XLSX and JSON: current publications only, never drafts.

Every export is reproducible: rows come in a stable order (year, organ slug, table, printed
order) and nothing inside depends on when the export ran, so two exports of the same data
are byte-identical. The CSV and JSON are generators of bytes, for streaming responses and
for the export_dataset command alike.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import BinaryIO

from openpyxl import Workbook

from reports import formats
from reports.figures import empty_figures, plain_number
from reports.models import Organ, Publication, PublishedFigure

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
# Fixed workbook and zip-entry times: the same data gives the same bytes.
XLSX_TIMESTAMP = datetime(2000, 1, 1)
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
    writer = csv.writer(_Line())
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
    """The dataset as an XLSX workbook written to ``out``, byte-stable for the same data."""
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "portal"
    sheet, count, number = None, XLSX_SHEET_ROWS, 0
    for row in dataset_rows(year):
        if count >= XLSX_SHEET_ROWS:
            number += 1
            sheet = workbook.create_sheet("dataset" if number == 1 else f"dataset{number}")
            sheet.append(HEADER)
            count = 0
        sheet.append((*row[:-1], plain_number(row[-1])))
        count += 1
    if sheet is None:
        workbook.create_sheet("dataset").append(HEADER)
    with tempfile.TemporaryFile() as raw:
        workbook.save(raw)
        raw.seek(0)
        _restamp(raw, out)


def _restamp(source: BinaryIO, out: BinaryIO) -> None:
    """Copy a zip, fixing entry times and the workbook's created/modified (set at save)."""
    stamp = XLSX_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            if item.filename == "docProps/core.xml":
                dst.writestr(info, _core_xml(src.read(item.filename), stamp))
                continue
            with src.open(item) as reader, dst.open(info, "w") as writer:
                shutil.copyfileobj(reader, writer, 1 << 20)


def _core_xml(xml: bytes, stamp: str) -> bytes:
    """docProps/core.xml with fixed dcterms:created and dcterms:modified."""
    for tag in ("created", "modified"):
        xml = re.sub(
            rb"(<dcterms:" + tag.encode() + rb"[^>]*>)[^<]*(</dcterms:" + tag.encode() + rb">)",
            rb"\g<1>" + stamp.encode() + rb"\g<2>",
            xml,
        )
    return xml
