"""Reviewing a report read out of a real seed file: the page shows where each figure came from."""

import json

import pytest
from django.urls import reverse

from filing import services
from filing.models import ParseRun
from filing.workflow import Status
from tests.support.render import seed_path, seeds_dir

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not seeds_dir().exists(), reason="shared/seeds is not beside the repo"),
]


def expected(prefix: str) -> dict:
    path = next((seeds_dir() / "expected").glob(f"{prefix}*.json"))
    return json.loads(path.read_text("utf-8"))


@pytest.fixture
def parsed_report(clerk, town, django_capture_on_commit_callbacks):
    """紫帽镇's 2023 report parsed from its own file, applied and submitted by its clerk."""
    report = services.report_start(organ=town, year=2023, acting_user=clerk)
    path = seed_path("000")
    with django_capture_on_commit_callbacks(execute=True):
        attachment = services.attachment_add(
            data=path.read_bytes(), original_name=path.name, uploaded_by=clerk, report=report
        )
        services.parse_run_queue(attachment=attachment)
    run = ParseRun.objects.get(attachment=attachment)
    assert run.status == ParseRun.Status.DONE, run.message
    services.report_apply_parsed(report=report, run=run, acting_user=clerk)
    services.report_submit(report=report, acting_user=clerk, explanations={})
    report.refresh_from_db()
    return report


def test_the_review_page_shows_the_parsed_values_their_lines_and_the_original_file(
    client, supervisor, parsed_report
):
    client.force_login(supervisor)
    detail = reverse("reports:review_detail", kwargs={"pk": parsed_report.pk})
    response = client.get(detail)
    assert response.status_code == 200
    page = response.content.decode()

    provenance = {p.cell: p for p in response.context["provenance"]}
    # 行政规范性文件 本年制发 3 / 废止 0 / 现行有效 3 is printed on line 73 of the file.
    issued = provenance[("section2", "行政规范性文件", "本年制发件数")]
    assert issued.value == issued.parsed_value == 3
    assert issued.matches
    assert "73" in issued.parsed.location
    assert "第73行" in page
    received = expected("000")["section3"]["一"][-1]
    assert provenance[("section3", "一", "总计")].value == received

    # The grid shows the values, not inputs; the original file downloads byte for byte.
    assert 'name="c__' not in page
    attachment = parsed_report.attachments.get()
    download = reverse(
        "reports:review_attachment", kwargs={"pk": parsed_report.pk, "attachment_id": attachment.pk}
    )
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == seed_path("000").read_bytes()


def test_a_figure_changed_after_parsing_is_marked_against_the_file(
    client, clerk, supervisor, parsed_report
):
    client.force_login(supervisor)
    detail = reverse("reports:review_detail", kwargs={"pk": parsed_report.pk})
    client.post(
        reverse("reports:review_return", kwargs={"pk": parsed_report.pk}),
        {"return-comment": "请核对规范性文件件数。"},
    )
    figures = parsed_report.figures_dict()
    figures["section2"]["行政规范性文件"]["本年制发件数"] = 4
    parsed_report.refresh_from_db()
    assert parsed_report.status == Status.RETURNED
    services.report_save(
        report=parsed_report,
        acting_user=clerk,
        expected_version=parsed_report.version,
        prose={},
        figures=figures,
    )
    response = client.get(detail)
    changed = {p.cell: p for p in response.context["provenance"]}[
        ("section2", "行政规范性文件", "本年制发件数")
    ]
    assert (changed.value, changed.parsed_value, changed.matches) == (4, 3, False)
    assert "changed-after-parse" in response.content.decode()
