"""The upload → parse → prefill pipeline, run eagerly in-process on real and hostile files."""

import hashlib
import io
import json
import logging
import os
import random
import time
import uuid
import zipfile
from datetime import timedelta

import pytest
from celery import Celery
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bench.corpus.render import EXTENSIONS
from filing import services
from filing.models import Attachment, AuditEvent, ParseRun
from filing.services import parsing as parsing_service
from filing.tasks import parse_attachment, sweep_stale_parse_runs
from tests.support.render import (
    FAULTY_2022,
    OTHER_TOWN_2023,
    TOWN_2020,
    TOWN_2022,
    TOWN_2023,
    corpus_bytes,
    corpus_expected,
    docx_to_pdf,
    needs_seeds,
    seed_path,
    seeds_dir,
    soffice_path,
    text_to_docx,
)
from tests.support.worker import running_worker

SEEDS = ("000", "001", "002", "003", "004")
# Corpus reports in each form a clerk uploads, both editions, one breaking 勾稽 rules.
CORPUS_FILES = (
    (TOWN_2023, "text", "markdown"),
    (TOWN_2020, "text", "tabbed"),
    (TOWN_2022, "html", "page"),
    (OTHER_TOWN_2023, "docx", "official"),
    (FAULTY_2022, "text", "rows-run-together"),
)
pytestmark = pytest.mark.django_db
# Any clean corpus report where a test only needs a parseable file.
A_REPORT = corpus_bytes(TOWN_2023)


def expected(seed: str) -> dict:
    """The hand-checked truth of a real seed report."""
    path = seeds_dir() / "expected" / (seed_path(seed).stem + ".json")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def run_file(django_capture_on_commit_callbacks):
    """Upload bytes and parse them through the queued task; return the finished run."""

    def upload_and_parse(data: bytes, name: str) -> ParseRun:
        with django_capture_on_commit_callbacks(execute=True):
            attachment = services.attachment_add(data=data, original_name=name)
            run = services.parse_run_queue(attachment=attachment)
        run.refresh_from_db()
        return run

    return upload_and_parse


def test_attachment_keeps_the_uploaded_bytes_exactly_with_hash_and_size():
    data = b"\xef\xbb\xbf" + A_REPORT + b"\r\n\x00\xff end"
    attachment = services.attachment_add(data=data, original_name="../../etc/年报\x07.txt")
    with attachment.file.open("rb") as handle:
        assert handle.read() == data
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.size == len(data)
    assert attachment.original_name == "年报.txt"
    assert "etc" not in attachment.file.name
    event = AuditEvent.objects.get(action="attachment.upload")
    assert event.data["sha256"] == attachment.sha256


def test_attachment_from_an_uploaded_file_object_and_of_unknown_type_is_still_stored():
    data = random.Random(7).randbytes(5000)
    upload = SimpleUploadedFile("C:\\Users\\张三\\scan.bin", data)
    attachment = services.attachment_add(data=upload, original_name=upload.name)
    assert attachment.content_type == Attachment.Kind.UNKNOWN
    assert attachment.original_name == "scan.bin"
    with attachment.file.open("rb") as handle:
        assert handle.read() == data


def test_upload_over_the_size_limit_is_refused_before_anything_is_stored(settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = 2 * 1048576
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(data=b"x" * (2 * 1048576 + 1), original_name="big.txt")
    assert caught.value.code == "too_large"
    assert "2.0 MB" in caught.value.messages[0]
    assert not Attachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "attachments").exists()
    assert services.attachment_add(data=b"x" * 2 * 1048576, original_name="ok.txt").size


def _flagged(truth: dict, result: dict) -> dict:
    """The truth with the 表三 rows the parser left blank for a person to place.

    A row printed with fewer figures than its columns lost a printed cell (002's rows
    (四)-(六)); the parser never fills it, it lists the readings in ``ambiguous``.
    """
    rows = {e["row"] for e in result.get("ambiguous") or [] if e["table"] == "section3"}
    section3 = {
        row: [None] * 7 if row in rows and not any(v is not None for v in values) else values
        for row, values in result["section3"].items()
    }
    return {
        **truth,
        "section3": {k: section3[k] if k in rows else v for k, v in truth["section3"].items()},
    }


def _parses_to_truth_and_prefills(run, truth, town):
    assert run.status == ParseRun.Status.DONE, run.message
    truth = _flagged(truth, run.result)
    assert run.started_at and run.finished_at and run.task_id
    assert (run.result["section3"], run.result["section4"]) == (
        truth["section3"],
        truth["section4"],
    )
    assert run.result["organ"] == truth["organ"] and run.result["year"] == truth["year"]
    assert run.values.count() == len(run.result["values"]) > 100
    assert {"read_ms", "parse_ms", "total_ms"} <= set(run.result["timings"])
    assert "\x00" not in run.extracted_text and len(run.extracted_text) > 1000
    report = services.report_get_or_create_from_parse(
        organ=town, year=run.result["year"], edition=run.result["edition"]
    )
    services.report_apply_parsed(report=report, run=run)
    figures = report.figures_dict()
    assert (figures["section3"], figures["section4"]) == (truth["section3"], truth["section4"])


@pytest.mark.parametrize("key,form,layout", CORPUS_FILES)
def test_each_form_of_a_report_parses_to_its_truth_and_prefills_a_report(
    key, form, layout, run_file, town
):
    data = corpus_bytes(key, form, layout)
    run = run_file(data, f"{key}.{EXTENSIONS[form]}")
    _parses_to_truth_and_prefills(run, corpus_expected(key), town)


@needs_seeds
@pytest.mark.parametrize("seed", SEEDS)
def test_each_real_seed_parses_to_its_ground_truth_and_prefills_a_report(seed, run_file, town):
    run = run_file(seed_path(seed).read_bytes(), seed_path(seed).name)
    _parses_to_truth_and_prefills(run, expected(seed), town)


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(b"<w:document><w:body>")
            chunk = b" " * 1048576
            for _ in range(300):
                member.write(chunk)
    return buffer.getvalue()


def _truncated_docx() -> bytes:
    data = corpus_bytes(TOWN_2023, "docx", "official")
    return data[: len(data) // 2]


# name -> (bytes, the parser's error code)
HOSTILE = {
    "random.bin": (lambda: random.Random(1).randbytes(64 * 1024), "unsupported_type"),
    "empty.pdf": (lambda: b"", "empty"),
    "half.docx": (_truncated_docx, "corrupt"),
    "bomb.docx": (_zip_bomb, "zip_bomb"),
    # Just over 50 MB of text.
    "huge.txt": (lambda: "年".encode() * (17 * 1048576 + 1), "too_large"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_files_end_failed_with_the_parsers_message(name, run_file, settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = 60 * 1048576
    make, code = HOSTILE[name]
    run = run_file(make(), name)
    assert run.status == ParseRun.Status.FAILED
    assert run.result["error_code"] == code
    assert run.message == run.result["error"] != services.INTERNAL_MESSAGE
    assert run.finished_at and not run.values.exists()


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice is not installed")
def test_a_truncated_pdf_ends_failed_as_corrupt(run_file):
    pdf = docx_to_pdf(text_to_docx(A_REPORT.decode()))
    assert pdf.startswith(b"%PDF-")
    run = run_file(pdf[: len(pdf) // 3], "cut.pdf")
    assert (run.status, run.result["error_code"]) == (ParseRun.Status.FAILED, "corrupt")
    assert run.message and run.message != services.INTERNAL_MESSAGE


def test_an_unexpected_parser_crash_ends_failed_and_is_logged(run_file, monkeypatch, caplog):
    def explode(data, filename=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(parsing_service, "parse_bytes", explode)
    with caplog.at_level(logging.ERROR, logger="filing.services"):
        run = run_file(A_REPORT, "000.txt")
    assert run.status == ParseRun.Status.FAILED
    assert run.message == services.INTERNAL_MESSAGE
    # The parser runs in a sandboxed child: its traceback comes back and is logged.
    assert "RuntimeError: boom" in caplog.text


def test_the_soft_time_limit_ends_the_run_failed_with_the_timeout_message(run_file, monkeypatch):
    def too_slow(data, filename=None):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(parsing_service, "parse_bytes", too_slow)
    run = run_file(A_REPORT, "000.txt")
    assert (run.status, run.message) == (ParseRun.Status.FAILED, services.TIMEOUT_MESSAGE)


def _run(status, **times) -> ParseRun:
    attachment = services.attachment_add(data=A_REPORT, original_name="a.txt")
    return ParseRun.objects.create(attachment=attachment, status=status, **times)


def test_the_sweeper_fails_runs_running_past_the_time_limit_only(settings):
    old = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    stuck = _run(ParseRun.Status.RUNNING, started_at=old)
    busy = _run(ParseRun.Status.RUNNING, started_at=timezone.now())
    assert sweep_stale_parse_runs.delay().get() == 1
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert (stuck.status, stuck.message) == (ParseRun.Status.FAILED, services.INTERRUPTED_MESSAGE)
    assert busy.status == ParseRun.Status.RUNNING
    assert services.parse_run_fail_stale(older_than=timedelta(seconds=0)) == 1


def test_a_redelivered_run_is_never_parsed_twice(settings, monkeypatch):
    monkeypatch.setattr(parsing_service, "parse_bytes", pytest.fail)
    old = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    stuck = _run(ParseRun.Status.RUNNING, started_at=old)
    done = _run(ParseRun.Status.DONE, started_at=old, finished_at=old)
    busy = _run(ParseRun.Status.RUNNING, started_at=timezone.now())
    assert parse_attachment.delay(stuck.pk).get() == ParseRun.Status.FAILED
    assert parse_attachment.delay(done.pk).get() == ParseRun.Status.DONE
    assert parse_attachment.delay(busy.pk).get() == ParseRun.Status.RUNNING


def test_a_missing_run_id_is_logged_and_skipped(caplog):
    assert parse_attachment.delay(987654).get() is None
    assert "987654" in caplog.text


@pytest.fixture
def shared_worker_queue(settings):
    """A real worker on a private queue, using this test's database and media directory."""
    from django.db import connection

    db = connection.settings_dict
    database = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    with running_worker(
        DATABASE_URL=database, MEDIA_ROOT=str(settings.MEDIA_ROOT), CONN_MAX_AGE="0"
    ) as queue:
        yield queue


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no broker")
def test_a_real_worker_parses_a_report_over_redis(shared_worker_queue):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs the test database on PostgreSQL")
    attachment = services.attachment_add(
        data=corpus_bytes(FAULTY_2022), original_name=f"{FAULTY_2022}.txt"
    )
    run = ParseRun.objects.create(attachment=attachment, task_id=str(uuid.uuid4()))
    producer = Celery("pipeline-test", broker=os.environ["REDIS_URL"], set_as_current=False)
    try:
        producer.send_task(
            "reports.parse_attachment",
            args=[run.pk],
            queue=shared_worker_queue,
            task_id=run.task_id,
        )
        deadline = time.monotonic() + 90
        while run.status in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.5)
            run.refresh_from_db()
    finally:
        producer.close()
    assert run.status == ParseRun.Status.DONE, run.message
    assert run.result["section3"] == corpus_expected(FAULTY_2022)["section3"]
    assert {"s3_row_total", "s3_results_total"} <= {f["code"] for f in run.result["findings"]}


def test_a_database_outage_while_storing_hands_the_run_back_for_the_retry(monkeypatch):
    from django.db import OperationalError

    real_store = parsing_service._store

    def store_fails_once(*args):
        monkeypatch.setattr(parsing_service, "_store", real_store)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(parsing_service, "_store", store_fails_once)
    run = _run(ParseRun.Status.QUEUED)
    with pytest.raises(OperationalError):
        services.parse_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == ParseRun.Status.QUEUED
    assert services.parse_run_execute(run_id=run.pk).status == ParseRun.Status.DONE
