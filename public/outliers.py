"""Outliers of a region's published figures for its supervisors (rules in core.outliers).

Two queries (the league figures of this year and last) besides the organ tree.
"""

from __future__ import annotations

from django.utils.translation import gettext

from core import outliers
from organs.models import Organ
from public.league import league_figures
from public.rollup import region_tree


def describe(outlier: outliers.Outlier) -> str:
    """The figures that make an outlier stand out, in a sentence."""
    f = outlier.figures
    if outlier.rule == outliers.HISTORY:
        return gettext("本年新收申请 %(current)s 件，上年 %(previous)s 件。") % {
            "current": f["current"],
            "previous": f["previous"],
        }
    return (
        gettext(
            "不予公开比例 %(share)s%%（%(numerator)s/%(denominator)s），"
            "本地区 %(peers)s 个可比机关的中位数为 %(median)s%%。"
        )
        % f
    )


def region_outliers(*, organ: Organ, year: int) -> list[dict]:
    """Organs of the region whose published figures stand out this year, with why."""
    tree, _kinds = region_tree()
    ids = sorted(tree.region([organ.pk]))
    figures = league_figures(ids, [year, year - 1])
    current = {pk: f["received"] for (pk, y), f in figures.items() if y == year}
    previous = {pk: f["received"] for (pk, y), f in figures.items() if y == year - 1}
    shares = {pk: (f["refused"], f["handled_total"]) for (pk, y), f in figures.items() if y == year}
    found = outliers.history_outliers(current, previous) + outliers.share_outliers(shares)
    return [
        {
            "organ": tree.nodes[o.key],
            "rule": o.rule,
            "measure": o.measure,
            "figures": o.figures,
            "text": describe(o),
        }
        for o in sorted(found, key=lambda o: tree.nodes[o.key].name)
    ]
