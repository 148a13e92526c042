"""Figures that stand out: advice for a supervisor, never a block. Plain numbers in, no Django.

Two rules, each with a floor so ordinary variation raises nothing:

- against the organ's own history: new applications changed by a factor of
  :data:`HISTORY_RATIO` or more (either way) where the larger year had at least
  :data:`HISTORY_MIN` (a town that received thousands last year and none this year);
- against comparable organs: a refusal share whose robust z-score (median and MAD of the
  peers, Iglewicz and Hoaglin's 0.6745 scaling) exceeds :data:`Z_LIMIT`, counted only for
  organs that handled at least :data:`MIN_CASES` applications, among at least
  :data:`MIN_PEERS` of them, and at least :data:`MIN_GAP` above the median.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field

HISTORY_RATIO = 4
HISTORY_MIN = 50
MIN_CASES = 20
MIN_PEERS = 5
Z_LIMIT = 3.5
MIN_GAP = 0.15

HISTORY = "history"
PEERS = "peers"


@dataclass(frozen=True)
class Outlier:
    """One organ's standing-out figure and the numbers that make it stand out."""

    key: object  # the caller's organ id
    rule: str
    measure: str
    figures: dict = field(default_factory=dict)


def history_outliers(
    current: Mapping[object, float | None], previous: Mapping[object, float | None]
) -> list[Outlier]:
    """Organs whose count moved by HISTORY_RATIO× or more from last year, at a HISTORY_MIN size."""
    found = []
    for key, now in current.items():
        before = previous.get(key)
        if now is None or before is None:
            continue
        big, small = max(now, before), min(now, before)
        if big >= HISTORY_MIN and big >= HISTORY_RATIO * max(small, 1):
            found.append(Outlier(key, HISTORY, "received", {"previous": before, "current": now}))
    return found


def robust_z(value: float, values: list[float]) -> float | None:
    """(value − median) scaled by the median absolute deviation; None when the MAD is 0."""
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values)
    if mad == 0:
        return None
    return 0.6745 * (value - median) / mad


def share_outliers(
    shares: Mapping[object, tuple[float | None, float | None]], measure: str = "refused_share"
) -> list[Outlier]:
    """Organs whose share (numerator, denominator) lies far above their peers'."""
    eligible = {
        key: num / den
        for key, (num, den) in shares.items()
        if num is not None and den is not None and den >= MIN_CASES
    }
    if len(eligible) < MIN_PEERS:
        return []
    values = list(eligible.values())
    median = statistics.median(values)
    found = []
    for key, share in eligible.items():
        if share - median < MIN_GAP:
            continue
        z = robust_z(share, values)
        # A MAD of 0 (most peers identical): the absolute gap alone decides.
        if z is None or z > Z_LIMIT:
            numerator, denominator = shares[key]
            found.append(
                Outlier(
                    key,
                    PEERS,
                    measure,
                    {
                        "share": round(share * 100, 1),
                        "median": round(median * 100, 1),
                        "z": None if z is None else round(z, 1),
                        "numerator": numerator,
                        "denominator": denominator,
                        "peers": len(values),
                    },
                )
            )
    return found
