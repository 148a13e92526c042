"""Reviewer decisions on findings: made over HTTP, kept across re-runs while values hold."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse

from bench.corpus import samples
from filing.figures import figures_set
from filing.models import AuditEvent, Finding
from filing.services.reports import report_findings_refresh
from filing.workflow import Status
from tests.support.factories import make_report


def _clean_sample():
    return next(
        s for s in samples() if not s.faults and s.edition == "2021" and s.stated["结转下年度"]
    )


@pytest.fixture
def report(town):
    """A submitted report from a clean corpus sample with two planted faults."""
    sample = _clean_sample()
    figures = copy.deepcopy(sample.figures)
    # The prose states 结转下年度 N; the table now says N + 3 (one finding, with evidence).
    figures["section3"]["四"][0] += 3
    figures["section3"]["四"][-1] += 3
    figures["section3"]["一"][0] += 3
    figures["section3"]["一"][-1] += 3
    report = make_report(
        town,
        year=sample.year,
        status=Status.SUBMITTED,
        figures=figures,
        overview=sample.prose["一"],
        problems="无",
        other_matters=sample.prose["六"],
    )
    report_findings_refresh(report=report)
    return report


def _finding(report, code) -> Finding:
    return report.findings.get(code=code)


def _decide(client, report, finding, decision="dismissed", reason="原件如此，已核实"):
    return client.post(
        reverse("reports:review_decide", args=[report.pk]),
        {"decision-finding": finding.pk, "decision-decision": decision, "decision-reason": reason},
    )


def test_planted_report_has_the_prose_and_section5_findings(report):
    codes = set(report.findings.values_list("code", flat=True))
    assert {"prose_carried_out", "section5_empty"} <= codes
    evidence = _finding(report, "prose_carried_out").evidence
    assert "结转下年度" in evidence["before"] and evidence["number"].isdigit()


def test_supervisor_dismisses_a_finding_with_a_reason_and_the_audit_records_it(
    client, supervisor, report
):
    client.force_login(supervisor)
    finding = _finding(report, "section5_empty")
    response = _decide(client, report, finding)
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.decision == "dismissed" and finding.decided_by == supervisor
    assert finding.decision_reason == "原件如此，已核实" and finding.decided_at
    event = AuditEvent.objects.get(report=report, action="finding.decided")
    assert event.actor == supervisor and event.data["to"] == "dismissed"
    assert event.data["code"] == "section5_empty" and event.comment == "原件如此，已核实"
    page = client.get(reverse("reports:review_detail", args=[report.pk])).content.decode()
    assert "不成立" in page and "原件如此，已核实" in page


def test_a_decision_needs_a_reason(client, supervisor, report):
    client.force_login(supervisor)
    finding = _finding(report, "section5_empty")
    response = _decide(client, report, finding, reason="  ")
    assert response.status_code == 400 and "请填写结论理由" in response.content.decode()
    finding.refresh_from_db()
    assert finding.decision == "open"


def test_clerk_cannot_decide_on_a_finding(client, clerk, report):
    client.force_login(clerk)
    finding = _finding(report, "section5_empty")
    assert _decide(client, report, finding).status_code == 403
    finding.refresh_from_db()
    assert finding.decision == "open"
    assert not AuditEvent.objects.filter(action="finding.decided").exists()


def test_a_finding_of_another_report_is_not_found(client, supervisor, report, other_town):
    other = make_report(
        other_town, year=report.year, status=Status.SUBMITTED, overview="概述。", problems=""
    )
    report_findings_refresh(report=other)
    client.force_login(supervisor)
    assert _decide(client, report, _finding(other, "section5_empty")).status_code == 404


def test_rerun_keeps_decisions_on_unchanged_findings_and_reopens_changed_ones(
    client, supervisor, report
):
    client.force_login(supervisor)
    _decide(client, report, _finding(report, "section5_empty"))
    _decide(client, report, _finding(report, "prose_carried_out"), decision="confirmed")
    # Nothing changed: both decisions survive a re-run.
    report_findings_refresh(report=report)
    assert _finding(report, "section5_empty").decision == "dismissed"
    assert _finding(report, "prose_carried_out").decision == "confirmed"
    # The carried-out figure changes again (still wrong): that finding is open again.
    figures = report.figures_dict()
    figures["section3"]["四"][0] += 1
    figures["section3"]["四"][-1] += 1
    figures["section3"]["一"][0] += 1
    figures["section3"]["一"][-1] += 1
    figures_set(report=report, figures=figures)
    report_findings_refresh(report=report)
    assert _finding(report, "section5_empty").decision == "dismissed"
    reopened = _finding(report, "prose_carried_out")
    assert reopened.decision == "open" and reopened.decided_by is None
    event = AuditEvent.objects.get(report=report, action="finding.reopened")
    assert [f["code"] for f in event.data["findings"]] == ["prose_carried_out"]


def test_review_page_shows_the_sentence_with_the_number_marked(client, supervisor, report):
    client.force_login(supervisor)
    page = client.get(reverse("reports:review_detail", args=[report.pk])).content.decode()
    evidence = _finding(report, "prose_carried_out").evidence
    assert f"<mark>{evidence['number']}</mark>" in page
    assert "正文原句" in page


def test_review_page_shows_indicators_with_their_thresholds(client, supervisor, report):
    client.force_login(supervisor)
    page = client.get(reverse("reports:review_detail", args=[report.pk])).content.decode()
    assert "监督参考指标" in page and "indicator-granted" in page
    assert "&lt; 30%" in page


def test_findings_render_in_english_for_an_english_viewer(client, supervisor, report):
    client.force_login(supervisor)
    url = reverse("reports:review_detail", args=[report.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Section five (main problems and improvements) is just “none”" in page
    assert "第五部分“存在的主要问题及改进情况”" not in page
    chinese = client.get(url).content.decode()
    assert "第五部分“存在的主要问题及改进情况”只写了“无”" in chinese


def test_an_older_finding_without_params_shows_its_stored_message(client, supervisor, report):
    Finding.objects.create(report=report, code="legacy", severity="info", message="旧的说明文字")
    client.force_login(supervisor)
    page = client.get(reverse("reports:review_detail", args=[report.pk])).content.decode()
    assert "旧的说明文字" in page
