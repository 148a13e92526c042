"""Scans and photos through the real upload views: stored as images, each OCR cell's crop shown."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import formats
from core.ocr import engine
from filing.models import Attachment, ParsedValue, ParseRun

pytestmark = pytest.mark.django_db
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
needs_ocr = pytest.mark.skipif(
    not engine.available(), reason="rapidocr-onnxruntime is not installed (optional OCR)"
)


@pytest.fixture(scope="module")
def scan_png() -> bytes:
    """The first table page of a corpus report, printed, stamped and scanned at 150 dpi."""
    from bench.corpus import scans

    pdf, _ = scans.sample_pdf(1, corpus=True)
    return scans.scan(scans.table_pages(pdf), "png", seed=2, dpi=150)


def _upload(client, report, name: str, data: bytes, capture, *, execute: bool = False):
    url = reverse("reports:attachment_upload", kwargs={"pk": report.pk})
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    with capture(execute=execute):
        return client.post(url, {"files": [upload]})


def _crop_url(value: ParsedValue) -> str:
    run = value.run
    return reverse(
        "reports:parsed_value_crop",
        kwargs={
            "pk": run.attachment.report_id,
            "attachment_id": run.attachment_id,
            "run_id": run.pk,
            "value_id": value.pk,
        },
    )


def _ocr_value(attachment: Attachment) -> ParsedValue:
    """A done run with one value read from the scan (what an OCR parse stores)."""
    run = ParseRun.objects.create(attachment=attachment, status=ParseRun.Status.DONE, result={})
    return ParsedValue.objects.create(
        run=run,
        table=formats.SECTION3,
        row="一",
        column=formats.TOTAL_COLUMN,
        value=12,
        raw="12",
        confidence=0.6,
        rule="table",
        page=1,
        bbox=[300.0, 400.0, 420.0, 440.0],
        flag="识别把握不大，请对照原图",
    )


def test_the_upload_page_says_scans_and_photos_are_accepted(client, clerk, report):
    client.force_login(clerk)
    page = client.get(reverse("reports:attachment_upload", kwargs={"pk": report.pk}))
    text = page.content.decode()
    assert "扫描件" in text and "JPEG" in text and "TIFF" in text
    assert ".jpg" in text and ".tiff" in text  # the file picker's accept attribute


@pytest.mark.parametrize(
    ("name", "header", "kind"),
    [
        ("scan.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "jpeg"),
        ("scan.png", PNG_MAGIC + b"\x00" * 64, "png"),
        ("scan.tif", b"II*\x00" + b"\x00" * 64, "tiff"),
    ],
)
def test_an_image_upload_is_kept_with_its_sniffed_kind(
    client, clerk, report, django_capture_on_commit_callbacks, name, header, kind
):
    client.force_login(clerk)
    response = _upload(client, report, name, header, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    attachment = Attachment.objects.get(report=report)
    assert attachment.content_type == kind
    assert attachment.parse_runs.count() == 1  # queued for the parse (OCR in the worker)


def test_a_pdf_named_as_a_photo_is_refused_with_the_reason(
    client, clerk, report, django_capture_on_commit_callbacks
):
    client.force_login(clerk)
    response = _upload(
        client, report, "scan.jpg", b"%PDF-1.4\n%\n", django_capture_on_commit_callbacks
    )
    assert response.status_code == 200
    assert "扩展名" in response.content.decode()
    assert not Attachment.objects.filter(report=report).exists()


def test_the_crop_of_an_ocr_value_is_a_private_png_for_clerk_and_supervisor(
    client, clerk, supervisor, report, scan_png, django_capture_on_commit_callbacks
):
    client.force_login(clerk)
    _upload(client, report, "盖章扫描件.png", scan_png, django_capture_on_commit_callbacks)
    value = _ocr_value(Attachment.objects.get(report=report))

    response = client.get(_crop_url(value))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(PNG_MAGIC)
    assert "private" in response["Cache-Control"]

    client.force_login(supervisor)
    assert client.get(_crop_url(value)).content == response.content  # the cached crop


def test_another_organs_clerk_gets_no_crop(
    client, clerk, other_clerk, outside_town, django_user_model, report, scan_png,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from organs.models import Membership

    client.force_login(clerk)
    _upload(client, report, "scan.png", scan_png, django_capture_on_commit_callbacks)
    url = _crop_url(_ocr_value(Attachment.objects.get(report=report)))
    client.force_login(other_clerk)
    assert client.get(url).status_code == 404
    stranger = django_user_model.objects.create_user(username="far-supervisor", password="x")
    Membership.objects.create(user=stranger, role=Membership.Role.SUPERVISOR, organ=outside_town)
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_a_value_not_read_from_a_scan_has_no_crop(client, clerk, report, scan_png,
                                                  django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(clerk)
    _upload(client, report, "scan.png", scan_png, django_capture_on_commit_callbacks)
    value = _ocr_value(Attachment.objects.get(report=report))
    ParsedValue.objects.filter(pk=value.pk).update(page=None, bbox=None)
    assert client.get(_crop_url(value)).status_code == 404


@pytest.mark.slow
@needs_ocr
def test_an_uploaded_scan_is_read_and_the_review_page_shows_each_cells_crop(
    client, clerk, report, scan_png, django_capture_on_commit_callbacks
):
    client.force_login(clerk)
    _upload(client, report, "scan.png", scan_png, django_capture_on_commit_callbacks, execute=True)
    run = ParseRun.objects.get(attachment__report=report)
    assert run.status == ParseRun.Status.DONE, run.message
    located = run.values.exclude(bbox=None)
    assert located.exists()
    value = located.first()
    assert value.page == 1 and len(value.bbox) == 4 and value.rule

    review_url = reverse(
        "reports:parse_run_review",
        kwargs={"pk": report.pk, "attachment_id": run.attachment_id, "run_id": run.pk},
    )
    page = client.get(review_url + "?all=1").content.decode()
    assert f'src="{_crop_url(value)}"' in page
    assert 'loading="lazy"' in page
    crop = client.get(_crop_url(value))
    assert crop.status_code == 200 and crop.content.startswith(PNG_MAGIC)
