"""A fictional county-level city: the city government, towns, street offices, departments.

Names are drawn from syllables with their pinyin (for slugs), so every seed gives a
different but stable region. ``Profile`` holds what shapes an organ's figures: how many
applications it gets and how busy its licensing and enforcement are.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench.corpus.model import Organ

SYLLABLES = (
    ("清", "qing"), ("溪", "xi"), ("云", "yun"), ("山", "shan"), ("石", "shi"), ("桥", "qiao"),
    ("龙", "long"), ("泉", "quan"), ("凤", "feng"), ("岭", "ling"), ("安", "an"), ("平", "ping"),
    ("东", "dong"), ("湖", "hu"), ("梅", "mei"), ("林", "lin"), ("丰", "feng"), ("和", "he"),
    ("金", "jin"), ("塘", "tang"), ("宁", "ning"), ("海", "hai"), ("永", "yong"), ("兴", "xing"),
    ("南", "nan"), ("浦", "pu"), ("华", "hua"), ("阳", "yang"), ("白", "bai"), ("沙", "sha"),
    ("双", "shuang"), ("河", "he"), ("新", "xin"), ("港", "gang"), ("青", "qing"), ("田", "tian"),
)  # fmt: skip

# Department name, slug, mean applications a year (2019), licensing / penalty / coercion scale.
DEPARTMENTS = (
    ("自然资源局", "zrzyj", 1100, 2600, 120, 15),
    ("公安局", "gaj", 420, 900, 9000, 400),
    ("住房和城乡建设局", "zjj", 160, 1200, 90, 6),
    ("市场监督管理局", "scjgj", 70, 6000, 600, 40),
    ("人力资源和社会保障局", "rsj", 35, 300, 20, 0),
    ("生态环境局", "sthjj", 25, 150, 80, 12),
    ("教育局", "jyj", 12, 60, 2, 0),
    ("农业农村局", "nyncj", 8, 200, 40, 3),
    ("民政局", "mzj", 4, 80, 1, 0),
    ("城市管理局", "cgj", 18, 400, 700, 30),
)
TOWNS = 6
STREETS = 3


@dataclass(frozen=True)
class Profile:
    """What drives one organ's figures year after year."""

    applications: float  # mean new applications in 2019
    growth: float  # yearly factor
    licensing: int
    penalties: int
    coercion: int
    documents: int  # normative documents issued in a busy year
    commercial: float  # share of applications from businesses


def _place(rng: random.Random, used: set[str], suffix: str) -> tuple[str, str]:
    while True:
        (a, pa), (b, pb) = rng.sample(SYLLABLES, 2)
        if a + b not in used:
            used.add(a + b)
            return a + b + suffix, pa + pb


def organs_with_profiles(seed: int = 2026) -> list[tuple[Organ, Profile]]:
    """The region's organs, city first, each with its profile."""
    rng = random.Random(seed)
    used: set[str] = set()
    city_name, city_slug = _place(rng, used, "市")
    city = Organ(city_slug, f"{city_name}人民政府", "city")
    out = [(city, Profile(rng.uniform(40, 90), rng.uniform(1.02, 1.1), 40, 10, 0, 8, 0.1))]
    for _ in range(TOWNS):
        name, slug = _place(rng, used, "镇")
        profile = Profile(rng.uniform(0.5, 6), rng.uniform(0.95, 1.2), rng.randint(5, 120),
                          rng.randint(0, 40), rng.randint(0, 3), 2, 0.05)  # fmt: skip
        out.append((Organ(slug, f"{city_name}{name}人民政府", "town", city.slug), profile))
    for _ in range(STREETS):
        name, slug = _place(rng, used, "街道")
        profile = Profile(rng.uniform(8, 45), rng.uniform(1.0, 1.15), rng.randint(0, 30),
                          rng.randint(5, 60), rng.randint(0, 5), 2, 0.08)  # fmt: skip
        out.append((Organ(slug, f"{city_name}{name}办事处", "street", city.slug), profile))
    for name, slug, apps, lic, pen, coe in DEPARTMENTS:
        jitter = rng.uniform(0.8, 1.25)
        profile = Profile(apps * jitter, rng.uniform(0.97, 1.15), int(lic * jitter),
                          int(pen * jitter), int(coe * jitter), 5,
                          0.25 if slug in ("zrzyj", "zjj", "scjgj") else 0.06)  # fmt: skip
        out.append((Organ(slug, f"{city_name}{name}", "department", city.slug), profile))
    return out


def region(seed: int = 2026) -> list[Organ]:
    """The organs of the region, the city first, then towns, street offices, departments."""
    return [organ for organ, _ in organs_with_profiles(seed)]
