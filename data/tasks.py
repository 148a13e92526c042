"""Celery tasks of data: official documents generated in the workers."""

from celery import shared_task

from data.documents import document_generate
from data.documents.rollup import rollup_document_generate
from filing.tasks import TRANSIENT_ERRORS


@shared_task(
    name="reports.generate_document",
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=150,
    time_limit=180,
)
def generate_document(
    report_id: int, publication_number: int | None = None, kind: str = "pdf"
) -> str | None:
    """Generate (or find) a report's official document; return its storage name or None."""
    return document_generate(report_id=report_id, publication_number=publication_number, kind=kind)


@shared_task(
    name="reports.generate_region_document",
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=150,
    time_limit=180,
)
def generate_region_document(slug: str, year: int, kind: str = "pdf") -> str | None:
    """Generate (or find) a region's roll-up document; return its storage name or None."""
    return rollup_document_generate(slug=slug, year=year, kind=kind)
