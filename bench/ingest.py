"""Ingest throughput: N unique seed files through attachment_add + parse_run_queue, real workers.

What is timed is the workers' part: the files are stored and their runs created in one
transaction first (timed apart as staging, the ingesting process's share, which does not
change with the number of workers); the clock starts at its commit, which sends the tasks.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from django.db import transaction
from django.test.utils import override_settings

from bench.server import celery_workers
from filing.models import ParseRun
from filing.services import attachment_add, parse_run_queue

PENDING = (ParseRun.Status.QUEUED, ParseRun.Status.RUNNING)


def ingest_files(seeds: Path, count: int, tag: str) -> list[tuple[str, bytes]]:
    """``count`` files, text and DOCX in turn, each made unique by one distinct line."""
    from bench.benchmarks import report_texts
    from tests.support.render import text_to_docx  # benchmarks run from a checkout

    texts = report_texts(seeds)
    files = []
    for n in range(count):
        text = texts[n % len(texts)] + f"\n（基准测试副本 {tag}-{n}）\n"
        if n % 2:
            files.append((f"bench-{tag}-{n}.docx", text_to_docx(text)))
        else:
            files.append((f"bench-{tag}-{n}.txt", text.encode("utf-8")))
    return files


def _wait_ready(app, workers: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(app.control.ping(timeout=1.0) or []) >= workers:
            return
    raise RuntimeError(f"{workers} Celery workers did not answer a ping within {timeout} s")


def ingest_throughput(seeds: Path, workers: int, count: int, timeout: float = 600) -> dict:
    """Start ``workers`` workers (concurrency 1 each), queue ``count`` files, time until done."""
    from portal.celery import app

    media = tempfile.mkdtemp(prefix="bench-media-")
    files = ingest_files(seeds, count, f"{workers}w{time.time_ns()}")
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        peak_kb = 0
        with celery_workers(workers, media) as processes, override_settings(MEDIA_ROOT=media):
            _wait_ready(app, workers)
            staging = time.perf_counter()
            run_ids = []
            with transaction.atomic():
                for name, data in files:
                    attachment = attachment_add(data=data, original_name=name)
                    run_ids.append(parse_run_queue(attachment=attachment).pk)
                # The tasks go out on commit (parse_run_queue uses on_commit).
                started = time.perf_counter()
            runs = ParseRun.objects.filter(pk__in=run_ids)
            while runs.filter(status__in=PENDING).exists():
                if time.perf_counter() - started > timeout:
                    raise RuntimeError(f"ingest of {count} files did not finish in {timeout} s")
                peak_kb = max(peak_kb, _peak_kb([p.pid for p in processes]))
                time.sleep(0.05)
            seconds = time.perf_counter() - started
            peak_kb = max(peak_kb, _peak_kb([p.pid for p in processes]))
    finally:
        app.conf.task_always_eager = eager
    done = runs.filter(status=ParseRun.Status.DONE).count()
    return {
        "workers": workers,
        "files": count,
        "done": done,
        "failed": count - done,
        "seconds": round(seconds, 2),
        "files_per_s": round(count / seconds, 2),
        "staging_files_per_s": round(count / (started - staging), 2),
        # The largest worker: its own peak RSS, or a parse child's RSS seen while it ran.
        "peak_worker_mb": round(peak_kb / 1024, 1) if peak_kb else None,
    }


def _status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _peak_kb(pids: list[int]) -> int:
    """Linux only (0 elsewhere): max over workers of VmHWM, and of their children's VmRSS."""
    peak = 0
    for pid in pids:
        peak = max(peak, _status_kb(pid, "VmHWM"))
        try:
            with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as children:
                for child in children.read().split():
                    peak = max(peak, _status_kb(int(child), "VmRSS"))
        except OSError:
            pass
    return peak
