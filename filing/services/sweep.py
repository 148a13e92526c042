"""The sweeper: every parse run ends, whatever happened to the worker or the broker.

The database is the truth. A run RUNNING past the hard time limit lost its worker (kill -9,
out of memory, restart): it fails as interrupted. A run QUEUED whose message is no longer in
the broker (Redis keeps nothing on disk) is dispatched again; the task claims a run
atomically, so a duplicate message is harmless.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from filing.models import ParseRun
from filing.services.audit import audit_event_add
from filing.services.parsing import (
    CODE_MESSAGES,
    _audit_failure,
    parse_run_stale_after,
    parse_task,
)

logger = logging.getLogger(__name__)
Status = ParseRun.Status


def parse_run_fail_stale(*, older_than: timedelta | None = None) -> int:
    """Fail runs stuck RUNNING past the time limit (or QUEUED for too long); return how many."""
    if older_than is None:
        older_than = parse_run_stale_after()
    # A queued run may just be waiting behind others; give it a longer grace.
    queued_after = max(
        older_than, timedelta(seconds=getattr(settings, "PORTAL_PARSE_QUEUE_TIMEOUT", 3600))
    )
    now = timezone.now()
    stale = list(
        ParseRun.objects.filter(
            Q(status=Status.RUNNING, started_at__lt=now - older_than)
            | Q(status=Status.QUEUED, queued_at__lt=now - queued_after)
        ).values_list("pk", flat=True)
    )
    message = CODE_MESSAGES["interrupted"]
    count = 0
    for run_id in stale:
        count += ParseRun.objects.filter(
            pk=run_id, status__in=[Status.QUEUED, Status.RUNNING]
        ).update(
            status=Status.FAILED,
            message=message,
            finished_at=now,
            result={"error": message, "error_code": "interrupted"},
        )
        _audit_failure(run_id, "interrupted")
    if count:
        logger.warning("failed %s stale parse run(s)", count)
    return count


def broker_task_ids() -> set[str] | None:
    """Ids of the tasks waiting or unacknowledged in a Redis broker; None when unknown."""
    if not str(current_app.conf.broker_url or "").startswith(("redis://", "rediss://")):
        return None
    try:
        with current_app.connection_for_read() as conn:
            channel = conn.default_channel
            client = channel.client
            raw: list = []
            for key in client.scan_iter(match=f"{current_app.conf.task_default_queue}*"):
                if client.type(key) in (b"list", "list"):
                    raw += client.lrange(key, 0, -1)
            raw += client.hvals(channel.unacked_key)
    except Exception:  # noqa: BLE001 - the broker is away: the next sweep looks again
        logger.warning("cannot read the broker's queue", exc_info=True)
        return None
    ids: set[str] = set()
    for item in raw:
        try:
            message = json.loads(item)
            if isinstance(message, list):  # unacked: [message, exchange, routing_key]
                message = message[0]
            ids.add(message["headers"]["id"])
        except (ValueError, KeyError, TypeError, IndexError):
            continue
    return ids


def parse_run_requeue_orphans(*, older_than: timedelta | None = None) -> int:
    """Dispatch again the QUEUED runs past the grace whose message the broker lost."""
    if older_than is None:
        older_than = timedelta(seconds=settings.PORTAL_PARSE_REQUEUE_AFTER)
    waiting = list(
        ParseRun.objects.filter(
            status=Status.QUEUED, queued_at__lt=timezone.now() - older_than
        ).select_related("attachment")
    )
    if not waiting:
        return 0
    known = broker_task_ids()
    if known is None and not current_app.conf.task_always_eager:
        return 0  # cannot tell which messages were lost: do not flood the queue
    task = parse_task()
    count = 0
    for run in waiting:
        if known is not None and run.task_id in known:
            continue
        audit_event_add(
            action="parse.requeued",
            report=run.attachment.report,
            data={"run": run.pk, "attachment": run.attachment_id},
        )
        task.apply_async(args=[run.pk], task_id=run.task_id or None)
        count += 1
    if count:
        logger.warning("dispatched %s queued parse run(s) again", count)
    return count
