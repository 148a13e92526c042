"""Outlier badges for the review queue: submitted figures against history and sibling organs.

The rules are core.outliers'; here the figures are the live reports' (a supervisor sees every
report of the region), read in one query for the whole page of the queue. Advice only.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.db.models import BooleanField, Q, Sum
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext

from core import formats, outliers
from core.figureset import plain_number
from filing.models import AnnualReport, Figure
from organs.models import Organ

RECEIVED = "一"
HANDLED = "三.七"
REFUSED = tuple(r.key for r in formats.get_edition(formats.EDITION_2021).section3_rows
                if r.group == "三.三")  # fmt: skip


def _texts(outlier: outliers.Outlier) -> str:
    f = outlier.figures
    if outlier.rule == outliers.HISTORY:
        return gettext("新收申请 %(current)s 件，上年 %(previous)s 件") % f
    return gettext("不予公开比例 %(share)s%%，同级机关中位数 %(median)s%%") % f


def _among(model, column: str, ids) -> Q | RawSQL:
    """``column IN ids`` as one array parameter on PostgreSQL: a page's siblings are hundreds
    of ids, and a placeholder each cost more to bind than the query took to run."""
    ids = sorted(set(ids))
    if connection.vendor != "postgresql":
        return Q(**{f"{column}__in": ids})
    qualified = (
        f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(column)}"
    )
    return RawSQL(f"{qualified} = ANY(%s)", (ids,), output_field=BooleanField())


def attach_outliers(reports: list) -> None:
    """Set ``report.outliers`` (short texts) on each report of a queue page."""
    for report in reports:
        report.outliers = []
    if not reports:
        return
    # The reports whose cells are read: the page's organs in its years and the year before
    # (the history rule), and each page report's siblings in its year (the share's peers).
    # Each read goes through an index from a list of ids (the siblings by their parent, then
    # their reports by (year, organ)), so it costs what the page's organs and their siblings
    # are, never a pass over a year's reports or the organ tree (which grow with the data).
    by_year: dict[int, set] = defaultdict(set)
    for report in reports:
        if report.organ.parent_id:
            by_year[report.year].add(report.organ.parent_id)
    parents = {p for group in by_year.values() for p in group}
    siblings: dict[int, list[int]] = defaultdict(list)
    for pk, parent_id in Organ.objects.filter(parent_id__in=parents).values_list("pk", "parent_id"):
        siblings[parent_id].append(pk)
    parent_of = {pk: parent for parent, pks in siblings.items() for pk in pks}
    parent_of.update({r.organ_id: r.organ.parent_id for r in reports})
    years = {r.year for r in reports} | {r.year - 1 for r in reports}
    bare = AnnualReport.objects.order_by().values_list("pk", "organ_id", "year")
    wanted = bare.filter(_among(AnnualReport, "organ_id", [r.organ_id for r in reports]))
    wanted = wanted.filter(year__in=years)
    peers = [
        bare.filter(
            _among(AnnualReport, "organ_id", [pk for p in group for pk in siblings[p]]), year=year
        )
        for year, group in sorted(by_year.items())
    ]
    if peers:
        wanted = wanted.union(*peers, all=True)
    place = {pk: (organ_id, year) for pk, organ_id, year in wanted}
    # The sums are the database's: one row per report instead of ten per report.
    rows = (
        Figure.objects.filter(
            _among(Figure, "report_id", place),
            table=formats.SECTION3,
            column=formats.TOTAL_COLUMN,
            row__in=(RECEIVED, HANDLED, *REFUSED),
        )
        .order_by()
        .values_list("report_id")
        .annotate(
            received=Sum("value", filter=Q(row=RECEIVED)),
            handled=Sum("value", filter=Q(row=HANDLED)),
            refused=Sum("value", filter=Q(row__in=REFUSED)),
        )
    )
    cells: dict[tuple[int, int], dict] = {}
    for report_id, received, handled, refused in rows:
        cells[place[report_id]] = {
            RECEIVED: plain_number(received),
            HANDLED: plain_number(handled),
            "refused": plain_number(refused) if refused is not None else 0,
        }
    # Siblings' shares grouped once by (parent, year), and each group judged once: a page of
    # 50 reports walked every cell for every report (135,000 steps at 20,000 reports).
    groups: dict[tuple, dict] = defaultdict(dict)
    for (pk, year), c in cells.items():
        groups[(parent_of.get(pk), year)][pk] = (c.get("refused", 0), c.get(HANDLED))
    judged: dict[tuple, list] = {}
    for report in reports:
        mine = cells.get((report.organ_id, report.year), {})
        before = cells.get((report.organ_id, report.year - 1), {})
        found = outliers.history_outliers(
            {report.organ_id: mine.get(RECEIVED)}, {report.organ_id: before.get(RECEIVED)}
        )
        group = (report.organ.parent_id, report.year)
        if group not in judged:
            judged[group] = outliers.share_outliers(groups.get(group, {}))
        found += [o for o in judged[group] if o.key == report.organ_id]
        report.outliers = [_texts(o) for o in found]
