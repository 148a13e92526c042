"""Public downloads of the published dataset: CSV (streamed), XLSX and JSON (streamed)."""

from __future__ import annotations

import tempfile

from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from data import exports

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BadYear(ValueError):
    pass


def _year(request) -> int | None:
    text = request.GET.get("year", "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1900 <= int(text) <= 2999:
        raise BadYear(text)
    return int(text)


def export_filename(extension: str, year: int | None) -> str:
    return f"dataset-{year}.{extension}" if year else f"dataset.{extension}"


def _bad_year():
    return HttpResponseBadRequest(_("年度参数无效。"), content_type="text/plain; charset=utf-8")


def _streamed(chunks, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def dataset_csv(request):
    """Every current published cell, one row each, streamed."""
    try:
        year = _year(request)
    except BadYear:
        return _bad_year()
    return _streamed(
        exports.csv_chunks(year), "text/csv; charset=utf-8", export_filename("csv", year)
    )


@require_safe
def dataset_json(request):
    """Organs and current published reports (prose and figures), streamed."""
    try:
        year = _year(request)
    except BadYear:
        return _bad_year()
    return _streamed(exports.json_chunks(year), "application/json", export_filename("json", year))


@require_safe
def dataset_xlsx(request):
    """The CSV's rows as a workbook; built in a temporary file, then sent from it."""
    try:
        year = _year(request)
    except BadYear:
        return _bad_year()
    out = tempfile.TemporaryFile()
    exports.write_xlsx(out, year)
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename=export_filename("xlsx", year), content_type=XLSX_TYPE
    )


urlpatterns = [
    path("exports/dataset.csv", dataset_csv, name="dataset_csv"),
    path("exports/dataset.xlsx", dataset_xlsx, name="dataset_xlsx"),
    path("exports/dataset.json", dataset_json, name="dataset_json"),
]
