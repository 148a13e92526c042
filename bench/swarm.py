"""Run bench/locustfile.py headless in a subprocess and read its figures into a LoadResult.

locust monkey-patches sockets and threads with gevent when it is imported: it runs in a
process of its own, never in the Django process that starts it. locust counts whole
seconds; a shorter run is rounded up to one second.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


@dataclass
class LoadResult:
    clients: int = 0
    seconds: float = 0.0
    requests: int = 0
    rps: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    statuses: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)  # path -> {"requests", "errors", "p50_ms", "p95_ms"}
    error_samples: list = field(default_factory=list)  # "path: what went wrong", for the report
    # CPU milliseconds per request: the server's parts (``probe``) and the load generator.
    cpu_ms: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def read_result(path: Path, clients: int) -> LoadResult:
    """The figures bench/locustfile.py wrote when its users stopped."""
    figures = json.loads(path.read_text("utf-8"))
    total = figures["total"]
    pages = {
        name: {key: page[key] for key in ("requests", "errors", "p50_ms", "p95_ms")}
        for name, page in sorted(figures["pages"].items())
    }
    rps = round(total["rps"], 1)
    return LoadResult(
        clients=clients,
        seconds=round(total["requests"] / total["rps"], 2) if total["rps"] else 0.0,
        requests=total["requests"],
        rps=rps,
        p50_ms=float(total["p50_ms"]),
        p95_ms=float(total["p95_ms"]),
        p99_ms=float(total["p99_ms"]),
        errors=total["errors"],
        statuses={
            int(k): v for k, v in sorted(figures["statuses"].items(), key=lambda kv: int(kv[0]))
        },
        pages=pages,
        error_samples=figures["failures"][:10],
    )


def swarm(
    host: str, port: int, paths: list[str], *, clients: int, seconds: float,
    headers: dict | None = None, stride: int = 1, probe=None,
) -> LoadResult:  # fmt: skip
    """``clients`` locust users for ``seconds``, each walking ``paths`` in turn.

    A path may be a [name, path] pair: locust reports it under the name (a page kind of the
    traffic mix). With ``stride`` = clients the users walk disjoint URLs, so the first
    N requests are paths[:N] and a cold cache stays cold.

    Requests still running at the end are waited for (up to 30 s), as a browser would.
    ``probe()``, when given, returns CPU seconds used so far by the server's processes
    ({"gunicorn": s, "postgres": s}, bench.server.server_cpu): the result then holds CPU
    milliseconds per request of each, and of locust (its start-up included).
    """
    run_for = max(1, math.ceil(seconds))
    with tempfile.TemporaryDirectory(prefix="bench-locust-") as tmp:
        result = Path(tmp) / "result.json"
        # A file, not the environment: the traffic mix passes thousands of URLs.
        paths_file = Path(tmp) / "paths.json"
        paths_file.write_text(json.dumps(paths), "utf-8")
        env = {
            **os.environ,
            "BENCH_PATHS_FILE": str(paths_file),
            "BENCH_HEADERS": json.dumps(headers or {}),
            "BENCH_STRIDE": str(stride),
            "BENCH_RESULT_FILE": str(result),
        }
        command = [
            sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
            "--users", str(clients), "--spawn-rate", str(clients), "--run-time", f"{run_for}s",
            "--host", f"http://{host}:{port}", "--only-summary",
            "--stop-timeout", "30", "--exit-code-on-error", "0", "--loglevel", "WARNING",
        ]  # fmt: skip
        before, started = (probe() if probe else {}), os.times()
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=run_for + 120
        )
        after, ended = (probe() if probe else {}), os.times()
        if done.returncode != 0 or not result.exists():
            raise RuntimeError(f"locust failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
        load = read_result(result, clients)
        if probe and load.requests:
            used = {k: after.get(k, 0.0) - before.get(k, 0.0) for k in after}
            used["locust"] = (ended.children_user + ended.children_system) - (
                started.children_user + started.children_system
            )
            load.cpu_ms = {k: round(v * 1000 / load.requests, 2) for k, v in used.items()}
        return load
