"""A real Celery worker over Redis runs the portal's tasks (skipped without REDIS_URL)."""

import os

import pytest
from celery import Celery

from portal.celery import app as portal_app
from tests.support.worker import running_worker

REDIS_URL = os.environ.get("REDIS_URL", "")

needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="REDIS_URL is not set: no broker to run a worker on"
)


@pytest.fixture
def worker_queue():
    """Start `celery -A portal worker` on a private queue; yield the queue name."""
    with running_worker(REDIS_URL=REDIS_URL) as queue:
        yield queue


@pytest.fixture
def client_app():
    """A producer configured like production (no eager mode), unlike the test settings."""
    app = Celery("portal-test-client", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    app.conf.update(task_serializer="json", result_serializer="json", accept_content=["json"])
    yield app
    app.close()


@pytest.mark.slow
@needs_redis
def test_worker_answers_ping_by_its_explicit_name(worker_queue, client_app):
    result = client_app.send_task("reports.ping", queue=worker_queue)
    assert result.get(timeout=60) == "pong"


def test_portal_app_registers_ping_with_json_only_and_late_acks():
    # What a starting worker does: import the modules autodiscovery found.
    portal_app.loader.import_default_modules()
    assert "reports.ping" in portal_app.tasks
    conf = portal_app.conf
    assert conf.accept_content == ["json"]
    assert conf.task_serializer == "json"
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert (conf.task_time_limit, conf.task_soft_time_limit) == (300, 270)
