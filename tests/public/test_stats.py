"""Statistics: database-side totals over current publications only, cached until a publish."""

import csv
import io
import os
from datetime import date

import pytest
from django.urls import reverse

from bench import demo
from core import formats
from core.figureset import empty_figures
from filing.figures import figures_set
from filing.models import AnnualReport
from filing.workflow import Status
from organs.models import Organ
from public import services as public_services
from public import stats, versioning
from review import services as review_services
from tests.support.factories import make_report, system_admin
from tests.support.render import needs_seeds

pytestmark = pytest.mark.django_db

ALL = stats.StatsFilters()


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


def figures_2021(received: int, granted: int, refused: tuple, other: tuple, review_total: int):
    """A 2021-edition report with the given 总计 values (other = 三.六.1-3)."""
    figures = empty_figures(formats.EDITION_2021)
    s3 = figures[formats.SECTION3]
    s3["一"] = [received, 0, 0, 0, 0, 0, received]
    s3["三.一"] = [granted, 0, 0, 0, 0, 0, granted]
    for i, value in enumerate(refused, start=1):
        s3[f"三.三.{i}"] = [value, 0, 0, 0, 0, 0, value]
    for i, value in enumerate(other, start=1):
        s3[f"三.六.{i}"] = [value, 0, 0, 0, 0, 0, value]
    handled = granted + sum(refused) + sum(other)
    s3["三.七"] = [handled, 0, 0, 0, 0, 0, handled]
    # 行政复议: 维持 1, 纠正 review_total-1; 直接起诉: 其他 1; 复议后起诉: 尚未审结 2.
    figures[formats.SECTION4] = [1, review_total - 1, 0, 0, review_total]
    figures[formats.SECTION4] += [0, 0, 1, 0, 1, 0, 0, 0, 2, 2]
    return figures


def figures_2019(received: int, other: int):
    figures = empty_figures(formats.EDITION_2019)
    figures[formats.SECTION3]["一"] = [received, 0, 0, 0, 0, 0, received]
    figures[formats.SECTION3]["三.六"] = [other, 0, 0, 0, 0, 0, other]
    figures[formats.SECTION3]["三.七"] = [other, 0, 0, 0, 0, 0, other]
    return figures


@pytest.fixture
def published(town, other_town):
    """Two towns in 2023 (2021 edition), one in 2022 (2019 edition)."""
    return [
        make_report(
            town, 2023, Status.PUBLISHED, figures=figures_2021(13, 8, (1, 0, 2), (1, 1, 0), 3)
        ),
        make_report(
            other_town, 2023, Status.PUBLISHED, figures=figures_2021(5, 2, (0, 1), (0, 0, 4), 2)
        ),
        make_report(
            town,
            2022,
            Status.PUBLISHED,
            edition=formats.EDITION_2019,
            figures=figures_2019(7, 3),
        ),
    ]


def test_totals_are_sums_of_the_total_column_across_organs_per_year(published):
    data = stats.stats_aggregate(filters=ALL)
    values = data["values"]
    assert data["years"] == [2022, 2023]
    assert data["reports"] == {2022: 1, 2023: 2}
    assert values["received"] == {2022: 7, 2023: 18}
    assert values["granted_full"] == {2022: None, 2023: 10}  # blank in the 2019 report
    assert values["refused"][2023] == (1 + 0 + 2) + (0 + 1)  # 三.三.1-8 summed
    assert values["review_upheld"][2023] == 2
    assert values["review_total"][2023] == 5
    assert values["litigation_other"][2023] == 2  # 直接起诉 其他 in both reports
    assert values["litigation_pending"][2023] == 4  # 复议后起诉 尚未审结
    assert values["litigation_total"][2023] == 6
    # A 2019 report has no 四 figures filled: blank, not zero.
    assert values["review_total"][2022] is None


def test_other_handling_is_comparable_across_editions(published):
    """2019's single 三.六 row and 2021's 三.六.1-3 sub-rows fall into one category."""
    values = stats.stats_aggregate(filters=ALL)["values"]
    assert values["other"] == {2022: 3, 2023: 1 + 1 + 4}
    assert values["handled_total"] == {2022: 3, 2023: (8 + 3 + 2) + (2 + 1 + 4)}


@needs_seeds
def test_the_seed_reports_add_up_to_what_they_print(django_capture_on_commit_callbacks):
    """Real seeds: all zeros except 004's 2 corrected 未经复议直接起诉 cases (checked by eye)."""
    with django_capture_on_commit_callbacks(execute=True):
        demo.load_organs()
        demo.load_accounts()
        demo.load_seed_reports()
    data = stats.stats_aggregate(filters=ALL)
    assert data["reports"] == {2021: 1, 2022: 1, 2023: 3}
    assert data["values"]["received"] == {2021: 0, 2022: 0, 2023: 0}
    assert data["values"]["handled_total"] == {2021: 0, 2022: 0, 2023: 0}
    assert data["values"]["litigation_corrected"] == {2021: 0, 2022: 0, 2023: 2}
    assert data["values"]["litigation_total"] == {2021: 0, 2022: 0, 2023: 2}
    # 004 (西园街道) leaves 行政复议 blank; the other 2023 reports print 0.
    assert data["values"]["review_total"][2023] == 0
    slug = Organ.objects.get(name__contains="西园街道", parent__slug="jinjiang").slug
    xiyuan = stats.stats_aggregate(filters=stats.StatsFilters(region=slug))
    assert xiyuan["values"]["review_total"] == {2023: None}
    assert xiyuan["values"]["litigation_total"] == {2023: 2}


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.APPROVED])
def test_unpublished_reports_never_count(town, status):
    make_report(town, 2023, status, figures=figures_2021(40, 1, (), (), 1))
    data = stats.stats_aggregate(filters=ALL)
    assert data == {"years": [], "reports": {}, "values": {m.key: {} for m in stats.MEASURES}}


def test_a_correction_in_progress_keeps_the_published_figures(town, supervisor):
    report = make_report(town, 2023, Status.PUBLISHED, figures=figures_2021(13, 8, (), (), 1))
    review_services.report_reopen(report=report, acting_user=supervisor, reason="表三数字有误")
    figures_set(report=report, figures={"section3": {"一": [99, 0, 0, 0, 0, 0, 99]}})
    assert stats.stats_aggregate(filters=ALL)["values"]["received"] == {2023: 13}


def test_filters_narrow_by_region_year_and_edition(published, city):
    def received(**kwargs):
        return stats.stats_aggregate(filters=stats.StatsFilters(**kwargs))["values"]["received"]

    assert received(region="zimao") == {2022: 7, 2023: 13}
    assert received(region="yinglin") == {2023: 5}
    assert received(region="jinjiang") == {2022: 7, 2023: 18}
    assert received(region="nowhere") == {}
    assert received(year=2022) == {2022: 7}
    assert received(edition="2021") == {2023: 18}


def test_filters_from_the_query_string_drop_impossible_values():
    params = {"region": "zimao", "year": "abc", "edition": "1999"}
    assert stats.stats_filters_from(params) == stats.StatsFilters(region="zimao")
    assert stats.stats_filters_from({"year": "2023", "edition": "2019"}) == stats.StatsFilters(
        year=2023, edition="2019"
    )


def test_aggregation_takes_one_query_for_3_or_30_reports(city, django_assert_num_queries):
    from organs.models import Organ

    def organs(n, start):
        return [
            Organ.objects.create(name=f"镇{i}", slug=f"town-{i}", parent=city)
            for i in range(start, start + n)
        ]

    for organ in organs(3, 0):
        make_report(organ, 2023, Status.PUBLISHED, figures=figures_2021(1, 1, (), (), 1))
    with django_assert_num_queries(1):
        small = stats.stats_aggregate(filters=ALL)
    for organ in organs(27, 3):
        make_report(organ, 2023, Status.PUBLISHED, figures=figures_2021(1, 1, (), (), 1))
    with django_assert_num_queries(1):
        large = stats.stats_aggregate(filters=ALL)
    assert (small["values"]["received"], large["values"]["received"]) == ({2023: 3}, {2023: 30})


def test_results_are_cached_until_a_publication_changes(
    published, other_town, django_assert_num_queries, django_capture_on_commit_callbacks
):
    first = stats.stats_get(filters=ALL)
    with django_assert_num_queries(0):
        assert stats.stats_get(filters=ALL) == first
    report = make_report(other_town, 2022, Status.APPROVED, edition=formats.EDITION_2019)
    figures_set(report=report, figures=figures_2019(4, 0))
    with django_capture_on_commit_callbacks(execute=True):
        public_services.report_publish(
            report=report, acting_user=system_admin(), published_on=date(2023, 1, 20)
        )
    assert stats.stats_get(filters=ALL)["values"]["received"] == {2022: 11, 2023: 18}


def test_the_stats_page_shows_charts_tables_and_definitions(client, published):
    response = client.get(reverse("reports:stats"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") == 4 and 'role="img"' in html
    assert "<figcaption>" in html and '<th scope="row">（三）不予公开</th>' in html
    assert "一、本年新收政府信息公开申请数量" in html
    assert "此处合计，使两版可比" in html  # the definition of 其他处理
    assert 'href="/static/css/stats.css"' in html
    assert "style=" not in html and "<script" not in html
    # received per year in the data table
    assert '<td class="num">7</td>' in html and '<td class="num">18</td>' in html


def test_the_stats_page_filters_and_says_when_nothing_matches(client, published):
    response = client.get(reverse("reports:stats"), {"region": "yinglin", "year": "2023"})
    html = response.content.decode()
    assert '<option value="yinglin" selected>' in html
    assert '<td class="num">5</td>' in html and '<td class="num">18</td>' not in html
    assert "stats/csv/?region=yinglin&amp;year=2023" in html
    empty = client.get(reverse("reports:stats"), {"year": "2020"}).content.decode()
    assert "没有已发布的年度报告" in empty and "<svg" not in empty


def test_the_csv_download_parses_with_the_page_numbers(client, published):
    response = client.get(reverse("reports:stats_csv"), {"region": "zimao"})
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    header, lines = rows[0], rows[1:]
    assert header[:5] == ["分类", "指标", "官方栏目", "年度", "数值"]
    by_key = {(line[1], line[3]): line[4] for line in lines}
    assert by_key[("received", "2023")] == "13"
    assert by_key[("received", "2022")] == "7"
    assert by_key[("review_total", "2022")] == ""  # blank, not 0
    assert by_key[("reports", "2023")] == "1"
    assert all(line[6] == "region=zimao" for line in lines)


def test_the_receiver_is_connected_to_publication_changed(town):
    from public.signals import publication_changed

    stats.stats_get(filters=ALL)
    before = versioning.cache_version()
    publication_changed.send(sender=AnnualReport, publication=None)
    assert versioning.cache_version() != before


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_results_round_trip_through_redis(
    published, other_town, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "portal-test-stats",
        }
    }
    try:
        versioning.public_version_bump()  # nothing cached by an earlier run is current
        first = stats.stats_get(filters=ALL)
        with django_assert_num_queries(0):
            assert stats.stats_get(filters=ALL) == first
        with django_capture_on_commit_callbacks(execute=True):
            make_report(other_town, 2022, Status.PUBLISHED, figures=figures_2021(4, 0, (), (), 1))
        assert stats.stats_get(filters=ALL)["values"]["received"] == {2022: 11, 2023: 18}
        assert caches["default"].__class__.__name__ == "RedisCache"
    finally:
        caches["default"].close()
