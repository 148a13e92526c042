"""Public list, report page and organ page, through the real views, as an anonymous visitor."""

from datetime import date

import pytest
from django.urls import reverse

from bench import demo
from bench.demo import pipeline
from core import formats
from core.figureset import empty_figures
from filing.workflow import Status
from organs.models import Organ
from public import selectors as public
from tests.support.factories import make_report
from tests.support.render import (
    FAULTY_2022,
    OTHER_TOWN_2023,
    TOWN_2020,
    TOWN_2022,
    TOWN_2023,
    corpus_bytes,
    corpus_expected,
    corpus_sample,
)

pytestmark = pytest.mark.django_db

KEYS = (TOWN_2023, OTHER_TOWN_2023, TOWN_2022, TOWN_2020, FAULTY_2022)


def figures(received: int, granted: int) -> dict:
    """Consistent 2021-edition figures: all applications by 自然人, none carried over."""
    result = empty_figures(formats.EDITION_2021)
    row = [received, 0, 0, 0, 0, 0, received]
    result[formats.SECTION3]["一"] = row
    result[formats.SECTION3]["三.一"] = [granted, 0, 0, 0, 0, 0, granted]
    partly = received - granted
    result[formats.SECTION3]["三.二"] = [partly, 0, 0, 0, 0, 0, partly]
    result[formats.SECTION3]["三.七"] = row
    result[formats.SECTION4] = [1, 0, 0, 0, 1, 0, 2, 0, 0, 2, 0, 0, 0, 0, 0]
    return result


@pytest.fixture
def published(db):
    """Five corpus reports uploaded, parsed, submitted, approved and published (demo pipeline)."""
    demo.load_organs()
    demo.load_accounts()
    runs = [
        pipeline.upload(organ=Organ.objects.get(slug=key.split("-")[1]),
                        data=corpus_bytes(key), name=f"{key}.txt")
        for key in KEYS
    ]  # fmt: skip
    for key, run in zip(KEYS, pipeline.parse_all(runs), strict=True):
        sample = corpus_sample(key)
        report = pipeline.apply(run=run, organ=run.attachment.organ, year=sample.year)
        pipeline.take_to(report, Status.PUBLISHED, date.fromisoformat(sample.published))
    return KEYS


def rows_of(response) -> list[str]:
    # A row carries its organ's slug as a value (public.views.pages.list_rows).
    return [f"{p.organ_slug}/{p.year}" for p in response.context["page"].object_list]


def test_list_shows_published_reports_with_key_figures_and_badges(client, published):
    response = client.get(reverse("reports:report_list"))
    assert response.status_code == 200
    html = response.content.decode()
    slugs = sorted("/".join(reversed(key.split("-"))) for key in published)
    assert sorted(rows_of(response)) == slugs
    assert 'href="/reports/quanning/2022/"' in html
    # The city's 2022 report fails its checks (published with explanations); towns pass.
    city = next(p for p in response.context["page"] if p.organ.slug == "quanning")
    assert city.error_count > 0
    assert "校验通过" in html and "项错误" in html
    # Filters: year, organ, region (the city), edition.
    url = reverse("reports:report_list")
    assert rows_of(client.get(url, {"year": 2023, "organ": "longmei"})) == ["longmei/2023"]
    assert sorted(rows_of(client.get(url, {"year": 2023}))) == ["bailin/2023", "longmei/2023"]


def test_region_filter_includes_organs_below_the_region_only(client, town, other_town):
    district = Organ.objects.create(name="某区", slug="mouqu", kind=Organ.Kind.DISTRICT)
    street = Organ.objects.create(name="某区某街道", slug="moujiedao", parent=district)
    deep = Organ.objects.create(name="某社区", slug="moushequ", parent=street)
    for organ in (town, deep, street):
        make_report(organ, 2023, Status.PUBLISHED)
    rows = rows_of(client.get(reverse("reports:report_list"), {"region": "mouqu"}))
    assert sorted(rows) == ["moujiedao/2023", "moushequ/2023"]


def test_bad_filter_values_are_ignored_not_errors(client, town):
    make_report(town, 2023, Status.PUBLISHED)
    response = client.get(reverse("reports:report_list"), {"year": "abc", "organ": "nosuch"})
    assert response.status_code == 200
    assert rows_of(response) == ["zimao/2023"]
    assert "部分筛选条件无效" in response.content.decode()


def test_search_finds_chinese_prose_and_needs_every_term(client, town, other_town):
    make_report(town, 2023, Status.PUBLISHED, overview="本年度推进政务公开标准化建设。")
    make_report(other_town, 2023, Status.PUBLISHED, overview="本年度加强政策解读和回应关切。")
    url = reverse("reports:report_list")
    assert rows_of(client.get(url, {"q": "标准化"})) == ["zimao/2023"]
    assert sorted(rows_of(client.get(url, {"q": "本年度"}))) == ["yinglin/2023", "zimao/2023"]
    assert rows_of(client.get(url, {"q": "本年度 政策解读"})) == ["yinglin/2023"]
    assert rows_of(client.get(url, {"q": "本年度\u3000英林"})) == ["yinglin/2023"]
    assert rows_of(client.get(url, {"q": "标准化 政策解读"})) == []


def test_search_terms_split_on_any_space_and_drop_repeats():
    assert public.search_terms(" 公开  申请\u3000公开 ") == ["公开", "申请"]
    assert public.search_terms("") == []
    assert len(public.search_terms(" ".join(str(i) for i in range(20)))) == public.MAX_TERMS


def test_list_sorts_by_year_organ_or_received(client, town, other_town):
    make_report(town, 2022, Status.PUBLISHED, figures=figures(9, 9))
    make_report(town, 2023, Status.PUBLISHED, figures=figures(2, 1))
    make_report(other_town, 2023, Status.PUBLISHED, figures=figures(5, 3))
    url = reverse("reports:report_list")
    assert rows_of(client.get(url, {"sort": "received"})) == [
        "zimao/2022", "yinglin/2023", "zimao/2023",
    ]  # fmt: skip
    # 晋江市紫帽镇… sorts before 晋江市英林镇… by name; by year the newest come first.
    by_year = rows_of(client.get(url, {"sort": "year"}))
    assert by_year[-1] == "zimao/2022"
    by_organ = rows_of(client.get(url, {"sort": "organ"}))
    assert by_organ.index("zimao/2023") < by_organ.index("zimao/2022")


def test_list_paginates_and_keeps_the_filters(client, town, other_town, city, monkeypatch):
    assert public.PAGE_SIZE == 50
    monkeypatch.setattr(public, "PAGE_SIZE", 2)
    for organ in (town, other_town, city):
        make_report(organ, 2023, Status.PUBLISHED)
    url = reverse("reports:report_list")
    first = client.get(url, {"year": 2023, "sort": "organ"})
    assert len(rows_of(first)) == 2
    assert 'href="?year=2023&amp;sort=organ&amp;page=2"' in first.content.decode()
    second = client.get(url, {"year": 2023, "sort": "organ", "page": 2})
    assert len(rows_of(second)) == 1
    assert set(rows_of(first) + rows_of(second)) == {"zimao/2023", "yinglin/2023", "jinjiang/2023"}


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow_with_rows(
    client, city, count, django_assert_max_num_queries
):
    for i in range(count):
        organ = Organ.objects.create(name=f"测试镇{i:02d}", slug=f"town{i:02d}", parent=city)
        make_report(organ, 2023, Status.PUBLISHED, figures=figures(i + 1, 1))
    url = reverse("reports:report_list")
    with django_assert_max_num_queries(9):  # the filter options are built (then cached)
        response = client.get(url, {"region": "jinjiang"})
    assert len(rows_of(response)) == count
    with django_assert_max_num_queries(6):
        assert len(rows_of(client.get(url, {"region": "jinjiang"}))) == count
    with django_assert_max_num_queries(6):
        client.get(reverse("reports:organ_detail", kwargs={"slug": "town00"}))


def test_report_page_shows_the_official_tables_of_a_published_report(client, published):
    response = client.get("/reports/quanning/2022/")
    assert response.status_code == 200
    html = response.content.decode()
    truth = corpus_expected(FAULTY_2022)
    for row in ("一", "三.一", "三.七"):
        value = truth["section3"][row][0]
        assert f'data-cell="section3|{row}|自然人">{value}</td>' in html
    # The official headers: merged, with scopes.
    assert '<th scope="colgroup" colspan="7">申请人情况</th>' in html
    assert '<th scope="colgroup" colspan="5">法人或其他组织</th>' in html
    assert '<th scope="row" rowspan="8">（三）不予公开</th>' in html
    assert '<th scope="colgroup" colspan="10">行政诉讼</th>' in html
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):  # fmt: skip
        assert heading in html
    # Its failed checks are shown, with the publication date against the deadline.
    assert "badge-error" in html and truth["published"] in html and "2023-01-31" in html
    assert 'href="/reports/quanning/2022/original"' in html
    assert 'href="/reports/quanning/2022/figures.csv"' in html
    assert 'media="print"' in html
    # A 2020 report is in the 2019 edition: its own columns.
    html = client.get("/reports/nanxin/2020/").content.decode()
    assert "本年新制作数量" in html and "政府集中采购" in html
    assert "本年制发件数" not in html


def test_prose_is_escaped_and_keeps_line_breaks(client, town):
    make_report(
        town,
        2023,
        Status.PUBLISHED,
        overview="第一段<script>alert(1)</script>\n第二行",
        problems="问题一\n\n问题二",
    )
    html = client.get("/reports/zimao/2023/").content.decode()
    assert "<script>alert(1)" not in html
    assert "第一段&lt;script&gt;alert(1)&lt;/script&gt;<br>第二行" in html
    assert "<p>问题一</p>" in html and "<p>问题二</p>" in html


def test_late_publication_is_flagged(client, town):
    make_report(town, 2023, Status.PUBLISHED, published_on=date(2024, 2, 10))
    html = client.get("/reports/zimao/2023/").content.decode()
    assert "逾期 10 天" in html


def test_organ_page_lists_its_reports_over_the_years(client, town, other_town):
    make_report(town, 2022, Status.PUBLISHED, figures=figures(7, 7))
    make_report(town, 2023, Status.PUBLISHED, figures=figures(3, 2))
    make_report(other_town, 2023, Status.PUBLISHED)
    response = client.get(reverse("reports:organ_detail", kwargs={"slug": "zimao"}))
    assert [p.year for p in response.context["publications"]] == [2023, 2022]
    html = response.content.decode()
    assert 'href="/reports/zimao/2022/"' in html and "/reports/yinglin/" not in html
    assert client.get("/organs/nosuch/").status_code == 404


def test_pages_are_accessible_and_have_no_inline_styles_or_scripts(client, published):
    for url in ("/", "/reports/", "/reports/longmei/2023/", "/organs/longmei/"):
        html = client.get(url).content.decode()
        assert 'class="skip-link" href="#main"' in html and 'id="main"' in html
        assert "style=" not in html and "<script>" not in html
    html = client.get("/reports/").content.decode()
    for name in ("q", "year", "region", "organ", "edition", "sort"):
        assert f'<label for="id_{name}">' in html
    # The home page leads to the list (and its search); the list to reports and organs;
    # a city to its region.
    html = client.get("/").content.decode()
    assert 'href="/reports/"' in html and 'action="/reports/"' in html
    html = client.get("/reports/").content.decode()
    assert 'href="/reports/longmei/2023/"' in html and 'href="/organs/longmei/"' in html
    html = client.get("/organs/quanning/").content.decode()
    assert 'href="/reports/?region=quanning"' in html and 'href="/organs/longmei/"' in html


def test_the_filter_options_are_cached_until_the_next_publication(
    client, city, django_capture_on_commit_callbacks
):
    first = Organ.objects.create(name="甲镇", slug="jia", parent=city)
    second = Organ.objects.create(name="乙镇", slug="yi", parent=city)
    with django_capture_on_commit_callbacks(execute=True):
        make_report(first, 2023, Status.PUBLISHED)
    url = reverse("reports:report_list")
    assert "乙镇" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_report(second, 2022, Status.PUBLISHED)
    page = client.get(url).content.decode()
    assert "乙镇" in page  # its row; organs are a text field now, not thousands of options
    assert '<option value="2022">2022</option>' in page


def test_a_search_count_stops_where_page_numbers_end(client, town, monkeypatch):
    from public import keyset

    for year in (2021, 2022, 2023):
        make_report(town, year, Status.PUBLISHED, overview="全年收到申请。")
    monkeypatch.setattr(keyset, "MAX_PAGE", 2)
    monkeypatch.setattr(public, "PAGE_SIZE", 1)
    url = reverse("reports:report_list")
    searched = client.get(url, {"q": "申请"})
    html = searched.content.decode()
    assert "超过 2 份报告" in html and "第 1 页" in html and "共 2 页" not in html
    assert searched.context["page"].count_capped
    # Without a search word the count stops there too (public.keyset.bounded_page).
    plain = client.get(url)
    assert "超过 2 份报告" in plain.content.decode() and plain.context["page"].count_capped
    # Page 2 still links on: by cursor past the page numbers.
    second = client.get(url, {"q": "申请", "page": 2})
    assert rows_of(second) == ["zimao/2022"] and second.context["page"].next_cursor


def test_a_region_that_is_the_whole_tree_narrows_nothing(client):
    root = Organ.objects.create(name="某省", slug="moushe", kind=Organ.Kind.OTHER)
    county = Organ.objects.create(name="某县", slug="mouxian", parent=root)
    town = Organ.objects.create(name="某镇", slug="mouzhen", parent=county)
    for organ in (county, town):
        make_report(organ, 2023, Status.PUBLISHED)
    assert public.region_narrows("moushe") is None  # no id list for the whole tree
    assert sorted(public.region_narrows("mouxian")) == sorted([county.pk, town.pk])
    assert public.region_narrows("nosuch") == []
    rows = rows_of(client.get(reverse("reports:report_list"), {"region": "moushe"}))
    assert sorted(rows) == ["mouxian/2023", "mouzhen/2023"]
    mouxian = rows_of(client.get(reverse("reports:report_list"), {"region": "mouxian"}))
    assert sorted(mouxian) == ["mouxian/2023", "mouzhen/2023"]
    assert public.region_narrows("mouzhen") == [town.pk]
