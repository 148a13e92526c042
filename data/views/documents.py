"""Downloads of the official document: a publication's (public) and the clerk's live report.

DOCX is built in the request (python-docx takes well under a second and the file is cached
by version); PDF is made or queued by data.views.downloads, as a roll-up's is.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from data import documents
from data.documents.service import DocumentSource
from data.tasks import generate_document
from data.views.downloads import pdf_or_pending, serve
from filing import permissions
from public.models import Publication


def _publication(request, slug: str, year: int) -> Publication:
    """The current publication, or ?version=N of a report that is public; 404 otherwise."""
    found = Publication.objects.select_related("organ", "report").filter(
        organ__slug=slug, year=year, report__current_publication__isnull=False
    )
    version = request.GET.get("version", "")
    if version:
        if not version.isdigit():
            raise Http404(_("没有这个版本。"))
        found = found.filter(number=int(version))
    else:
        found = found.filter(is_current=True)
    publication = found.first()
    if publication is None:
        raise Http404(_("没有已发布的报告。"))
    return publication


def _docx(source: DocumentSource) -> FileResponse:
    return serve(documents.document_get_or_generate(source=source, kind="docx"), source, "docx")


def _pdf(request, source: DocumentSource, publication_number: int | None):
    return pdf_or_pending(
        request,
        source=source,
        make=lambda: documents.document_get_or_generate(source=source, kind="pdf"),
        enqueue=lambda: generate_document.delay(source.report_id, publication_number, "pdf"),
    )


@never_cache
@require_safe
def report_document(request, slug: str, year: int, kind: str):
    """A published version's document, built from its frozen prose and figures."""
    publication = _publication(request, slug, year)
    source = documents.document_source_for_publication(publication)
    if kind == "docx":
        return _docx(source)
    return _pdf(request, source, publication.number)


@never_cache
@login_required
@require_safe
def report_draft_document(request, pk: int, kind: str):
    """The clerk's own report as it stands now, in any status."""
    report = get_object_or_404(
        permissions.clerk_reports(request.user).select_related("organ"), pk=pk
    )
    source = documents.document_source_for_report(report)
    if kind == "docx":
        return _docx(source)
    return _pdf(request, source, None)


urlpatterns = [
    path(
        "reports/<slug:slug>/<int:year>/document.docx",
        report_document,
        {"kind": "docx"},
        name="report_document_docx",
    ),
    path(
        "reports/<slug:slug>/<int:year>/document.pdf",
        report_document,
        {"kind": "pdf"},
        name="report_document_pdf",
    ),
    path(
        "workspace/reports/<int:pk>/document.docx",
        report_draft_document,
        {"kind": "docx"},
        name="report_draft_docx",
    ),
    path(
        "workspace/reports/<int:pk>/document.pdf",
        report_draft_document,
        {"kind": "pdf"},
        name="report_draft_pdf",
    ),
]
