"""A region's 汇总 as the official document: DOCX (python-docx), and PDF through LibreOffice.

The same generator as a report's document (:mod:`data.documents.docx`): title, the three
tables in the 2021 layout (here every cell the region's sum), followed by the coverage note,
the cells left incomplete by 2019-edition reports, how many blanks were skipped and the
勾稽 checks on the sums with the offending reports. Files are stored under
``documents/regions/<slug>/<year>-<digest>.<kind>``: the digest covers what the document
shows, so a new publication in the region makes a new file and an unchanged roll-up reuses
the stored one.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from dataclasses import asdict, dataclass

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.utils.translation import gettext

from core import formats
from data.documents.docx import BUILDER_VERSION, _fonts, _grid, _page_numbers, _prose, _table
from data.documents.pdf import ConversionError
from data.documents.service import FAILED_KEY, FAILED_SECONDS, PENDING_KEY, stored_or_generated
from public import rollup as rollups
from public.rollup_export import coverage_note

KINDS = ("docx", "pdf")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RollupDocumentData:
    """Everything the roll-up document shows, as plain data (the digest is taken over it)."""

    region: str
    slug: str
    year: int
    figures: dict  # the sums in the figure-set shape, 2021 edition
    note: str  # the coverage note, as on the page and in the CSV/XLSX
    notes: tuple[str, ...]  # edition caveats, blanks skipped, the checks and offenders

    @property
    def title(self) -> str:
        return gettext("%(region)s%(year)s年度政府信息公开工作汇总") % {
            "region": self.region,
            "year": self.year,
        }


def _notes(rollup: rollups.Rollup) -> tuple[str, ...]:
    notes = [
        gettext("每格为本地区当年已发布报告该格数值之和。空白格不按零计。"),
    ]
    blanks = rollup.blank_cells
    if blanks:
        notes.append(
            gettext("有 %(cells)s 格有报告空白、未计入，共 %(blanks)s 处。")
            % {"cells": len(blanks), "blanks": sum(c.blank for c in blanks)}
        )
    if rollup.incomplete_cells:
        labels = "、".join(rollups.cell_label(c.cell) for c in rollup.incomplete_cells)
        notes.append(
            gettext("以下各格没有对应的2019年版栏目，合计不含2019年版报告：%(cells)s。")
            % {"cells": labels}
        )
    if rollup.other_2019:
        values = "，".join(
            f"{column} {'—' if value is None else value}"
            for column, value in rollup.other_2019.items()
        )
        notes.append(
            gettext(
                "2019年版报告的“（六）其他处理”为一行，无法拆分到1至3小项，"
                "未计入表三的（六）1至3行：%(values)s。"
            )
            % {"values": values}
        )
    if not rollup.report_count:
        notes.append(gettext("没有可核对的数据。"))
    elif rollup.findings:
        notes.append(
            gettext("汇总数的勾稽关系不成立：") + " ".join(f.message for f in rollup.findings)
        )
    else:
        notes.append(gettext("汇总数的勾稽关系全部成立。"))
    if rollup.offenders:
        names = "、".join(o["name"] for o in rollup.offenders)
        notes.append(gettext("以下报告本身的勾稽关系不成立：%(names)s。") % {"names": names})
    return tuple(notes)


def rollup_document_data(rollup: rollups.Rollup) -> RollupDocumentData:
    return RollupDocumentData(
        region=rollup.organ.name,
        slug=rollup.organ.slug,
        year=rollup.year,
        figures=rollup.figures(),
        note=coverage_note(rollup),
        notes=_notes(rollup),
    )


def build_rollup_docx(data: RollupDocumentData) -> bytes:
    """The roll-up as DOCX bytes: title, coverage note, the three tables, the notes."""
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
    _prose(document, data.note)
    for numeral, caption, _patterns in formats.SECTIONS:
        if numeral not in formats.PROSE_SECTIONS:
            document.add_heading(f"{numeral}、{caption}", level=1)
            _table(document, _grid(numeral, rollups.EDITION), data.figures)
    document.add_heading(gettext("说明"), level=1)
    for note in data.notes:
        _prose(document, note)
    buffer = io.BytesIO()
    document.core_properties.title = data.title
    document.core_properties.author = data.region
    document.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class RollupDocumentSource:
    data: RollupDocumentData

    @property
    def digest(self) -> str:
        payload = json.dumps(
            ["rollup", BUILDER_VERSION, asdict(self.data)],
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:12]

    def name(self, kind: str) -> str:
        return f"documents/regions/{self.data.slug}/{self.data.year}-{self.digest}.{kind}"

    @property
    def filename(self) -> str:
        return self.data.title


def rollup_document_source(rollup: rollups.Rollup) -> RollupDocumentSource:
    return RollupDocumentSource(rollup_document_data(rollup))


def rollup_document_cached(*, source: RollupDocumentSource, kind: str) -> str | None:
    name = source.name(kind)
    return name if default_storage.exists(name) else None


def rollup_document_get_or_generate(*, source: RollupDocumentSource, kind: str) -> str:
    """The storage name of the roll-up document, generating and storing it when missing.

    Raises data.documents.pdf.ConversionError when a PDF cannot be made.
    """
    return stored_or_generated(
        source=source,
        kind=kind,
        build=lambda: build_rollup_docx(source.data),
        drop_older=_drop_older,
    )


def _drop_older(source: RollupDocumentSource) -> None:
    """Remove the same year's files of earlier sums (the region's roll-up has no versions)."""
    folder = f"documents/regions/{source.data.slug}"
    try:
        _, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    keep = {source.name(kind).rsplit("/", 1)[1] for kind in KINDS}
    prefix = f"{source.data.year}-"
    for file_name in files:
        if file_name.startswith(prefix) and file_name not in keep:
            default_storage.delete(f"{folder}/{file_name}")


def rollup_document_generate(*, slug: str, year: int, kind: str = "pdf") -> str | None:
    """The worker's job: the region's current roll-up document; None if it could not be made."""
    from organs.models import Organ

    organ = Organ.objects.filter(slug=slug).first()
    if organ is None:
        logger.warning("roll-up document of %s %s: no such region", slug, year)
        return None
    source = rollup_document_source(rollups.region_rollup(organ=organ, year=year))
    name = source.name(kind)
    try:
        return rollup_document_get_or_generate(source=source, kind=kind)
    except ConversionError as exc:
        logger.warning("roll-up document %s could not be converted: %s", name, exc)
        cache.set(FAILED_KEY % name, str(exc), FAILED_SECONDS)
        return None
    finally:
        cache.delete(PENDING_KEY % name)
