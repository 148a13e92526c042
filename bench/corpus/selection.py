"""A small, fixed selection of samples that still covers the corpus' variety."""

from __future__ import annotations

from bench.corpus.model import Sample
from core import formats


def representative(samples: list[Sample], size: int = 10) -> list[Sample]:
    """Both editions, the largest and smallest organs, zero-application towns, and faults
    that change what is printed (blank cells, a blank total, decimals, negatives)."""
    picked: dict[str, Sample] = {}

    def add(sample: Sample | None) -> None:
        if sample is not None and len(picked) < size:
            picked.setdefault(sample.key, sample)

    received = lambda s: s.figures[formats.SECTION3]["一"][-1] or 0  # noqa: E731
    for fault in ("blank_total", "blank_cell", "decimal", "negative", "balance_off"):
        add(next((s for s in samples if fault in s.faults), None))
    clean = [s for s in samples if not s.faults]
    for edition in formats.EDITIONS:
        same = [s for s in clean if s.edition == edition]
        add(max(same, key=received, default=None))
        add(min(same, key=received, default=None))
    add(next((s for s in clean if s.organ.kind == "street" and s.year == 2023), None))
    add(next((s for s in clean if s.organ.kind == "city" and s.year == 2025), None))
    return sorted(picked.values(), key=lambda s: s.key)
