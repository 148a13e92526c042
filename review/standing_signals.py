"""What keeps review/standing.py's counts: the writes that change a report's or an organ's
standing, or a year's deadlines, each refreshing only the rows it touched."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save

from filing.models import AnnualReport, AuditEvent
from filing.workflow import Status
from organs.models import Organ, paths_rebuild
from organs.signals import organs_moved
from review import standing
from review.models import Deadline

TRANSITIONS = frozenset(f"report.{status}" for status in Status)


def report_saved(sender, instance, **kwargs) -> None:
    standing.standing_refresh(report_ids=[instance.pk])


def report_event(sender, instance, created, **kwargs) -> None:
    """Workflow transitions write the status by a queryset update and then audit it
    (``report.<new status>``); other audited actions leave the standing as it was."""
    if created and instance.report_id is not None and instance.action in TRANSITIONS:
        standing.standing_refresh(report_ids=[instance.report_id])


def organ_saved(sender, instance, **kwargs) -> None:
    """Created, switched on or off: whether it and its parent must report may change."""
    if kwargs.get("created"):
        # post_save comes before Organ.save writes a new organ's path: write it now.
        paths_rebuild(organ_ids=[instance.pk])
    standing.standing_refresh(organ_ids=[pk for pk in (instance.pk, instance.parent_id) if pk])


def _deadline_paths(instance) -> list[str]:
    return list(Organ.objects.filter(pk=instance.organ_id).values_list("path", flat=True))


def deadline_before(sender, instance, **kwargs) -> None:
    """Where the row was before: an edit that moves it to another organ or year changes both."""
    instance._standing_before = None
    if instance.pk:
        row = Deadline.objects.filter(pk=instance.pk).values_list("year", "organ__path").first()
        instance._standing_before = row


def deadline_saved(sender, instance, **kwargs) -> None:
    before = getattr(instance, "_standing_before", None)
    if before and before[1]:
        standing.deadline_changed(year=before[0], paths=[before[1]])
    standing.deadline_changed(year=instance.year, paths=_deadline_paths(instance))


def deadline_deleted(sender, instance, **kwargs) -> None:
    standing.deadline_changed(year=instance.year, paths=_deadline_paths(instance))


def connect() -> None:
    uid = "compliance_standing"
    post_save.connect(report_saved, sender=AnnualReport, dispatch_uid=f"{uid}_report")
    post_delete.connect(report_saved, sender=AnnualReport, dispatch_uid=f"{uid}_report_del")
    post_save.connect(report_event, sender=AuditEvent, dispatch_uid=f"{uid}_event")
    post_save.connect(organ_saved, sender=Organ, dispatch_uid=f"{uid}_organ")
    post_delete.connect(organ_saved, sender=Organ, dispatch_uid=f"{uid}_organ_del")
    organs_moved.connect(standing.organs_moved_standing, dispatch_uid=f"{uid}_moved")
    pre_save.connect(deadline_before, sender=Deadline, dispatch_uid=f"{uid}_deadline_pre")
    post_save.connect(deadline_saved, sender=Deadline, dispatch_uid=f"{uid}_deadline")
    post_delete.connect(deadline_deleted, sender=Deadline, dispatch_uid=f"{uid}_deadline_del")
