"""The whole review story through the real views: submit, return, fix, approve, publish,
reopen as a correction, publish the correction; and the audit trail it leaves."""

from datetime import date

import pytest
from django.urls import reverse

from core import formats, layout
from core.figureset import empty_figures
from filing.models import AnnualReport, AuditEvent
from filing.workflow import Status
from public.models import Publication
from review.models import ReviewComment
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db

CELL = ("section3", "一", "自然人")


def clean_figures(new: int, granted: int, carried_out: int) -> dict:
    """A 2021-edition report that passes every check: zeros but for 一, 三.一, 三.七 and 四."""
    figures = empty_figures(formats.EDITION_2021)
    for columns in figures[formats.SECTION2].values():
        for column in columns:
            columns[column] = 0
    for row in figures[formats.SECTION3]:
        figures[formats.SECTION3][row] = [0] * 7
    s3 = figures[formats.SECTION3]
    s3["一"] = [new, 0, 0, 0, 0, 0, new]
    s3["三.一"] = s3["三.七"] = [granted, 0, 0, 0, 0, 0, granted]
    s3["四"] = [carried_out, 0, 0, 0, 0, 0, carried_out]
    figures[formats.SECTION4] = [0] * 15
    return figures


def form_data(figures: dict, edition: str, version: int, **prose) -> dict:
    """The clerk form's POST data for a figures dict."""
    from filing.figures import figures_cells

    data = {
        layout.cell_name(cell): "" if value is None else str(value)
        for cell, value in figures_cells(figures, edition).items()
    }
    data.update(version=version, edition=edition, **prose)
    return data


def clerk_saves(client, report, figures, **prose):
    report.refresh_from_db()
    edit = reverse("reports:report_edit", kwargs={"pk": report.pk})
    response = client.post(edit, form_data(figures, report.edition, report.version, **prose))
    assert response.status_code == 302, response.content.decode()[:3000]


def clerk_submits(client, report):
    response = client.post(reverse("reports:report_submit", kwargs={"pk": report.pk}), {})
    assert response.status_code == 302, response.content.decode()[:3000]
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def url(name, report):
    return reverse(f"reports:{name}", kwargs={"pk": report.pk})


def test_a_report_goes_from_submission_to_a_published_correction(client, clerk, supervisor, town):
    make_report(town, 2022, Status.PUBLISHED, figures=clean_figures(5, 4, 1))

    # The clerk starts 2023 (上年结转 carried over from 2022), fills it in and submits.
    client.force_login(clerk)
    response = client.post(reverse("reports:report_start"), {"organ": town.pk, "year": 2023})
    assert response.status_code == 302
    report = AnnualReport.objects.get(organ=town, year=2023)
    first = clean_figures(3, 2, 2)
    first[formats.SECTION3]["二"] = [1, 0, 0, 0, 0, 0, 1]
    clerk_saves(client, report, first, overview="本年度总体情况。")
    clerk_submits(client, report)

    # The supervisor finds it in the queue and returns it; an empty comment is refused.
    client.force_login(supervisor)
    queue = client.get(reverse("reports:review_queue"))
    assert queue.status_code == 200
    assert [r.pk for r in queue.context["submitted"]] == [report.pk]
    response = client.post(url("review_return", report), {"return-comment": "  "})
    assert response.status_code == 400
    assert "退回时必须填写退回意见。" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED

    response = client.post(url("review_return", report), {"return-comment": "请核对表三。"})
    assert response.status_code == 302
    response = client.post(
        url("review_comment", report),
        {"comment-cell": layout.cell_name(CELL), "comment-body": "自然人申请数与台账不符。"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    assert ReviewComment.objects.get(report=report, table="section3").cell == CELL

    # The clerk sees both comments, the cell one under its cell's name; fixes and resubmits.
    client.force_login(clerk)
    page = client.get(url("report_edit", report)).content.decode()
    assert "请核对表三。" in page
    assert "自然人申请数与台账不符。" in page
    assert "一、本年新收政府信息公开申请数量 · 自然人" in page
    fixed = clean_figures(4, 3, 2)
    fixed[formats.SECTION3]["二"] = [1, 0, 0, 0, 0, 0, 1]
    clerk_saves(client, report, fixed, overview="本年度总体情况。")
    clerk_submits(client, report)

    # Approved, then published on a chosen date.
    client.force_login(supervisor)
    assert client.post(url("review_approve", report), {"approve-comment": ""}).status_code == 302
    response = client.post(url("review_publish", report), {"publish-published_on": "2024-01-20"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.PUBLISHED
    assert report.current_publication.number == 1
    assert report.published_on == date(2024, 1, 20)

    # Reopened as a correction: a reason is required; the public keeps version 1.
    response = client.post(url("review_reopen", report), {"reopen-reason": ""})
    assert response.status_code == 400
    assert "重新打开更正时必须填写原因。" in response.content.decode()
    response = client.post(url("review_reopen", report), {"reopen-reason": "表四数字有误。"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    assert AnnualReport.objects.public().filter(pk=report.pk).exists()
    assert report.current_publication.number == 1

    # The clerk corrects it and submits again.
    client.force_login(clerk)
    corrected = clean_figures(4, 3, 2)
    corrected[formats.SECTION3]["二"] = [1, 0, 0, 0, 0, 0, 1]
    corrected[formats.SECTION4][0:5] = [1, 0, 0, 0, 1]
    clerk_saves(client, report, corrected, overview="本年度总体情况。")
    clerk_submits(client, report)
    assert AnnualReport.objects.public().get(pk=report.pk).current_publication.number == 1

    # Approved and published again: a correction needs its note.
    client.force_login(supervisor)
    assert client.post(url("review_approve", report), {}).status_code == 302
    page = client.get(url("review_detail", report)).content.decode()
    assert "更正说明" in page
    response = client.post(url("review_publish", report), {"publish-published_on": "2024-02-01"})
    assert response.status_code == 400
    assert "发布更正版本时必须填写更正说明。" in response.content.decode()
    response = client.post(
        url("review_publish", report),
        {"publish-published_on": "2024-02-01", "publish-correction_note": "更正表四行政复议。"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    versions = list(Publication.objects.filter(report=report).order_by("number"))
    assert [(p.number, p.is_current) for p in versions] == [(1, False), (2, True)]
    assert versions[1].correction_note == "更正表四行政复议。"
    assert report.current_publication == versions[1]
    assert report.published_on == date(2024, 1, 20)  # the first publication's date stays
    assert versions[0].figures[formats.SECTION4][0] == 0
    assert versions[1].figures[formats.SECTION4][0] == 1

    actions = list(
        AuditEvent.objects.filter(report=report)
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "report.start",
        "report.save",
        "report.submitted",
        "report.returned",
        "report.comment",
        "report.save",
        "report.submitted",
        "report.approved",
        "report.published",
        "report.publication",
        "report.draft",
        "report.save",
        "report.submitted",
        "report.approved",
        "report.published",
        "report.publication",
    ]
    returned = AuditEvent.objects.get(report=report, action="report.returned")
    assert (returned.actor, returned.comment) == (supervisor, "请核对表三。")


def test_an_approved_report_can_still_be_returned_but_not_approved_twice(client, supervisor, town):
    report = make_report(town, 2023, Status.APPROVED)
    client.force_login(supervisor)
    response = client.post(url("review_approve", report), {})
    assert response.status_code == 409
    assert "报告不能从“已审核”改为“已审核”。" in response.content.decode()
    response = client.post(url("review_return", report), {"return-comment": "发布前发现问题。"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.RETURNED
