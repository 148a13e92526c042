"""Audit rows for the services: who did what to which report."""

from __future__ import annotations

from filing.models import AnnualReport, AuditEvent


def audit_event_add(
    *,
    action: str,
    actor=None,
    report: AnnualReport | None = None,
    from_status: str = "",
    to_status: str = "",
    comment: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Write one audit event; anonymous actors are stored as no actor."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        report=report,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        data=data or {},
    )
