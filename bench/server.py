"""Processes a benchmark run starts: gunicorn serving the portal, and Celery workers."""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
BASELINE = "/bench/trivial"  # bench/urls.py: what every page is measured against


def fetch_once(host: str, port: int, path: str, headers: dict | None = None, timeout=60):
    """One request on a fresh connection: (status, body, seconds). Readiness and warm-up."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    started = time.perf_counter()
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - started
    finally:
        conn.close()


def _cpu_seconds(pid: str) -> float:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu(port: int) -> dict[str, float]:
    """CPU seconds used so far by the gunicorn serving ``port`` (master and workers) and by
    the PostgreSQL backends of the benchmark's database (Linux /proc; {} elsewhere).

    Throughput on a shared machine depends on how much CPU the other processes leave; CPU
    per request does not, so a run reports both. Backends of other clients of the same
    database count too: run the benchmark on a database of its own.
    """
    from django.db import connection

    if not os.path.isdir("/proc/self"):
        return {}
    bind, database = f"{HOST}:{port}", connection.settings_dict.get("NAME") or ""
    out = {"gunicorn": 0.0, "postgres": 0.0}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmd:
                command = cmd.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "gunicorn" in command and bind in command:
            out["gunicorn"] += _cpu_seconds(pid)
        elif command.startswith("postgres:") and f" {database} " in f"{command} ":
            out["postgres"] += _cpu_seconds(pid)
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen, log) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


def environment(**extra: str) -> dict:
    """This process's environment with the bench settings (DATABASE_URL, REDIS_URL kept)."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DEBUG": "0", **extra}


@contextlib.contextmanager
def gunicorn(workers: int = 2, timeout: float = 60.0) -> Iterator[int]:
    """Serve the portal on a free loopback port with sync workers; yield the port."""
    port = free_port()
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"{HOST}:{port}",
         "--workers", str(workers), "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=environment(), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError("gunicorn exited:\n" + log.read().decode(errors="replace"))
            try:
                if fetch_once(HOST, port, BASELINE, timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer in time")
            time.sleep(0.3)
        yield port
    finally:
        _stop(process, log)


@contextlib.contextmanager
def celery_workers(count: int, media_root: str) -> Iterator[list[subprocess.Popen]]:
    """``count`` real workers of concurrency 1 on the default queue, sharing media_root."""
    processes = []
    try:
        for n in range(count):
            log = tempfile.TemporaryFile()
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "solo",
                 "--hostname", f"bench{n}-{os.getpid()}@%h", "--loglevel", "WARNING",
                 "--without-gossip", "--without-mingle", "--without-heartbeat"],
                cwd=ROOT, env=environment(MEDIA_ROOT=media_root), stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
            processes.append((process, log))
        yield [p for p, _ in processes]
    finally:
        for process, log in processes:
            _stop(process, log)
