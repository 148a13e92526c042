"""Downloads of the official document: a publication's (public) and the clerk's live report.

DOCX is built in the request (python-docx takes well under a second and the file is cached
by version). PDF needs LibreOffice (a second or more): with a worker it is queued and the
page refreshes until the file is there; without one (no REDIS_URL) it is made in-process.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from data import documents
from data.documents.service import FAILED_KEY, PENDING_KEY, PENDING_SECONDS, DocumentSource
from data.tasks import generate_document
from filing import permissions
from public.models import Publication

REFRESH_SECONDS = 3


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


def _serve(name: str, source: DocumentSource, kind: str) -> FileResponse:
    response = FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=f"{source.filename}.{kind}",
        content_type=documents.CONTENT_TYPES[kind],
    )
    return response


def _docx(source: DocumentSource) -> FileResponse:
    name = documents.document_get_or_generate(source=source, kind="docx")
    return _serve(name, source, "docx")


def _pdf(request, source: DocumentSource, publication_number: int | None):
    name = documents.document_cached(source=source, kind="pdf")
    if name:
        return _serve(name, source, "pdf")
    context = {"source": source, "refresh": REFRESH_SECONDS}
    if documents.soffice_path() is None:
        context["error"] = _("本服务器未安装 LibreOffice，暂不能生成 PDF，请下载 Word 版本。")
        return render(request, "reports/documents/pending.html", context, status=503)
    target = source.name("pdf")
    failure = cache.get(FAILED_KEY % target)
    if failure is None and settings.CELERY_TASK_ALWAYS_EAGER:
        try:
            return _serve(
                documents.document_get_or_generate(source=source, kind="pdf"), source, "pdf"
            )
        except documents.ConversionError:
            failure = True
    if failure is not None:
        context["error"] = _("PDF 生成失败，请稍后再试，或下载 Word 版本。")
        return render(request, "reports/documents/pending.html", context, status=503)
    if cache.add(PENDING_KEY % target, 1, PENDING_SECONDS):
        generate_document.delay(source.report_id, publication_number, "pdf")
    response = render(request, "reports/documents/pending.html", context, status=202)
    response["Refresh"] = str(REFRESH_SECONDS)
    return response


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
