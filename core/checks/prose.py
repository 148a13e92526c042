"""Numbers stated in the report's prose against the same numbers in its tables.

Each check takes the prose numbers and, optionally, ``evidence``: the sentence each number
came from (core.parsing.prose.Statement.evidence()), which the finding carries so the
reviewer can verify it without opening the file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from core import formats
from core.checks.base import (
    INFO,
    WARNING,
    Cell,
    Finding,
    View,
    finding,
    joined,
    number,
    phrase,
    quoted,
    total,
    unchecked,
)
from core.checks.messages import MESSAGES

TOTAL = formats.TOTAL_COLUMN
NEW, CARRIED_IN, CARRIED_OUT, RECEIVED = "本年新收", "上年结转", "结转下年度", "依申请收到"


def what(key: str) -> str:
    """What a prose key counts, in words."""
    return MESSAGES.get(f"what:{key}") or formats.PROSE_KEYS[key]


@dataclass(frozen=True)
class Target:
    """Where a prose number should appear: the printed total and the sum of its parts."""

    name: dict  # a phrase, e.g. 表三“（七）总计”行总计列
    parts_name: str  # a catalogue word, e.g. 六类申请人之和
    printed: Decimal | None
    computed: Decimal | None
    cells: tuple[Cell, ...]

    @property
    def value(self) -> Decimal | None:
        """The printed total, or the sum of its parts when it is blank."""
        return self.printed if self.printed is not None else self.computed


def _s3_row(view: View, key: str) -> Target:
    cells = tuple((formats.SECTION3, key, c) for c in formats.APPLICANT_KEYS)
    return Target(
        name=phrase("phrase:s3_row_total", row=view.row_label(key)),
        parts_name="六类申请人之和",
        printed=view.s3(key, TOTAL),
        computed=total([view.s3(key, c) for c in formats.APPLICANT_PARTS]),
        cells=cells,
    )


def _s4_groups(view: View, groups) -> Target:
    *parts, total_column = (c.key for c in formats.SECTION4_COLUMNS)
    plural = len(groups) > 1
    if plural:
        names = joined([quoted(g.label) for g in groups], "与")
        name = phrase("phrase:s4_groups_total", names=names, column=total_column)
    else:
        name = phrase("phrase:s4_total", group=groups[0].label, column=total_column)
    return Target(
        name=name,
        parts_name=f"{'各组' if plural else ''}各项结果之和",
        printed=total([view.s4(g.key, total_column) for g in groups]),
        computed=total([view.s4(g.key, c) for g in groups for c in parts]),
        cells=tuple((formats.SECTION4, g.key, c) for g in groups for c in (*parts, total_column)),
    )


def _evidence(evidence: dict | None, key: str) -> dict | None:
    return (evidence or {}).get(key)


def _compare(code, key, view, prose_numbers, target: Target, evidence=None):
    stated = number((prose_numbers or {}).get(key))
    if stated is None:
        return []
    if target.printed is None and target.computed is None:
        blanks = [c for c in target.cells if view.get(c) is None]
        rule = phrase("phrase:prose_rule", what=what(key), target=target.name)
        found = unchecked(code, view, rule, blanks)
        return [_with_evidence(f, _evidence(evidence, key)) for f in found]
    # A total that disagrees with its own parts is already an error; either reading may match.
    if stated in (target.printed, target.computed):
        return []
    params = {"what": what(key), "stated": stated, "target": target.name}
    if target.printed is None:
        params.update(template="prose:blank", parts_name=target.parts_name)
        params["computed"] = target.computed
    elif target.computed is None or target.computed == target.printed:
        params.update(template="prose:printed", printed=target.printed)
    else:
        params.update(template="prose:both", printed=target.printed, computed=target.computed)
        params["parts_name"] = target.parts_name
    return [finding(code, WARNING, target.cells, evidence=_evidence(evidence, key), **params)]


def _with_evidence(found: Finding, evidence: dict | None) -> Finding:
    return found if evidence is None else replace(found, evidence=evidence)


def _says_new(numbers: dict) -> bool:
    """The "收到…申请" statement is itself the "新收" one ("本年新收到申请 N 件")."""
    stated = number(numbers.get(NEW))
    return stated is not None and stated == number(numbers.get(RECEIVED))


def check_prose_received(figures: dict, edition: str, prose_numbers: dict | None, evidence=None):
    """Prose "收到…申请 N 件" against 表三 一, or 一 + 二: reports use the phrase for both.

    When the same statement says 新收 ("新收到…申请 N 件") it means 一 alone.
    """
    numbers = prose_numbers or {}
    view = View(figures, edition)
    new, carried = _s3_row(view, view.new.key), _s3_row(view, view.carried_in.key)
    found = _compare("prose_received", RECEIVED, view, numbers, new, evidence)
    stated = number(numbers.get(RECEIVED))
    if not found or found[0].code != "prose_received" or not carried.value or _says_new(numbers):
        return found  # matched 一, unevaluable, no carry-over to add, or "新收到" means 一
    both = new.value + carried.value
    cells = new.cells + carried.cells
    shown = _evidence(evidence, RECEIVED)
    if stated == both:
        params = {"stated": stated, "new": new.value, "carried": carried.value}
        return [finding("prose_received_with_carryover", INFO, cells, evidence=shown, **params)]
    params = {"what": what(RECEIVED), "stated": stated, "target": new.name}
    params.update(printed=new.value, both=both)
    return [finding("prose_received", WARNING, new.cells, evidence=shown, **params)]


def check_prose_new(figures: dict, edition: str, prose_numbers: dict | None, evidence=None):
    """Prose 本年新收 against 表三 一 本年新收 总计 (when check_prose_received has not)."""
    if _says_new(prose_numbers or {}):
        return []
    view = View(figures, edition)
    target = _s3_row(view, view.new.key)
    return _compare("prose_new", NEW, view, prose_numbers, target, evidence)


def check_prose_carried_in(figures: dict, edition: str, prose_numbers: dict | None, evidence=None):
    """Prose 上年结转 against 表三 二 上年结转 总计."""
    view = View(figures, edition)
    target = _s3_row(view, view.carried_in.key)
    return _compare("prose_carried_in", CARRIED_IN, view, prose_numbers, target, evidence)


def check_prose_carried_out(figures: dict, edition: str, prose_numbers: dict | None, evidence=None):
    """Prose 结转下年度 against 表三 四 结转下年度继续办理 总计."""
    view = View(figures, edition)
    target = _s3_row(view, view.carried_out.key)
    return _compare("prose_carried_out", CARRIED_OUT, view, prose_numbers, target, evidence)


def check_prose_handled(figures: dict, edition: str, prose_numbers: dict | None, evidence=None):
    """Prose 依申请处理 against 表三 (七) 总计 总计."""
    view = View(figures, edition)
    target = _s3_row(view, view.results_total.key)
    return _compare("prose_handled", "依申请处理", view, prose_numbers, target, evidence)


def check_prose_review(figures: dict, edition: str, prose_numbers: dict | None, evidence=None):
    """Prose 行政复议 against 表四 行政复议 总计."""
    view = View(figures, edition)
    target = _s4_groups(view, formats.SECTION4_GROUPS[:1])
    return _compare("prose_review", "行政复议", view, prose_numbers, target, evidence)


def check_prose_litigation(figures: dict, edition: str, prose_numbers: dict | None, evidence=None):
    """Prose 行政诉讼 against the two litigation groups' 总计 of 表四, summed."""
    view = View(figures, edition)
    target = _s4_groups(view, formats.SECTION4_GROUPS[1:])
    return _compare("prose_litigation", "行政诉讼", view, prose_numbers, target, evidence)


PROSE_CHECKS = (
    check_prose_received,
    check_prose_new,
    check_prose_carried_in,
    check_prose_carried_out,
    check_prose_handled,
    check_prose_review,
    check_prose_litigation,
)
