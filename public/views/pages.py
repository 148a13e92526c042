"""Public pages: published reports by town and year, one report, an organ's reports, downloads.

Everything here reads Publication rows through public.selectors; nothing needs an account.
"""

from __future__ import annotations

import functools
import mimetypes
import os
import re

from django.db.models import F
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import get_script_prefix, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from filing.models import Attachment
from organs.models import Organ
from public import fragments, keyset
from public import selectors as public
from public.filters import PublicListFilter
from public.models import Publication
from public.pagecache import cache_public_page

# Served as themselves; anything else (HTML, unknown) is an opaque download.
SAFE_TYPES = {
    Attachment.Kind.PDF: "application/pdf",
    Attachment.Kind.DOCX: (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    Attachment.Kind.TEXT: "text/plain; charset=utf-8",
    Attachment.Kind.MARKDOWN: "text/plain; charset=utf-8",
}
# What a list row shows of its publication (public.fragments.list_rows_html) and the kept
# organ name its sort keys read (public.keyset): nothing more is read.
LIST_COLUMNS = (
    "year", "number", "published_on", "error_count", "received", "granted_full",
    "review_total", "litigation_total", "organ_name",
)  # fmt: skip


def list_rows(queryset):
    """The list page's rows: its organ's slug and name joined in as values of the
    publication (organ_slug, organ_title), not as an organ instance built for each row."""
    return queryset.annotate(organ_slug=F("organ__slug"), organ_title=F("organ__name"))


_UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


def _query_without(request, *names: str) -> str:
    """The current query string minus some parameters, for pagination and sort links."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@require_safe
def report_list(request):
    """Current publications by town and year, filtered, searched, sorted; keyset-paginated.

    Rows carry only the columns the row shows; the count stops where page numbers end and
    is cached per filter and version.
    """
    options = public.filter_options()
    filterset = PublicListFilter(
        request.GET or None,
        queryset=Publication.objects.current().only(*LIST_COLUMNS),
        years=options["years"],
        regions=options["regions"],
        region_paths=options["region_paths"],
    )
    # Counted up to the rows page numbers reach (public.keyset.bounded_page): the whole
    # list, a broad filter and a word in nearly every report cost what a narrow one does.
    page = keyset.bounded_page(
        filterset.qs,
        filterset.sort_keys,
        filters=filterset.active_filters,
        page_size=public.PAGE_SIZE,
        cursor=request.GET.get("cursor", ""),
        page=request.GET.get("page", ""),
        rows=list_rows,
    )
    return render(
        request,
        "reports/public/report_list.html",
        {
            "form": filterset.form,
            "filter_fields": filterset.fields_html(),
            "page": page,
            "filtered": filterset.filtered,
            "rows": fragments.list_rows_html(page.object_list),
            "page_query": _query_without(request, "page", "cursor"),
        },
    )


def _version(request) -> int | None:
    raw = request.GET.get("version")
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise Http404(_("没有这个版本。")) from exc


def _publication(request, slug: str, year: int) -> Publication:
    try:
        return public.publication_for_public(slug=slug, year=year, version=_version(request))
    except Publication.DoesNotExist as exc:
        raise Http404(_("没有已发布的报告。")) from exc


# A stand-in slug and year: the URLs the report and organ pages link to are reversed around
# them once per process and script prefix, then filled in by string joins (a reversal cost
# as much as a tenth of the report page's template).
_SLUG, _YEAR = "slug-placeholder-0", 987654321
REPORT_LINKS = (
    "report_detail", "report_original", "report_figures_csv", "report_figures_json",
    "report_document_docx", "report_document_pdf",
)  # fmt: skip


@functools.lru_cache(maxsize=8)
def _link_parts(script_prefix: str) -> dict[str, tuple[str, ...]]:
    """{URL name: (before the slug, between slug and year, after the year)}, the organ page's
    (before the slug, after it); keyed by the script prefix every reversed URL starts with
    (it may differ between requests)."""
    parts = {}
    for name in REPORT_LINKS:
        url = reverse(f"reports:{name}", kwargs={"slug": _SLUG, "year": _YEAR})
        head, rest = url.split(_SLUG, 1)
        parts[name] = (head, *rest.split(str(_YEAR), 1))
    head, tail = reverse("reports:organ_detail", kwargs={"slug": _SLUG}).split(_SLUG, 1)
    parts["organ_detail"] = (head, tail)
    return parts


def _report_links(slug: str, year: int) -> dict[str, str]:
    """The URLs of this report (REPORT_LINKS) and of its organ's page, by name."""
    parts = _link_parts(get_script_prefix())
    links = {"organ_detail": _organ_url(slug)}
    for name in REPORT_LINKS:
        head, mid, tail = parts[name]
        links[name] = f"{head}{slug}{mid}{year}{tail}"
    return links


def _organ_url(slug: str) -> str:
    head, tail = _link_parts(get_script_prefix())["organ_detail"]
    return f"{head}{slug}{tail}"


def _detail_url(links: dict[str, str], number: int | None = None) -> str:
    url = links["report_detail"]
    return f"{url}?version={number}" if number else url


@require_safe
def report_detail(request, slug: str, year: int):
    """One published report in the official layout (the current one, or ?version=N)."""
    try:
        publication, versions, due = public.publication_with_versions(
            slug=slug, year=year, version=_version(request)
        )
    except Publication.DoesNotExist as exc:
        raise Http404(_("没有已发布的报告。")) from exc
    links = _report_links(publication.organ.slug, publication.year)
    for version in versions:
        version.url = _detail_url(links, None if version.is_current else version.number)
    first = versions[0] if versions else publication
    version_query = "" if publication.is_current else f"?version={publication.number}"
    return render(
        request,
        "reports/public/report_detail.html",
        {
            "publication": publication,
            "organ": publication.organ,
            "links": links,
            "edition_name": public.edition_name(publication.edition),
            "grids": public.public_grids(publication),
            "versions": versions,
            "current_version": next((v for v in versions if v.is_current), None),
            # Dates as the page prints them (Y-m-d): the date filter cost more than the rest.
            "published_on": publication.published_on.isoformat(),
            "first_published_on": first.published_on.isoformat(),
            "deadline": due.isoformat(),
            "days_late": max((first.published_on - due).days, 0),
            "version_query": version_query,
            "badges": fragments.badges_html(publication),
        },
    )


@require_safe
def organ_detail(request, slug: str):
    """An organ's published reports over the years."""
    try:
        organ, publications, children = public.organ_page(slug=slug)
    except Organ.DoesNotExist as exc:
        raise Http404 from exc
    for child in children:
        child.url = _organ_url(child.slug)
    return render(
        request,
        "reports/public/organ_detail.html",
        {
            "organ": organ,
            "publications": publications,
            "rows": fragments.organ_rows_html(organ, publications),
            "children": children,
        },
    )


def safe_filename(name: str, fallback: str) -> str:
    """The original file name without any path, control or header-breaking characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip(" ._")
    stem, ext = os.path.splitext(name)
    stem = stem.strip(" ._")
    if not stem:
        return fallback + (ext if re.fullmatch(r"\.[A-Za-z0-9]{1,10}", ext) else "")
    return stem[:120] + ext[:11]


@require_safe
def report_original(request, slug: str, year: int):
    """The original file of a published version, as a download."""
    publication = _publication(request, slug, year)
    attachment = publication.attachment
    # Exactly the file the published values came from: same row, same checksum.
    if attachment is None or attachment.sha256 != publication.attachment_sha256:
        raise Http404(_("这份报告的数据为手工填写，没有原始文件。"))
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("找不到原始文件。")) from exc
    filename = safe_filename(attachment.original_name, f"{slug}-{year}")
    content_type = SAFE_TYPES.get(attachment.content_type, "application/octet-stream")
    if content_type == "application/octet-stream":
        guessed = mimetypes.guess_type(filename)[0]
        content_type = guessed if guessed in SAFE_TYPES.values() else content_type
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _download_name(publication: Publication, ext: str) -> str:
    suffix = "" if publication.is_current else f"-v{publication.number}"
    return f"{publication.organ.slug}-{publication.year}{suffix}.{ext}"


@require_safe
def report_figures_csv(request, slug: str, year: int):
    """The published figures in long form: table,row,column,value (UTF-8 with BOM)."""
    publication = _publication(request, slug, year)
    response = HttpResponse(public.figures_csv(publication), content_type="text/csv; charset=utf-8")
    name = _download_name(publication, "csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def report_figures_json(request, slug: str, year: int):
    """The published figures as JSON, in the dict shape and in long form."""
    publication = _publication(request, slug, year)
    response = JsonResponse(
        public.figures_payload(publication), json_dumps_params={"ensure_ascii": False}
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _organ_scope(slug: str, **kwargs) -> str:
    """Report and organ pages show one organ's publications (and the tree's names)."""
    return slug


_REPORT = "reports/<slug:slug>/<int:year>/"
urlpatterns = [
    path("reports/", cache_public_page(report_list), name="report_list"),
    path(_REPORT, cache_public_page(report_detail, scope=_organ_scope), name="report_detail"),
    path(f"{_REPORT}original", report_original, name="report_original"),
    path(f"{_REPORT}figures.csv", report_figures_csv, name="report_figures_csv"),
    path(f"{_REPORT}figures.json", report_figures_json, name="report_figures_json"),
    path(
        "organs/<slug:slug>/",
        cache_public_page(organ_detail, scope=_organ_scope),
        name="organ_detail",
    ),
]
