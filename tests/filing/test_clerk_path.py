"""The whole clerk path on a corpus report, through the real views: log in, start the
year's report, upload the town's file, watch it parse, review, apply, save, submit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.layout import cell_name
from filing.models import AnnualReport, AuditEvent, ParseRun
from tests.support.render import TOWN_2023, corpus_bytes, corpus_expected, corpus_text

pytestmark = pytest.mark.django_db


def printed_line(text: str, label: str) -> int:
    """The 1-based line of the file where the row labelled ``label`` is printed."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if label in line and "|" in line)


def test_a_clerk_gets_the_years_report_done_from_the_towns_own_file(
    client, clerk, town, django_capture_on_commit_callbacks
):
    # Log in through the login page, as a clerk would.
    response = client.post(reverse("login"), {"username": "clerk", "password": "pw-clerk"})
    assert response.status_code == 302

    response = client.post(reverse("reports:report_start"), {"organ": town.pk, "year": 2023})
    report = AnnualReport.objects.get(organ=town, year=2023)
    assert response.status_code == 302

    # Upload a clean 2023 town report (the corpus's); the worker (eager here) parses it.
    upload = reverse("reports:attachment_upload", kwargs={"pk": report.pk})
    handle = SimpleUploadedFile(f"{TOWN_2023}.txt", corpus_bytes(TOWN_2023))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(upload, {"files": [handle]})
    assert response.status_code == 302
    run = ParseRun.objects.get(attachment__report=report)
    assert run.status == ParseRun.Status.DONE, run.message
    status = client.get(
        reverse(
            "reports:attachment_status",
            kwargs={"pk": report.pk, "attachment_id": run.attachment_id},
        )
    ).json()
    assert status["status"] == "done"

    # Review shows where each value came from; apply everything.
    kwargs = {"pk": report.pk, "attachment_id": run.attachment_id, "run_id": run.pk}
    review = client.get(reverse("reports:parse_run_review", kwargs=kwargs))
    assert review.status_code == 200
    line = printed_line(corpus_text(TOWN_2023), "行政规范性文件")
    assert f"第{line}行" in review.content.decode()  # where that row is printed in the file
    response = client.post(reverse("reports:parse_run_apply", kwargs=kwargs), {"action": "all"})
    assert response.status_code == 302
    report.refresh_from_db()
    figures = report.figures_dict()
    want = corpus_expected(TOWN_2023)
    assert figures["section3"] == want["section3"]
    assert figures["section2"]["行政规范性文件"] == want["section2"]["行政规范性文件"]

    # The form shows the figures; the clerk corrects the prose and saves the draft.
    edit = reverse("reports:report_edit", kwargs={"pk": report.pk})
    form = client.get(edit).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(version=report.version, edition=report.edition, other_matters="无。")
    response = client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert report.other_matters == "无。"
    assert report.figures_dict()["section3"] == want["section3"]

    # A clean report submits at once, and is read-only afterwards.
    response = client.post(reverse("reports:report_submit", kwargs={"pk": report.pk}), {})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    assert client.post(edit, data).status_code == 403

    actions = list(AuditEvent.objects.filter(report=report).values_list("action", flat=True))
    for action in ("report.start", "attachment.upload", "report.apply_parsed", "report.save"):
        assert action in actions
    assert "report.submitted" in actions
    assert cell_name(("section3", "一", "自然人")) in data
