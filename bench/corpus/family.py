"""Organs beyond the one county-level city: a county, a county department, a prefecture
city and its busiest department, with figures in the thousands, in both editions.

The region (``region.py``) drives the demo and the public pages, so it stays as it is; these
samples only widen what the parser is measured on (``bench.corpus.accuracy``): titles such
as “XX县自然资源局2019年政府信息公开工作年度报告”, 表三 rows of four and five digits, the 2019
tables with their project counts.
"""

from __future__ import annotations

import random

from bench.corpus import figures as figures_mod
from bench.corpus import prose as prose_mod
from bench.corpus.model import Organ, Sample
from bench.corpus.region import SYLLABLES, Profile
from bench.corpus.samples import _published
from core import formats

# (kind, name suffix, slug suffix, parent suffix or "", profile, years)
_FAMILY = (
    ("county", "县人民政府", "xian", "", Profile(900, 1.08, 900, 300, 20, 12, 0.2), (2019, 2023)),
    ("department", "县自然资源局", "xzrzy", "县", Profile(2400, 1.1, 3000, 140, 20, 6, 0.3),
     (2019, 2020, 2024)),
    ("city", "市人民政府", "shi", "", Profile(4200, 1.05, 500, 120, 10, 20, 0.15), (2020, 2023)),
    ("department", "市公安局", "sgaj", "市", Profile(12000, 1.06, 20000, 90000, 4000, 8, 0.05),
     (2020, 2022)),
)  # fmt: skip


def _name(rng: random.Random) -> tuple[str, str]:
    (a, pa), (b, pb) = rng.sample(SYLLABLES, 2)
    return a + b, pa + pb


def family_samples(seed: int = 2026) -> list[Sample]:
    """A few reports of organs of other kinds and sizes; every relation of the format holds."""
    rng = random.Random(f"{seed}:family")
    out = []
    for kind, suffix, slug_suffix, parent, profile, years in _FAMILY:
        place, slug = _name(rng)
        organ = Organ(f"{slug}-{slug_suffix}", f"{place}{suffix}", kind, parent or None)
        state = figures_mod.OrganState()
        draw = random.Random(f"{seed}:{organ.slug}:figures")
        for year in range(years[0], years[-1] + 1):
            figures = figures_mod.draw_year(profile, year, state, draw)
            if year not in years:
                continue
            print_rng = random.Random(f"{seed}:{organ.slug}:{year}:print")
            stated = prose_mod.stated_numbers(figures)
            out.append(
                Sample(
                    key=f"{year}-{organ.slug}",
                    organ=organ,
                    year=year,
                    edition=figures_mod.edition_for(year),
                    published=_published(year, print_rng),
                    figures=figures,
                    prose=prose_mod.write(organ, year, stated, print_rng),
                    stated=stated,
                )
            )
    return out


def largest_figure(sample: Sample) -> int:
    """The largest count the sample prints in 表三 (for tests: the family reaches thousands)."""
    return max(v for row in sample.figures[formats.SECTION3].values() for v in row if v)
