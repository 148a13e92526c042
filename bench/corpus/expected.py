"""What a correct parse of any rendering of a sample gives."""

from __future__ import annotations

import copy

from bench.corpus.model import Sample


def expected_json(sample: Sample) -> dict:
    """organ, year, edition, published and the printed figures (None = printed blank)."""
    figures = copy.deepcopy(sample.figures)
    return {
        "organ": sample.organ.name,
        "year": sample.year,
        "edition": sample.edition,
        "published": sample.published,
        "section2": figures["section2"],
        "section3": figures["section3"],
        "section4": figures["section4"],
    }
