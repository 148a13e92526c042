"""A bounded loopback load test of the public pages: many keep-alive clients, a mix of pages.

Reuses bench/server.py (gunicorn on the bench settings) and bench/load.py (one-shot fetch,
percentiles); the difference from bench/load.run_load is that every client walks the whole
mix of public pages, and any non-2xx answer or connection error counts as an error.
Run it with ``manage.py loadtest_public`` (README "Load test").
"""

from __future__ import annotations

import contextlib
import http.client
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bench.load import BROWSER_HEADERS, fetch_once, percentile
from bench.server import HOST, gunicorn

# One loopback address stands for every client here; the API's per-address throttle
# (API_ANON_RATE, 120/min by default) protects against one real client, not this.
UNTHROTTLED_RATE = "100000000/min"


@dataclass
class PageFigures:
    requests: int = 0
    errors: int = 0
    latencies: list = field(default_factory=list)


@dataclass
class LoadTestResult:
    clients: int
    seconds: float
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    statuses: dict
    pages: dict  # path -> {"requests", "errors", "p50_ms", "p95_ms"}
    error_samples: list  # a few "path: what went wrong", for the report

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def public_paths() -> list[str]:
    """The public pages to drive, with real objects: a current report, its organ, a search."""
    from django.urls import reverse
    from django.utils.http import urlencode

    from public.models import Publication

    publication = (
        Publication.objects.filter(is_current=True)
        .select_related("organ")
        .order_by("-year", "organ__slug")
        .first()
    )
    if publication is None:
        raise LookupError("no published report to load: generate or load data first")
    organ = publication.organ
    # pg_trgm answers queries of three or more characters.
    term = organ.short_name if len(organ.short_name or "") >= 3 else organ.name[:4]
    return [
        reverse("reports:home"),
        reverse("reports:report_list"),
        reverse("reports:report_list") + "?" + urlencode({"year": publication.year, "q": term}),
        reverse("reports:report_detail", kwargs={"slug": organ.slug, "year": publication.year}),
        reverse("reports:organ_detail", kwargs={"slug": organ.slug}),
        reverse("reports:stats"),
        reverse("reports:api_reports"),
    ]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def drive(
    port: int, paths: list[str], *, clients: int, seconds: float, host: str = HOST
) -> LoadTestResult:
    """``clients`` threads, each on a keep-alive connection, cycling through ``paths``."""
    figures = [{path: PageFigures() for path in paths} for _ in range(clients)]
    statuses: list[dict] = [{} for _ in range(clients)]
    samples: list[str] = []
    ends = [0.0] * clients
    started = time.perf_counter()
    stop_at = started + seconds

    def client(i: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=120)
        n = i  # clients start at different pages so every page is busy at once
        while time.perf_counter() < stop_at:
            path = paths[n % len(paths)]
            n += 1
            mine = figures[i][path]
            began = time.perf_counter()
            try:
                conn.request("GET", path, headers=BROWSER_HEADERS)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                mine.requests += 1
                mine.errors += 1
                if len(samples) < 10:
                    samples.append(f"{path}: {type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=120)
                continue
            ends[i] = time.perf_counter()
            mine.requests += 1
            mine.latencies.append(ends[i] - began)
            statuses[i][response.status] = statuses[i].get(response.status, 0) + 1
            if not 200 <= response.status < 300:
                mine.errors += 1
                if len(samples) < 10:
                    samples.append(f"{path}: HTTP {response.status}")
            if response.getheader("Connection", "").lower() == "close":
                # gunicorn's sync workers close after each response: reconnect.
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=120)
        conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = max(max(ends) - started, seconds)
    pages: dict = {}
    flat: list[float] = []
    for path in paths:
        merged = PageFigures()
        for per in figures:
            merged.requests += per[path].requests
            merged.errors += per[path].errors
            merged.latencies.extend(per[path].latencies)
        flat.extend(merged.latencies)
        pages[path] = {
            "requests": merged.requests,
            "errors": merged.errors,
            "p50_ms": _ms(percentile(merged.latencies, 0.5)),
            "p95_ms": _ms(percentile(merged.latencies, 0.95)),
        }
    all_statuses: dict = {}
    for per in statuses:
        for status, count in per.items():
            all_statuses[status] = all_statuses.get(status, 0) + count
    total = sum(p["requests"] for p in pages.values())
    return LoadTestResult(
        clients=clients,
        seconds=round(elapsed, 2),
        requests=total,
        rps=round(total / elapsed, 1),
        p50_ms=_ms(percentile(flat, 0.5)),
        p95_ms=_ms(percentile(flat, 0.95)),
        p99_ms=_ms(percentile(flat, 0.99)),
        errors=sum(p["errors"] for p in pages.values()),
        statuses=dict(sorted(all_statuses.items())),
        pages=pages,
        error_samples=samples,
    )


def check_pages(port: int, paths: list[str]) -> list[str]:
    """Each page once, before the load: what does not answer 200 (the load would only repeat it)."""
    problems = []
    for path in paths:
        status, body, _seconds = fetch_once(HOST, port, path, timeout=120)
        if status != 200:
            problems.append(f"{path}: HTTP {status} {body[:200]!r}")
    return problems


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def loadtest_run(
    *,
    clients: int = 100,
    seconds: float = 60.0,
    workers: int = 3,
    threads: int = 0,
    log: Callable[[str], None] = print,
) -> LoadTestResult:
    """Start gunicorn (bench settings, this process's DATABASE_URL/REDIS_URL) and drive it.

    ``threads`` > 0 runs gthread workers that keep connections alive between requests;
    0 keeps the sync workers that docker-compose.yml deploys (they close after each answer).
    """
    paths = public_paths()
    gunicorn_args = f"--worker-class gthread --threads {threads}" if threads else ""
    with _environment(API_ANON_RATE=UNTHROTTLED_RATE, GUNICORN_CMD_ARGS=gunicorn_args):
        with gunicorn(workers=workers) as port:
            log(
                f"gunicorn on {HOST}:{port}, {workers} workers"
                + (f" × {threads} threads" if threads else " (sync)")
            )
            problems = check_pages(port, paths)
            if problems:
                raise RuntimeError("pages fail before any load:\n" + "\n".join(problems))
            log(f"{clients} clients for {seconds:g} s over {len(paths)} pages")
            return drive(port, paths, clients=clients, seconds=seconds)
