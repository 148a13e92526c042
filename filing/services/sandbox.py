"""Parse a file in a forked child under a memory cap and a wall-clock limit.

A decompression bomb or a runaway parser must not take the worker with it: the child gets
``RLIMIT_AS`` (what the process had mapped plus PORTAL_PARSE_MEMORY_MB) and is killed at
PORTAL_PARSE_TIMEOUT. Either way the caller gets a ParseResult with ``error_code`` set
("memory", "timeout", "crash"), never an exception. A fork is cheap (copy-on-write), so the
eager in-process path of the embedded default and of the tests uses it too.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import resource
import select
import signal
import time
import traceback

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from core.parsing import ParseResult, parse_bytes

logger = logging.getLogger(__name__)

MEMORY = "memory"
TIMEOUT = "timeout"
CRASH = "crash"


def _mapped_bytes() -> int:
    """Virtual memory the process has mapped now (the child starts from the same)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def parse_limited(
    data: bytes, filename: str, *, parse=parse_bytes, memory_mb=None, timeout=None
) -> ParseResult:
    """``parse(data, filename)`` under limits; in-process where fork does not exist."""
    memory_mb = memory_mb or settings.PORTAL_PARSE_MEMORY_MB
    timeout = timeout or settings.PORTAL_PARSE_TIMEOUT
    if not hasattr(os, "fork") or not settings.PORTAL_PARSE_SANDBOX:
        return parse(data, filename)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, reported through the pipe
        os.close(reader)
        _child(writer, parse, data, filename, memory_mb, timeout)
    os.close(writer)
    child = {"pid": pid, "status": None}
    try:
        return _collect(reader, child, timeout)
    finally:
        os.close(reader)
        _reap(child)


def _child(writer: int, parse, data: bytes, filename: str, memory_mb: int, timeout) -> None:
    """Set the limits, parse, write the pickled outcome, and leave without any clean-up."""
    code = 0
    try:
        limit = _mapped_bytes() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        # If the parent dies (kill -9), the child does not outlive the limit.
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(int(timeout) + 5)
        watch = _MemoryErrorWatch()
        for name in ("", "core"):  # "core" does not propagate to the root
            logging.getLogger(name).addHandler(watch)
        try:
            result = parse(data, filename)
            # The parser catches errors per page and calls the file damaged; it ran out of memory.
            payload = (MEMORY, "") if watch.seen and result.error else ("ok", result)
        except MemoryError:
            payload = (MEMORY, "")
        except SoftTimeLimitExceeded:
            payload = (TIMEOUT, "")
        except BaseException:  # noqa: BLE001 - reported to the parent, which logs it
            payload = (CRASH, traceback.format_exc())
        try:
            blob = pickle.dumps(payload)
        except MemoryError:
            blob = pickle.dumps((MEMORY, ""))
        view = memoryview(blob)
        while view:
            view = view[os.write(writer, view) :]
    except BaseException:  # noqa: BLE001
        code = 1
    finally:
        os._exit(code)


class _MemoryErrorWatch(logging.Handler):
    """Notices a MemoryError that the parser logged and swallowed."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        text = str(record.msg) + repr(record.args) + repr(record.exc_info)
        self.seen = self.seen or "MemoryError" in text


def _collect(reader: int, child: dict, timeout: float) -> ParseResult:
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            logger.warning("parse child %s passed %.0f s; killed", child["pid"], timeout)
            return failure(TIMEOUT)
        ready, _, _ = select.select([reader], [], [], min(left, 1.0))
        if not ready:
            continue
        chunk = os.read(reader, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    try:
        kind, value = pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - no complete answer: the child died
        status = _reap(child)
        logger.warning("parse child %s died without an answer (status %s)", child["pid"], status)
        # Killed by a signal or aborted: under RLIMIT_AS that is running out of memory.
        return failure(MEMORY)
    if kind == "ok":
        return value
    if kind == CRASH:
        logger.error("parser crashed in the child:\n%s", value)
    return failure(kind)


def _reap(child: dict) -> int | None:
    """Kill the child if it still runs and collect it, once (a reaped pid may be reused)."""
    if child["status"] is None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child["pid"], signal.SIGKILL)
        child["status"] = -1
        with contextlib.suppress(ChildProcessError):
            child["status"] = os.waitpid(child["pid"], 0)[1]
    return child["status"]


def failure(code: str) -> ParseResult:
    """A failed result; filing.services.parsing turns the code into the clerk's message."""
    return ParseResult(error=code, error_code=code)
