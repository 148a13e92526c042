"""Numbers stated in the report's prose against the same numbers in its tables."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core import formats
from core.checks.base import WARNING, Cell, Finding, View, fmt, number, total, unchecked

TOTAL = formats.TOTAL_COLUMN


@dataclass(frozen=True)
class Target:
    """Where a prose number should appear: the printed total and the sum of its parts."""

    name: str  # e.g. 表三“（七）总计”行总计列
    parts_name: str  # e.g. 六类申请人之和
    printed: Decimal | None
    computed: Decimal | None
    cells: tuple[Cell, ...]


def _s3_row(view: View, key: str) -> Target:
    cells = tuple((formats.SECTION3, key, c) for c in formats.APPLICANT_KEYS)
    return Target(
        name=f"表三“{view.row_name(key)}”行总计列",
        parts_name="六类申请人之和",
        printed=view.s3(key, TOTAL),
        computed=total([view.s3(key, c) for c in formats.APPLICANT_PARTS]),
        cells=cells,
    )


def _s4_groups(view: View, groups) -> Target:
    *parts, total_column = (c.key for c in formats.SECTION4_COLUMNS)
    names = "与".join(f"“{g.label}”" for g in groups)
    plural = len(groups) > 1
    return Target(
        name=f"表四{names}{total_column}{'之和' if plural else ''}",
        parts_name=f"{'各组' if plural else ''}各项结果之和",
        printed=total([view.s4(g.key, total_column) for g in groups]),
        computed=total([view.s4(g.key, c) for g in groups for c in parts]),
        cells=tuple((formats.SECTION4, g.key, c) for g in groups for c in (*parts, total_column)),
    )


def _compare(code: str, key: str, view: View, prose_numbers: dict | None, target: Target):
    stated = number((prose_numbers or {}).get(key))
    if stated is None:
        return []
    what = formats.PROSE_KEYS[key]
    if target.printed is None and target.computed is None:
        blanks = [c for c in target.cells if view.get(c) is None]
        return unchecked(code, view, f"正文{what}与{target.name}对照", blanks)
    # A total that disagrees with its own parts is already an error; either reading may match.
    if stated in (target.printed, target.computed):
        return []
    message = f"正文所述{what}为 {fmt(stated)}，而{target.name}"
    if target.printed is None:
        message += f"空白，{target.parts_name}为 {fmt(target.computed)}。"
    elif target.computed is None or target.computed == target.printed:
        message += f"为 {fmt(target.printed)}。"
    else:
        message += (
            f"为 {fmt(target.printed)}，{target.parts_name}为 {fmt(target.computed)}，均不相符。"
        )
    return [Finding(code, WARNING, message, target.cells)]


def check_prose_received(figures: dict, edition: str, prose_numbers: dict | None):
    """Prose 依申请收到 against 表三 一 本年新收 总计."""
    view = View(figures, edition)
    return _compare(
        "prose_received", "依申请收到", view, prose_numbers, _s3_row(view, view.new.key)
    )


def check_prose_handled(figures: dict, edition: str, prose_numbers: dict | None):
    """Prose 依申请处理 against 表三 (七) 总计 总计."""
    view = View(figures, edition)
    target = _s3_row(view, view.results_total.key)
    return _compare("prose_handled", "依申请处理", view, prose_numbers, target)


def check_prose_review(figures: dict, edition: str, prose_numbers: dict | None):
    """Prose 行政复议 against 表四 行政复议 总计."""
    view = View(figures, edition)
    target = _s4_groups(view, formats.SECTION4_GROUPS[:1])
    return _compare("prose_review", "行政复议", view, prose_numbers, target)


def check_prose_litigation(figures: dict, edition: str, prose_numbers: dict | None):
    """Prose 行政诉讼 against the two litigation groups' 总计 of 表四, summed."""
    view = View(figures, edition)
    target = _s4_groups(view, formats.SECTION4_GROUPS[1:])
    return _compare("prose_litigation", "行政诉讼", view, prose_numbers, target)


PROSE_CHECKS = (
    check_prose_received,
    check_prose_handled,
    check_prose_review,
    check_prose_litigation,
)
