"""The official document as PDF: LibreOffice conversion, read back; queued when a worker runs."""

import pytest
from django.urls import reverse

from core import formats
from core.parsing import parse_bytes
from data import documents
from data.documents import service as document_service
from data.tasks import generate_document
from filing.workflow import Status
from tests.data.test_documents import PROSE, assert_same_report, distinct_figures, download
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db
needs_soffice = pytest.mark.skipif(
    documents.soffice_path() is None, reason="LibreOffice (soffice) is not installed"
)


@needs_soffice
@pytest.mark.slow
@pytest.mark.parametrize("edition", formats.EDITIONS)
def test_the_pdf_reads_back_with_every_cell_organ_year_and_edition(client, clerk, town, edition):
    report = make_report(
        town, year=2022, edition=edition, figures=distinct_figures(edition), **PROSE
    )
    client.force_login(clerk)
    response = client.get(reverse("reports:report_draft_pdf", kwargs={"pk": report.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    result = parse_bytes(content, "report.pdf")
    assert result.error is None and result.kind == "pdf"
    assert_same_report(result, report, report.figures_dict(), PROSE)


@needs_soffice
@pytest.mark.slow
def test_the_public_pdf_is_made_from_the_publication(client, town):
    figures = distinct_figures(formats.EDITION_2019)
    make_report(town, year=2021, edition="2019", status=Status.PUBLISHED, figures=figures, **PROSE)
    url = reverse("reports:report_document_pdf", kwargs={"slug": "zimao", "year": 2021})
    result = parse_bytes(download(client, url), "public.pdf")
    assert result.figures() == figures and result.published == "2022-01-20"


def test_with_a_worker_the_pdf_is_queued_once_and_served_when_ready(
    client, clerk, town, settings, monkeypatch
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(documents, "soffice_path", lambda: "/usr/bin/soffice")
    queued = []
    monkeypatch.setattr(generate_document, "delay", lambda *args: queued.append(args))
    report = make_report(town, year=2023)
    client.force_login(clerk)
    url = reverse("reports:report_draft_pdf", kwargs={"pk": report.pk})
    first = client.get(url)
    assert first.status_code == 202 and first["Refresh"] == "3"
    assert "正在生成" in first.content.decode()
    assert client.get(url).status_code == 202
    assert queued == [(report.pk, None, "pdf")]
    # The worker's job, with the conversion stubbed: the next refresh downloads the file.
    monkeypatch.setattr(document_service, "docx_to_pdf", lambda data: b"%PDF-1.4 stub")
    assert documents.document_generate(report_id=report.pk, kind="pdf")
    assert download(client, url) == b"%PDF-1.4 stub"


def test_a_failed_conversion_says_so_instead_of_refreshing_forever(
    client, clerk, town, settings, monkeypatch
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(documents, "soffice_path", lambda: "/usr/bin/soffice")

    def fails(data):
        raise documents.ConversionError("LibreOffice took longer than 90 s")

    monkeypatch.setattr(document_service, "docx_to_pdf", fails)
    report = make_report(town, year=2023)
    assert documents.document_generate(report_id=report.pk, kind="pdf") is None
    client.force_login(clerk)
    response = client.get(reverse("reports:report_draft_pdf", kwargs={"pk": report.pk}))
    assert response.status_code == 503 and "PDF 生成失败" in response.content.decode()
    assert "Refresh" not in response


def test_without_libreoffice_the_pdf_link_explains_and_word_still_works(
    client, clerk, town, monkeypatch
):
    monkeypatch.setattr(documents, "soffice_path", lambda: None)
    report = make_report(town, year=2023)
    client.force_login(clerk)
    response = client.get(reverse("reports:report_draft_pdf", kwargs={"pk": report.pk}))
    assert response.status_code == 503 and "LibreOffice" in response.content.decode()
    assert (
        client.get(reverse("reports:report_draft_docx", kwargs={"pk": report.pk})).status_code
        == 200
    )


@needs_soffice
def test_a_conversion_that_hangs_is_killed_at_the_timeout(monkeypatch, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setattr(documents.pdf, "soffice_path", lambda: str(fake))
    with pytest.raises(documents.ConversionError, match="longer than 1 s"):
        documents.docx_to_pdf(b"PK", timeout=1)


def test_without_a_worker_a_failed_conversion_is_remembered_not_retried_each_refresh(
    client, clerk, town, settings, monkeypatch
):
    # No worker: the PDF is made in the request. A failure is recorded as a worker's is, so
    # the next request says so at once instead of running LibreOffice again.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr(documents, "soffice_path", lambda: "/usr/bin/soffice")
    attempts = []

    def fails(data):
        attempts.append(len(data))
        raise documents.ConversionError("LibreOffice took longer than 90 s")

    monkeypatch.setattr(document_service, "docx_to_pdf", fails)
    report = make_report(town, year=2023)
    client.force_login(clerk)
    url = reverse("reports:report_draft_pdf", kwargs={"pk": report.pk})
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 503 and "PDF 生成失败" in response.content.decode()
    assert len(attempts) == 1
    docx = client.get(reverse("reports:report_draft_docx", kwargs={"pk": report.pk}))
    assert docx.status_code == 200 and docx["X-Content-Type-Options"] == "nosniff"
