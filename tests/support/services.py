"""Private Redis, PostgreSQL and Celery workers for fault tests (never the shared ones).

Each fault test module starts its own redis-server and PostgreSQL cluster on free ports in a
temporary directory, so killing or restarting them disturbs nobody else's tests. PostgreSQL
runs as the ``postgres`` OS user through runuser, so it needs root; without root or the
binaries the tests are skipped, except in CI (CI=true) where that is an error.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.worker import ROOT

SECRET_KEY = "fault-test-secret-key-0123456789-0123456789-abcdef"


def unavailable(reason: str):
    """Skip locally; in CI a missing service is a failure, not a skip."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, *, timeout: float, interval: float = 0.2, what: str = "condition"):
    """Poll ``check()`` until it returns something truthy; return that or fail after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = check()
        except Exception:  # a service mid-restart refuses connections
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def _stop(process: subprocess.Popen | None, timeout: float = 20) -> str:
    if process is None or process.poll() is not None:
        return ""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    return ""


# ---------------------------------------------------------------- Redis


class PrivateRedis:
    """A throwaway redis-server (no persistence) that can be restarted on the same port."""

    def __init__(self, workdir: Path):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            unavailable("redis-server is not installed")
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self.ping, timeout=20, what="redis-server")

    def ping(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def stop(self) -> None:
        _stop(self.process)

    def restart(self, down_for: float = 1.0) -> None:
        self.stop()
        time.sleep(down_for)
        self.start()


@contextlib.contextmanager
def private_redis(workdir: Path) -> Iterator[PrivateRedis]:
    redis = PrivateRedis(workdir)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


# ---------------------------------------------------------------- PostgreSQL


def _pg_bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: p.split("/")[-2])
    for folder in reversed(candidates):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "postgres").exists():
            return Path(folder)
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


class PrivatePostgres:
    """A throwaway cluster in a temporary directory, run as the postgres OS user."""

    def __init__(self, workdir: Path):
        if os.geteuid() != 0:
            unavailable("the private PostgreSQL runs as the postgres user: needs root")
        self.bindir = _pg_bindir()
        if self.bindir is None or shutil.which("runuser") is None:
            unavailable("PostgreSQL server binaries (initdb, postgres) or runuser not found")
        self.port = free_port()
        self.data = workdir / "pgdata"
        self.sockets = workdir / "pgsock"
        self.process: subprocess.Popen | None = None
        for folder in (workdir, self.data, self.sockets):
            folder.mkdir(parents=True, exist_ok=True)
        shutil.chown(workdir, "postgres")
        shutil.chown(self.data, "postgres")
        shutil.chown(self.sockets, "postgres")
        # runuser -u postgres needs to reach the directory.
        for parent in workdir.parents:
            if parent == Path("/"):
                break
            parent.chmod(parent.stat().st_mode | 0o005)
        self._as_postgres(
            [self.bindir / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust",
             "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync"],
            check=True,
        )  # fmt: skip

    def _as_postgres(self, args, **kwargs):
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", *map(str, args)],
            capture_output=True, text=True, timeout=120, **kwargs,
        )  # fmt: skip

    def url(self, name: str = "portal") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["runuser", "-u", "postgres", "--", str(self.bindir / "postgres"), "-D", str(self.data),
             "-p", str(self.port), "-h", "127.0.0.1", "-k", str(self.sockets),
             "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        wait_until(self.ready, timeout=30, what="PostgreSQL")

    def ready(self) -> bool:
        import psycopg

        with psycopg.connect(self.url("postgres"), connect_timeout=2) as conn:
            return conn.execute("select 1").fetchone() == (1,)

    def create_database(self, name: str = "portal") -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            # SIGINT is PostgreSQL's fast shutdown: sessions are cut, as in a real restart.
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def restart(self, down_for: float = 1.0) -> None:
        self.stop()
        time.sleep(down_for)
        self.start()


@contextlib.contextmanager
def private_postgres(workdir: Path) -> Iterator[PrivatePostgres]:
    postgres = PrivatePostgres(workdir)
    postgres.start()
    try:
        yield postgres
    finally:
        postgres.stop()


# ---------------------------------------------------------------- Django processes


def portal_env(**env: str) -> dict[str, str]:
    """Production settings (not the test settings) with the private services in ``env``."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "DJANGO_SETTINGS_MODULE"}
    }
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "CONN_MAX_AGE": "60",
        **env,
    }


def run_portal(code: str, env: dict[str, str], timeout: float = 120):
    """Run Python with Django set up in a subprocess; return what ``code`` printed as JSON."""
    script = "import django, json\ndjango.setup()\n" + code
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    return json.loads(lines[-1]) if lines else None


def migrate(env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


class Worker:
    """A `celery -A portal worker` subprocess whose output is kept for assertions."""

    def __init__(
        self, env: dict[str, str], *, name: str, concurrency: int = 1, queue="celery", beat=False
    ):
        self.log = Path(env["MEDIA_ROOT"]).parent / f"worker-{name}-{uuid.uuid4().hex[:6]}.log"
        self.broker = env["REDIS_URL"]
        env = {**env, "PYTHONUNBUFFERED": "1"}
        self.handle = self.log.open("w")
        # beat: the worker also runs celery beat (-B), as scripts/run does.
        schedule = ["-B", "--schedule", str(self.log.with_suffix(".beat"))] if beat else []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "prefork",
             "--concurrency", str(concurrency), "--queues", queue, "--hostname", f"{name}@%h",
             "--loglevel", "INFO", "--without-gossip", "--without-mingle", *schedule],
            cwd=ROOT, env=env, stdout=self.handle, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.name = f"{name}@{socket.gethostname()}"
        try:
            wait_until(self.answers, timeout=90, interval=1, what=f"worker {name} to answer")
        except BaseException:
            self.stop()
            raise

    def answers(self) -> bool:
        """The worker replies to a broadcast ping (it is connected and consuming)."""
        from celery import Celery

        app = Celery("faults-ping", broker=self.broker, set_as_current=False)
        try:
            return bool(app.control.ping(destination=[self.name], timeout=1.0))
        finally:
            app.close()

    def running(self, app, task_id: str) -> bool:
        """This worker reports the task among its active ones."""
        active = app.control.inspect([self.name], timeout=1.0).active() or {}
        return any(task["id"] == task_id for task in active.get(self.name, []))

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def children(self) -> list[int]:
        """Pool processes (the ones that run tasks)."""
        out: list[int] = []
        for task in Path(f"/proc/{self.process.pid}/task").glob("*"):
            with contextlib.suppress(OSError):
                out += [int(pid) for pid in (task / "children").read_text().split()]
        return out

    def kill_pool_process(self) -> int:
        """SIGKILL the pool process running the task (the OOM killer's way)."""
        children = wait_until(self.children, timeout=10, what="a pool process")
        os.kill(children[0], signal.SIGKILL)
        return children[0]

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.handle.close()


@contextlib.contextmanager
def running_workers(env: dict[str, str], *names: str, beat=False) -> Iterator[list[Worker]]:
    workers: list[Worker] = []
    try:
        for index, name in enumerate(names):
            workers.append(Worker(env, name=name, beat=beat and index == 0))
        yield workers
    finally:
        for worker in workers:
            worker.stop()
