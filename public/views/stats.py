"""Public statistics across organs and years: the page with charts, and its CSV download."""

from __future__ import annotations

import html

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import csvsafe, formats
from organs.widgets import options_html
from public import measures, stats
from public.charts import Series, bar_chart, line_chart
from public.pagecache import cache_public_page


def _series(rows: list[dict]) -> list[Series]:
    return [Series(_series_label(r), r["values"]) for r in rows]


# (language, id of a label or definition) -> (it, its translation escaped): the labels are
# the measures' constants, translated ~80 times a page otherwise. The object is kept and
# compared, so a reused id of a discarded string is never taken for it.
_ESCAPED: dict[tuple[str | None, int], tuple[object, str]] = {}


def _escaped(text) -> str:
    """A (lazy) label or definition in the active language, escaped as the template's {{ }}."""
    key = (get_language(), id(text))
    found = _ESCAPED.get(key)
    if found is None or found[0] is not text:
        found = _ESCAPED[key] = (text, html.escape(str(text)))
    return found[1]


def _measure_text(measure, field: str):
    return measure[field] if isinstance(measure, dict) else getattr(measure, field)


def _cell(value) -> str:
    if value is None:
        return "—"
    return str(value) if type(value) is int else html.escape(str(value))


def _table_rows(rows: list[dict]) -> SafeString:
    """The rows of a section's table, built in one pass (the template loop's markup): a
    value as the template prints an integer (no separators), a blank one as "—"."""
    out = []
    for row in rows:
        cells = "".join(f'<td class="num">{_cell(value)}</td>' for value in row["values"])
        label = _escaped(_measure_text(row["measure"], "label"))
        out.append(f'<tr><th scope="row">{label}</th>{cells}</tr>')
    return mark_safe("\n".join(out))


def _definitions(rows: list[dict]) -> SafeString:
    """A section's definition list items: each row's label and definition."""
    return mark_safe(
        "\n".join(
            f"<dt>{_escaped(_measure_text(row['measure'], 'label'))}</dt>"
            f"<dd>{_escaped(_measure_text(row['measure'], 'definition'))}</dd>"
            for row in rows
        )
    )


def _sections(data: dict) -> list[dict]:
    """The page's figures: a chart, the same numbers as a table, and each row's definition."""
    labels = [str(y) for y in data["years"]]
    applications = stats.stats_rows(data, measures.APPLICATIONS)
    outcomes = stats.stats_rows(data, measures.OUTCOMES)
    review = stats.stats_rows(data, measures.REVIEW)
    litigation = stats.stats_rows(data, measures.LITIGATION)
    handled = [r for r in outcomes if r["measure"].key == "handled_total"]
    totals = [r for r in review + litigation if r["measure"].columns == ("总计",)]
    reports = {
        "measure": {"label": measures.REPORTS_LABEL, "definition": measures.REPORTS_DEFINITION},
        "values": [data["reports"].get(y) for y in data["years"]],
    }

    def section(key, heading, description, rows, chart_rows, chart=bar_chart):
        return {
            "id": key,
            "heading": heading,
            "description": description,
            "rows": _table_rows(rows),
            "definitions": _definitions(rows),
            "chart": chart(
                chart_id=f"chart-{key}",
                title=heading,
                description=description,
                labels=labels,
                series=_series(chart_rows),
            ),
        }

    return [
        section(
            "applications",
            _("收到与办结的申请（按年度）"),
            _("各年度全部机关新收的政府信息公开申请数与办理结果总计，折线图。"),
            applications + handled,
            applications + handled,
            chart=line_chart,
        ),
        section(
            "outcomes",
            _("申请办理结果（按类别和年度）"),
            _("各年度全部机关的申请办理结果，按予以公开、部分公开等类别分列，柱状图。"),
            outcomes,
            [r for r in outcomes if r is not handled[0]],
        ),
        section(
            "review",
            _("行政复议和行政诉讼（按结果和年度）"),
            _("各年度全部机关的行政复议和行政诉讼案件总数，柱状图；表格按结果分列。"),
            review + litigation,
            totals,
        ),
        section(
            "reports",
            _("已发布报告数（按年度）"),
            _("各年度已发布年度报告的机关数，柱状图。"),
            [reports],
            [{"measure": {"label": measures.REPORTS_LABEL}, "values": reports["values"]}],
        ),
    ]


def _series_label(row) -> str:
    measure = row["measure"]
    return str(measure["label"] if isinstance(measure, dict) else measure.label)


def stats_page(request):
    """Totals across organs per year and trends across years, with charts and tables."""
    filters = stats.stats_filters_from(request.GET)
    data, options = stats.stats_page_data(filters=filters)
    context = {
        "filters": filters,
        "options": options,
        "region_options": options_html(
            stats.stats_region_choices(options, filters), filters.region
        ),
        "editions": [(e.key, e.name) for e in formats.EDITION_DEFS.values()],
        "data": data,
        "year_heads": mark_safe(
            "".join(f'<th scope="col" class="num">{year}</th>' for year in data["years"])
        ),
        "sections": _sections(data) if data["years"] else [],
        "report_total": sum(data["reports"].values()),
        "query": urlencode(filters.as_query()),
    }
    return render(request, "reports/stats/index.html", context)


def stats_csv(request):
    """The page's numbers in long form (one measure a year a line), UTF-8 with a BOM."""
    filters = stats.stats_filters_from(request.GET)
    data = stats.stats_get(filters=filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="statistics.csv"'
    response.write("\ufeff")
    writer = csvsafe.writer(response)
    writer.writerow(
        [_("分类"), _("指标"), _("官方栏目"), _("年度"), _("数值"), _("定义"), _("筛选条件")]
    )
    scope = " ".join(f"{k}={v}" for k, v in filters.as_query().items())
    for measure in measures.MEASURES:
        for year in data["years"]:
            value = data["values"][measure.key].get(year)
            writer.writerow(
                [
                    measures.GROUPS[measure.group],
                    measure.key,
                    measure.label,
                    year,
                    "" if value is None else value,
                    measure.definition,
                    scope,
                ]
            )
    for year in data["years"]:
        writer.writerow(
            [
                measures.REPORTS_LABEL,
                "reports",
                measures.REPORTS_LABEL,
                year,
                data["reports"][year],
                measures.REPORTS_DEFINITION,
                scope,
            ]
        )
    return response


urlpatterns = [
    path("stats/", cache_public_page(stats_page, params=stats.stats_cache_params), name="stats"),
    path("stats/csv/", stats_csv, name="stats_csv"),
]
