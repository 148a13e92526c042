"""Publishing: freeze an approved report as the Publication the public pages read."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from filing.figures import figures_cells
from filing.models import AnnualReport, Attachment, AuditEvent
from filing.services.audit import audit_event_add
from filing.services.workflow import report_transition
from filing.workflow import Status
from public.measures import publication_measures
from public.models import Publication, PublishedFigure
from public.names import search_text
from public.signals import publication_changed
from public.sums import region_sums_publish
from review import notifications
from review.services import require_reviewer, required_text
from review.similarity import REVIEW_ONLY_CODES


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
        organ_name=report.organ.name,
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
                # What the message says, so it is shown in the viewer's language.
                "params": getattr(f, "params", None) or {},
                "explanation": f.explanation,
            }
            for f in findings
        ],
        attachment=attachment,
        search_text=search_text(report.organ, report),
        is_current=True,
        **publication_measures(figures, report.edition),
    )


def applied_attachment(report: AnnualReport) -> Attachment | None:
    """The file whose parse was last applied to the report (its values are the ones published);
    None for hand-typed figures. A later upload that was never applied changes nothing."""
    event = (
        AuditEvent.objects.filter(report=report, action="report.apply_parsed")
        .order_by("-at", "-pk")
        .first()
    )
    attachment_id = (event.data or {}).get("attachment") if event else None
    if attachment_id is None:
        return None
    return Attachment.objects.filter(pk=attachment_id, report=report).first()


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
        attachment=applied_attachment(report),
    )
    if publication.attachment is not None:
        publication.attachment_sha256 = publication.attachment.sha256
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
    require_reviewer(acting_user, report)
    previous = report.current_publication
    if previous is not None:
        correction_note = required_text(
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
    # The regions' kept sums change in this transaction, so no reader sees them disagree.
    region_sums_publish(publication=publication, previous=previous)
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
