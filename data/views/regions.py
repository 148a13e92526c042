"""A region's roll-up as the official document (DOCX, PDF), linked from the roll-up page.

Public, like the page: the sums of current publications only. DOCX is built in the request
(the file is stored by the digest of what it shows, so an unchanged roll-up is served from
storage). PDF needs LibreOffice: with a worker it is queued and the page refreshes until the
file is there; without one (no REDIS_URL) it is made in-process, as a report's PDF is.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from data import documents
from data.documents import rollup as rollup_documents
from data.documents.service import FAILED_KEY, FAILED_SECONDS, PENDING_KEY, PENDING_SECONDS
from public import rollup as rollups
from public.views.regions import region_or_404

REFRESH_SECONDS = 3


def _serve(name: str, source, kind: str) -> FileResponse:
    response = FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=f"{source.filename}.{kind}",
        content_type=documents.CONTENT_TYPES[kind],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _pdf(request, source, slug: str, year: int):
    name = rollup_documents.rollup_document_cached(source=source, kind="pdf")
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
            name = rollup_documents.rollup_document_get_or_generate(source=source, kind="pdf")
            return _serve(name, source, "pdf")
        except documents.ConversionError as exc:
            cache.set(FAILED_KEY % target, str(exc), FAILED_SECONDS)
            failure = True
    if failure is not None:
        context["error"] = _("PDF 生成失败，请稍后再试，或下载 Word 版本。")
        return render(request, "reports/documents/pending.html", context, status=503)
    if cache.add(PENDING_KEY % target, 1, PENDING_SECONDS):
        from data.tasks import generate_region_document

        generate_region_document.delay(slug, year, "pdf")
    response = render(request, "reports/documents/pending.html", context, status=202)
    response["Refresh"] = str(REFRESH_SECONDS)
    return response


@never_cache
@require_safe
def region_document(request, slug: str, year: int, kind: str):
    """The region's roll-up for the year as the official DOCX or PDF, with its coverage note."""
    rollup = rollups.region_rollup(organ=region_or_404(slug), year=year)
    source = rollup_documents.rollup_document_source(rollup)
    if kind == "docx":
        name = rollup_documents.rollup_document_get_or_generate(source=source, kind="docx")
        return _serve(name, source, "docx")
    return _pdf(request, source, slug, year)


_prefix = "regions/<slug:slug>/<int:year>/"
urlpatterns = [
    path(_prefix + "rollup.docx", region_document, {"kind": "docx"}, name="region_docx"),
    path(_prefix + "rollup.pdf", region_document, {"kind": "pdf"}, name="region_pdf"),
]
