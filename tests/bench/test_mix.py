"""The traffic mix: popularity is skewed, every page kind is drawn, URLs answer, hits count."""

from __future__ import annotations

import random
from collections import Counter

from bench.mix import WEIGHTS, Population, _pick, _zipf_cumulative, cold_samples, hit_ratio
from core import formats
from filing.workflow import Status
from organs.models import Organ
from tests.support.factories import make_report


def test_zipf_draws_favour_the_first_ranks():
    rng = random.Random(0)
    cum = _zipf_cumulative(1000)
    counts = Counter(_pick(rng, cum) for _ in range(5000))
    assert counts[0] > counts[10] > counts.get(500, 0)
    assert len(counts) > 200  # a long tail, not a handful of URLs


def test_hit_ratio_counts_repeats_and_earlier_urls():
    assert hit_ratio(["/a", "/b", "/a"], set()) == round(1 / 3, 3)
    assert hit_ratio(["/a", "/c"], {"/a"}) == 0.5
    assert hit_ratio([], set()) == 0.0


def test_the_mix_draws_every_kind_and_each_url_answers(client, city, settings):
    settings.PORTAL_PAGE_CACHE = True
    for i in range(3):
        organ = Organ.objects.create(name=f"混合镇{i}", slug=f"mix-{i}", parent=city)
        make_report(organ, 2023, Status.PUBLISHED, edition=formats.EDITION_2021)
    population = Population(seed=3)
    draw = population.draw(200)
    assert {kind for kind, _ in draw} == set(WEIGHTS)
    cold = cold_samples(population, per_kind=3)
    assert set(cold) == set(WEIGHTS)
    for kind, row in cold.items():
        assert row["urls"] >= 1 and row["median_ms"] is not None, kind
        assert set(row["statuses"]) <= {200, 404}, kind


def test_the_mix_asks_only_for_pages_that_exist(city, town):
    region = Organ.objects.create(name="某县", slug="mix-county", parent=city)
    for i in range(3):
        organ = Organ.objects.create(name=f"县下镇{i}", slug=f"mix-town-{i}", parent=region)
        make_report(organ, 2023, Status.PUBLISHED, edition=formats.EDITION_2021)
    make_report(town, 2022, Status.PUBLISHED, edition=formats.EDITION_2021)
    population = Population(seed=1)
    assert population.count({}) == 4
    assert population.count({"year": 2023}) == 3
    assert population.count({"region": "mix-county"}) == 3
    assert population.count({"region": city.slug, "year": 2022}) == 1
    assert population.count({"year": 2023, "edition": "2019"}) == 0
    assert population._page({}, 50) is None  # one page: no page number
    assert {population._page({}, 2) for _ in range(20)} == {2}
    urls = [url for kind, url in population.draw(300) if kind in ("api", "list")]
    assert urls and not any("page=" in url for url in urls)
