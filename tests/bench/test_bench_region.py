"""bench_portal's region roll-up entry: which regions it measures, and its cold targets."""

import pytest

from bench.pages import PAGES, context_choose, page_url, query_count
from bench.run import _stats_cold, targets
from filing.workflow import Status
from organs.models import Organ
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    """A province over two counties of different sizes, every town published for two years."""
    top = Organ.objects.create(name="省政府", slug="sheng", kind=Organ.Kind.OTHER)
    city = Organ.objects.create(name="市政府", slug="shi", kind=Organ.Kind.CITY, parent=top)
    for c, towns in ((1, 2), (2, 4)):
        county = Organ.objects.create(
            name=f"县{c}", slug=f"xian{c}", kind=Organ.Kind.COUNTY, parent=city
        )
        for t in range(towns):
            town = Organ.objects.create(
                name=f"县{c}镇{t}", slug=f"x{c}z{t}", kind=Organ.Kind.TOWN, parent=county
            )
            for year in (2022, 2023):
                make_report(town, year, Status.PUBLISHED)
    return top


def test_the_roll_up_is_measured_on_the_whole_tree_and_on_a_county(province):
    ctx = context_choose()
    region = next(p for p in PAGES if p.key == "region")
    api = next(p for p in PAGES if p.key == "region_api")
    assert page_url(region, ctx) == "/regions/sheng/2022/"
    assert page_url(region, ctx, alt=True) == "/regions/xian1/2022/"
    assert page_url(api, ctx) == "/api/regions/sheng/2022/"
    assert region.cold and api.cold
    # Served cold (the public caches stale), both regions answer with the same query count.
    cold = query_count(page_url(region, ctx), before=_stats_cold, repeat=1)
    alt = query_count(page_url(region, ctx, alt=True), before=_stats_cold, repeat=1)
    assert cold["status"] == alt["status"] == 200
    assert cold["queries"] == alt["queries"] > 0


def test_region_cold_targets_judge_time_and_the_cold_query_count():
    row = {"cold_ms": 250.0, "cold_db_ms": 120.0, "cold_queries": 8, "cold_status": 200}
    result = {
        "data": {"reports": 20000},
        "queries": {
            "trivial": {"ms": 0.5},
            "region": {"queries": 0, "alt_queries": 0, **row, "alt_cold_queries": 8},
            "region_api": {"queries": 0, **row, "cold_ms": 420.0, "alt_cold_queries": 9},
        },
    }
    by_name = {t["target"]: t for t in targets(result)}
    region = by_name["region cold < 300 ms in-process (at 20000 reports)"]
    assert region["result"] == "PASS" and "500 × the trivial view" in region["figure"]
    assert by_name["region cold: query count constant"]["result"] == "PASS"
    assert by_name["region_api cold < 300 ms in-process (at 20000 reports)"]["result"] == "FAIL"
    assert by_name["region_api cold: query count constant"]["result"] == "FAIL"
    # On other data (--compare), a cold count that grew fails the target.
    other = {"queries": {"region": {"cold_queries": 10}}}
    by_name = {t["target"]: t["result"] for t in targets(result, other)}
    assert by_name["region cold: query count constant"] == "FAIL"
    assert "trivial: query count constant" not in by_name
