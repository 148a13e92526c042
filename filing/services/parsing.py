"""Parse runs: queue one, execute it (the task body), and fail the ones that went stale."""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from datetime import timedelta
from decimal import Decimal

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from core import formats
from core.checks import check_report
from core.parsing import ParseResult, parse_bytes
from core.parsing.messages import Message
from core.parsing.output import result_json
from filing.models import Attachment, ParsedValue, ParseRun
from filing.services import sandbox
from filing.services.audit import audit_event_add

logger = logging.getLogger(__name__)

# The portal's own failure messages (no params): stored in Chinese, said in the viewer's
# language by filing.messages.run_message_text.
TIMEOUT_MESSAGE = gettext_noop(
    "识别超时：这份文件没有在规定时间内读完，已停止识别。文件已保存，可以点“重新识别”再试，"
    "或上传另一个文件、直接在表单中填写。"
)
ENCRYPTED_MESSAGE = gettext_noop(
    "文件已加密：PDF 设置了密码保护，无法读取。文件已保存；请取消密码后重新导出 PDF 再上传，"
    "或直接在表单中填写。"
)
MEMORY_MESSAGE = gettext_noop(
    "文件过大：解压后的内容超出识别允许的内存上限（文件可能异常），已停止识别。"
    "请重新导出后上传，或直接在表单中填写。"
)
INTERRUPTED_MESSAGE = gettext_noop(
    "识别中断：处理这份文件的进程意外停止（例如服务器重启）。文件已保存，可以点“重新识别”再试，"
    "或直接在表单中填写。"
)
INTERNAL_MESSAGE = gettext_noop(
    "解析时发生内部错误，系统已记录。请稍后重新上传，或直接在表单中填写。"
)
MISSING_FILE_MESSAGE = gettext_noop("找不到上传的文件，请重新上传。")
# The clerk's message for a failure code; other codes keep the parser's own message.
CODE_MESSAGES = {
    sandbox.TIMEOUT: TIMEOUT_MESSAGE,
    "encrypted": ENCRYPTED_MESSAGE,
    sandbox.MEMORY: MEMORY_MESSAGE,
    sandbox.CRASH: INTERNAL_MESSAGE,
    "interrupted": INTERRUPTED_MESSAGE,
    "internal": INTERNAL_MESSAGE,
    "missing_file": MISSING_FILE_MESSAGE,
}
# Values beyond the column's 16 digits are kept as raw text only.
_VALUE_LIMIT = Decimal("1e13")
Status = ParseRun.Status


# The Celery task that runs parse_run_execute (filing.tasks).
PARSE_TASK = "reports.parse_attachment"


def parse_run_stale_after() -> timedelta:
    """How long a run may stay RUNNING before it counts as dead (hard limit + margin)."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + settings.PORTAL_PARSE_STALE_MARGIN)


def parse_task():
    """The parse task, looked up by name: the task module imports this one, not the reverse.
    A bare django.setup() (a script, manage.py shell) has not imported the task modules yet."""
    if PARSE_TASK not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[PARSE_TASK]


def parse_run_queue(*, attachment: Attachment) -> ParseRun:
    """Create a queued parse run and send it to the workers once the transaction commits."""
    run = ParseRun.objects.create(attachment=attachment, task_id=str(uuid.uuid4()))
    task = parse_task()
    transaction.on_commit(lambda: task.apply_async(args=[run.pk], task_id=run.task_id))
    return run


def parse_run_retry(*, run: ParseRun, acting_user=None) -> ParseRun:
    """Queue a fresh run of a failed run's file (the file was kept); audited."""
    if run.status != Status.FAILED:
        raise ValueError("only a failed run is tried again")
    new = parse_run_queue(attachment=run.attachment)
    audit_event_add(
        action="parse.retry",
        actor=acting_user,
        report=run.attachment.report,
        data={"run": new.pk, "previous": run.pk, "attachment": run.attachment_id},
    )
    return new


def parse_run_fail(*, run_id: int, code: str, message: str = "") -> int:
    """Mark a run FAILED with the clerk's message for ``code`` unless it already finished;
    the audit trail of the report says why. Return rows changed."""
    stored = failure_message(code) if not message else {"text": message}
    changed = ParseRun.objects.filter(pk=run_id, status__in=[Status.QUEUED, Status.RUNNING]).update(
        status=Status.FAILED,
        message=stored["text"],
        finished_at=timezone.now(),
        result={"error": stored["text"], "error_code": code, "error_message": stored},
    )
    if changed:
        _audit_failure(run_id, code)
    return changed


def failure_message(code: str) -> dict:
    """A failure code's own message as a run stores it (result["error_message"]): the Chinese
    text and its catalogue template, which is the text itself (these take no params)."""
    text = CODE_MESSAGES.get(code, INTERNAL_MESSAGE)
    return {"text": text, "template": text, "params": {}}


def _audit_failure(run_id: int, code: str) -> None:
    run = ParseRun.objects.select_related("attachment").get(pk=run_id)
    audit_event_add(
        action="parse.failed",
        report=run.attachment.report,
        data={"run": run.pk, "attachment": run.attachment_id, "code": code},
    )


def _claim(run_id: int, *, again: bool = False) -> bool:
    """QUEUED -> RUNNING in one conditional update, so a duplicate delivery cannot run twice.

    ``again``: the task's own retry after a transient error may take back its RUNNING run.
    """
    statuses = [Status.QUEUED, Status.RUNNING] if again else [Status.QUEUED]
    claimed = ParseRun.objects.filter(pk=run_id, status__in=statuses).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    return claimed == 1


def parse_run_execute(*, run_id: int, retry: bool = False) -> ParseRun:
    """Run one parse: read the file, parse it in the sandbox, store values and findings;
    every failure becomes a FAILED run with its own code and message."""
    run = ParseRun.objects.select_related("attachment").get(pk=run_id)
    if not _claim(run_id, again=retry):
        run.refresh_from_db()
        stale = run.started_at and timezone.now() - run.started_at > parse_run_stale_after()
        if run.status == Status.RUNNING and stale:
            # Redelivered after the worker died on it: do not try the same file again.
            parse_run_fail(run_id=run_id, code="interrupted")
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
        parse_run_fail(run_id=run_id, code="missing_file")
        return ParseRun.objects.get(pk=run_id)
    timings["read_ms"] = _ms(started)
    try:
        step = time.perf_counter()
        result = sandbox.parse_limited(data, run.attachment.original_name, parse=parse_bytes)
        timings["parse_ms"] = _ms(step)
        if result.error_code == "corrupt" and _encrypted(data):
            result.error_code = "encrypted"
        if result.error_code in CODE_MESSAGES:
            result.error = CODE_MESSAGES[result.error_code]
            result.error_message = None  # the code's own message replaces the parser's
        step = time.perf_counter()
        findings = _findings(result)
        timings["checks_ms"] = _ms(step)
    except SoftTimeLimitExceeded:
        logger.warning("parse run %s hit the soft time limit", run_id)
        parse_run_fail(run_id=run_id, code=sandbox.TIMEOUT)
        return ParseRun.objects.get(pk=run_id)
    except Exception:
        logger.exception("parse run %s: parser crashed on %s", run_id, run.attachment)
        parse_run_fail(run_id=run_id, code="internal")
        return ParseRun.objects.get(pk=run_id)
    timings["total_ms"] = _ms(started)
    # The parse may have outlived the database connection (PostgreSQL restarted meanwhile).
    if connection.connection is not None and not connection.is_usable():
        connection.close()
    try:
        _store(run, result, findings, timings)
    except (OperationalError, InterfaceError):
        # The database is away: hand the run back for the task's retry; if even that fails,
        # the retry (retry=True) takes back the run left RUNNING.
        with contextlib.suppress(OperationalError, InterfaceError):
            ParseRun.objects.filter(pk=run_id, status=Status.RUNNING).update(status=Status.QUEUED)
        raise
    except Exception:
        logger.exception("parse run %s: cannot store the result", run_id)
        parse_run_fail(run_id=run_id, code="internal")
    return ParseRun.objects.get(pk=run_id)


def _encrypted(data: bytes) -> bool:
    """A PDF with an /Encrypt entry (the parser calls it damaged when it needs a password)."""
    return data.startswith(b"%PDF") and b"/Encrypt" in data


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
    if result.error:
        payload["error_message"] = _error_message(result)
    with transaction.atomic():
        locked = ParseRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != Status.RUNNING:
            return  # the sweeper gave up on it meanwhile; keep its verdict
        locked.extracted_text = _no_nul(result.text)
        locked.warnings = [_stored_warning(w) for w in result.warnings]
        locked.result = payload
        locked.finished_at = timezone.now()
        if result.error:
            locked.status = Status.FAILED
            locked.message = result.error
            _audit_failure(run.pk, result.error_code or "unreadable")
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
        rule=(getattr(value, "rule", None) or "table")[:16],
        page=getattr(value, "page", None),
        bbox=_bbox(getattr(value, "bbox", None)),
        flag=_no_nul(getattr(value, "flag", None) or ""),
        candidates=list(getattr(value, "candidates", None) or []),
    )


def _bbox(bbox) -> list[float] | None:
    # Four pixel coordinates or nothing: the crop view trusts this shape.
    if not bbox or len(bbox) != 4:
        return None
    return [round(float(v), 1) for v in bbox]


def _error_message(result: ParseResult) -> dict:
    """Why the file failed as the run keeps it: {"text", "template", "params"}."""
    if result.error_message is not None:
        return _no_nul_data(result.error_message.to_dict())
    if result.error_code in CODE_MESSAGES:
        return failure_message(result.error_code)
    return {"text": _no_nul(result.error)}


def _stored_warning(warning: str):
    """A warning as the run keeps it: {"text", "template", "params"}, or the plain sentence."""
    if isinstance(warning, Message):
        return _no_nul_data(warning.to_dict())
    return _no_nul(warning)


def _no_nul_data(value):
    """_no_nul through JSON data (a raw value the file printed may hold a NUL)."""
    if isinstance(value, str):
        return _no_nul(value)
    if isinstance(value, dict):
        return {k: _no_nul_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_nul_data(v) for v in value]
    return value


def _no_nul(text: str) -> str:
    # PostgreSQL refuses NUL in text columns.
    return text.replace("\x00", "")
