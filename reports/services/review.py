"""The supervisor's actions: return, approve, publish, reopen as a correction; and comments.

Each checks the actor's role and the pipeline through report_transition, writes audit
events, and tells the clerk by email once the transaction commits.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from reports import layout, notifications, permissions
from reports.figures import figures_cells
from reports.measures import publication_measures
from reports.models import AnnualReport, Attachment, Publication, PublishedFigure, ReviewComment
from reports.services.audit import audit_event_add
from reports.services.workflow import report_transition
from reports.signals import publication_changed
from reports.similarity import REVIEW_ONLY_CODES
from reports.workflow import Status


def _required(text: str, message: str, code: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(message, code=code)
    return text


def _require_reviewer(user, report: AnnualReport) -> None:
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
    body = _required(body, "意见内容不能为空。", "comment_empty")
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
    _require_reviewer(acting_user, report)
    reason = _required(reason, missing, "comment_required")
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


def _search_text(report: AnnualReport) -> str:
    organ = report.organ
    return "\n".join(
        t for t in (organ.name, organ.short_name, report.overview, report.problems,
                    report.other_matters) if t
    )  # fmt: skip


def publication_build(
    *,
    report: AnnualReport,
    figures: dict,
    findings,
    number: int = 1,
    published_on: date,
    published_by=None,
    correction_note: str = "",
    attachment=None,
) -> Publication:
    """An unsaved Publication of the report as it is now: the one shape every publisher uses.

    ``figures`` is the report's figures dict, ``findings`` its Finding rows (or anything with
    code, severity, message and explanation); reviewer-only findings are left out.
    """
    findings = [f for f in findings if f.code not in REVIEW_ONLY_CODES]
    return Publication(
        report=report,
        number=number,
        organ_id=report.organ_id,
        year=report.year,
        edition=report.edition,
        published_on=published_on,
        published_by=published_by,
        correction_note=correction_note,
        overview=report.overview,
        problems=report.problems,
        other_matters=report.other_matters,
        figures=figures,
        error_count=sum(f.severity == "error" for f in findings),
        warning_count=sum(f.severity == "warning" for f in findings),
        findings=[
            {
                "code": f.code,
                "severity": f.severity,
                "message": f.message,
                "explanation": f.explanation,
            }
            for f in findings
        ],
        attachment=attachment,
        search_text=_search_text(report),
        is_current=True,
        **publication_measures(figures, report.edition),
    )


def _snapshot(report: AnnualReport, number: int, published_on: date, acting_user, note: str):
    figures = report.figures_dict()
    publication = publication_build(
        report=report,
        figures=figures,
        # Similarity findings are notes for the reviewer, not part of what the public sees.
        findings=report.findings.exclude(code__in=REVIEW_ONLY_CODES),
        number=number,
        published_on=published_on,
        published_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        correction_note=note,
        # The newest original file: what the clerk published on the government website.
        attachment=Attachment.objects.filter(report=report).order_by("-uploaded_at", "-pk").first(),
    )
    publication.save()
    PublishedFigure.objects.bulk_create(
        PublishedFigure(
            publication=publication,
            organ_id=report.organ_id,
            year=report.year,
            edition=report.edition,
            table=table,
            row=row,
            column=column,
            value=value,
        )
        for (table, row, column), value in figures_cells(figures, report.edition).items()
    )
    return publication


@transaction.atomic
def report_publish(
    *,
    report: AnnualReport,
    acting_user,
    published_on: date | None = None,
    correction_note: str = "",
) -> AnnualReport:
    """Publish an approved report: freeze it as a Publication that the public sees from now on.

    Publishing a correction needs a note saying what changed; the earlier publication stays
    reachable, no longer current.
    """
    report.refresh_from_db()
    _require_reviewer(acting_user, report)
    previous = report.current_publication
    if previous is not None:
        correction_note = _required(
            correction_note, "发布更正版本时必须填写更正说明。", "correction_note_required"
        )
    report = report_transition(
        report=report,
        to_status=Status.PUBLISHED,
        acting_user=acting_user,
        comment=correction_note,
    )
    published_on = published_on or timezone.localdate()
    number = (previous.number + 1) if previous else 1
    if previous is not None:
        now = timezone.now()
        Publication.objects.filter(report=report, is_current=True).update(
            is_current=False, superseded_at=now
        )
        PublishedFigure.objects.filter(publication__report=report, is_current=True).update(
            is_current=False
        )
    publication = _snapshot(report, number, published_on, acting_user, correction_note)
    report.current_publication = publication
    if report.published_on is None:
        report.published_on = published_on
    report.save(update_fields=["current_publication", "published_on", "updated_at"])
    audit_event_add(
        action="report.publication",
        actor=acting_user,
        report=report,
        data={"publication": publication.pk, "number": number, "published_on": str(published_on)},
    )
    notifications.report_event_notify(report=report, event="published", comment=correction_note)
    transaction.on_commit(
        lambda: publication_changed.send(sender=Publication, publication=publication)
    )
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
