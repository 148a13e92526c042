"""Uploads: type sniffed and matched to the extension, size capped while streaming, names made
safe, files kept outside the static tree and served only through permission-checked views."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from filing import services
from filing.models import Attachment, ParseRun
from tests.support.render import TOWN_2023, corpus_bytes, text_pdf, text_to_docx

pytestmark = pytest.mark.django_db
# A clean corpus report as the clerk uploads it (markdown text).
REPORT = corpus_bytes(TOWN_2023)


def upload_url(report):
    return reverse("reports:attachment_upload", kwargs={"pk": report.pk})


def post(client, report, name, data, capture):
    with capture(execute=True):
        return client.post(upload_url(report), {"files": [SimpleUploadedFile(name, data)]})


SEED = "年度报告\t一\n".encode() + REPORT


@pytest.mark.parametrize(
    "name, data, kind_label",
    [
        ("report.pdf", text_to_docx("一、总体情况\n本年度收到申请 3 件。"), "Word (DOCX)"),
        ("report.docx", text_pdf([[(50, 50, "Annual report 2023")]]), "PDF"),
        ("report.txt", b"<!DOCTYPE html><html><body><p>report</p></body></html>", "HTML"),
        ("report.html", text_pdf([[(50, 50, "Annual report 2023")]]), "PDF"),
    ],
)
def test_content_that_does_not_match_its_extension_is_refused_and_not_stored(
    clerk_client, report, django_capture_on_commit_callbacks, name, data, kind_label
):
    response = post(clerk_client, report, name, data, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    page = response.content.decode()
    assert "但内容是" in page and kind_label in page
    assert not Attachment.objects.exists()


def _xlsx() -> bytes:
    import openpyxl

    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("report.txt", "一、总体情况")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("setup.exe", b"MZ\x90\x00" + bytes(range(256)) * 4, "无法识别该文件的格式"),
        ("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧版 Word"),
        ("report.xlsx", _xlsx(), "Excel 表格"),
        ("report.zip", _zip(), "压缩包"),
        ("report", "一、总体情况".encode(), "不支持扩展名"),
        # Scans as JPEG/PNG/TIFF are read by OCR (tests/filing/test_scan_uploads.py); GIF is not.
        ("photo.gif", b"GIF89a" + b"\x00" * 100, "图片"),
    ],
)
def test_files_of_an_unsupported_type_are_refused_with_the_reason(
    clerk_client, report, django_capture_on_commit_callbacks, name, data, message
):
    response = post(clerk_client, report, name, data, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    "name, data, kind",
    [
        ("报告.docx", text_to_docx("一、总体情况\n本年度收到申请 3 件。"), Attachment.Kind.DOCX),
        ("报告.PDF", text_pdf([[(50, 50, "Annual report 2023")]]), Attachment.Kind.PDF),
        ("报告.htm", "<html><body><p>一、总体情况</p></body></html>".encode(), "html"),
        ("报告.md", "# 年度报告\n\n一、总体情况".encode(), Attachment.Kind.MARKDOWN),
    ],
)
def test_matching_files_of_every_accepted_type_are_stored_with_their_sniffed_kind(
    clerk_client, report, django_capture_on_commit_callbacks, name, data, kind
):
    response = post(clerk_client, report, name, data, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == kind and attachment.original_name == name


def test_an_oversize_file_is_dropped_while_streaming_and_never_reaches_storage(
    clerk_client, report, settings, django_capture_on_commit_callbacks, tmp_path
):
    settings.PORTAL_MAX_UPLOAD_BYTES = 100_000
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    big = REPORT * 20
    assert len(big) > 100_000
    response = post(clerk_client, report, "big.txt", big, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    page = response.content.decode()
    assert "超过了上传上限" in page and "big.txt" in page and "请选择要上传的文件" not in page
    assert not Attachment.objects.exists() and not list(tmp_path.iterdir())


def test_a_request_body_far_over_the_limit_is_answered_413_before_it_is_read(
    clerk_client, report, settings
):
    settings.PORTAL_MAX_UPLOAD_BYTES = 1000
    response = clerk_client.post(
        upload_url(report),
        {"files": [SimpleUploadedFile("a.txt", b"x")]},
        CONTENT_LENGTH=str(50 * 1048576),
    )
    assert response.status_code == 413
    assert "超过了上限" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_upload_form_still_demands_a_csrf_token(clerk, report):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    data = {"files": [SimpleUploadedFile("a.txt", REPORT)]}
    assert client.post(upload_url(report), data).status_code == 403
    page = client.get(upload_url(report))
    token = page.cookies[settings.CSRF_COOKIE_NAME].value
    data["csrfmiddlewaretoken"] = token
    data["files"][0].seek(0)
    assert client.post(upload_url(report), data).status_code == 302
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\张三\\年报.txt", "年报.txt"),
        ('a<b>:c"d|e?f*.txt', "a_b__c_d_e_f_.txt"),
        ("\u202etxt.exe.txt", "txt.exe.txt"),  # no right-to-left override tricks
        ("报告\r\nX-Injected: 1.txt", "报告X-Injected_ 1.txt"),
        ("..", "upload"),
        ("  .hidden.txt. ", "hidden.txt"),
        ("年" * 300 + ".txt", "年" * 116 + ".txt"),
    ],
)
def test_uploaded_names_are_sanitised(raw, clean):
    assert services.attachment_name_clean(raw) == clean


def test_a_stored_file_path_is_random_and_never_the_uploaded_name(report):
    attachment = services.attachment_add(
        data=REPORT, original_name="../../公开/../x.txt", report=report
    )
    path = Path(attachment.file.path).resolve()
    assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert "公开" not in attachment.file.name and ".." not in attachment.file.name
    assert path.read_bytes() == REPORT


def _inside(path, folder) -> bool:
    return Path(path).resolve().is_relative_to(Path(folder).resolve())


def test_media_root_is_outside_every_static_directory():
    from portal import settings as production

    media = production.MEDIA_ROOT
    for folder in [production.STATIC_ROOT, *production.STATICFILES_DIRS]:
        assert not _inside(media, folder) and not _inside(folder, media)


def test_uploaded_files_are_not_served_by_any_url_but_the_checked_download(
    client, clerk_client, report, other_clerk, django_capture_on_commit_callbacks
):
    post(
        clerk_client,
        report,
        "report.txt",
        REPORT,
        django_capture_on_commit_callbacks,
    )
    attachment = Attachment.objects.get()
    name = attachment.file.name
    for address in [
        f"/{settings.MEDIA_URL}{name}",
        f"/media/{name}",
        f"/{name}",
        f"/static/{name}",
        f"/static/../media/{name}",
        f"/{settings.STATIC_URL}..%2Fmedia%2F{name}",
    ]:
        assert client.get(address).status_code == 404, address
        assert clerk_client.get(address).status_code == 404, address
    download = reverse(
        "reports:attachment_download", kwargs={"pk": report.pk, "attachment_id": attachment.pk}
    )
    response = clerk_client.get(download)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    other = Client()
    other.force_login(other_clerk)
    assert other.get(download).status_code == 404
    assert Client().get(download).status_code == 302


def test_an_unreadable_file_under_an_accepted_extension_is_kept_and_its_run_fails(
    clerk_client, report, django_capture_on_commit_callbacks
):
    # Kept as uploaded (the clerk may need it) and explained by the failed run.
    response = post(
        clerk_client,
        report,
        "scan.pdf",
        b"%PDF-1.4\n" + bytes(range(256)) * 10,
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    run = ParseRun.objects.get()
    assert run.status == ParseRun.Status.FAILED and run.message
