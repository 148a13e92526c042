"""JSON shapes of the API; everything is read from Publication / PublishedFigure."""

from __future__ import annotations

from collections import namedtuple

from django.urls import NoReverseMatch, reverse
from rest_framework import serializers

from core import formats
from core.figureset import plain_number
from organs.models import Organ
from public.models import Publication, PublishedFigure


def absolute(request, name: str, **kwargs) -> str | None:
    """An absolute URL for a named route, or None while the route does not exist."""
    try:
        url = reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None
    return request.build_absolute_uri(url) if request is not None else url


def _row_labels() -> dict[tuple[str, str], str]:
    labels = {}
    for edition in formats.EDITION_DEFS.values():
        for block in edition.section2:
            labels.update({(formats.SECTION2, row.key): row.label for row in block.rows})
        labels.update({(formats.SECTION3, r.key): r.label for r in edition.section3_rows})
    labels.update({(formats.SECTION4, g.key): g.label for g in formats.SECTION4_GROUPS})
    return labels


ROW_LABELS = _row_labels()


class OrganSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    reports_url = serializers.SerializerMethodField()

    class Meta:
        model = Organ
        fields = ["slug", "name", "short_name", "kind", "code", "parent", "url", "page_url",
                  "reports_url"]  # fmt: skip

    def get_url(self, organ) -> str | None:
        return absolute(self.context.get("request"), "reports:api_organ", slug=organ.slug)

    def get_page_url(self, organ) -> str | None:
        return absolute(self.context.get("request"), "reports:organ_detail", slug=organ.slug)

    def get_reports_url(self, organ) -> str | None:
        url = absolute(self.context.get("request"), "reports:api_reports")
        return f"{url}?organ={organ.slug}" if url else None


_SLUG, _YEAR = "slug-placeholder-0", 987654321
# What a list row reads of its publication, as a named values_list row: model instances
# cost the list more than its query. "pk", "year" and the kept organ name are the list
# order's keys (public.keyset, the cursors). No organ column: a join to the organs made
# the list's count (the same query) 5 ms slower; the page's organs are read by id
# (data.api.pagination.ReportPagination).
REPORT_LIST_COLUMNS = (
    "pk", "organ_id", "organ_name", "year", "edition", "published_on", "number",
    "error_count", "warning_count", "received", "granted_full", "review_total",
    "litigation_total",
)  # fmt: skip
# A list row as ReportSerializer reads it: the publication's columns and its organ's.
ReportRow = namedtuple("ReportRow", [*REPORT_LIST_COLUMNS, "organ_slug", "organ_title"])


class _ReportLinks:
    """A report's three absolute links by string join: the names reversed once per request
    around a stand-in slug and year, instead of three reversals per row (150 on a page)."""

    NAMES = {
        "url": "reports:api_report",
        "page_url": "reports:report_detail",
        "figures_url": "reports:api_report_figures",
    }

    def __init__(self, request):
        self.parts = {}
        for field, name in self.NAMES.items():
            url = absolute(request, name, slug=_SLUG, year=_YEAR)
            if url is None or url.count(_SLUG) != 1 or url.count(str(_YEAR)) != 1:
                self.parts[field] = None
                continue
            head, rest = url.split(_SLUG)
            middle, tail = rest.split(str(_YEAR))
            self.parts[field] = (head, middle, tail)

    def link(self, field: str, slug: str, year: int) -> str | None:
        parts = self.parts[field]
        return None if parts is None else f"{parts[0]}{slug}{parts[1]}{year}{parts[2]}"


class ReportSerializer(serializers.ModelSerializer):
    """A current publication in lists: who, when, which version, key figures, links.

    ``to_representation`` builds the row directly (the same JSON as the declared fields)
    from a ReportRow: the generic field-by-field path cost more than the
    page's database work.
    """

    organ = serializers.CharField(source="organ.slug")
    organ_name = serializers.CharField(source="organ.name")
    version = serializers.IntegerField(source="number")
    is_correction = serializers.BooleanField()
    checks_passed = serializers.BooleanField()
    key_figures = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    figures_url = serializers.SerializerMethodField()

    class Meta:
        model = Publication
        fields = ["organ", "organ_name", "year", "edition", "published_on", "version",
                  "is_correction", "key_figures", "checks_passed", "error_count",
                  "warning_count", "url", "page_url", "figures_url"]  # fmt: skip

    def _link(self, name: str, publication) -> str | None:
        return absolute(
            self.context.get("request"), name, slug=publication.organ.slug, year=publication.year
        )

    def _links(self) -> _ReportLinks:
        # A list serializer's rows share their parent's context: one set of links a page.
        root = self.parent if self.parent is not None else self
        links = getattr(root, "_report_links", None)
        if links is None:
            links = root._report_links = _ReportLinks(self.context.get("request"))
        return links

    def to_representation(self, row) -> dict:
        slug, year = row.organ_slug, row.year
        links = self._links()
        return {
            "organ": slug,
            "organ_name": row.organ_title,
            "year": year,
            "edition": row.edition,
            "published_on": row.published_on.isoformat(),
            "version": row.number,
            # The model's own rules, read off the row.
            "is_correction": Publication.is_correction.fget(row),
            "key_figures": self.get_key_figures(row),
            "checks_passed": Publication.checks_passed.fget(row),
            "error_count": row.error_count,
            "warning_count": row.warning_count,
            "url": links.link("url", slug, year),
            "page_url": links.link("page_url", slug, year),
            "figures_url": links.link("figures_url", slug, year),
        }

    def get_key_figures(self, publication) -> dict:
        return {
            "received": publication.received,
            "granted_full": publication.granted_full,
            "review_total": publication.review_total,
            "litigation_total": publication.litigation_total,
        }

    def get_url(self, publication) -> str | None:
        return self._link("reports:api_report", publication)

    def get_page_url(self, publication) -> str | None:
        return self._link("reports:report_detail", publication)

    def get_figures_url(self, publication) -> str | None:
        return self._link("reports:api_report_figures", publication)


class ReportDetailSerializer(ReportSerializer):
    """One current publication in full: prose sections, figures (dict shape) and findings."""

    def to_representation(self, publication) -> dict:
        return serializers.ModelSerializer.to_representation(self, publication)

    class Meta(ReportSerializer.Meta):
        fields = ReportSerializer.Meta.fields + [
            "correction_note",
            "overview",
            "problems",
            "other_matters",
            "figures",
            "findings",
        ]


class FigureSerializer(serializers.ModelSerializer):
    """One published cell in long form."""

    row_label = serializers.SerializerMethodField()
    value = serializers.SerializerMethodField()

    class Meta:
        model = PublishedFigure
        fields = ["table", "row", "row_label", "column", "value"]

    def get_row_label(self, cell) -> str:
        return ROW_LABELS.get((cell.table, cell.row), cell.row)

    def get_value(self, cell) -> int | float | None:
        return plain_number(cell.value)
