"""A bounded loopback load generator: N threads with keep-alive connections for T seconds."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass

# What every browser sends; the portal serves its cached public pages gzipped to such clients.
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate"}


@dataclass
class LoadResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    errors: int
    statuses: dict

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def fetch_once(host: str, port: int, path: str, headers: dict | None = None, timeout=60):
    """One request on a fresh connection: (status, body, seconds)."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    started = time.perf_counter()
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - started
    finally:
        conn.close()


def run_load(
    host: str, port: int, path: str, *, clients: int = 4, seconds: float = 5.0,
    headers: dict | None = None, warm: int = 4,
) -> LoadResult:  # fmt: skip
    """Hammer one path for ``seconds``; requests still running at the end are waited for.

    ``warm`` sequential requests first, so that every server process has served the page.
    """
    for _ in range(warm):
        fetch_once(host, port, path, headers)
    latencies: list[list[float]] = [[] for _ in range(clients)]
    statuses: list[dict] = [{} for _ in range(clients)]
    ends = [0.0] * clients
    errors = [0] * clients
    start_at = time.perf_counter()
    stop_at = start_at + seconds

    def client(i: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=120)
        while time.perf_counter() < stop_at:
            began = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=120)
                continue
            ends[i] = time.perf_counter()
            latencies[i].append(ends[i] - began)
            statuses[i][response.status] = statuses[i].get(response.status, 0) + 1
            if response.getheader("Connection", "").lower() == "close":
                # gunicorn's sync workers close after each response.
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=120)
        conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    flat = [x for per in latencies for x in per]
    elapsed = max(max(ends) - start_at, seconds)
    merged: dict = {}
    for per in statuses:
        for status, count in per.items():
            merged[status] = merged.get(status, 0) + count
    return LoadResult(
        requests=len(flat),
        seconds=round(elapsed, 2),
        rps=round(len(flat) / elapsed, 1),
        p50_ms=round(statistics.median(flat) * 1000, 1) if flat else 0.0,
        p95_ms=round(percentile(flat, 0.95) * 1000, 1),
        errors=sum(errors),
        statuses=merged,
    )
