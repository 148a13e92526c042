"""Statistics across organs and years, aggregated in the database from published figures.

Only current publications count (Publication.is_current, summing the measures each
publication stored when it was made); live reports, drafts and superseded versions never do. Results are cached per filter set under a version token that
every publication bumps (see :func:`stats_cache_bump`, connected in ReportsConfig.ready).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, DecimalField, Q, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from reports import formats
from reports.figures import plain_number
from reports.models import Organ, Publication

CACHE_VERSION_KEY = "stats:version"
CACHE_TIMEOUT = 24 * 3600

APPLICATIONS = "applications"
OUTCOMES = "outcomes"
REVIEW = "review"
LITIGATION = "litigation"
GROUPS = {
    APPLICATIONS: _("政府信息公开申请"),
    OUTCOMES: _("申请办理结果"),
    REVIEW: _("行政复议"),
    LITIGATION: _("行政诉讼"),
}


@dataclass(frozen=True)
class Measure:
    """A comparable figure: the cells it sums in either edition, its label and definition."""

    key: str
    group: str
    table: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    label: str
    definition: str


def _s3_labels() -> dict[str, str]:
    labels = {}
    for edition in formats.EDITION_DEFS.values():
        labels.update({r.key: r.label for r in edition.section3_rows})
    labels.update({key: label for key, (label, _pattern) in formats.SECTION3_GROUPS.items()})
    return labels


def _s3_group_rows(group: str) -> tuple[str, ...]:
    """Sub-rows of a 三 group in both editions (三.六 is one row in 2019, three in 2021)."""
    keys = []
    for edition in formats.EDITION_DEFS.values():
        for row in edition.section3_rows:
            if (row.group == group or row.key == group) and row.key not in keys:
                keys.append(row.key)
    return tuple(keys)


def _s3(key: str, source: str, definition) -> Measure:
    """An outcome measure from one 三 row, or from all sub-rows of a group (source)."""
    rows = _s3_group_rows(source)
    label = _s3_labels()[source]
    return Measure(
        key, OUTCOMES, formats.SECTION3, rows, (formats.TOTAL_COLUMN,), label, definition
    )


# Stable ASCII keys for the CSV and the API.
_S4_SLUGS = {
    "结果维持": "upheld",
    "结果纠正": "corrected",
    "其他结果": "other",
    "尚未审结": "pending",
    "总计": "total",
}
_S4_DEFINITIONS = {
    "结果维持": _("复议机关或人民法院维持本机关原行为的案件数。"),
    "结果纠正": _("被撤销、变更、确认违法或责令履行等予以纠正的案件数。"),
    "其他结果": _("驳回、撤回、终止等其他结果的案件数。"),
    "尚未审结": _("截至年底尚未审结的案件数。"),
    "总计": _("上述四项之和。"),
}


def _s4_measures() -> list[Measure]:
    review, direct, after = (g.key for g in formats.SECTION4_GROUPS)
    measures = []
    for column in formats.SECTION4_COLUMNS:
        measures.append(
            Measure(
                f"review_{_S4_SLUGS[column.key]}",
                REVIEW,
                formats.SECTION4,
                (review,),
                (column.key,),
                f"{formats.SECTION4_GROUPS[0].label}·{column.label}",
                _S4_DEFINITIONS[column.key],
            )
        )
    for column in formats.SECTION4_COLUMNS:
        measures.append(
            Measure(
                f"litigation_{_S4_SLUGS[column.key]}",
                LITIGATION,
                formats.SECTION4,
                (direct, after),
                (column.key,),
                f"行政诉讼（未经复议直接起诉＋复议后起诉）·{column.label}",
                _S4_DEFINITIONS[column.key],
            )
        )
    return measures


def _measures() -> tuple[Measure, ...]:
    received = Measure(
        "received",
        APPLICATIONS,
        formats.SECTION3,
        ("一",),
        (formats.TOTAL_COLUMN,),
        _s3_labels()["一"],
        _("本年度新收到的政府信息公开申请件数（表三第一行“总计”列），不含上年结转。"),
    )
    outcomes = (
        _s3("granted_full", "三.一", _("全部予以公开的申请件数（表三（一）行“总计”列）。")),
        _s3("granted_partial", "三.二", _("部分公开、部分不予公开的申请件数。")),
        _s3(
            "refused",
            "三.三",
            _("不予公开的申请件数：（三）项下1至8行（国家秘密、第三方合法权益等）之和。"),
        ),
        _s3(
            "unavailable",
            "三.四",
            _("无法提供的申请件数：本机关不掌握、需另行制作、补正后仍不明确三行之和。"),
        ),
        _s3(
            "not_processed",
            "三.五",
            _("不予处理的申请件数：信访举报投诉、重复申请等五行之和。"),
        ),
        _s3(
            "other",
            "三.六",
            _(
                "其他处理的申请件数。2019年版为单独一行，2021年版分为1至3小项"
                "（逾期不补正、逾期未缴费、其他），此处合计，使两版可比。"
            ),
        ),
        _s3("handled_total", "三.七", _("本年度办理结果合计（表三（七）总计行“总计”列）。")),
    )
    return (received, *outcomes, *_s4_measures())


MEASURES = _measures()
MEASURES_BY_KEY = {m.key: m for m in MEASURES}
REPORTS_LABEL = _("已发布报告数")
REPORTS_DEFINITION = _("当年度已发布年度报告的机关数；更正后的报告只计一次。")


@dataclass(frozen=True)
class StatsFilters:
    """The public filters of the statistics page; blank means "all"."""

    region: str = ""
    year: int | None = None
    edition: str = ""

    def cache_key(self, version: str) -> str:
        return f"stats:{version}:{self.region}:{self.year or ''}:{self.edition}"

    def as_query(self) -> dict[str, str]:
        query = {"region": self.region, "year": self.year, "edition": self.edition}
        return {k: str(v) for k, v in query.items() if v}


def stats_filters_from(params) -> StatsFilters:
    """Filters from a query dict; values that cannot be valid are dropped, not errors."""
    region = (params.get("region") or "").strip()
    year = (params.get("year") or "").strip()
    edition = (params.get("edition") or "").strip()
    return StatsFilters(
        region=region if region and len(region) <= 60 else "",
        year=int(year) if year.isdigit() and 1990 <= int(year) <= 2200 else None,
        edition=edition if edition in formats.EDITIONS else "",
    )


def _scope(queryset, filters: StatsFilters):
    if filters.year:
        queryset = queryset.filter(year=filters.year)
    if filters.edition:
        queryset = queryset.filter(edition=filters.edition)
    if filters.region:
        organ = Organ.objects.filter(slug=filters.region).first()
        if organ is None:
            return queryset.none()
        queryset = queryset.filter(organ_id__in=organ.region_ids())
    return queryset


def publication_measures(figures: dict, edition_key: str) -> dict[str, int | float]:
    """Each measure of one report's figures, left out when every cell it sums is blank.

    Stored on Publication.measures at publication, so the statistics sum one row a report.
    Blank measures are absent rather than JSON null: SQLite reads a null key as 0.
    """
    from reports.figures import figures_cells

    cells = figures_cells(figures, edition_key)
    measures = {}
    for measure in MEASURES:
        found = [
            value
            for row in measure.rows
            for column in measure.columns
            if (value := cells.get((measure.table, row, column))) is not None
        ]
        if found:
            measures[measure.key] = plain_number(sum(found))
    return measures


def _measure_sum(key: str) -> Sum:
    number = DecimalField(max_digits=18, decimal_places=2)
    return Sum(Cast(KeyTextTransform(key, "measures"), number))


def stats_aggregate(*, filters: StatsFilters) -> dict:
    """Sum the measures per year in the database (one query plus the region lookup).

    Returns {"years": [...], "reports": {year: n}, "values": {measure: {year: value}}};
    a value is None when no published report filled any of its cells.
    """
    rows = (
        _scope(Publication.objects.current(), filters)
        .values("year")
        .annotate(reports=Count("id"), **{m.key: _measure_sum(m.key) for m in MEASURES})
        .order_by("year")
    )
    years, reports = [], {}
    values: dict[str, dict[int, int | float | None]] = {m.key: {} for m in MEASURES}
    for row in rows:
        year = row["year"]
        years.append(year)
        reports[year] = row["reports"]
        for measure in MEASURES:
            values[measure.key][year] = plain_number(row[measure.key])
    return {"years": years, "reports": reports, "values": values}


def cache_version() -> str:
    """A token that changes whenever a report is published or corrected (cache keys use it)."""
    version = cache.get(CACHE_VERSION_KEY)
    if version is None:
        cache.add(CACHE_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(CACHE_VERSION_KEY)
    return version


def stats_get(*, filters: StatsFilters) -> dict:
    """The aggregates for these filters, from the cache when nothing was published since."""
    key = filters.cache_key(cache_version())
    data = cache.get(key)
    if data is None:
        data = stats_aggregate(filters=filters)
        cache.set(key, data, CACHE_TIMEOUT)
    return data


def stats_cache_bump(**kwargs) -> None:
    """Receiver of publication_changed: make every cached aggregate stale at once."""
    cache.set(CACHE_VERSION_KEY, uuid.uuid4().hex, None)


def stats_filter_options() -> dict:
    """Years and organs that have current publications, for the filter form (cached)."""
    key = f"stats:{cache_version()}:options"
    options = cache.get(key)
    if options is None:
        # order_by(): the model's default ordering would make DISTINCT see every row.
        years = Publication.objects.current().values_list("year", flat=True).order_by().distinct()
        # Subqueries rather than a join on children: no DISTINCT over whole organ rows.
        parents = Organ.objects.filter(parent__isnull=False).values("parent_id")
        organs = Organ.objects.filter(
            Q(pk__in=parents) | Q(pk__in=Publication.objects.current().values("organ"))
        ).order_by("parent_id", "name")
        options = {
            "years": sorted(set(years), reverse=True),
            "regions": [
                (slug, short or name)
                for slug, name, short in organs.values_list("slug", "name", "short_name")
            ],
        }
        cache.set(key, options, CACHE_TIMEOUT)
    return options


def stats_rows(data: dict, group: str) -> list[dict]:
    """The measures of one group with their values in year order, for tables and charts."""
    return [
        {
            "measure": m,
            "values": [data["values"][m.key].get(y) for y in data["years"]],
        }
        for m in MEASURES
        if m.group == group
    ]
