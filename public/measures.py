"""The statistics measures: figures comparable across organs, years and both editions.

Each measure sums fixed cells of 表三 or 表四 (三.六 is one row in the 2019 edition and three
in 2021; a measure covers both). Publication has one column per measure, filled at
publication by :func:`publication_measures`, so the statistics page sums plain columns and
the public lists show four of them as key figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core import formats
from filing.figures import figures_cells

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
    """三's printed row labels, in the viewer's language when shown (format_labels.py)."""
    labels = {}
    for edition in formats.EDITION_DEFS.values():
        labels.update({r.key: _(r.label) for r in edition.section3_rows})
    labels.update({key: _(label) for key, (label, _pattern) in formats.SECTION3_GROUPS.items()})
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


# 表四's two litigation groups, summed.
LITIGATION_LABEL = _("行政诉讼（未经复议直接起诉＋复议后起诉）")


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
                format_lazy("{}·{}", _(formats.SECTION4_GROUPS[0].label), _(column.label)),
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
                format_lazy("{}·{}", LITIGATION_LABEL, _(column.label)),
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


def publication_measures(figures: dict, edition_key: str) -> dict[str, int | None]:
    """Every measure of one report's figures; None when every cell it sums is blank.

    Counts are whole numbers (a fraction is an error finding, check_non_integer), so a
    fractional sum is rounded to keep the column an integer.
    """

    cells = figures_cells(figures, edition_key)
    measures = {}
    for measure in MEASURES:
        found = [
            value
            for row in measure.rows
            for column in measure.columns
            if (value := cells.get((measure.table, row, column))) is not None
        ]
        measures[measure.key] = _whole(sum(found)) if found else None
    return measures


def _whole(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
