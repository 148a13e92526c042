"""Celery tasks of filing: thin wrappers that take ids and call the parsing services.

Task names keep their "reports." prefix: queued messages and beat entries name them.
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from filing.models import ParseRun
from filing.services import (
    parse_run_execute,
    parse_run_fail,
    parse_run_fail_stale,
    parse_run_requeue_orphans,
)

logger = logging.getLogger(__name__)

# Only infrastructure faults are worth another try; a bad file is a FAILED run, not an error.
TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    BrokerError,
    RedisConnectionError,
    RedisTimeoutError,
)


@shared_task(name="reports.ping")
def ping() -> str:
    """Answer "pong"; proves a worker is consuming the queue."""
    return "pong"


@shared_task(
    name="reports.parse_attachment",
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=3,
    bind=True,
)
def parse_attachment(self, run_id: int) -> str | None:
    """Parse the attachment of one parse run; return the run's final status."""
    try:
        # A retry (after a transient database error) takes back the run it left RUNNING.
        return parse_run_execute(run_id=run_id, retry=bool(self.request.retries)).status
    except ParseRun.DoesNotExist:
        logger.warning("parse run %s does not exist; skipped", run_id)
        return None
    except SoftTimeLimitExceeded:
        logger.warning("parse run %s hit the soft time limit", run_id)
        parse_run_fail(run_id=run_id, code="timeout")
        return ParseRun.Status.FAILED


@shared_task(name="reports.sweep_stale_parse_runs")
def sweep_stale_parse_runs() -> int:
    """Fail runs a dead worker left RUNNING, dispatch again the queued runs the broker lost;
    return how many runs were failed (beat runs it every PORTAL_SWEEP_SECONDS)."""
    failed = parse_run_fail_stale()
    parse_run_requeue_orphans()
    return failed
