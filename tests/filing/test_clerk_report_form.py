"""The report form through the real views: saving drafts, bad cells, concurrent saves."""

import re

import pytest
from django.urls import reverse

from core import formats, layout
from filing import services
from filing.models import AuditEvent, Figure

pytestmark = pytest.mark.django_db

S3 = formats.SECTION3


def name(table, row, column):
    return layout.cell_name((table, row, column))


def form_data(report, cells=None, **fields):
    """What the browser posts for the report: every cell blank unless given."""
    data = {cell.name: "" for cell in layout.edition_cells(report.edition)}
    data.update(version=report.version, edition=report.edition, overview="", problems="")
    data.update(other_matters="")
    data.update({name(*cell): value for cell, value in (cells or {}).items()})
    data.update(fields)
    return data


@pytest.fixture
def report(clerk, town):
    return services.report_start(organ=town, year=2022, acting_user=clerk)


@pytest.fixture
def edit_url(report):
    return reverse("reports:report_edit", kwargs={"pk": report.pk})


def test_form_renders_the_official_layout(clerk_client, edit_url):
    body = clerk_client.get(edit_url).content.decode()
    assert "第二十条第（一）项" in body and "现行有效件数" in body
    assert "申请人情况" in body and "法人或其他组织" in body
    assert 'rowspan="8"' in body  # （三）不予公开 over its eight reasons
    assert "未经复议直接起诉" in body and "复议后起诉" in body
    assert f'name="{name(S3, "三.六.3", "总计")}"' in body
    assert "js/report-form.js" in body


def test_saving_a_draft_with_failing_checks_succeeds(clerk_client, report, edit_url):
    # 总计 does not match the applicant columns: an error finding, but the draft is saved.
    row = dict(zip(formats.APPLICANT_KEYS, ["3", "0", "0", "0", "0", "0", "5"], strict=True))
    data = form_data(
        report,
        {(S3, "一", column): value for column, value in row.items()},
        overview="本年共收到政府信息公开申请3件。",
    )
    response = clerk_client.post(edit_url, data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.version == 2
    assert report.overview.startswith("本年共收到")
    assert report.figures_dict()[S3]["一"][0] == 3
    assert report.findings.filter(code="s3_row_total", severity="error").exists()
    page = clerk_client.get(edit_url).content.decode()
    flagged = re.search(
        rf'<td class="([^"]*)"[^>]*><input[^>]*name="{name(S3, "一", "总计")}"', page
    )
    assert flagged and "flag-error" in flagged.group(1)
    unflagged = re.search(
        rf'<td class="([^"]*)"[^>]*><input[^>]*name="{name(S3, "二", "总计")}"', page
    )
    assert unflagged and "flag-error" not in unflagged.group(1)
    event = AuditEvent.objects.get(report=report, action="report.save")
    assert event.actor.username == "clerk"


@pytest.mark.parametrize(("value", "message"), [("-1", "不能为负数"), ("三件", "请填写数字")])
def test_a_bad_number_fails_with_the_message_on_its_cell(
    clerk_client, report, edit_url, value, message
):
    cell = (S3, "三.一", "自然人")
    response = clerk_client.post(edit_url, form_data(report, {cell: value}, overview="不会保存"))
    assert response.status_code == 400
    assert response.context["form"].errors[name(*cell)] == [message + "。"]
    body = response.content.decode()
    # The message sits in the same table cell as the input.
    td = re.search(
        rf'<td[^>]*>[^<]*<input[^>]*name="{re.escape(name(*cell))}"[^>]*>(.*?)</td>', body
    )
    assert td and message in td.group(1)
    report.refresh_from_db()
    assert report.version == 1 and report.overview == ""


def test_change_per_year_may_be_negative_in_the_2019_edition(clerk_client, clerk, town):
    report = services.report_start(organ=town, year=2020, acting_user=clerk)
    cell = (formats.SECTION2, "行政许可", "本年增/减")
    url = reverse("reports:report_edit", kwargs={"pk": report.pk})
    response = clerk_client.post(url, form_data(report, {cell: "-2"}))
    assert response.status_code == 302
    assert report.figures_dict()[formats.SECTION2]["行政许可"]["本年增/减"] == -2


def test_the_second_of_two_saves_from_the_same_version_is_refused(clerk_client, report, edit_url):
    first = form_data(report, {(S3, "一", "自然人"): "4"}, overview="第一个人")
    second = form_data(report, {(S3, "一", "自然人"): "9"}, overview="第二个人")
    assert clerk_client.post(edit_url, first).status_code == 302
    response = clerk_client.post(edit_url, second)
    assert response.status_code == 409
    body = response.content.decode()
    assert "此报告已被他人修改" in body
    assert "第二个人" in body  # what the clerk typed is still in the form
    report.refresh_from_db()
    assert report.overview == "第一个人"
    assert report.figures_dict()[S3]["一"][0] == 4
    assert AuditEvent.objects.filter(report=report, action="report.save").count() == 1
    # Saving again from the page that told them is a deliberate choice, and goes through.
    assert response.context["form"]["version"].value() == str(report.version)
    again = dict(second, version=report.version)
    assert clerk_client.post(edit_url, again).status_code == 302
    report.refresh_from_db()
    assert report.overview == "第二个人"


def test_switching_the_edition_keeps_the_shared_cells(clerk_client, report, edit_url):
    cells = {(S3, "一", "自然人"): "2", (formats.SECTION2, "规章", "本年制发件数"): "1"}
    clerk_client.post(edit_url, form_data(report, cells))
    report.refresh_from_db()
    response = clerk_client.post(edit_url, form_data(report, cells, edition="2019"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.edition == "2019"
    assert report.figures_dict()[S3]["一"][0] == 2
    assert not Figure.objects.filter(report=report, column="本年制发件数").exists()
    assert "本年新制作数量" in clerk_client.get(edit_url).content.decode()
