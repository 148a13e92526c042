"""Distinct parse outcomes through the clerk's upload page: a decompression bomb under the
memory cap, a password-protected PDF, a parse past its time limit, and 重新识别 after a failure.
Each is a FAILED run with its own code and message; the file is kept; the audit trail says why."""

import hashlib
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filing import services
from filing.models import Attachment, AuditEvent, ParseRun
from filing.services import parsing as parsing_service
from tests.support.hostile_pdf import decompression_bomb, encrypted_pdf

pytestmark = pytest.mark.django_db


def upload(client, report, name: str, data: bytes, capture) -> ParseRun:
    with capture(execute=True):
        response = client.post(
            reverse("reports:attachment_upload", kwargs={"pk": report.pk}),
            {"files": [SimpleUploadedFile(name, data, content_type="application/pdf")]},
        )
    assert response.status_code in (200, 302), response.content[:300]
    attachment = Attachment.objects.get(report=report, original_name=name)
    assert attachment.file.open("rb").read() == data  # the file is kept as uploaded
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    return attachment.parse_runs.get()


def failure_codes(report) -> list[str]:
    events = AuditEvent.objects.filter(report=report, action="parse.failed").order_by("pk")
    return [event.data["code"] for event in events]


def test_a_decompression_bomb_fails_under_the_memory_cap_with_its_own_message(
    clerk_client, report, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_PARSE_MEMORY_MB = 300
    started = time.monotonic()
    run = upload(
        clerk_client, report, "bomb.pdf", decompression_bomb(), django_capture_on_commit_callbacks
    )
    assert time.monotonic() - started < 30
    assert run.status == ParseRun.Status.FAILED
    assert run.message == services.MEMORY_MESSAGE
    assert run.result["error_code"] == "memory"
    assert failure_codes(report) == ["memory"]
    page = clerk_client.get(reverse("reports:attachment_list", kwargs={"pk": report.pk}))
    assert services.MEMORY_MESSAGE in page.content.decode()


def test_a_password_protected_pdf_says_so_not_damaged(
    clerk_client, report, django_capture_on_commit_callbacks
):
    run = upload(
        clerk_client, report, "locked.pdf", encrypted_pdf(), django_capture_on_commit_callbacks
    )
    assert (run.status, run.message) == (ParseRun.Status.FAILED, services.ENCRYPTED_MESSAGE)
    assert run.message.startswith("文件已加密")
    assert run.result["error_code"] == "encrypted"
    assert failure_codes(report) == ["encrypted"]


def test_a_parse_past_its_time_limit_is_killed_and_says_timeout(
    clerk_client, report, settings, monkeypatch, django_capture_on_commit_callbacks
):
    def endless(data, filename=None):
        time.sleep(60)

    settings.PORTAL_PARSE_TIMEOUT = 1
    monkeypatch.setattr(parsing_service, "parse_bytes", endless)
    started = time.monotonic()
    run = upload(
        clerk_client, report, "slow.pdf", b"%PDF-1.4 slow", django_capture_on_commit_callbacks
    )
    assert time.monotonic() - started < 10
    assert (run.status, run.message) == (ParseRun.Status.FAILED, services.TIMEOUT_MESSAGE)
    assert run.message.startswith("识别超时")
    assert failure_codes(report) == ["timeout"]


def test_the_clerk_retries_a_failed_run_and_the_kept_file_is_parsed_again(
    clerk_client, report, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from tests.support.render import TOWN_2023, corpus_bytes

    real = parsing_service.parse_bytes
    monkeypatch.setattr(parsing_service, "parse_bytes", lambda data, name=None: time.sleep(60))
    settings.PORTAL_PARSE_TIMEOUT = 1
    data = corpus_bytes(TOWN_2023)
    failed = upload(clerk_client, report, "000.txt", data, django_capture_on_commit_callbacks)
    assert failed.status == ParseRun.Status.FAILED
    page = clerk_client.get(reverse("reports:attachment_list", kwargs={"pk": report.pk}))
    assert "重新识别" in page.content.decode()

    monkeypatch.setattr(parsing_service, "parse_bytes", real)
    retry_url = reverse(
        "reports:parse_run_retry",
        kwargs={"pk": report.pk, "attachment_id": failed.attachment_id, "run_id": failed.pk},
    )
    assert clerk_client.get(retry_url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(retry_url)
    assert response.status_code == 302
    latest = ParseRun.objects.filter(attachment_id=failed.attachment_id).order_by("-pk").first()
    assert latest.pk != failed.pk and latest.status == ParseRun.Status.DONE
    event = AuditEvent.objects.get(report=report, action="parse.retry")
    assert event.data == {
        "run": latest.pk,
        "previous": failed.pk,
        "attachment": failed.attachment_id,
    }


def test_another_organs_clerk_cannot_retry(client, other_clerk, report, settings, monkeypatch):
    monkeypatch.setattr(parsing_service, "parse_bytes", lambda data, name=None: time.sleep(60))
    attachment = services.attachment_add(data=b"x", original_name="x.txt", report=report)
    run = ParseRun.objects.create(attachment=attachment, status=ParseRun.Status.FAILED)
    client.force_login(other_clerk)
    url = reverse(
        "reports:parse_run_retry",
        kwargs={"pk": report.pk, "attachment_id": attachment.pk, "run_id": run.pk},
    )
    assert client.post(url).status_code == 404
    assert ParseRun.objects.filter(attachment=attachment).count() == 1
