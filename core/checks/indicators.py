"""Indicators for supervisors: advice on a report's figures, never a finding, never a block.

Each indicator has its threshold and the least number of cases it needs to mean something,
defined once here and shown on the review page beside the value.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core import formats
from core.checks.base import View
from core.checks.messages import gettext_noop

TOTAL = formats.TOTAL_COLUMN
S4_GROUP, S4_CORRECTED, S4_TOTAL = "行政复议", "结果纠正", "总计"


@dataclass(frozen=True)
class Rule:
    """One indicator's definition: above (or below) ``threshold`` is worth a look."""

    key: str
    label: str
    threshold: Decimal
    above: bool  # True: a value above the threshold is flagged; False: below
    min_cases: int
    advice: str


RULES: dict[str, Rule] = {
    r.key: r
    for r in (
        Rule(
            "review_corrected",
            gettext_noop("行政复议纠错率（纠正 ÷ 总计）"),
            Decimal("0.20"),
            True,
            5,
            gettext_noop("被纠错的复议较多，建议了解答复中反复出现的问题。"),
        ),
        Rule(
            "cannot_provide",
            gettext_noop("“无法提供”占办理结果的比例"),
            Decimal("0.30"),
            True,
            10,
            gettext_noop("“无法提供”比例偏高，建议核实是否存在应公开未公开或检索不充分。"),
        ),
        Rule(
            "granted",
            gettext_noop("予以公开和部分公开占办理结果的比例"),
            Decimal("0.30"),
            False,
            10,
            gettext_noop("公开比例偏低，建议抽查不予公开、无法提供的答复理由。"),
        ),
        Rule(
            "stale_documents",
            gettext_noop("现行有效规章和规范性文件件数（本年未废止任何文件时）"),
            Decimal("20"),
            True,
            1,
            gettext_noop("现行有效文件较多而全年未废止，建议确认是否开展了文件清理。"),
        ),
    )
}


@dataclass(frozen=True)
class Indicator:
    """One indicator's value for a report and whether it crosses its threshold."""

    rule: Rule
    value: Decimal
    cases: int

    @property
    def flagged(self) -> bool:
        r = self.rule
        return self.value > r.threshold if r.above else self.value < r.threshold

    @property
    def is_share(self) -> bool:
        return self.rule.key != "stale_documents"


def _share(rule: Rule, part: Decimal | None, whole: Decimal | None) -> Indicator | None:
    if part is None or whole is None or whole < rule.min_cases or whole <= 0:
        return None
    return Indicator(rule, part / whole, int(whole))


def report_indicators(figures: dict, edition: str) -> list[Indicator]:
    """The indicators that have enough cases behind them, in a fixed order."""
    view = View(figures, edition)
    results = view.results_total.key
    handled = view.s3(results, TOTAL)
    rows = view.edition.section3_row_keys()

    def s3_sum(prefixes: tuple[str, ...]) -> Decimal | None:
        keys = [k for k in rows if k.startswith(prefixes)]
        values = [view.s3(k, TOTAL) for k in keys]
        return None if not keys or None in values else sum(values, Decimal(0))

    found = [
        _share(
            RULES["review_corrected"], view.s4(S4_GROUP, S4_CORRECTED), view.s4(S4_GROUP, S4_TOTAL)
        ),
        _share(RULES["cannot_provide"], s3_sum(("三.四",)), handled),
        _share(RULES["granted"], s3_sum(("三.一", "三.二")), handled),
        _stale_documents(view),
    ]
    return [i for i in found if i is not None]


def _stale_documents(view: View) -> Indicator | None:
    if view.edition.key != formats.EDITION_2021:
        return None  # the 2019 edition prints no repealed count
    block = view.edition.section2[0]
    _issued, repealed, stock = (c.key for c in block.columns)
    in_force = [view.s2(r.key, stock) for r in block.rows]
    gone = [view.s2(r.key, repealed) for r in block.rows]
    if None in in_force or None in gone or sum(gone) != 0:
        return None
    total = sum(in_force, Decimal(0))
    rule = RULES["stale_documents"]
    return Indicator(rule, total, int(total)) if total >= rule.min_cases else None
