"""Public traffic for locust: keep-alive visitors walking the portal's public pages.

bench/swarm.py runs this file headless in a subprocess (locust patches the standard library
with gevent when imported, so it never runs inside a Django process) and reads its CSV.
It also runs on its own against any portal, with the web UI:

    locust -f bench/locustfile.py --host http://127.0.0.1:8000

Environment: BENCH_PATHS (or BENCH_PATHS_FILE, a file holding it), a JSON list of the paths every visitor walks in turn (default:
the pages that need no object; an entry may be a [name, path] pair); BENCH_STRIDE, how
far each user steps through the list (the number of users: disjoint walks); BENCH_HEADERS, JSON headers added to every request (a
session cookie for pages behind login); BENCH_VISITOR_PAGES, pages one visitor (one
X-Forwarded-For address) reads before the next takes over (10); BENCH_RESULT_FILE, where the final figures go
when the users have stopped: per page and in total, requests, failures, rps and
percentiles from locust's own stats, the count of each HTTP status, and the failures.
(locust's --csv files are snapshots taken every second while the run goes on, so the
last second of a run is missing from them.)
"""

from __future__ import annotations

import itertools
import json
import os
from collections import Counter

from locust import FastHttpUser, constant, events, task

DEFAULT_PATHS = ["/", "/reports/", "/stats/", "/api/reports/"]
_PATHS_FILE = os.environ.get("BENCH_PATHS_FILE")
PATHS: list = (
    json.loads(open(_PATHS_FILE, encoding="utf-8").read())  # noqa: SIM115 - read once at import
    if _PATHS_FILE
    else json.loads(os.environ.get("BENCH_PATHS") or "null")
) or DEFAULT_PATHS
# What every browser sends; the portal serves its cached public pages gzipped to such clients.
HEADERS = {
    "Accept-Encoding": "gzip, deflate",
    **json.loads(os.environ.get("BENCH_HEADERS") or "{}"),
}
# How far each user steps through PATHS: the number of users walks them disjointly.
STRIDE = int(os.environ.get("BENCH_STRIDE") or 1)
# Pages one visitor reads before another takes the client's place. Every locust user runs on
# 127.0.0.1; as one address, all of them would be one visitor whose API rate-limit history
# (a timestamp per request, read and written back by every API request) grows to thousands
# of entries, which no real visitor has. Each visitor is named by X-Forwarded-For, as the
# proxy in front of the portal does for real ones.
VISITOR_PAGES = int(os.environ.get("BENCH_VISITOR_PAGES") or 10)
_visitors = itertools.count(1)
STATUSES: Counter = Counter()
_starts = itertools.count()


class PublicVisitor(FastHttpUser):
    """One client: the next page as soon as the last one has come, any non-2xx is a failure.

    Visitors start at different pages, so that every page is busy at once; redirects are
    not followed (a redirect where a page should be is an error here).
    """

    wait_time = constant(0)

    def on_start(self) -> None:
        self.turn = next(_starts)
        self.pages_read = 0
        self.headers = HEADERS

    def _visitor(self) -> dict:
        if self.pages_read % VISITOR_PAGES == 0:
            n = next(_visitors)
            address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
            self.headers = {"X-Forwarded-For": address, **HEADERS}
        self.pages_read += 1
        return self.headers

    @task
    def next_page(self) -> None:
        path = PATHS[self.turn % len(PATHS)]
        self.turn += STRIDE
        name, path = path if isinstance(path, list) else (path, path)
        with self.client.get(
            path, name=name, headers=self._visitor(), catch_response=True, allow_redirects=False
        ) as response:
            status = response.status_code or 0
            if status:
                STATUSES[status] += 1
            if not 200 <= status < 300:
                error = response.error
                response.failure(f"HTTP {status}" if status else f"{type(error).__name__}: {error}")


def _figures(entry) -> dict:
    return {
        "requests": entry.num_requests,
        "errors": entry.num_failures,
        "rps": entry.total_rps,
        **{f"p{p}_ms": entry.get_response_time_percentile(p / 100) for p in (50, 95, 99)},
    }


@events.test_stop.add_listener
def _result_write(environment, **_kwargs) -> None:
    target = os.environ.get("BENCH_RESULT_FILE")
    if not target:
        return
    stats = environment.stats
    result = {
        "total": _figures(stats.total),
        "pages": {entry.name: _figures(entry) for entry in stats.entries.values()},
        "statuses": dict(STATUSES),
        "failures": [f"{e.name}: {e.error}" for e in stats.errors.values()],
    }
    with open(target, "w", encoding="utf-8") as out:
        json.dump(result, out)
