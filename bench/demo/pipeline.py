"""One report through the real pipeline: upload, worker parse, apply, submit, review, publish.

Every step is the service the views call, so the demo's audit trail, findings, publications
and statistics are what real use would leave behind.
"""

from __future__ import annotations

from datetime import date

from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from kombu.exceptions import OperationalError

from bench.demo.accounts import clerk_of, user
from data import ingest
from filing import services
from filing import tasks as _tasks  # noqa: F401  (registers the parse task the upload sends)
from filing.models import AnnualReport, ParseRun
from filing.workflow import Status
from organs.models import Organ
from public import services as public_services
from review import services as review_services

# How long the demo waits for a worker to answer a ping, and for a run to make progress.
PING_TIMEOUT = 3.0
PARSE_WAIT = 120.0
EXPLANATION = "经核实，原报告如此，按原文保留并在审核意见中说明。"


class NoWorker(RuntimeError):
    """REDIS_URL is set but no Celery worker answers: the demo cannot parse its uploads."""


def worker_check() -> None:
    """With a broker configured, a worker must answer at once; eager mode needs none."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    from filing.tasks import ping

    try:
        answer = ping.apply_async(expires=PING_TIMEOUT).get(timeout=PING_TIMEOUT)
    except (CeleryTimeout, OperationalError, OSError) as error:
        raise NoWorker(
            f"REDIS_URL is set but no Celery worker answered within {PING_TIMEOUT:.0f} s "
            f"({type(error).__name__}). Start one (celery -A portal worker) or unset "
            "REDIS_URL to parse in-process."
        ) from error
    if answer != "pong":
        raise NoWorker(f"the worker answered {answer!r} to a ping")


def upload(*, organ: Organ, data: bytes, name: str) -> ParseRun:
    """The organ's clerk uploads a file; its parse run is queued (sent when committed)."""
    attachment, _ = ingest.file_store(data=data, name=name, uploaded_by=clerk_of(organ))
    if attachment.organ_id is None:
        attachment.organ = organ
        attachment.save(update_fields=["organ"])
    return ingest.attachment_run(attachment=attachment)


def parse_all(runs: list[ParseRun], progress=None) -> list[ParseRun]:
    """Wait for the workers (or parse in-process when eager)."""
    return ingest.runs_finish(runs, wait=PARSE_WAIT, progress=progress)


def apply(*, run: ParseRun, organ: Organ, year: int) -> AnnualReport:
    """The parsed values fill the organ's draft for the year, as "全部应用" does."""
    applied = ingest.run_apply(run=run, organ=organ, year=year)
    if applied.error:
        raise RuntimeError(f"{run.attachment.original_name}: {applied.error}")
    return applied.report


def submit(report: AnnualReport) -> AnnualReport:
    """The clerk submits, explaining every error the checks raised (printed as reported)."""
    report.refresh_from_db()
    explanations = {f.pk: EXPLANATION for f in report.findings.all() if f.is_blocking}
    return services.report_submit(
        report=report, acting_user=clerk_of(report.organ), explanations=explanations
    )


def approve(report: AnnualReport, reviewer: str = "supervisor") -> AnnualReport:
    return review_services.report_approve(report=report, acting_user=user(reviewer))


def send_back(report: AnnualReport, comment: str) -> AnnualReport:
    return review_services.report_return(
        report=report, acting_user=user("supervisor"), comment=comment
    )


def publish(
    report: AnnualReport, published_on: date, note: str = "", reviewer: str = "supervisor"
) -> AnnualReport:
    return public_services.report_publish(
        report=report,
        acting_user=user(reviewer),
        published_on=published_on,
        correction_note=note,
    )


def reopen(report: AnnualReport, reason: str) -> AnnualReport:
    return review_services.report_reopen(
        report=report, acting_user=user("supervisor"), reason=reason
    )


def take_to(report: AnnualReport, target: str, published_on: date | None) -> AnnualReport:
    """Move a freshly applied draft on to ``target`` (draft, submitted, approved, published)."""
    if target == Status.DRAFT:
        return report
    report = submit(report)
    if target == Status.SUBMITTED:
        return report
    report = approve(report)
    if target == Status.APPROVED:
        return report
    return publish(report, published_on or date(report.year + 1, 1, 20))
