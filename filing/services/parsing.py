"""Parse runs: queue one, execute it (the task body), and fail the ones that went stale."""

from __future__ import annotations

import logging
import time
import uuid
from datetime import timedelta
from decimal import Decimal

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from core import formats
from core.checks import check_report
from core.parsing import ParseResult, parse_bytes
from core.parsing.output import result_json
from filing.models import Attachment, ParsedValue, ParseRun

logger = logging.getLogger(__name__)

TIMEOUT_MESSAGE = "解析超时或进程中断，请重新上传或手工填写。"
INTERNAL_MESSAGE = "解析时发生内部错误，系统已记录。请稍后重新上传，或直接在表单中填写。"
MISSING_FILE_MESSAGE = "找不到上传的文件，请重新上传。"
# Seconds a run may sit past the hard time limit before the sweeper calls it dead.
STALE_MARGIN = 60
# Values beyond the column's 16 digits are kept as raw text only.
_VALUE_LIMIT = Decimal("1e13")
Status = ParseRun.Status


# The Celery task that runs parse_run_execute (filing.tasks).
PARSE_TASK = "reports.parse_attachment"


def parse_run_stale_after() -> timedelta:
    """How long a run may stay RUNNING before it counts as dead (hard limit + margin)."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + STALE_MARGIN)


def parse_run_queue(*, attachment: Attachment) -> ParseRun:
    """Create a queued parse run and send it to the workers once the transaction commits."""
    run = ParseRun.objects.create(attachment=attachment, task_id=str(uuid.uuid4()))
    # Looked up by name in Celery's registry: the task module imports this one, not the reverse.
    task = current_app.tasks[PARSE_TASK]
    transaction.on_commit(lambda: task.apply_async(args=[run.pk], task_id=run.task_id))
    return run


def parse_run_fail(*, run_id: int, message: str) -> int:
    """Mark a run FAILED with a plain message unless it already finished; return rows changed."""
    return ParseRun.objects.filter(pk=run_id, status__in=[Status.QUEUED, Status.RUNNING]).update(
        status=Status.FAILED, message=message, finished_at=timezone.now()
    )


def _claim(run_id: int) -> bool:
    """QUEUED -> RUNNING in one conditional update, so a duplicate delivery cannot run twice."""
    claimed = ParseRun.objects.filter(pk=run_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    return claimed == 1


def parse_run_execute(*, run_id: int) -> ParseRun:
    """Run one parse: read the file, parse, store values and findings; failures become FAILED."""
    run = ParseRun.objects.select_related("attachment").get(pk=run_id)
    if not _claim(run_id):
        run.refresh_from_db()
        stale = run.started_at and timezone.now() - run.started_at > parse_run_stale_after()
        if run.status == Status.RUNNING and stale:
            # Redelivered after the worker died on it: do not try the same file again.
            parse_run_fail(run_id=run_id, message=TIMEOUT_MESSAGE)
            run.refresh_from_db()
        logger.info("parse run %s is %s; not running it again", run_id, run.status)
        return run
    timings: dict[str, int] = {}
    started = time.perf_counter()
    try:
        with run.attachment.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        logger.exception("parse run %s: cannot read %s", run_id, run.attachment.file.name)
        parse_run_fail(run_id=run_id, message=MISSING_FILE_MESSAGE)
        return ParseRun.objects.get(pk=run_id)
    timings["read_ms"] = _ms(started)
    try:
        step = time.perf_counter()
        result = parse_bytes(data, run.attachment.original_name)
        timings["parse_ms"] = _ms(step)
        step = time.perf_counter()
        findings = _findings(result)
        timings["checks_ms"] = _ms(step)
    except SoftTimeLimitExceeded:
        logger.warning("parse run %s hit the soft time limit", run_id)
        parse_run_fail(run_id=run_id, message=TIMEOUT_MESSAGE)
        return ParseRun.objects.get(pk=run_id)
    except Exception:
        logger.exception("parse run %s: parser crashed on %s", run_id, run.attachment)
        parse_run_fail(run_id=run_id, message=INTERNAL_MESSAGE)
        return ParseRun.objects.get(pk=run_id)
    timings["total_ms"] = _ms(started)
    try:
        _store(run, result, findings, timings)
    except (OperationalError, InterfaceError):
        # The database is away: hand the run back so the task's retry can claim it again.
        ParseRun.objects.filter(pk=run_id, status=Status.RUNNING).update(status=Status.QUEUED)
        raise
    except Exception:
        logger.exception("parse run %s: cannot store the result", run_id)
        parse_run_fail(run_id=run_id, message=INTERNAL_MESSAGE)
    return ParseRun.objects.get(pk=run_id)


def _ms(since: float) -> int:
    return round((time.perf_counter() - since) * 1000)


def _findings(result: ParseResult) -> list:
    if result.error:
        return []
    edition = result.edition or formats.EDITION_2021
    return check_report(result.figures(), edition, prose_numbers=result.prose_numbers)


def _store(run: ParseRun, result: ParseResult, findings: list, timings: dict) -> None:
    """Write the outcome; the final status only lands on a run that is still RUNNING."""
    payload = result_json(run.attachment.original_name, result, findings)
    payload["values"] = [v.to_dict() for v in result.values]
    payload["sections"] = {k: _no_nul(v) for k, v in result.sections.items()}
    payload["timings"] = timings
    with transaction.atomic():
        locked = ParseRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != Status.RUNNING:
            return  # the sweeper gave up on it meanwhile; keep its verdict
        locked.extracted_text = _no_nul(result.text)
        locked.warnings = [_no_nul(w) for w in result.warnings]
        locked.result = payload
        locked.finished_at = timezone.now()
        if result.error:
            locked.status = Status.FAILED
            locked.message = result.error
        else:
            locked.status = Status.DONE
            locked.message = ""
            ParsedValue.objects.bulk_create(_parsed_value(locked, v) for v in result.values)
        locked.save()


def _parsed_value(run: ParseRun, value) -> ParsedValue:
    number = None if value.value is None else Decimal(str(value.value)).quantize(Decimal("0.01"))
    if number is not None and abs(number) >= _VALUE_LIMIT:
        number = None
    return ParsedValue(
        run=run,
        table=value.table[:16],
        row=value.row[:64],
        column=value.column[:64],
        value=number,
        raw=_no_nul(value.raw or "")[:255],
        location=_no_nul(value.location or "")[:64],
        confidence=value.confidence,
    )


def _no_nul(text: str) -> str:
    # PostgreSQL refuses NUL in text columns.
    return text.replace("\x00", "")


def parse_run_fail_stale(*, older_than: timedelta | None = None) -> int:
    """Fail runs stuck RUNNING (or QUEUED) past the time limit; return how many."""
    if older_than is None:
        older_than = parse_run_stale_after()
    # A queued run may just be waiting behind others; give it a longer grace.
    queued_after = max(
        older_than, timedelta(seconds=getattr(settings, "PORTAL_PARSE_QUEUE_TIMEOUT", 3600))
    )
    now = timezone.now()
    stale = Q(status=Status.RUNNING, started_at__lt=now - older_than) | Q(
        status=Status.QUEUED, queued_at__lt=now - queued_after
    )
    count = ParseRun.objects.filter(stale).update(
        status=Status.FAILED, message=TIMEOUT_MESSAGE, finished_at=now
    )
    if count:
        logger.warning("failed %s stale parse run(s)", count)
    return count
