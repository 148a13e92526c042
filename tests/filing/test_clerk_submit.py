"""Submitting a report: refused while errors are unexplained; read-only once submitted."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import formats
from filing import services
from filing.models import AuditEvent
from filing.workflow import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(clerk, town):
    """A draft whose 表四 行政复议 总计 does not add up: one error finding."""
    report = services.report_start(organ=town, year=2022, acting_user=clerk)
    return services.report_save(
        report=report,
        acting_user=clerk,
        expected_version=report.version,
        prose={"overview": "概述"},
        figures={formats.SECTION4: [1, 0, 0, 0, 5] + [0] * 10},
    )


def submit_url(report):
    return reverse("reports:report_submit", kwargs={"pk": report.pk})


def error_of(report):
    return report.findings.get(code="s4_group_total")


def test_submit_page_asks_for_an_explanation_per_error(clerk_client, report):
    response = clerk_client.get(submit_url(report))
    assert response.status_code == 200
    finding = error_of(report)
    assert f'name="explain_{finding.pk}"' in response.content.decode()
    assert finding.message in response.content.decode()


def test_submit_is_refused_while_blocking_findings_remain(clerk_client, report):
    response = clerk_client.post(submit_url(report), {})
    assert response.status_code == 400
    assert "不能提交" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    assert not AuditEvent.objects.filter(report=report, to_status=Status.SUBMITTED).exists()


def test_submit_service_refusal_carries_its_code(clerk, report):
    with pytest.raises(ValidationError) as caught:
        services.report_submit(report=report, acting_user=clerk, explanations={})
    assert caught.value.code == "blocking_findings"


def test_submit_with_every_error_explained_is_accepted(clerk_client, clerk, report):
    finding = error_of(report)
    data = {f"explain_{finding.pk}": "复议案件尚在统计口径调整中，以复议机关数据为准。"}
    response = clerk_client.post(submit_url(report), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert error_of(report).explanation.startswith("复议案件")
    event = AuditEvent.objects.get(report=report, to_status=Status.SUBMITTED)
    assert (event.from_status, event.actor) == (Status.DRAFT, clerk)


def test_explanations_are_kept_when_submission_is_refused(clerk_client, clerk, town, report):
    # A second error (表三 row total) left unexplained keeps the report from going out.
    report = services.report_save(
        report=report,
        acting_user=clerk,
        expected_version=report.version,
        prose={},
        figures={formats.SECTION3: {"一": [1, 0, 0, 0, 0, 0, 9]}},
    )
    finding = error_of(report)
    response = clerk_client.post(submit_url(report), {f"explain_{finding.pk}": "已核实"})
    assert response.status_code == 400
    assert error_of(report).explanation == "已核实"


def test_after_submit_the_form_is_read_only(clerk_client, clerk, report):
    finding = error_of(report)
    services.report_submit(report=report, acting_user=clerk, explanations={finding.pk: "说明"})
    url = reverse("reports:report_edit", kwargs={"pk": report.pk})
    page = clerk_client.get(url)
    assert page.status_code == 200
    assert "disabled" in page.content.decode()
    assert "保存草稿" not in page.content.decode()
    report.refresh_from_db()
    response = clerk_client.post(
        url, {"version": report.version, "edition": report.edition, "overview": "改了"}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.overview == "概述"
    assert clerk_client.post(submit_url(report), {}).status_code == 409


def test_start_save_and_submit_each_leave_an_audit_event(clerk, report):
    finding = error_of(report)
    services.report_submit(report=report, acting_user=clerk, explanations={finding.pk: "说明"})
    actions = list(
        AuditEvent.objects.filter(report=report).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["report.start", "report.save", "report.submitted"]


def test_only_the_supervisor_may_return_a_submitted_report(clerk, supervisor, report):
    finding = error_of(report)
    services.report_submit(report=report, acting_user=clerk, explanations={finding.pk: "说明"})
    with pytest.raises(Exception, match="no role"):
        services.report_transition(report=report, to_status=Status.RETURNED, acting_user=clerk)
    services.report_transition(
        report=report, to_status=Status.RETURNED, acting_user=supervisor, comment="请补充"
    )
    assert report.status == Status.RETURNED


def test_a_returned_report_shows_the_comment_and_can_be_fixed_and_resubmitted(
    client, clerk, supervisor, report
):
    finding = error_of(report)
    services.report_submit(report=report, acting_user=clerk, explanations={finding.pk: "说明"})
    services.report_transition(
        report=report, to_status=Status.RETURNED, acting_user=supervisor, comment="请核对表四"
    )
    client.force_login(clerk)
    url = reverse("reports:report_edit", kwargs={"pk": report.pk})
    page = client.get(url)
    assert "请核对表四" in page.content.decode()
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data[f"c__{formats.SECTION4}__行政复议__总计"] = "1"
    assert client.post(url, data).status_code == 302
    assert not report.findings.filter(code="s4_group_total").exists()
    assert client.post(submit_url(report), {}).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
