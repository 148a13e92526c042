"""manage.py ingest with real Celery workers over Redis (skipped without REDIS_URL)."""

import io
import itertools
import json
import os
import shutil
from contextlib import ExitStack

import pytest
from celery import Celery
from django.core.management import call_command

from data import ingest
from filing.models import AnnualReport, Attachment, ParseRun
from filing.tasks import parse_attachment
from tests.support.render import seed_path, seeds_dir
from tests.support.worker import running_worker

REDIS_URL = os.environ.get("REDIS_URL", "")
WORKERS = 2

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: no broker to run a worker on"),
    pytest.mark.skipif(not seeds_dir().is_dir(), reason="seed reports not found"),
]


@pytest.fixture
def worker_queues(settings):
    """Two worker processes on this test's database and media; yield their queues."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the worker processes need the test database on PostgreSQL")
    db = connection.settings_dict
    database = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": database,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CONN_MAX_AGE": "0",
    }
    with ExitStack() as stack:
        yield [stack.enter_context(running_worker(**env)) for _ in range(WORKERS)]


@pytest.fixture
def to_workers(worker_queues, settings, monkeypatch):
    """Send the parse tasks the command queues to the workers, in turn; forbid in-process runs."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    producer = Celery("ingest-test", broker=REDIS_URL, set_as_current=False)
    queues = itertools.cycle(worker_queues)
    sent: list[str] = []

    def send(args, task_id, **options):
        queue = next(queues)
        sent.append(queue)
        producer.send_task(parse_attachment.name, args=args, task_id=task_id, queue=queue)

    def in_process(**kwargs):
        raise AssertionError("a run was parsed in the command's process, not by a worker")

    monkeypatch.setattr(parse_attachment, "apply_async", send)
    monkeypatch.setattr(ingest.services, "parse_run_execute", in_process)
    yield sent
    producer.close()


def test_two_workers_parse_the_seeds_and_the_command_applies_them(tmp_path, to_workers):
    folder = tmp_path / "seeds"
    folder.mkdir()
    for seed in ("000", "001", "002", "003", "004"):
        shutil.copy(seed_path(seed), folder)
    (folder / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 300)
    out = io.StringIO()
    call_command("ingest", str(folder), "--json", "--wait", "90", stdout=out, stderr=io.StringIO())
    summary = json.loads(out.getvalue())
    assert set(to_workers) == set(to_workers[:WORKERS]) and len(set(to_workers)) == WORKERS
    assert (summary["read"], summary["stored"], summary["parsed"]) == (6, 6, 5)
    assert [f["file"] for f in summary["failed"]] == ["broken.docx"]
    assert summary["reports_created"] == 5 and AnnualReport.objects.count() == 5
    runs = ParseRun.objects.all()
    assert all(run.started_at and run.finished_at for run in runs)
    # Again: nothing new stored, nothing sent to the workers, reports unchanged.
    sent = len(to_workers)
    out = io.StringIO()
    call_command("ingest", str(folder), "--json", stdout=out, stderr=io.StringIO())
    again = json.loads(out.getvalue())
    assert (again["stored"], again["duplicates"], again["reports_unchanged"]) == (0, 6, 5)
    assert Attachment.objects.count() == 6 and len(to_workers) == sent + 1  # broken re-parsed
