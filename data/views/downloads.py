"""Serving an official document (a report's or a region roll-up's), one flow for both.

DOCX is built in the request. PDF needs LibreOffice (a second or more): with a worker it is
queued and the pending page refreshes until the file is there; without one (eager tasks, no
REDIS_URL) it is made in-process. A failed conversion is remembered for a while, so the
refreshing page says so instead of converting again on every refresh.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from data import documents
from data.documents.service import FAILED_KEY, FAILED_SECONDS, PENDING_KEY, PENDING_SECONDS

REFRESH_SECONDS = 3


def serve(name: str, source, kind: str) -> FileResponse:
    """The stored file ``name`` as a download named after ``source``."""
    response = FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=f"{source.filename}.{kind}",
        content_type=documents.CONTENT_TYPES[kind],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def pdf_or_pending(
    request, *, source, make: Callable[[], str], enqueue: Callable[[], None]
) -> HttpResponse:
    """The PDF of ``source`` if stored; else made now (no worker) or queued (pending page).

    ``make()`` generates and returns the storage name (raising ConversionError);
    ``enqueue()`` sends the worker's task, once per PENDING_SECONDS for this file.
    """
    target = source.name("pdf")
    if default_storage.exists(target):
        return serve(target, source, "pdf")
    context = {"source": source, "refresh": REFRESH_SECONDS}
    if documents.soffice_path() is None:
        context["error"] = _("本服务器未安装 LibreOffice，暂不能生成 PDF，请下载 Word 版本。")
        return render(request, "reports/documents/pending.html", context, status=503)
    failure = cache.get(FAILED_KEY % target)
    if failure is None and settings.CELERY_TASK_ALWAYS_EAGER:
        try:
            return serve(make(), source, "pdf")
        except documents.ConversionError as exc:
            cache.set(FAILED_KEY % target, str(exc), FAILED_SECONDS)
            failure = True
    if failure is not None:
        context["error"] = _("PDF 生成失败，请稍后再试，或下载 Word 版本。")
        return render(request, "reports/documents/pending.html", context, status=503)
    if cache.add(PENDING_KEY % target, 1, PENDING_SECONDS):
        enqueue()
    response = render(request, "reports/documents/pending.html", context, status=202)
    response["Refresh"] = str(REFRESH_SECONDS)
    return response
