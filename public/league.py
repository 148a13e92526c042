"""League tables of a region: its organs ranked on a few key measures, with last year's change.

The measures are defined once here (:data:`LEAGUE`), shown with their definitions on the
page, and read from the Publication measure columns (public.measures) except 结转下年度,
which is the one PublishedFigure cell 三·四·总计. Three queries whatever the region's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from core import formats
from organs.models import Organ
from public.models import Publication, PublishedFigure
from public.rollup import region_tree

CARRIED = "carried_over"
KINDS = {
    Organ.Kind.TOWN: Organ.Kind.TOWN.label,
    Organ.Kind.STREET: Organ.Kind.STREET.label,
    Organ.Kind.DEPARTMENT: Organ.Kind.DEPARTMENT.label,
}


@dataclass(frozen=True)
class LeagueMeasure:
    """A ranked measure: a count, or a share numerator / denominator of measure columns."""

    key: str
    label: str
    definition: str
    numerator: tuple[str, ...]
    denominator: str = ""

    @property
    def is_share(self) -> bool:
        return bool(self.denominator)

    def value(self, figures: dict) -> Decimal | None:
        """The measure of one organ's year (``figures``: measure column -> value or None)."""
        parts = [figures.get(k) for k in self.numerator]
        if all(p is None for p in parts):
            return None
        top = Decimal(sum(p or 0 for p in parts))
        if not self.denominator:
            return top
        bottom = figures.get(self.denominator)
        if not bottom:
            return None
        return (top * 100 / Decimal(bottom)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


LEAGUE = (
    LeagueMeasure(
        "received",
        _("本年新收申请"),
        _("本年度新收到的政府信息公开申请件数（表三第一行“总计”列）。"),
        ("received",),
    ),
    LeagueMeasure(
        "disclosed_share",
        _("予以公开和部分公开的比例（%）"),
        _("（（一）予以公开＋（二）部分公开）÷（七）总计，均取“总计”列。"),
        ("granted_full", "granted_partial"),
        "handled_total",
    ),
    LeagueMeasure(
        "refused_share",
        _("不予公开的比例（%）"),
        _("（三）不予公开1至8行之和 ÷（七）总计，均取“总计”列。"),
        ("refused",),
        "handled_total",
    ),
    LeagueMeasure(
        "review_corrected_share",
        _("行政复议被纠正的比例（%）"),
        _("表四行政复议“结果纠正”÷ 行政复议“总计”。"),
        ("review_corrected",),
        "review_total",
    ),
    LeagueMeasure(
        "litigation_lost",
        _("行政诉讼被纠正（败诉）件数"),
        _("表四未经复议直接起诉与复议后起诉两组“结果纠正”之和。"),
        ("litigation_corrected",),
    ),
    LeagueMeasure(
        CARRIED,
        _("结转下年度继续办理"),
        _("表三“四、结转下年度继续办理”行“总计”列。"),
        (CARRIED,),
    ),
)
LEAGUE_BY_KEY = {m.key: m for m in LEAGUE}
COLUMNS = sorted({k for m in LEAGUE for k in (*m.numerator, m.denominator) if k and k != CARRIED})


@dataclass
class Entry:
    rank: int
    organ_id: int
    name: str
    slug: str
    kind: str
    value: Decimal | None
    previous: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def league_figures(ids: list[int], years: list[int]) -> dict[tuple[int, int], dict]:
    """(organ id, year) -> the measure columns and 结转下年度, in two queries."""
    figures: dict[tuple[int, int], dict] = {}
    rows = (
        Publication.objects.current()
        .filter(year__in=years, organ_id__in=ids)
        .values("organ_id", "year", *COLUMNS)
        .order_by()
    )
    for row in rows:
        figures[(row.pop("organ_id"), row.pop("year"))] = row
    carried = (
        PublishedFigure.objects.filter(
            is_current=True,
            year__in=years,
            organ_id__in=ids,
            table=formats.SECTION3,
            row="四",
            column=formats.TOTAL_COLUMN,
        )
        .values_list("organ_id", "year", "value")
        .order_by()
    )
    for organ_id, year, value in carried:
        if (organ_id, year) in figures:
            figures[(organ_id, year)][CARRIED] = value
    return figures


def region_league(*, organ: Organ, year: int, kind: str = "") -> dict[str, list[Entry]]:
    """Each league measure's ranking (largest first; organs without the figure last)."""
    tree, kinds = region_tree()
    ids = sorted(tree.region([organ.pk]))
    figures = league_figures(ids, [year, year - 1])
    organ_ids = sorted({pk for pk, y in figures if y == year and (not kind or kinds[pk] == kind)})
    tables = {}
    for measure in LEAGUE:
        entries = []
        for pk in organ_ids:
            node = tree.nodes[pk]
            before = figures.get((pk, year - 1))
            entries.append(
                Entry(
                    0,
                    pk,
                    node.name,
                    node.slug,
                    kinds[pk],
                    measure.value(figures[(pk, year)]),
                    measure.value(before) if before else None,
                )
            )
        entries.sort(key=lambda e: (e.value is None, -(e.value or 0), e.name))
        for rank, entry in enumerate(entries, 1):
            entry.rank = rank if entry.value is not None else 0
        tables[measure.key] = entries
    return tables
