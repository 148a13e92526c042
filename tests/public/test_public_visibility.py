"""Only published versions are ever public; a correction in progress shows the published one."""

import json
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core import formats
from core.figureset import empty_figures
from filing.figures import figures_set
from filing.models import AnnualReport, Attachment
from filing.services.audit import audit_event_add
from filing.workflow import Status
from public import services as public_services
from review import services as review_services
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db

MARKER = "独有标记文字"


def figures(received: int) -> dict:
    result = empty_figures(formats.EDITION_2021)
    result[formats.SECTION3]["一"] = [received, 0, 0, 0, 0, 0, received]
    result[formats.SECTION3]["三.一"] = [received, 0, 0, 0, 0, 0, received]
    result[formats.SECTION3]["三.七"] = [received, 0, 0, 0, 0, 0, received]
    return result


def attach(report: AnnualReport, data: bytes = b"%PDF-1.4 original", name: str = "报告.pdf"):
    attachment = Attachment(
        report=report,
        organ=report.organ,
        original_name=name,
        sha256="0" * 64,
        size=len(data),
        content_type=Attachment.Kind.PDF,
    )
    attachment.file.save("x.pdf", ContentFile(data), save=False)
    attachment.save()
    # Its values were applied to the report: the publication pins this file as the original.
    audit_event_add(action="report.apply_parsed", report=report, data={"attachment": attachment.pk})
    return attachment


def public_urls(slug: str, year: int) -> dict[str, str]:
    kwargs = {"slug": slug, "year": year}
    return {
        name: reverse(f"reports:{name}", kwargs=kwargs)
        for name in (
            "report_detail",
            "report_original",
            "report_figures_csv",
            "report_figures_json",
        )
    }


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED]
)
def test_an_unpublished_report_is_invisible_on_every_public_url(client, town, status):
    report = make_report(town, 2023, status, figures=figures(7), overview=MARKER)
    attach(report)
    for name, url in public_urls("zimao", 2023).items():
        assert client.get(url).status_code == 404, name
    for url in (
        reverse("reports:report_list"),
        reverse("reports:organ_detail", kwargs={"slug": "zimao"}),
        reverse("reports:home"),
    ):
        html = client.get(url).content.decode()
        assert MARKER not in html and "/reports/zimao/2023/" not in html, url
    for query in ({"q": MARKER}, {"year": 2023}, {"organ": "zimao"}):
        response = client.get(reverse("reports:report_list"), query)
        assert list(response.context["page"].object_list) == [], query
        assert "/reports/zimao/2023/" not in response.content.decode()


def test_the_same_report_once_published_is_on_every_public_url(client, town):
    report = make_report(town, 2023, Status.APPROVED, figures=figures(7), overview=MARKER)
    attach(report)
    public_services.report_publish(
        report=report, acting_user=report_admin(), published_on=date(2024, 1, 10)
    )
    for name, url in public_urls("zimao", 2023).items():
        assert client.get(url).status_code == 200, name
    response = client.get(reverse("reports:report_list"), {"q": MARKER})
    assert [p.report_id for p in response.context["page"].object_list] == [report.pk]


def report_admin():
    from tests.support.factories import system_admin

    return system_admin()


def test_a_reopened_correction_still_shows_the_published_version(client, town, supervisor):
    report = make_report(
        town, 2023, Status.PUBLISHED, figures=figures(7), overview="已发布的总体情况。"
    )
    review_services.report_reopen(report=report, acting_user=supervisor, reason="表三数字有误")
    report.refresh_from_db()
    figures_set(report=report, figures=figures(99))
    report.overview = "正在修改的总体情况。"
    report.save()

    detail = client.get("/reports/zimao/2023/").content.decode()
    assert 'data-cell="section3|一|总计">7</td>' in detail
    assert "已发布的总体情况" in detail and "正在修改" not in detail
    listed = client.get("/reports/").context["page"].object_list[0]
    assert listed.received == 7
    assert list(client.get("/reports/?q=正在修改").context["page"].object_list) == []
    assert len(client.get("/reports/?q=已发布的总体").context["page"].object_list) == 1
    csv_text = client.get("/reports/zimao/2023/figures.csv").content.decode("utf-8-sig")
    assert "section3,一,总计,7" in csv_text and ",99" not in csv_text
    payload = client.get("/reports/zimao/2023/figures.json").json()
    assert payload["key_figures"]["received"] == 7


def test_a_published_correction_replaces_it_and_keeps_the_earlier_version(client, town, supervisor):
    report = make_report(town, 2023, Status.PUBLISHED, figures=figures(7))
    review_services.report_reopen(report=report, acting_user=supervisor, reason="表三数字有误")
    figures_set(report=report, figures=figures(8))
    AnnualReport.objects.filter(pk=report.pk).update(status=Status.APPROVED)
    public_services.report_publish(
        report=report, acting_user=supervisor, correction_note="更正表三本年新收数量"
    )

    current = client.get("/reports/zimao/2023/").content.decode()
    assert 'data-cell="section3|一|总计">8</td>' in current
    assert "更正表三本年新收数量" in current and "badge-correction" in current
    assert 'href="/reports/zimao/2023/?version=1"' in current
    earlier = client.get("/reports/zimao/2023/?version=1").content.decode()
    assert 'data-cell="section3|一|总计">7</td>' in earlier
    assert "notice-superseded" in earlier and 'href="/reports/zimao/2023/"' in earlier
    assert 'href="/reports/zimao/2023/figures.csv?version=1"' in earlier
    old_csv = client.get("/reports/zimao/2023/figures.csv?version=1").content.decode("utf-8-sig")
    assert "section3,一,总计,7" in old_csv
    assert client.get("/reports/zimao/2023/figures.json?version=1").json()["is_current"] is False
    # The list shows the current version only, marked as corrected.
    page = client.get("/reports/").context["page"].object_list
    assert [(p.number, p.received) for p in page] == [(2, 8)]
    for bad in ("3", "0", "x"):
        assert client.get(f"/reports/zimao/2023/?version={bad}").status_code == 404


def test_the_original_file_is_served_as_a_download_under_a_safe_name(client, town):
    report = make_report(town, 2023, Status.APPROVED)
    attach(report, data=b"%PDF-1.4 the original bytes", name='..\\evil"name\r\n.pdf')
    public_services.report_publish(report=report, acting_user=report_admin())
    response = client.get("/reports/zimao/2023/original")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 the original bytes"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition and "\\" not in disposition
    assert 'filename="evil_name.pdf"' in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_an_html_original_is_not_served_as_html(client, town):
    report = make_report(town, 2023, Status.APPROVED)
    attachment = attach(report, data=b"<script>alert(1)</script>", name="报告.html")
    Attachment.objects.filter(pk=attachment.pk).update(content_type=Attachment.Kind.HTML)
    public_services.report_publish(report=report, acting_user=report_admin())
    response = client.get("/reports/zimao/2023/original")
    assert response["Content-Type"] == "application/octet-stream"
    assert "filename*=utf-8''%E6%8A%A5%E5%91%8A.html" in response["Content-Disposition"]


def test_a_report_without_an_original_file_has_no_download(client, town):
    make_report(town, 2023, Status.PUBLISHED)
    assert client.get("/reports/zimao/2023/original").status_code == 404
    assert "/reports/zimao/2023/original" not in client.get("/reports/zimao/2023/").content.decode()


def test_an_attachment_uploaded_after_publication_is_not_served(client, town, supervisor):
    report = make_report(town, 2023, Status.APPROVED)
    attach(report, data=b"%PDF-1.4 published")
    public_services.report_publish(report=report, acting_user=report_admin())
    review_services.report_reopen(report=report, acting_user=supervisor, reason="换文件")
    attach(report, data=b"%PDF-1.4 draft of the correction")
    response = client.get("/reports/zimao/2023/original")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 published"


def test_figures_csv_is_long_form_utf8_with_bom(client, town):
    make_report(town, 2023, Status.PUBLISHED, figures=figures(7))
    response = client.get("/reports/zimao/2023/figures.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="zimao-2023.csv"' == response["Content-Disposition"]
    body = response.content
    assert body.startswith("\ufeff".encode())
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0] == "table,row,column,value"
    assert "section3,三.一,自然人,7" in lines
    # Every cell of the edition, blank cells as empty values.
    assert len(lines) - 1 == len(formats.SECTION4_CELLS) + len(
        [line for line in lines if line.startswith(("section2", "section3"))]
    )
    assert "section4,行政复议,总计," in lines


def test_figures_json_has_the_dict_shape_and_the_cells(client, town):
    make_report(town, 2023, Status.PUBLISHED, figures=figures(7))
    response = client.get("/reports/zimao/2023/figures.json")
    assert response.status_code == 200
    payload = json.loads(response.content)
    assert payload["organ"]["slug"] == "zimao" and payload["year"] == 2023
    assert payload["figures"]["section3"]["一"] == [7, 0, 0, 0, 0, 0, 7]
    assert {"table": "section3", "row": "一", "column": "总计", "value": 7} in payload["cells"]
    assert payload["publication"] == 1 and payload["is_current"] is True
