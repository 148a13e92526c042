"""Deliberate faults: the mistakes real reports contain, each with the findings it must raise.

A fault changes what the report *prints* (or what its prose states); the organ's true
figures, and so the next year's report, are untouched, except where the mistake itself
would be carried forward (a wrong stock of documents in force).
"""

from __future__ import annotations

import random

from core import formats

S2, S3, S4 = formats.SECTION2, formats.SECTION3, formats.SECTION4
TOTAL = 6  # index of 总计 in a 三 row

# Fault code -> finding codes core.checks raises for it (info codes included).
FAULTS: dict[str, tuple[str, ...]] = {
    "row_total_off": ("s3_row_total", "s3_results_total"),
    "balance_off": ("s3_balance",),
    "results_total_off": ("s3_results_total", "s3_balance"),
    "s4_total_off": ("s4_group_total",),
    "carryover_broken": ("carryover",),
    "prose_received": ("prose_received",),
    "prose_handled": ("prose_handled",),
    "prose_review": ("prose_review",),
    "negative": ("negative",),
    "decimal": ("non_integer",),
    "blank_cell": ("missing", "s3_row_total_unchecked", "s3_results_total_unchecked"),
    "blank_total": (
        "total_blank",
        "missing",
        "s3_row_total_unchecked",
        "s3_results_total_unchecked",
        "s3_balance_unchecked",
    ),
    "stock_off": ("s2_stock",),
}
# (faults, which report years may carry them, what the figures need) in planting order.
PLAN = (
    (("row_total_off",), range(2019, 2100), "三.四.1"),
    (("balance_off",), range(2019, 2100), ""),
    (("results_total_off",), range(2019, 2100), ""),
    (("s4_total_off",), range(2019, 2100), "review"),
    (("carryover_broken",), range(2020, 2100), "三.一"),
    (("prose_received",), range(2019, 2100), "received"),
    (("prose_review",), range(2019, 2100), ""),
    (("negative",), range(2019, 2100), "三.一"),
    (("decimal",), range(2019, 2100), "三.二"),
    (("blank_cell",), range(2019, 2100), ""),
    (("blank_total",), range(2019, 2100), "received"),
    (("stock_off",), range(2022, 2100), ""),
    (("balance_off", "prose_handled"), range(2019, 2100), "received"),
)


def eligible(need: str, figures: dict) -> bool:
    """Whether these figures can carry the fault believably (a cell to take one from ...)."""
    s3 = figures[S3]
    if need == "review":
        return figures[S4][4] > 0
    if need == "received":
        return s3["一"][TOTAL] >= 5
    if need:
        return s3[need][0] >= 2
    return True


def expected_codes(faults: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(code for fault in faults for code in FAULTS[fault]))


def _bump(row: list, column: int, delta) -> None:
    row[column] += delta
    row[TOTAL] += delta


def plant(fault: str, figures: dict, stated: dict, rng: random.Random) -> None:
    """Change the printed figures (or the prose numbers) the way a clerk would get it wrong."""
    s3 = figures[S3]
    column = rng.choice((0, 0, 0, 1, 4))
    if fault == "row_total_off":
        s3["三.四.1"][TOTAL] += rng.choice((-1, 1))
    elif fault == "balance_off":
        _bump(s3["一"], column, 1)
    elif fault == "results_total_off":
        _bump(s3["三.七"], column, rng.choice((1, 2)))
    elif fault == "s4_total_off":
        figures[S4][4] += 1
    elif fault == "carryover_broken":
        # Self-consistent this year, but 二 no longer equals last year's 四.
        for key in ("二", "三.一", "三.七"):
            _bump(s3[key], 0, 1)
    elif fault == "prose_received":
        stated["依申请收到"] += rng.choice((-2, -1, 1, 3))
    elif fault == "prose_handled":
        stated["依申请处理"] += rng.choice((-1, 1))
    elif fault == "prose_review":
        stated["行政复议"] += 1
    elif fault == "negative":
        # "-1" typed in one result row and the count moved to 予以公开: every sum still holds.
        moved = 1 + s3["三.五.2"][0]
        _bump(s3["三.五.2"], 0, -moved)
        _bump(s3["三.一"], 0, moved)
    elif fault == "decimal":
        _bump(s3["三.一"], 0, 0.5)
        _bump(s3["三.二"], 0, -0.5)
    elif fault == "blank_cell":
        s3["三.三.2"][2] = None
    elif fault == "blank_total":
        s3["三.七"][TOTAL] = None
    elif fault == "stock_off":
        figures[S2]["行政规范性文件"]["现行有效件数"] += rng.choice((-2, 1, 3))
    else:
        raise ValueError(fault)
