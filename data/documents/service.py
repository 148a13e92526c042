"""Get or generate the official document of a report (DOCX, and PDF through LibreOffice).

Files live in the default storage under ``documents/<report pk>/``: ``v<version>-<digest>``
for the live report, ``p<number>-<digest>`` for a publication. The digest covers what the
document shows, so a change that did not bump the version still gets a fresh file, and an
unchanged report reuses the stored one.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from data.documents.docx import BUILDER_VERSION, DocumentData, build_docx
from data.documents.pdf import ConversionError, docx_to_pdf
from filing.models import AnnualReport
from public.models import Publication

KINDS = ("docx", "pdf")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}

logger = logging.getLogger(__name__)
# While a worker makes a document, and after it failed to: keys hold the storage name.
PENDING_KEY = "document-pending:%s"
FAILED_KEY = "document-failed:%s"
PENDING_SECONDS = 180
FAILED_SECONDS = 600


@dataclass(frozen=True)
class DocumentSource:
    """Which document: the report, the version key and the data it shows."""

    report_id: int
    key: str  # "v12" (live report version 12) or "p2" (publication number 2)
    data: DocumentData

    @property
    def digest(self) -> str:
        payload = json.dumps(
            [BUILDER_VERSION, asdict(self.data)], ensure_ascii=False, sort_keys=True, default=str
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:12]

    def name(self, kind: str) -> str:
        """The storage name of the document in this format."""
        return f"documents/{self.report_id}/{self.key}-{self.digest}.{kind}"

    @property
    def filename(self) -> str:
        """The name offered to the person downloading it."""
        return self.data.title


def document_source_for_report(report: AnnualReport) -> DocumentSource:
    """The live report's document (the clerk's draft, whatever its status)."""
    data = DocumentData(
        organ=report.organ.name,
        year=report.year,
        edition=report.edition,
        overview=report.overview,
        problems=report.problems,
        other_matters=report.other_matters,
        figures=report.figures_dict(),
        published_on=None,
    )
    return DocumentSource(report.pk, f"v{report.version}", data)


def document_source_for_publication(publication: Publication) -> DocumentSource:
    """A published version's document, from its frozen prose and figures only."""
    data = DocumentData(
        organ=publication.organ.name,
        year=publication.year,
        edition=publication.edition,
        overview=publication.overview,
        problems=publication.problems,
        other_matters=publication.other_matters,
        figures=publication.figures,
        published_on=publication.published_on,
    )
    return DocumentSource(publication.report_id, f"p{publication.number}", data)


def document_cached(*, source: DocumentSource, kind: str) -> str | None:
    """The storage name if the document was generated already, else None."""
    name = source.name(kind)
    return name if default_storage.exists(name) else None


def document_get_or_generate(*, source: DocumentSource, kind: str) -> str:
    """The storage name of the document, generating and storing it when missing.

    Raises data.documents.pdf.ConversionError when a PDF cannot be made.
    """
    return stored_or_generated(
        source=source, kind=kind, build=lambda: build_docx(source.data), drop_older=_drop_older
    )


def stored_or_generated(*, source, kind: str, build, drop_older) -> str:
    """The storage name of ``source.name(kind)``, made when missing: DOCX by ``build()``, PDF
    from the stored DOCX; ``drop_older(source)`` then removes files this one replaces.

    Shared by report and roll-up documents. Raises ConversionError when a PDF cannot be made.
    """
    if kind not in KINDS:
        raise ValueError(kind)
    name = source.name(kind)
    if default_storage.exists(name):
        return name
    if kind == "docx":
        content = build()
    else:
        docx_name = stored_or_generated(
            source=source, kind="docx", build=build, drop_older=drop_older
        )
        with default_storage.open(docx_name) as fh:
            content = docx_to_pdf(fh.read())
    # Two requests may race to the same name; storage then keeps both under distinct names,
    # and the next request finds the canonical one.
    saved = default_storage.save(name, ContentFile(content))
    if saved != name:
        default_storage.delete(saved)
    drop_older(source)
    return name


def _drop_older(source: DocumentSource) -> None:
    """Remove the live report's earlier drafts' files; publications' files stay."""
    if not source.key.startswith("v"):
        return
    folder = f"documents/{source.report_id}"
    try:
        _, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    keep = {source.name(kind).rsplit("/", 1)[1] for kind in KINDS}
    for file_name in files:
        if file_name.startswith("v") and file_name not in keep:
            default_storage.delete(f"{folder}/{file_name}")


def document_source(*, report_id: int, publication_number: int | None = None) -> DocumentSource:
    """The source by ids (for the task): a publication's when a number is given."""
    if publication_number is None:
        report = AnnualReport.objects.select_related("organ").get(pk=report_id)
        return document_source_for_report(report)
    publication = Publication.objects.select_related("organ").get(
        report_id=report_id, number=publication_number
    )
    return document_source_for_publication(publication)


def document_generate(
    *, report_id: int, publication_number: int | None = None, kind: str = "pdf"
) -> str | None:
    """The worker's job: generate the document; None if the report is gone or it failed."""
    try:
        source = document_source(report_id=report_id, publication_number=publication_number)
    except (AnnualReport.DoesNotExist, Publication.DoesNotExist):
        logger.warning("document of report %s #%s: no such report", report_id, publication_number)
        return None
    name = source.name(kind)
    try:
        return document_get_or_generate(source=source, kind=kind)
    except ConversionError as exc:
        logger.warning("document %s could not be converted: %s", name, exc)
        cache.set(FAILED_KEY % name, str(exc), FAILED_SECONDS)
        return None
    finally:
        cache.delete(PENDING_KEY % name)
