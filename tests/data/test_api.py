"""The read-only JSON API: published versions only, filters, pagination, constant queries."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from bench import demo
from core import formats
from core.figureset import empty_figures
from filing.figures import figures_set
from filing.workflow import Status
from organs.models import Organ
from public import services as public_services
from public.models import PublishedFigure
from review import services as review_services
from tests.support.factories import make_report
from tests.support.render import needs_seeds

pytestmark = pytest.mark.django_db


def figures(received: int) -> dict:
    result = empty_figures(formats.EDITION_2021)
    result[formats.SECTION3]["一"] = [received, 0, 0, 0, 0, 0, received]
    result[formats.SECTION3]["三.一"] = [received, 0, 0, 0, 0, 0, received]
    result[formats.SECTION4] = [0, 1, 0, 0, 1] + [0] * 10
    return result


def get(client, name, params=None, **kwargs):
    response = client.get(reverse(f"reports:{name}", kwargs=kwargs), params or {})
    return response, (response.json() if response["Content-Type"] == "application/json" else None)


@pytest.fixture
def zimao_2023(town):
    return make_report(
        town, 2023, Status.PUBLISHED, figures=figures(13), overview="全年收到申请13件。"
    )


def test_the_report_list_shows_current_publications_with_key_figures(client, zimao_2023):
    response, body = get(client, "api_reports")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert body["count"] == 1 and body["previous"] is None and body["next"] is None
    (item,) = body["results"]
    assert item["organ"] == "zimao" and item["organ_name"] == "晋江市紫帽镇人民政府"
    assert (item["year"], item["edition"], item["published_on"]) == (2023, "2021", "2024-01-20")
    assert (item["version"], item["is_correction"]) == (1, False)
    assert item["key_figures"] == {
        "received": 13,
        "granted_full": 13,
        "review_total": 1,
        "litigation_total": 0,
    }
    assert item["url"] == "http://testserver/api/reports/zimao/2023/"
    assert item["figures_url"] == "http://testserver/api/reports/zimao/2023/figures/"
    assert item["page_url"].endswith("/reports/zimao/2023/")
    assert item["checks_passed"] == (zimao_2023.current_publication.error_count == 0)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.APPROVED])
def test_an_unpublished_report_is_invisible(client, town, status):
    make_report(town, 2023, status, figures=figures(5))
    assert get(client, "api_reports")[1]["count"] == 0
    for name in ("api_report", "api_report_figures"):
        response, body = get(client, name, slug="zimao", year=2023)
        assert response.status_code == 404 and "detail" in body


def test_a_reopened_correction_shows_the_published_version_until_republished(
    client, zimao_2023, supervisor
):
    review_services.report_reopen(report=zimao_2023, acting_user=supervisor, reason="表三数字有误")
    figures_set(report=zimao_2023, figures={"section3": {"一": [99, 0, 0, 0, 0, 0, 99]}})
    zimao_2023.overview = "更正中的草稿"
    zimao_2023.save()

    _, detail = get(client, "api_report", slug="zimao", year=2023)
    assert detail["version"] == 1 and detail["overview"] == "全年收到申请13件。"
    assert detail["figures"]["section3"]["一"][6] == 13
    _, cells = get(client, "api_report_figures", {"page_size": 500}, slug="zimao", year=2023)
    received = [c for c in cells["results"] if (c["row"], c["column"]) == ("一", "总计")]
    assert [c["value"] for c in received] == [13]

    type(zimao_2023).objects.filter(pk=zimao_2023.pk).update(status=Status.APPROVED)
    public_services.report_publish(
        report=zimao_2023, acting_user=supervisor, correction_note="更正表三"
    )
    _, detail = get(client, "api_report", slug="zimao", year=2023)
    assert (detail["version"], detail["is_correction"]) == (2, True)
    assert detail["correction_note"] == "更正表三" and detail["key_figures"]["received"] == 99
    assert get(client, "api_reports")[1]["count"] == 1  # one report, not one per version


def test_the_detail_carries_prose_figures_and_findings(client, zimao_2023):
    _, body = get(client, "api_report", slug="zimao", year=2023)
    publication = zimao_2023.current_publication
    assert body["overview"] == "全年收到申请13件。"
    assert body["figures"] == publication.figures
    assert body["findings"] == publication.findings
    assert {"problems", "other_matters", "correction_note"} <= body.keys()


def test_figures_come_in_long_form_in_printed_order(client, zimao_2023):
    _, body = get(client, "api_report_figures", {"page_size": 500}, slug="zimao", year=2023)
    cells = PublishedFigure.objects.filter(publication=zimao_2023.current_publication)
    assert body["count"] == cells.count() > 50
    first_s3 = next(c for c in body["results"] if c["table"] == "section3")
    assert first_s3 == {
        "table": "section3",
        "row": "一",
        "row_label": "一、本年新收政府信息公开申请数量",
        "column": "自然人",
        "value": 13,
    }
    assert get(client, "api_report_figures", slug="zimao", year=2023)[1]["next"].endswith(
        "page=2"
    )  # 50 a page by default


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:api_reports"), {"page_size": 100})
    assert response.status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_the_number_of_reports(client, city):
    organs = [Organ.objects.create(name=f"镇{i}", slug=f"town-{i}", parent=city) for i in range(30)]
    for organ in organs[:3]:
        make_report(organ, 2023, Status.PUBLISHED, figures=figures(1))
    few = list_queries(client)
    for organ in organs[3:]:
        make_report(organ, 2023, Status.PUBLISHED, figures=figures(1))
    assert list_queries(client) == few <= 3
    assert get(client, "api_reports", {"page_size": 100})[1]["count"] == 30


@pytest.fixture
def several(town, other_town, outside_town):
    make_report(town, 2022, Status.PUBLISHED, edition=formats.EDITION_2019)
    make_report(town, 2023, Status.PUBLISHED, figures=figures(1), overview="依申请公开 紫帽")
    make_report(other_town, 2023, Status.PUBLISHED, figures=figures(2), overview="英林 依申请")
    make_report(outside_town, 2023, Status.PUBLISHED)


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, {("zimao", 2022), ("zimao", 2023), ("yinglin", 2023), ("baogai", 2023)}),
        ({"year": 2022}, {("zimao", 2022)}),
        ({"organ": "yinglin"}, {("yinglin", 2023)}),
        ({"region": "jinjiang"}, {("zimao", 2022), ("zimao", 2023), ("yinglin", 2023)}),
        ({"region": "nowhere"}, set()),
        ({"edition": "2019"}, {("zimao", 2022)}),
        ({"q": "依申请"}, {("zimao", 2023), ("yinglin", 2023)}),
        ({"q": "依申请　英林"}, {("yinglin", 2023)}),  # every term, ideographic space too
        ({"year": 2023, "region": "jinjiang", "q": "紫帽"}, {("zimao", 2023)}),
    ],
)
def test_report_filters_match_the_public_list(client, several, params, expected):
    _, body = get(client, "api_reports", params)
    assert {(r["organ"], r["year"]) for r in body["results"]} == expected


def test_impossible_filter_values_are_a_400_with_the_reason(client, several):
    response, body = get(client, "api_reports", {"year": "abc", "edition": "1999"})
    assert response.status_code == 400 and {"year", "edition"} <= body.keys()


def test_pages_follow_page_size_up_to_500(client, several):
    _, first = get(client, "api_reports", {"page_size": 3})
    assert first["count"] == 4 and len(first["results"]) == 3
    assert "page=2" in first["next"] and "page_size=3" in first["next"]
    assert len(client.get(first["next"]).json()["results"]) == 1
    assert len(get(client, "api_reports", {"page_size": 10_000})[1]["results"]) == 4
    assert get(client, "api_reports", {"page": 9})[0].status_code == 404


def test_organs_list_detail_and_region(client, several, city):
    _, body = get(client, "api_organs", {"region": "jinjiang"})
    assert {o["slug"] for o in body["results"]} == {"jinjiang", "zimao", "yinglin"}
    _, zimao = get(client, "api_organ", slug="zimao")
    assert (zimao["name"], zimao["short_name"], zimao["parent"]) == (
        "晋江市紫帽镇人民政府",
        "紫帽镇",
        "jinjiang",
    )
    assert zimao["reports_url"] == "http://testserver/api/reports/?organ=zimao"
    _, reports = get(client, "api_reports", {"organ": "zimao"})
    assert reports["count"] == 2
    assert get(client, "api_organ", slug="nowhere")[0].status_code == 404
    _, found = get(client, "api_organs", {"q": "英林"})
    assert [o["slug"] for o in found["results"]] == ["yinglin"]


@needs_seeds
def test_seed_reports_through_the_api(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demo.load_organs()
        demo.load_accounts()
        demo.load_seed_reports()
    slugs = {o.short_name or o.name: o.slug for o in Organ.objects.filter(parent__slug="jinjiang")}
    slug_of = {
        name: slug
        for full, slug in slugs.items()
        for name in ("紫帽镇", "英林镇", "西园街道")
        if name in full
    }
    _, body = get(client, "api_reports", {"year": 2023, "region": "jinjiang"})
    assert {r["organ"] for r in body["results"]} == set(slug_of.values())
    assert len(slug_of) == 3
    _, xiyuan = get(client, "api_report", slug=slug_of["西园街道"], year=2023)
    # 004 prints 行政复议 blank and 2 corrected 未经复议直接起诉 cases (see seeds/expected).
    assert xiyuan["key_figures"]["review_total"] is None
    assert xiyuan["key_figures"]["litigation_total"] == 2
    assert xiyuan["checks_passed"] is False and xiyuan["findings"]


def test_the_api_is_json_only_and_read_only(client, zimao_2023):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(reverse("reports:api_reports"), HTTP_ACCEPT=browser)
    assert response["Content-Type"] == "application/json"
    url = reverse("reports:api_report", kwargs={"slug": "zimao", "year": 2023})
    assert client.post(url, {}, content_type="application/json").status_code == 405
    assert client.delete(url).status_code == 405


def test_the_root_lists_endpoints_and_the_docs_describe_them(client):
    _, root = get(client, "api_root")
    assert root["reports"] == "http://testserver/api/reports/"
    assert root["docs"] == "http://testserver/api/docs/"
    response = client.get(root["docs"])
    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    for path in ("/api/organs/", "/api/reports/", "/api/reports/zimao/2023/figures/"):
        assert path in html
    for field in ("key_figures", "checks_passed", "figures_url", "row_label", "findings"):
        assert f"<code>{field}</code>" in html
    assert "style=" not in html and "<script" not in html


def test_anonymous_clients_are_throttled(client, zimao_2023, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    cache.clear()
    statuses = [client.get(reverse("reports:api_reports")).status_code for _ in range(3)]
    cache.clear()
    assert statuses == [200, 200, 429]


def test_production_settings_throttle_anonymous_clients():
    from portal import settings as production

    assert production.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"] == "120/min"
    assert production.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] == [
        "rest_framework.renderers.JSONRenderer"
    ]


def test_published_on_is_the_version_date(client, town, supervisor):
    report = make_report(town, 2023, Status.PUBLISHED, published_on=date(2024, 1, 9))
    _, body = get(client, "api_report", slug="zimao", year=2023)
    assert body["published_on"] == "2024-01-09" == str(report.published_on)
