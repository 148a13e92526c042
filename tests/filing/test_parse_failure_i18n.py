"""Why a parse failed, in the clerk's language: on the uploads page and in the status JSON.

A clerk who chose English (language cookie or Accept-Language) reads the English sentence;
a Chinese clerk reads exactly the Chinese the run stores in ParseRun.message. Runs stored
before failures kept their template show their message through the catalogue, else as is.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from filing import services
from filing.models import Attachment, ParseRun
from filing.services import parsing as parsing_service
from tests.support.hostile_pdf import encrypted_pdf

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3400-\u9fff]")

ENCRYPTED = (
    "The file is encrypted: the PDF is password-protected and cannot be read. The file has "
    "been kept; please remove the password, export the PDF again and upload it, or fill in the "
    "form directly."
)
EMPTY = "The file is empty: there is nothing to read. Please check it and upload it again."
OLD_OFFICE = (
    "This is an old-format Word/Excel file (.doc/.xls), which the system cannot read "
    "directly. Please save it as DOCX or PDF in Office or WPS and upload that, or fill in the "
    "form directly."
)
EXCEL = (
    "This is a file in Excel spreadsheet format, which the system cannot read. Please save it "
    "as DOCX or PDF and upload that, or fill in the form directly."
)
TIMEOUT = (
    "Reading timed out: this file was not read within the time allowed, so reading was "
    "stopped. The file has been kept: you can click “Read again” to try again, or upload "
    "another file, or fill in the form directly."
)
INTERRUPTED = (
    "Reading was interrupted: the process handling this file stopped unexpectedly (for "
    "example, a server restart). The file has been kept: you can click “Read again” to try "
    "again, or fill in the form directly."
)


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def upload(client, report, name: str, data: bytes, capture) -> ParseRun:
    """Post the file through the upload page; the parse task runs when the upload commits."""
    with capture(execute=True):
        response = client.post(
            reverse("reports:attachment_upload", kwargs={"pk": report.pk}),
            {"files": [SimpleUploadedFile(name, data)]},
        )
    assert response.status_code == 302, response.content[:500]
    return Attachment.objects.get(report=report, original_name=name).parse_runs.get()


def shown(client, run: ParseRun, **headers) -> tuple[str, str]:
    """The uploads page's HTML and the status JSON's message, as the client's clerk sees them."""
    report_pk = run.attachment.report_id
    page = client.get(reverse("reports:attachment_list", kwargs={"pk": report_pk}), **headers)
    status = client.get(
        reverse(
            "reports:attachment_status",
            kwargs={"pk": report_pk, "attachment_id": run.attachment_id},
        ),
        **headers,
    )
    assert page.status_code == status.status_code == 200
    return page.content.decode(), status.json()["message"]


def english(client, run: ParseRun) -> tuple[str, str]:
    """What a clerk who chose English (the language cookie) sees."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        return shown(client, run)
    finally:
        del client.cookies[django_settings.LANGUAGE_COOKIE_NAME]


def assert_said(client, run: ParseRun, chinese: str, english_text: str) -> None:
    assert run.status == ParseRun.Status.FAILED
    assert run.message == chinese  # what older readers of the row read
    page, message = english(client, run)
    assert message == english_text
    assert not CJK.search(message)
    assert escape(english_text) in page
    assert escape(chinese) not in page
    # A clerk whose browser asks for English without the cookie reads the same.
    assert shown(client, run, HTTP_ACCEPT_LANGUAGE="en")[1] == english_text
    page, message = shown(client, run, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert message == chinese
    assert escape(chinese) in page


def test_an_encrypted_pdf_says_so_in_english_and_in_chinese(
    clerk_client, report, django_capture_on_commit_callbacks
):
    run = upload(
        clerk_client, report, "locked.pdf", encrypted_pdf(), django_capture_on_commit_callbacks
    )
    assert run.result["error_code"] == "encrypted"
    assert run.result["error_message"]["text"] == services.ENCRYPTED_MESSAGE
    assert_said(clerk_client, run, services.ENCRYPTED_MESSAGE, ENCRYPTED)


def test_an_empty_file_says_so_in_english_and_in_chinese(
    clerk_client, report, django_capture_on_commit_callbacks
):
    run = upload(
        clerk_client, report, "blank.txt", b" \r\n\t\n", django_capture_on_commit_callbacks
    )
    assert run.result["error_message"] == {
        "text": "文件是空的，没有可读取的内容。请检查后重新上传。",
        "template": "empty_file",
        "params": {},
    }
    assert_said(clerk_client, run, "文件是空的，没有可读取的内容。请检查后重新上传。", EMPTY)


def test_an_old_excel_file_named_pdf_says_so_in_english_and_in_chinese(
    clerk_client, report, django_capture_on_commit_callbacks
):
    xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)
    run = upload(clerk_client, report, "figures.pdf", xls, django_capture_on_commit_callbacks)
    assert run.result["error_code"] == "unsupported_type"
    chinese = (
        "这是旧版 Word/Excel 文件（.doc/.xls），系统无法直接读取。"
        "请在 Office 或 WPS 中另存为 DOCX 或 PDF 后上传，或直接在表单中填写。"
    )
    assert_said(clerk_client, run, chinese, OLD_OFFICE)


def test_a_spreadsheet_named_docx_says_its_format_in_english(
    clerk_client, report, django_capture_on_commit_callbacks
):
    run = upload(clerk_client, report, "figures.docx", _xlsx(), django_capture_on_commit_callbacks)
    assert run.result["error_message"]["params"] == {"what": "Excel 表格"}
    chinese = "这是Excel 表格文件，系统无法读取。请另存为 DOCX 或 PDF 后上传，或直接在表单中填写。"
    assert_said(clerk_client, run, chinese, EXCEL)


def test_a_parse_past_its_time_limit_says_timeout_in_english_and_in_chinese(
    clerk_client, report, settings, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(parsing_service, "parse_bytes", lambda data, name=None: time.sleep(60))
    settings.PORTAL_PARSE_TIMEOUT = 1
    run = upload(clerk_client, report, "slow.txt", b"report", django_capture_on_commit_callbacks)
    assert run.result["error_code"] == "timeout"
    assert_said(clerk_client, run, services.TIMEOUT_MESSAGE, TIMEOUT)


def test_a_run_the_sweeper_failed_reads_in_english(clerk_client, report):
    attachment = services.attachment_add(data=b"report", original_name="a.txt", report=report)
    run = ParseRun.objects.create(
        attachment=attachment,
        status=ParseRun.Status.RUNNING,
        started_at=timezone.now() - timedelta(minutes=5),
    )
    assert services.parse_run_fail_stale(older_than=timedelta(minutes=1)) == 1
    run.refresh_from_db()
    assert_said(clerk_client, run, services.INTERRUPTED_MESSAGE, INTERRUPTED)


def test_older_runs_show_their_stored_sentence_or_its_english(clerk_client, report):
    attachment = services.attachment_add(data=b"report", original_name="a.txt", report=report)
    retired = "这句话不在翻译目录里。"
    # Stored before failures kept their template: only the Chinese message and the code.
    known = ParseRun.objects.create(
        attachment=attachment,
        status=ParseRun.Status.FAILED,
        message=services.TIMEOUT_MESSAGE,
        result={"error": services.TIMEOUT_MESSAGE, "error_code": "timeout"},
    )
    assert english(clerk_client, known)[1] == TIMEOUT
    unknown = ParseRun.objects.create(
        attachment=attachment,
        status=ParseRun.Status.FAILED,
        message=retired,
        result={
            "error": retired,
            "error_code": "unreadable",
            "error_message": {"text": retired, "template": "retired_key", "params": {}},
        },
    )
    page, message = english(clerk_client, unknown)
    assert message == retired
    assert retired in page


def test_a_run_still_running_has_no_message(clerk_client, report):
    attachment = services.attachment_add(data=b"report", original_name="a.txt", report=report)
    run = ParseRun.objects.create(attachment=attachment, status=ParseRun.Status.RUNNING)
    assert english(clerk_client, run)[1] == ""


def test_the_admins_attachment_page_says_the_failure_in_the_viewers_language(
    clerk_client, admin_client, report, django_capture_on_commit_callbacks
):
    run = upload(
        clerk_client, report, "locked.pdf", encrypted_pdf(), django_capture_on_commit_callbacks
    )
    url = reverse("admin:filing_attachment_change", args=[run.attachment_id])
    admin_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    assert escape(ENCRYPTED) in admin_client.get(url).content.decode()
    admin_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert escape(services.ENCRYPTED_MESSAGE) in admin_client.get(url).content.decode()


def refused(client, report, name: str, data: bytes, language: str) -> str:
    """The upload page's answer to a file refused before it is stored."""
    response = client.post(
        reverse("reports:attachment_upload", kwargs={"pk": report.pk}),
        {"files": [SimpleUploadedFile(name, data)]},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200  # the form again, with the reason
    assert not Attachment.objects.filter(report=report, original_name=name).exists()
    return response.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "chinese", "english_text"),
    [
        (
            "report.exe",
            b"plain words",
            "不支持扩展名为“.exe”的文件",
            "Files ending in “.exe” are not accepted.",
        ),
        (
            "report.txt",
            b"%PDF-1.4\n%\xe2\xe3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
            "文件扩展名是“.txt”，但内容是PDF",
            "The file name ends in “.txt” but the file is PDF.",
        ),
        (
            "report",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "这是旧版 Word/Excel 文件",
            "This is an old-format Word/Excel file",
        ),
    ],
)
def test_a_file_refused_at_upload_says_why_in_the_clerks_language(
    clerk_client, report, name, data, chinese, english_text
):
    page = refused(clerk_client, report, name, data, "en")
    assert escape(english_text) in page
    assert escape(chinese) not in page
    page = refused(clerk_client, report, name, data, "zh-hans")
    assert escape(chinese) in page
