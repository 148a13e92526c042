"""One benchmark run: query counts, load per page against the baseline, parsing, ingest."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from django.db.models import Count

from bench.pages import PAGES, context_choose, page_url, query_count, session_cookie
from bench.server import BASELINE, HOST, fetch_once, gunicorn, server_cpu
from bench.swarm import swarm
from filing.models import AnnualReport, Figure
from public.models import PublishedFigure

PAGE_RATIO = 0.5
COLD_MEDIAN_MS, COLD_P99_MS = 30, 100  # every public page kind, server time, cache cold
MIX_COLD_RATIO, MIX_WARM_RATIO = 0.3, 0.6  # the traffic mix against the trivial view
STAFF_MEDIAN_MS = 50
STATS_COLD_MS = 300
REGION_COLD_MS = 300  # a region's roll-up (issue 21), the province's tree
INGEST_RATIO = 1.8
WARM = 4  # sequential requests before each page's load


def _stats_cold() -> None:
    """Make the statistics cache cold without flushing the broker's Redis database."""
    from public import versioning

    bump = getattr(versioning, "public_version_bump", None)
    if bump is not None:
        bump()
    else:
        from django.core.cache import cache

        cache.clear()


def data_size() -> dict:
    return {
        "reports": AnnualReport.objects.count(),
        "organs": AnnualReport.objects.aggregate(n=Count("organ", distinct=True))["n"],
        "figures": Figure.objects.count(),
        "published_figures": PublishedFigure.objects.count(),
    }


def measure_queries(ctx) -> dict:
    """Per page: status and query count in-process, on its data and on its alternative data."""
    out = {}
    for page in PAGES:
        url = page_url(page, ctx)
        if url is None:
            out[page.key] = {"missing": True}
            continue
        user = ctx.user(page)
        row = {"url": url, **query_count(url, user)}
        alt = page_url(page, ctx, alt=True) if page.alt else None
        if alt:
            other = query_count(alt, user)
            row.update(alt_url=alt, alt_status=other["status"], alt_queries=other["queries"])
        if page.key == "stats" or page.cold:
            # The median of three requests each after a public version bump (caches stale).
            colds = sorted((query_count(url, before=_stats_cold, repeat=1) for _ in range(3)),
                           key=lambda c: c["ms"])  # fmt: skip
            cold = colds[1]
            row.update(cold_status=cold["status"], cold_queries=cold["queries"],
                       cold_ms=cold["ms"], cold_db_ms=cold["db_ms"])  # fmt: skip
            if alt and page.cold:
                row["alt_cold_queries"] = query_count(
                    alt, user, before=_stats_cold, repeat=1)["queries"]  # fmt: skip
        out[page.key] = row
    # The trivial view in-process, what the cold pages are set against.
    out["trivial"] = {"url": BASELINE, **query_count(BASELINE)}
    return out


def explain_pages(ctx, queries: dict) -> dict:
    from bench.explain import slow_queries

    out = {}
    for page in PAGES:
        row = queries.get(page.key, {})
        if not row.get("missing"):
            user = ctx.user(page)
            out[page.key] = slow_queries(row["url"], user)
            if page.key == "stats":
                out["stats_cold"] = slow_queries(row["url"], before=_stats_cold)
    return out


def _load(port: int, url: str, *, clients: int, seconds: float, cookie: str = "") -> dict:
    """One page alone under locust, after a few sequential requests that warm every worker."""
    headers = {"Cookie": cookie} if cookie else {}
    for _ in range(WARM):
        fetch_once(HOST, port, url, headers)
    result = swarm(HOST, port, [url], clients=clients, seconds=seconds, headers=headers,
                   probe=lambda: server_cpu(port))  # fmt: skip
    row = {key: value for key, value in result.as_dict().items() if key not in ("pages",)}
    return {**row, "url": url}


def measure_load(ctx, queries: dict, *, clients: int, seconds: float, workers: int,
                 mix_seconds: float = 0) -> dict:  # fmt: skip
    """Requests per second and latency of each page under gunicorn, the baseline first;
    then the traffic mix (bench.mix) cold and warm."""
    cookies = {
        name: session_cookie(user)
        for name in ("supervisor", "clerk")
        if (user := getattr(ctx, name)) is not None
    }
    out = {}
    from bench.loadtest import UNTHROTTLED_RATE, _environment

    # Every client is 127.0.0.1: the API's per-address throttle would answer the mix's API
    # requests and the API page with 429 (cheaper than the page), as in loadtest_public.
    with _environment(API_ANON_RATE=UNTHROTTLED_RATE), gunicorn(workers=workers) as port:
        out["baseline"] = _load(port, BASELINE, clients=clients, seconds=seconds)
        if mix_seconds:
            from bench.mix import Population, run_mix

            out["mix"] = run_mix(port, Population(seed=1), clients=clients,
                                 seconds=mix_seconds, bump=_stats_cold)  # fmt: skip
        for page in PAGES:
            row = queries.get(page.key, {})
            if row.get("missing"):
                out[page.key] = {"missing": True}
                continue
            if page.key == "stats":
                samples = []
                for _ in range(3):
                    _stats_cold()
                    status, _, elapsed = fetch_once(HOST, port, row["url"])
                    samples.append(elapsed * 1000)
                out["stats_cold"] = {
                    "url": row["url"], "status": status,
                    "samples_ms": [round(s, 1) for s in samples],
                    "median_ms": round(statistics.median(samples), 1),
                }  # fmt: skip
            out[page.key] = _load(port, row["url"], clients=clients, seconds=seconds,
                                  cookie=cookies.get(page.user, "") if page.login else "")  # fmt: skip
    return out


def measure_parse(seeds: Path, with_pdf: bool) -> list[dict]:
    from bench.benchmarks import measure, parse_samples

    rows = measure(parse_samples(seeds, with_pdf=with_pdf), repeat=3)
    for row in rows:
        row["files_per_s"] = round(1000 / row["pipeline_ms"], 1) if row["pipeline_ms"] else None
    return rows


def measure_ingest(seeds: Path, files: int) -> dict:
    from bench.ingest import ingest_throughput

    one = ingest_throughput(seeds, 1, files)
    two = ingest_throughput(seeds, 2, files)
    return {"one": one, "two": two, "ratio": round(two["files_per_s"] / one["files_per_s"], 2)}


def targets(result: dict, compare: dict | None = None) -> list[dict]:
    """PASS/FAIL of each target, with the figure it was judged on."""
    load, queries = result.get("load", {}), result.get("queries", {})
    base = (load.get("baseline") or {}).get("rps") or 0
    out = []

    def add(name, ok, figure):
        out.append({"target": name, "result": "MISSING" if ok is None else
                    ("PASS" if ok else "FAIL"), "figure": figure})  # fmt: skip

    for page in PAGES:
        row = load.get(page.key)
        if not page.public or row is None:
            continue
        if row.get("missing"):
            add(f"{page.key}: rps ≥ {PAGE_RATIO} × baseline", None, "page missing")
            continue
        ratio = row["rps"] / base if base else 0
        ok = ratio >= PAGE_RATIO and not row.get("errors") and set(row["statuses"]) == {200}
        add(f"{page.key}: rps ≥ {PAGE_RATIO} × baseline", ok,
            f"{ratio:.2f} ({row['rps']} / {base} rps; statuses {row['statuses']})")  # fmt: skip
    cold = load.get("stats_cold")
    reports = result.get("data", {}).get("reports", 0)
    in_process = (queries.get("stats") or {}).get("cold_ms")
    if cold:
        add(f"stats cold < {STATS_COLD_MS} ms (at {reports} reports)",
            cold["median_ms"] < STATS_COLD_MS, f"{cold['median_ms']} ms")  # fmt: skip
    elif in_process is not None:  # --no-load: the in-process cold request
        add(f"stats cold < {STATS_COLD_MS} ms in-process (at {reports} reports)",
            in_process < STATS_COLD_MS, f"{in_process} ms")  # fmt: skip
    else:
        add(f"stats cold < {STATS_COLD_MS} ms", None, "page missing")
    trivial_ms = (queries.get("trivial") or {}).get("ms") or 0
    for page in PAGES:
        row = queries.get(page.key) or {}
        if page.cold and "cold_ms" in row:
            ratio = f"{row['cold_ms'] / trivial_ms:.0f}" if trivial_ms else "?"
            add(f"{page.key} cold < {REGION_COLD_MS} ms in-process (at {reports} reports)",
                row["cold_ms"] < REGION_COLD_MS and row["cold_status"] == 200,
                f"{row['cold_ms']} ms ({row['cold_db_ms']} ms db, {row['cold_queries']} queries)"
                f" = {ratio} × the trivial view ({trivial_ms} ms)")  # fmt: skip
            # Warm, the page cache answers with no query: the count that must not grow with
            # the region (or the data set, with --compare) is the cold one.
            counts = [row["cold_queries"], row.get("alt_cold_queries")]
            other = ((compare or {}).get("queries") or {}).get(page.key) or {}
            counts = [c for c in counts + [other.get("cold_queries")] if c is not None]
            add(f"{page.key} cold: query count constant", len(set(counts)) == 1, f"{counts}")
    for key, row in queries.items():
        if row.get("missing") or key == "trivial":
            continue
        counts = [row["queries"]]
        if "alt_queries" in row:
            counts.append(row["alt_queries"])
        other = ((compare or {}).get("queries") or {}).get(key) or {}
        if "queries" in other:
            counts.append(other["queries"])
        add(f"{key}: query count constant", len(set(counts)) == 1, f"{counts}")
    out += scale_targets(result, compare, add)
    ingest = result.get("ingest")
    if ingest:
        add(f"ingest: 2 workers ≥ {INGEST_RATIO} × 1", ingest["ratio"] >= INGEST_RATIO,
            f"{ingest['ratio']} ({ingest['two']['files_per_s']} / "
            f"{ingest['one']['files_per_s']} files/s)")  # fmt: skip
    return out


def scale_targets(result: dict, compare: dict | None, add) -> list:
    """Cold pages, the traffic mix, staff pages, and cold query counts across data sizes."""
    for kind, row in (result.get("cold") or {}).items():
        if not row.get("median_ms"):
            continue
        add(f"{kind} cold: median < {COLD_MEDIAN_MS} ms, p99 < {COLD_P99_MS} ms",
            row["median_ms"] < COLD_MEDIAN_MS and row["p99_ms"] < COLD_P99_MS,
            f"{row['median_ms']} / {row['p99_ms']} ms over {row['urls']} URLs")  # fmt: skip
        other = ((compare or {}).get("cold") or {}).get(kind)
        if other:
            # The steady state (the most frequent count) must match: first requests per
            # filter add the cached count and options.
            mine, theirs = min(row["queries"]), min(other["queries"])
            add(f"{kind} cold: fewest queries equal on other data", mine == theirs,
                f"{mine} here, {theirs} there")  # fmt: skip
    load = result.get("load", {})
    base = (load.get("baseline") or {}).get("rps") or 0
    for phase, limit in (("cold", MIX_COLD_RATIO), ("warm", MIX_WARM_RATIO)):
        row = (load.get("mix") or {}).get(phase)
        if row and base:
            ratio = row["rps"] / base
            add(f"traffic mix {phase}: rps ≥ {limit} × baseline", ratio >= limit,
                f"{ratio:.2f} ({row['rps']} rps, p50 {row['p50_ms']} p99 {row['p99_ms']} ms, "
                f"hit ratio {row['hit_ratio']})")  # fmt: skip
    for key in ("review_queue", "compliance", "workspace"):
        row = result.get("queries", {}).get(key) or {}
        if "ms" in row:
            add(f"{key}: median < {STAFF_MEDIAN_MS} ms", row["ms"] < STAFF_MEDIAN_MS,
                f"{row['ms']} ms in-process ({row['db_ms']} ms db), median of 5 requests")  # fmt: skip
    return []


def bench_run(*, seeds: Path, clients: int, seconds: float, gunicorn_workers: int,
              ingest_files: int, with_pdf: bool, parse: bool = True, explain: bool = False,
              mix_seconds: float = 10, cold_urls: int = 40, load: bool = True,
              log=print) -> dict:  # fmt: skip
    """Everything in one run; the generated data must already be in the database."""
    started = time.perf_counter()
    result = {"data": data_size(), "cpus": os.cpu_count(), "clients": clients,
              "seconds_per_page": seconds, "gunicorn_workers": gunicorn_workers}  # fmt: skip
    log(f"data: {result['data']}")
    ctx = context_choose()
    result["queries"] = measure_queries(ctx)
    log("query counts measured")
    if explain:
        result["explain"] = explain_pages(ctx, result["queries"])
        log("slow queries explained")
    if cold_urls:
        from bench.mix import Population, cold_samples

        result["cold"] = cold_samples(Population(seed=2), per_kind=cold_urls, bump=_stats_cold)
        log("cold pages measured")
    if load:
        result["load"] = measure_load(ctx, result["queries"], clients=clients, seconds=seconds,
                                      workers=gunicorn_workers, mix_seconds=mix_seconds)  # fmt: skip
        log("load measured")
    if parse:
        result["parse"] = measure_parse(seeds, with_pdf)
        log("parse throughput measured")
    if ingest_files:
        result["ingest"] = measure_ingest(seeds, ingest_files)
        log("ingest throughput measured")
    result["total_seconds"] = round(time.perf_counter() - started, 1)
    return result
