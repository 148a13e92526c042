"""A region's roll-up as the official document (DOCX, PDF), linked from the roll-up page.

Public, like the page: the sums of current publications only. DOCX is built in the request
(the file is stored by the digest of what it shows, so an unchanged roll-up is served from
storage). PDF needs LibreOffice: with a worker it is queued and the page refreshes until the
file is there; without one (no REDIS_URL) it is made in-process, as a report's PDF is.
"""

from __future__ import annotations

from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from data.documents import rollup as rollup_documents
from data.tasks import generate_region_document
from data.views.downloads import pdf_or_pending, serve
from public import rollup as rollups
from public.views.regions import region_or_404


@never_cache
@require_safe
def region_document(request, slug: str, year: int, kind: str):
    """The region's roll-up for the year as the official DOCX or PDF, with its coverage note."""
    rollup = rollups.region_rollup(organ=region_or_404(slug), year=year)
    source = rollup_documents.rollup_document_source(rollup)
    if kind == "docx":
        name = rollup_documents.rollup_document_get_or_generate(source=source, kind="docx")
        return serve(name, source, "docx")

    return pdf_or_pending(
        request,
        source=source,
        make=lambda: rollup_documents.rollup_document_get_or_generate(source=source, kind="pdf"),
        enqueue=lambda: generate_region_document.delay(slug, year, "pdf"),
    )


_prefix = "regions/<slug:slug>/<int:year>/"
urlpatterns = [
    path(_prefix + "rollup.docx", region_document, {"kind": "docx"}, name="region_docx"),
    path(_prefix + "rollup.pdf", region_document, {"kind": "pdf"}, name="region_pdf"),
]
