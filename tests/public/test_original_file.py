"""The public "original file" is exactly the file whose parsed values were applied and then
published (pinned with its checksum); later uploads change nothing until a new publication;
hand-typed figures have no original file and the page says so."""

import pytest
from django.urls import reverse

from filing import services
from filing.models import ParseRun
from filing.workflow import Status
from public import services as public_services
from review import services as review_services
from tests.support.factories import make_report, system_admin
from tests.support.render import TOWN_2020, TOWN_2022, TOWN_2023, corpus_bytes

pytestmark = pytest.mark.django_db


def parse(report, name: str, data: bytes, capture) -> ParseRun:
    with capture(execute=True):
        attachment = services.attachment_add(data=data, original_name=name, report=report)
        run = services.parse_run_queue(attachment=attachment)
    run.refresh_from_db()
    assert run.status == ParseRun.Status.DONE
    return run


def publish(report):
    admin = system_admin()
    report.refresh_from_db()
    if report.status == Status.PUBLISHED:
        review_services.report_reopen(report=report, acting_user=admin, reason="更正")
        report.refresh_from_db()
    report.status = Status.APPROVED  # set-up only: the review path is tested elsewhere
    report.save(update_fields=["status"])
    kwargs = {"correction_note": "更正"} if report.current_publication_id else {}
    public_services.report_publish(report=report, acting_user=admin, **kwargs)
    report.refresh_from_db()
    return report.current_publication


def original_url(report) -> str:
    return reverse("reports:report_original", kwargs={"slug": report.organ.slug, "year": 2023})


def test_the_applied_file_is_served_not_a_later_upload(
    client, town, django_capture_on_commit_callbacks
):
    report = make_report(town, 2023, Status.DRAFT)
    applied_bytes = corpus_bytes(TOWN_2023)
    applied = parse(report, "applied.txt", applied_bytes, django_capture_on_commit_callbacks)
    services.report_apply_parsed(report=report, run=applied, acting_user=system_admin())
    # Uploaded later, never applied: another year's file.
    parse(report, "later.txt", corpus_bytes(TOWN_2020), django_capture_on_commit_callbacks)
    publication = publish(report)
    assert publication.attachment_id == applied.attachment_id
    assert publication.attachment_sha256 == applied.attachment.sha256
    response = client.get(original_url(report))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == applied_bytes
    # Still the pinned file after yet another upload, until a new publication.
    parse(report, "even-later.txt", corpus_bytes(TOWN_2022), django_capture_on_commit_callbacks)
    assert b"".join(client.get(original_url(report)).streaming_content) == applied_bytes


def test_hand_typed_figures_have_no_original_file_and_the_page_says_so(
    client, town, django_capture_on_commit_callbacks
):
    report = make_report(town, 2023, Status.DRAFT)
    parse(
        report,
        "never-applied.txt",
        corpus_bytes(TOWN_2023),
        django_capture_on_commit_callbacks,
    )
    publication = publish(report)
    assert publication.attachment is None and publication.attachment_sha256 == ""
    assert client.get(original_url(report)).status_code == 404
    page = client.get(reverse("reports:report_detail", kwargs={"slug": town.slug, "year": 2023}))
    assert "没有原始文件" in page.content.decode()
    assert original_url(report) not in page.content.decode()
