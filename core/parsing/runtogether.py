"""Figures whose digits ran together ("2001003" for 2 0 0 1 0 0 3), read by arithmetic.

Text extraction and narrow columns glue neighbouring cells: ``1234`` may be
12|34, 123|4 or 1|234. The format's relations decide: a split must satisfy
the row's own rule (表三 总计 = the six applicant columns; 表四 group 总计 =
维持+纠正+其他+尚未审结) and, jointly with the other rows, the column rules
of 表三 (一+二 = (七)+四; (七) = Σ result rows). A printed figure is never
changed: a split only cuts digits apart, and a part never has a leading zero.

When more than one split survives, the cells that differ stay blank and the
candidates are reported; nothing is guessed. Enumeration is capped so a
hostile line costs microseconds, not seconds.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

from core import formats

# Most splits one row may have before we give up (blank + warning).
MAX_SPLITS = 2000
# Most joint combinations of ambiguous 表三 rows tried against the column rules.
MAX_JOINT = 20000


class TooMany(Exception):
    """The split space exceeds the caps; the caller leaves the cells blank."""


def _valid(part: str) -> bool:
    return part == "0" or not part.startswith("0")


def _cuts(token: str, k: int) -> list[list[str]]:
    """Every way to cut a digit string into k numbers without leading zeros."""
    if k == 1:
        return [[token]] if _valid(token) else []
    if len(token) < k:
        return []
    # A part starting with 0 is "0" itself, which prunes zero runs to one way.
    ends = [1] if token[0] == "0" else range(1, len(token) - k + 2)
    return [[token[:end], *rest] for end in ends for rest in _cuts(token[end:], k - 1)]


def glued(tokens: list[str]) -> bool:
    """A run of digits no figure prints ("000000", "0120"): cells that ran together, surely."""
    return any(t.isdigit() and len(t) > 1 and t.startswith("0") for t in tokens)


def splittable(tokens: list[str], width: int) -> bool:
    """Fewer figures than cells, all of them digits, and enough glued digits to make up the
    difference (a dash or a word among them is no run of figures to cut)."""
    if not tokens or len(tokens) >= width or not all(t.isdigit() for t in tokens):
        return False
    spare = sum(len(t) - 1 for t in tokens if t.isdigit())
    return spare >= width - len(tokens)


def expansions(tokens: list[str], width: int, cap: int = MAX_SPLITS) -> list[list[str]]:
    """All ways to cut the tokens into exactly ``width`` figures (raises TooMany past cap)."""
    need = width - len(tokens)
    if need < 0:
        return []
    out: list[list[str]] = []

    def walk(i: int, left: int, acc: list[str]) -> None:
        if i == len(tokens):
            if left == 0:
                out.append(list(acc))
                if len(out) > cap:
                    raise TooMany
            return
        token = tokens[i]
        most = len(token) - 1 if token.isdigit() else 0
        rest = capacity[i + 1]
        for extra in range(max(0, left - rest), min(most, left) + 1):
            for parts in _cuts(token, extra + 1) if token.isdigit() else [[token]]:
                walk(i + 1, left - extra, acc + parts)

    # A cheap upper bound first: C(total digits - 1, need) grows fast on hostile input.
    digits = sum(len(t) for t in tokens if t.isdigit())
    if need and math.comb(max(digits - 1, 0), need) > 50 * cap:
        raise TooMany
    # capacity[i]: the most extra figures tokens[i:] can yield.
    capacity = [0] * (len(tokens) + 1)
    for i in range(len(tokens) - 1, -1, -1):
        capacity[i] = capacity[i + 1] + (len(tokens[i]) - 1 if tokens[i].isdigit() else 0)
    walk(0, need, [])
    return out


def row_total(values: list[int]) -> bool:
    """The last cell is the sum of the others (表三 row, 表四 group)."""
    return values[-1] == sum(values[:-1])


def candidates(
    tokens: list[str], width: int, rule: Callable[[list[int]], bool]
) -> list[list[int]] | None:
    """Splits into ``width`` figures that satisfy ``rule``; None when past the caps."""
    try:
        found = expansions(tokens, width)
    except TooMany:
        return None
    if len(tokens) == 1 and len(found) == 1 and all(len(p) == 1 for p in found[0]):
        # One run of single digits ("4000216" into seven cells): no choice to make, so
        # the figures stand as printed even when they break a rule (the checks say so).
        # Several tokens may instead have lost a blank cell: the rules must hold.
        return [[int(p) for p in found[0]]]
    out = []
    for parts in found:
        values = [int(p) for p in parts]
        if rule(values) and values not in out:
            out.append(values)
    return out


def with_blanks(
    tokens: list[str], width: int, rule: Callable[[list], bool], cap: int = MAX_SPLITS
) -> list[list[int | None]] | None:
    """Readings of glued digits that also lost printed blank cells (fewer figures than cells).

    Each split into fewer than ``width`` figures, with the blanks at every position
    ``rule`` allows (it sees None for a blank). The blanks stay None: a printed blank is
    never a 0. None when past the caps.
    """
    out: list[list[int | None]] = []
    for count in range(width - 1, len(tokens) - 1, -1):
        try:
            found = expansions(tokens, count)
        except TooMany:
            return None
        if len(found) * math.comb(width, width - count) > 50 * cap:
            return None
        for parts in found:
            values = [int(p) for p in parts]
            for blanks in itertools.combinations(range(width), width - count):
                figures = iter(values)
                row = [None if i in blanks else next(figures) for i in range(width)]
                if rule(row) and row not in out:
                    out.append(row)
                    if len(out) > cap:
                        return None
    return out


def group_rule(size: int) -> Callable[[list[int]], bool]:
    """Every consecutive group of ``size`` cells ends in its total (表四)."""

    def rule(values: list[int]) -> bool:
        return all(row_total(values[i : i + size]) for i in range(0, len(values), size))

    return rule


def agree(options: list[list]) -> list[int | None]:
    """The cells every option agrees on (a blank in one option agrees with no figure)."""
    return [col[0] if len(set(col)) == 1 else None for col in zip(*options, strict=True)]


def joint(
    fixed: dict[str, list],
    open_rows: dict[str, list[list[int]]],
    relations: list[Callable[[dict[str, list]], bool | None]],
) -> dict[str, list[list[int]]]:
    """Narrow each open row's candidates to those that fit the column relations jointly.

    ``relations`` take the full table (row key -> values) and return False only
    when broken (None when they cannot be evaluated). When no combination fits
    (the report's own figures disagree) or the space is past the cap, the
    candidates come back unnarrowed.
    """
    keys = list(open_rows)
    if not keys or math.prod(len(open_rows[k]) for k in keys) > MAX_JOINT:
        return open_rows
    survivors: dict[str, list[list[int]]] = {k: [] for k in keys}
    table = dict(fixed)
    for combo in itertools.product(*(open_rows[k] for k in keys)):
        table.update(zip(keys, combo, strict=True))
        if all(relation(table) is not False for relation in relations):
            for key, values in zip(keys, combo, strict=True):
                if values not in survivors[key]:
                    survivors[key].append(values)
    if not all(survivors.values()):
        return open_rows
    return survivors


def section3_relations(edition):
    """表三's column rules as predicates on a partial table (None: cannot evaluate)."""
    keys = edition.section3_row_keys()
    new, carried_in, *results, results_total, carried_out = keys

    def column(table: dict, key: str, i: int):
        values = table.get(key)
        return values[i] if values is not None else None

    def balance(table: dict) -> bool | None:
        verdict = None
        for i in range(len(formats.APPLICANT_KEYS)):
            cells = [column(table, k, i) for k in (new, carried_in, results_total, carried_out)]
            if any(c is None for c in cells):
                continue
            if cells[0] + cells[1] != cells[2] + cells[3]:
                return False
            verdict = True
        return verdict

    def results_sum(table: dict) -> bool | None:
        verdict = None
        for i in range(len(formats.APPLICANT_KEYS)):
            cells = [column(table, k, i) for k in (*results, results_total)]
            if any(c is None for c in cells):
                continue
            if sum(cells[:-1]) != cells[-1]:
                return False
            verdict = True
        return verdict

    return [balance, results_sum]
