"""The clerk's upload path through the real views: upload, progress, review, apply, download."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import reverse

from core import formats
from filing.figures import figures_set
from filing.models import AnnualReport, Attachment, AuditEvent, Figure, ParseRun
from filing.workflow import Status
from tests.support.render import FAULTY_2022, TOWN_2023, corpus_bytes, corpus_expected

pytestmark = pytest.mark.django_db
# The uploaded file: another organ's corpus report that breaks 勾稽 rules (表三 totals).
UPLOADED = FAULTY_2022
TRUTH = corpus_expected(UPLOADED)
RECEIVED = (formats.SECTION3, "一", formats.APPLICANT_KEYS[0])
RECEIVED_TOTAL = (formats.SECTION3, "一", formats.TOTAL_COLUMN)


@pytest.fixture
def report(town):
    return AnnualReport.objects.create(organ=town, year=TRUTH["year"], edition=formats.EDITION_2021)


@pytest.fixture
def other_report(other_town):
    return AnnualReport.objects.create(organ=other_town, year=2023)


def url(name, report, **kwargs):
    return reverse(f"reports:{name}", kwargs={"pk": report.pk, **kwargs})


def upload(client, report, *files, capture):
    """Post files to the upload page, running the parse the commit would queue."""
    with capture(execute=True):
        return client.post(url("attachment_upload", report), {"files": list(files)})


def seed_file(key=UPLOADED):
    """A corpus report as the clerk's upload (markdown text, as converters export it)."""
    return SimpleUploadedFile(f"{key}.txt", corpus_bytes(key), content_type="text/plain")


def cell_value(report, cell):
    table, row, column = cell
    return report.figures.get(table=table, row=row, column=column).value


@pytest.fixture
def parsed(clerk_client, report, django_capture_on_commit_callbacks):
    """The faulty corpus report uploaded to the blank report and parsed; returns its run."""
    response = upload(clerk_client, report, seed_file(), capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response.url == url("attachment_list", report)
    return ParseRun.objects.get(attachment__report=report)


def review_url(report, run):
    return url("parse_run_review", report, attachment_id=run.attachment_id, run_id=run.pk)


def apply_url(report, run):
    return url("parse_run_apply", report, attachment_id=run.attachment_id, run_id=run.pk)


def test_an_uploaded_seed_is_stored_parsed_and_listed_as_done(clerk_client, report, parsed, clerk):
    attachment = parsed.attachment
    assert parsed.status == ParseRun.Status.DONE
    assert (attachment.report, attachment.uploaded_by, attachment.content_type) == (
        report,
        clerk,
        Attachment.Kind.TEXT,
    )
    page = clerk_client.get(url("attachment_list", report)).content.decode()
    assert attachment.original_name in page and "已完成" in page
    assert review_url(report, parsed) in page
    assert "js/parse-progress.js" in page
    event = AuditEvent.objects.get(action="attachment.upload")
    assert (event.report, event.actor, event.data["attachment"]) == (report, clerk, attachment.pk)


def test_several_files_in_one_upload_each_get_a_run(
    clerk_client, report, django_capture_on_commit_callbacks
):
    upload(
        clerk_client,
        report,
        seed_file(TOWN_2023),
        seed_file(UPLOADED),
        capture=django_capture_on_commit_callbacks,
    )
    assert report.attachments.count() == 2
    assert ParseRun.objects.filter(attachment__report=report, status="done").count() == 2


def test_the_review_page_shows_parsed_values_with_where_they_were_found(
    clerk_client, report, parsed
):
    page = clerk_client.get(review_url(report, parsed)).content.decode()
    value = parsed.values.get(table=formats.SECTION3, row="三.七", column="自然人")
    assert value.value == TRUTH[formats.SECTION3]["三.七"][0] and value.location
    assert value.location in page and "（七）总计" in page
    assert "空白，将填入" in page and TRUTH["organ"] in page
    assert TRUTH["published"] in page
    # The file is another organ's report; this report belongs to 紫帽镇: the clerk is warned.
    assert "请确认上传的是本机关的报告" in page and "请确认上传的是本年度的报告" not in page
    # The findings the parse produced (the file breaks 勾稽 rules) are listed.
    assert parsed.result["findings"]
    assert any(f["message"] in page for f in parsed.result["findings"])
    # Tables come in the official order: 二 before 三 before 四.
    positions = [page.index(f"<caption>{label}</caption>") for _, label in Figure.Table.choices]
    assert positions == sorted(positions)


def test_apply_all_fills_the_blank_report_with_the_printed_figures(
    clerk_client, report, parsed, clerk
):
    response = clerk_client.post(apply_url(report, parsed), {"action": "all"})
    assert response.status_code == 302 and response.url == review_url(report, parsed)
    report.refresh_from_db()
    assert report.figures_dict()[formats.SECTION3] == TRUTH[formats.SECTION3]
    assert report.overview.strip()
    event = AuditEvent.objects.get(action="report.apply_parsed")
    assert (event.report, event.actor, event.data["run"]) == (report, clerk, parsed.pk)
    page = clerk_client.get(review_url(report, parsed)).content.decode()
    filled = parsed.values.filter(value__isnull=False).count()
    assert f"已填入的空白单元格：{filled} 个" in page and "一致" in page


def test_a_typed_value_that_differs_is_a_conflict_replaced_only_when_selected(
    clerk_client, report, parsed
):
    figures_set(report=report, figures={formats.SECTION3: {"一": [6, 0, 0, 0, 0, 0, 6]}})
    clerk_client.post(apply_url(report, parsed), {"action": "all"})
    assert cell_value(report, RECEIVED) == 6
    page = clerk_client.get(review_url(report, parsed)).content.decode()
    assert "与已填数值不同、未改动的单元格" in page
    assert 'value="section3|一|自然人"' in page and 'value="section3|一|总计"' in page

    clerk_client.post(
        apply_url(report, parsed), {"action": "selected", "cells": ["section3|一|自然人"]}
    )
    assert cell_value(report, RECEIVED) == TRUTH[formats.SECTION3]["一"][0] != 6
    assert cell_value(report, RECEIVED_TOTAL) == 6
    page = clerk_client.get(review_url(report, parsed)).content.decode()
    assert 'value="section3|一|总计"' in page and 'value="section3|一|自然人"' not in page


def test_apply_selected_with_nothing_ticked_changes_nothing(clerk_client, report, parsed):
    response = clerk_client.post(apply_url(report, parsed), {"action": "selected"}, follow=True)
    assert "请先勾选要替换的单元格" in response.content.decode()
    assert not report.figures.exists()
    assert not AuditEvent.objects.filter(action="report.apply_parsed").exists()


def test_binary_junk_ends_in_a_failed_run_explained_in_plain_words(
    clerk_client, report, django_capture_on_commit_callbacks
):
    junk = SimpleUploadedFile("report.pdf", bytes(range(256)) * 8)
    upload(clerk_client, report, junk, capture=django_capture_on_commit_callbacks)
    run = ParseRun.objects.get(attachment__report=report)
    assert run.status == ParseRun.Status.FAILED and "无法识别该文件的格式" in run.message
    page = clerk_client.get(url("attachment_list", report)).content.decode()
    assert run.message in page and "重新导出为 PDF 或 DOCX" in page and "失败" in page
    status = clerk_client.get(url("attachment_status", report, attachment_id=run.attachment_id))
    assert status.json()["status"] == "failed" and status.json()["message"] == run.message
    review = clerk_client.get(review_url(report, run))
    assert review.status_code == 302


def test_an_oversize_upload_is_refused_with_a_message(
    clerk_client, report, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_MAX_UPLOAD_BYTES = 1024
    big = SimpleUploadedFile("big.txt", "年度报告".encode() * 200)
    response = upload(clerk_client, report, big, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "超过了上传上限" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_status_endpoint_reports_a_queued_then_a_done_run_as_json(
    clerk_client, report, django_capture_on_commit_callbacks
):
    # Without running the commit hooks the task is never sent: the run stays queued.
    clerk_client.post(url("attachment_upload", report), {"files": [seed_file()]})
    attachment = Attachment.objects.get(report=report)
    status_url = url("attachment_status", report, attachment_id=attachment.pk)
    response = clerk_client.get(status_url)
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "queued", "label": "排队中", "message": ""}
    page = clerk_client.get(url("attachment_list", report)).content.decode()
    assert f'data-status-url="{status_url}"' in page and "刷新" in page
    from filing import services

    services.parse_run_execute(run_id=attachment.parse_runs.get().pk)
    data = clerk_client.get(status_url).json()
    assert data["status"] == "done" and data["review_url"].startswith(
        url("attachment_list", report)
    )


def test_the_download_returns_the_exact_original_bytes(clerk_client, report, parsed):
    response = clerk_client.get(
        url("attachment_download", report, attachment_id=parsed.attachment_id)
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == corpus_bytes(UPLOADED)
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{UPLOADED}.txt" in response["Content-Disposition"]


def test_a_submitted_report_takes_no_uploads_and_no_apply(clerk_client, report, parsed):
    AnnualReport.objects.filter(pk=report.pk).update(status=Status.SUBMITTED)
    response = clerk_client.post(url("attachment_upload", report), {"files": [seed_file()]})
    assert response.status_code == 302 and report.attachments.count() == 1
    response = clerk_client.post(apply_url(report, parsed), {"action": "all"})
    assert response.status_code == 302 and not report.figures.exists()
    assert clerk_client.get(url("attachment_list", report)).status_code == 200


def _urls(report, run):
    ids = {"attachment_id": run.attachment_id}
    return [
        ("get", url("attachment_list", report)),
        ("get", url("attachment_upload", report)),
        ("post", url("attachment_upload", report)),
        ("get", url("attachment_status", report, **ids)),
        ("get", url("attachment_download", report, **ids)),
        ("get", url("parse_run_review", report, run_id=run.pk, **ids)),
        ("post", url("parse_run_apply", report, run_id=run.pk, **ids)),
    ]


def test_a_clerk_of_another_organ_gets_404_on_every_upload_url(
    client, report, parsed, other_clerk, other_report
):
    client.force_login(other_clerk)
    for method, address in _urls(report, parsed):
        assert getattr(client, method)(address).status_code == 404, address
    # Guessing this organ's attachment and run ids under their own report's URL fails too.
    for method, address in _urls(other_report, parsed)[3:]:
        assert getattr(client, method)(address, {"action": "all"}).status_code == 404, address
    assert not report.figures.exists() and not other_report.figures.exists()


def test_anonymous_visitors_are_sent_to_login(client, report, parsed):
    client.logout()  # the parsed fixture logged the clerk in on this client
    login = resolve_url(settings.LOGIN_URL)
    for method, address in _urls(report, parsed):
        response = getattr(client, method)(address)
        assert response.status_code == 302 and response.url.startswith(login), address
