"""The supervisor's actions: return, approve, reopen as a correction; and comments.

Publishing is in public/services.py: it builds the publication the public pages read.

Each checks the actor's role and the pipeline through report_transition, writes audit
events, and tells the clerk by email once the transaction commits.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core import layout
from filing import permissions
from filing.models import AnnualReport, Finding
from filing.services.audit import audit_event_add
from filing.services.workflow import report_transition
from filing.workflow import Status
from review import notifications
from review.models import ReviewComment


def required_text(text: str, message: str, code: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(message, code=code)
    return text


def require_reviewer(user, report: AnnualReport) -> None:
    # Checked before the required texts, so a stranger learns nothing from a validation message.
    if not (permissions.supervises(user, report.organ) or permissions.is_portal_admin(user)):
        raise PermissionDenied("no role to review this report")


def _cell(cell, edition_key: str) -> tuple[str, str, str]:
    """The (table, row, column) a comment is on, ("", "", "") for the whole report."""
    if not cell:
        return ("", "", "")
    key = tuple(str(part) for part in cell)
    if key not in {c.key for c in layout.edition_cells(edition_key)}:
        raise ValidationError(
            "报告的表格中没有“%(cell)s”这一格。",
            code="comment_cell_unknown",
            params={"cell": " · ".join(key)},
        )
    return key


@transaction.atomic
def comment_add(*, report: AnnualReport, author, body: str, cell=None) -> ReviewComment:
    """A comment on the report (or one (table, row, column) cell) by its clerk or a reviewer."""
    organ = report.organ
    if not (
        permissions.is_clerk_of(author, organ)
        or permissions.supervises(author, organ)
        or permissions.is_portal_admin(author)
    ):
        raise PermissionDenied("no role on this report")
    body = required_text(body, "意见内容不能为空。", "comment_empty")
    table, row, column = _cell(cell, report.edition)
    comment = ReviewComment.objects.create(
        report=report,
        author=author,
        body=body,
        table=table,
        row=row,
        column=column,
        status=report.status,
    )
    audit_event_add(
        action="report.comment",
        actor=author,
        report=report,
        comment=body,
        data={"comment": comment.pk, "cell": [table, row, column] if table else None},
    )
    return comment


def _send_back(
    *, report: AnnualReport, acting_user, to_status: str, reason: str, missing: str, event: str
) -> AnnualReport:
    """Move the report back to the clerk with a required reason, kept as a review comment."""
    require_reviewer(acting_user, report)
    reason = required_text(reason, missing, "comment_required")
    report = report_transition(
        report=report, to_status=to_status, acting_user=acting_user, comment=reason
    )
    ReviewComment.objects.create(report=report, author=acting_user, body=reason, status=to_status)
    notifications.report_event_notify(report=report, event=event, comment=reason)
    return report


@transaction.atomic
def report_return(*, report: AnnualReport, acting_user, comment: str) -> AnnualReport:
    """Send a submitted or approved report back to the clerk; the reason is required."""
    return _send_back(
        report=report,
        acting_user=acting_user,
        to_status=Status.RETURNED,
        reason=comment,
        missing="退回时必须填写退回意见。",
        event="returned",
    )


@transaction.atomic
def report_approve(*, report: AnnualReport, acting_user, comment: str = "") -> AnnualReport:
    """Approve a submitted report; it can then be published."""
    report = report_transition(
        report=report, to_status=Status.APPROVED, acting_user=acting_user, comment=comment
    )
    notifications.report_event_notify(report=report, event="approved", comment=comment)
    return report


@transaction.atomic
def report_reopen(*, report: AnnualReport, acting_user, reason: str) -> AnnualReport:
    """Reopen a published report as a correction draft; the public keeps the published one."""
    return _send_back(
        report=report,
        acting_user=acting_user,
        to_status=Status.DRAFT,
        reason=reason,
        missing="重新打开更正时必须填写原因。",
        event="reopened",
    )


@transaction.atomic
def finding_decide(*, finding: Finding, acting_user, decision: str, reason: str) -> Finding:
    """A reviewer marks a finding confirmed or dismissed, with a reason; audited.

    The decision stays while the finding's values stay the same (report_findings_refresh).
    """
    report = finding.report
    require_reviewer(acting_user, report)
    if decision not in (Finding.Decision.CONFIRMED, Finding.Decision.DISMISSED):
        raise ValidationError("请选择“确认有误”或“不成立”。", code="decision_unknown")
    reason = required_text(reason, "请填写结论理由。", "decision_reason_required")
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    before = finding.decision
    finding.decision, finding.decision_reason = decision, reason
    finding.decided_by, finding.decided_at = acting_user, timezone.now()
    finding.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    audit_event_add(
        action="finding.decided",
        actor=acting_user,
        report=report,
        comment=reason,
        data={
            "finding": finding.pk,
            "code": finding.code,
            "cells": finding.cells,
            "from": before,
            "to": decision,
        },
    )
    return finding
