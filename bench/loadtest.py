"""A bounded loopback load test of the public pages: many keep-alive clients, a mix of pages.

Serves the portal with bench/server.py (gunicorn on the bench settings) and loads it with
locust (bench/locustfile.py, run headless by bench/swarm.py): every client walks the whole
mix of public pages, and any non-2xx answer or connection error counts as an error. The
trivial baseline view is loaded first with the same clients, in the same run: the mix's
requests per second are reported as a ratio to it.
Run it with ``manage.py loadtest_public`` (README "Load test").
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bench.server import BASELINE, HOST, fetch_once, gunicorn
from bench.swarm import LoadResult, swarm

# One loopback address stands for every client here; the API's per-address throttle
# (API_ANON_RATE, 120/min by default) protects against one real client, not this.
UNTHROTTLED_RATE = "100000000/min"


@dataclass
class LoadTestResult(LoadResult):
    baseline: dict = field(default_factory=dict)  # the trivial view's figures, same clients
    ratio: float = 0.0  # rps of the mix / rps of the baseline


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
    baseline_seconds: float = 10.0,
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
            log(f"baseline: {clients} clients for {baseline_seconds:g} s on {BASELINE}")
            base = swarm(HOST, port, [BASELINE], clients=clients, seconds=baseline_seconds)
            log(f"{clients} clients for {seconds:g} s over {len(paths)} pages")
            mix = swarm(HOST, port, paths, clients=clients, seconds=seconds)
    baseline = {key: getattr(base, key) for key in ("requests", "rps", "p50_ms", "p95_ms",
                                                    "p99_ms", "errors", "statuses")}  # fmt: skip
    mix.pages = {path: mix.pages[path] for path in paths if path in mix.pages}  # walk order
    return LoadTestResult(
        **mix.as_dict(), baseline=baseline, ratio=round(mix.rps / base.rps, 2) if base.rps else 0.0
    )
