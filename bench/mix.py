"""Realistic traffic: many URLs drawn like visitors spread over a province's reports.

bench_portal's per-page load asks for one URL thousands of times, so after the first answer
it measures the page cache. Here every request is drawn afresh: report and organ pages from
all current publications with a Zipf-like popularity (a few reports are read a lot, most
rarely), list pages with random filters, search words, sorts and page numbers, statistics
with random filters, API pages and the home page. ``cold_samples`` times each page kind
in-process over distinct URLs with the public version bumped (server time, queries);
``run_mix`` loads the mix under gunicorn, cold, warm and after one publication, with the
hit ratio reached and what it is made of (per page kind).

The warm phase follows a cold phase of the same length: after 10 s (~800 requests) a
draw finds about 0.4 of its URLs served before, after 3,000 requests 0.5, after 20,000
0.7 (search words and filter combinations stay rare). A portal serving for a day holds far
more; the warm figure is a lower bound of the hit ratio in service, not its steady state.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organs.models import Organ
from public.models import Publication

# Share of each page kind in the mix (of 100 requests).
WEIGHTS = {"report": 35, "organ": 12, "list": 20, "search": 8, "stats": 8, "api": 12, "home": 5}
ZIPF_S = 1.0
SEARCH_WORDS = ("依申请", "公开", "行政复议", "政府信息", "年度报告", "主动公开", "诉讼", "镇")


class Population:
    """What URLs are drawn from: current publications in a shuffled popularity order."""

    def __init__(self, seed: int = 0):
        self.rng = random.Random(seed)
        published = list(
            Publication.objects.filter(is_current=True)
            .order_by("pk")
            .values_list("organ__slug", "year", "organ_id", "edition")
        )
        rows = [(slug, year) for slug, year, _, _ in published]
        self.rng.shuffle(rows)
        self.reports = rows
        self.organs = list(dict.fromkeys(slug for slug, _ in rows))
        self.years = sorted({year for _, year in rows})
        self.regions = list(
            Organ.objects.filter(children__isnull=False).distinct().values_list("slug", flat=True)
        )
        self.names = list(Organ.objects.values_list("name", flat=True)[:500])
        self._published = [(organ_id, year, edition) for _, year, organ_id, edition in published]
        self._tree = list(Organ.objects.values_list("pk", "parent_id", "slug"))
        self._counts: dict[tuple, int] = {}
        self._cum_reports = _zipf_cumulative(len(self.reports))
        self._cum_organs = _zipf_cumulative(len(self.organs))

    def _zipf(self, items, cum):
        return items[_pick(self.rng, cum)]

    def _filters(self, keys=("year", "region", "edition")) -> dict:
        out = {}
        if "year" in keys and self.rng.random() < 0.5:
            out["year"] = self.rng.choice(self.years)
        if "region" in keys and self.regions and self.rng.random() < 0.4:
            out["region"] = self.rng.choice(self.regions)
        if "edition" in keys and self.rng.random() < 0.1:
            out["edition"] = self.rng.choice(("2019", "2021"))
        return out

    def count(self, params: dict) -> int:
        """How many current publications the year/region/edition filters leave."""
        key = (params.get("year"), params.get("region"), params.get("edition"))
        if key not in self._counts:
            year, region, edition = key
            organs = None
            if region:
                children: dict = {}
                for pk, parent, _slug in self._tree:
                    children.setdefault(parent, []).append(pk)
                root = next(pk for pk, _parent, slug in self._tree if slug == region)
                organs, todo = {root}, [root]
                while todo:
                    for child in children.get(todo.pop(), ()):
                        if child not in organs:
                            organs.add(child)
                            todo.append(child)
            self._counts[key] = sum(
                1
                for organ_id, y, e in self._published
                if (year is None or y == year)
                and (organs is None or organ_id in organs)
                and (edition is None or e == edition)
            )
        return self._counts[key]

    def _page(self, params: dict, page_size: int, limit: int = 20) -> int | None:
        """A page number past the first that exists for these filters (None: only one page).

        Visitors reach page N by the pagination links, so a page past the end (a 404 in the
        API, the last page again in the list) is not what they ask for.
        """
        pages = min(limit, -(-self.count(params) // page_size))
        return self.rng.randint(2, pages) if pages >= 2 else None

    def url(self, kind: str) -> str:
        rng = self.rng
        if kind == "report":
            slug, year = self._zipf(self.reports, self._cum_reports)
            return reverse("reports:report_detail", kwargs={"slug": slug, "year": year})
        if kind == "organ":
            slug = self._zipf(self.organs, self._cum_organs)
            return reverse("reports:organ_detail", kwargs={"slug": slug})
        if kind in ("list", "search"):
            params = self._filters()
            if kind == "search":
                word = rng.choice(SEARCH_WORDS)
                if self.names and rng.random() < 0.5:
                    name = rng.choice(self.names)
                    word = name[: rng.randint(2, min(4, len(name)))]
                params["q"] = word
            if rng.random() < 0.3:
                params["sort"] = rng.choice(("organ", "received"))
            if rng.random() < 0.5:
                # A search's result count is not known here: any page up to 20 (the list
                # shows its last page for a number past the end).
                page = rng.randint(2, 20) if kind == "search" else self._page(params, 50)
                if page:
                    params["page"] = page
            return _with(reverse("reports:report_list"), params)
        if kind == "stats":
            return _with(reverse("reports:stats"), self._filters())
        if kind == "api":
            params = self._filters(("year", "region"))
            if rng.random() < 0.5 and (page := self._page(params, 50)):
                params["page"] = page
            return _with(reverse("reports:api_reports"), params)
        return reverse("reports:home") if _has("reports:home") else "/"

    def draw(self, count: int) -> list[tuple[str, str]]:
        """(kind, URL) pairs in the mix's proportions."""
        kinds = list(WEIGHTS)
        weights = [WEIGHTS[k] for k in kinds]
        return [(k, self.url(k)) for k in self.rng.choices(kinds, weights, k=count)]


def _has(name: str) -> bool:
    try:
        reverse(name)
    except Exception:  # noqa: BLE001 - NoReverseMatch
        return False
    return True


def _with(url: str, params: dict) -> str:
    return f"{url}?{urlencode(params)}" if params else url


def _zipf_cumulative(n: int) -> list[float]:
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / rank**ZIPF_S
        out.append(total)
    return out


def _pick(rng: random.Random, cum: list[float]) -> int:
    import bisect

    return min(bisect.bisect_left(cum, rng.random() * cum[-1]), len(cum) - 1)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def cold_samples(population: Population, *, per_kind: int = 40, bump=None) -> dict:
    """Per page kind: server time (median, p99, max) and queries of distinct URLs, cold.

    Each URL is asked once, in-process, after the public version was bumped (``bump``), so
    nothing comes from the page cache and every count and option list is computed at most
    once per filter. Query counts are the set seen (constant pages show one value).
    """
    if bump:
        bump()
    # The population drawn from (a tuple for every publication and organ) is this process's,
    # not a server's: frozen, the collector's full passes no longer stop a timed request for
    # 80-130 ms at 20,000 reports.
    gc.collect()
    gc.freeze()
    client = Client()
    out = {}
    for kind in WEIGHTS:
        seen, times, queries, statuses, slowest = set(), [], set(), set(), []
        tries = 0
        while len(seen) < per_kind and tries < per_kind * 5:
            tries += 1
            url = population.url(kind)
            if url in seen:
                continue
            seen.add(url)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            queries.add(len(captured))
            statuses.add(response.status_code)
            db_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
            slowest.append((times[-1], url, len(captured), db_ms))
        out[kind] = {
            "urls": len(times),
            "median_ms": round(statistics.median(times), 1) if times else None,
            "p99_ms": round(percentile(times, 99), 1),
            "max_ms": round(max(times), 1) if times else None,
            "queries": sorted(queries),
            "statuses": sorted(statuses),
            # What the p99 is made of: the three slowest URLs, to read with --explain.
            "slowest": [
                {"url": url, "ms": round(ms, 1), "queries": n, "db_ms": round(db, 1)}
                for ms, url, n, db in sorted(slowest, reverse=True)[:3]
            ],
        }
    return out


def hit_ratio(walked: list[str], seen_before: set[str]) -> float:
    """Share of requests whose URL was already served (the page cache keeps every one)."""
    seen, hits = set(seen_before), 0
    for url in walked:
        hits += url in seen
        seen.add(url)
    return round(hits / len(walked), 3) if walked else 0.0


def hits_by_kind(walked: list[tuple[str, str]], seen_before: set[str]) -> dict[str, float]:
    """hit_ratio per page kind: what the mix's hit ratio is made of."""
    seen, hits, total = set(seen_before), {}, {}
    for kind, url in walked:
        hits[kind] = hits.get(kind, 0) + (url in seen)
        total[kind] = total.get(kind, 0) + 1
        seen.add(url)
    return {kind: round(hits[kind] / total[kind], 2) for kind in sorted(total)}


# Pages scoped to one organ (public.pagecache): another organ's publication leaves them.
SCOPED_KINDS = ("report", "organ")


def surviving(served: set[tuple[str, str]], slug: str) -> set[str]:
    """The served URLs a publication of organ ``slug`` leaves cached."""
    return {url for kind, url in served if kind in SCOPED_KINDS and f"/{slug}/" not in url}


def run_mix(port: int, population: Population, *, clients: int, seconds: float, bump) -> dict:
    """The mix under load: cold (every cache stale), warm (another draw), then after one
    publication (its organ's pages and every cross-organ page stale, as in production)."""
    from bench.server import HOST, server_cpu
    from bench.swarm import swarm
    from public.versioning import public_version_bump

    out = {}
    served: set[tuple[str, str]] = set()
    for phase in ("cold", "warm", "published"):
        before = {url for _, url in served}
        if phase == "cold":
            bump()
        elif phase == "published":
            publication = _drawn_publication(population)
            public_version_bump(publication=publication)
            before = surviving(served, publication.organ.slug)
        draw = population.draw(max(2000, int(seconds * 400)))
        result = swarm(HOST, port, [[k, u] for k, u in draw], clients=clients, seconds=seconds,
                       stride=clients, probe=lambda: server_cpu(port))  # fmt: skip
        walked = draw[: result.requests]
        row = {k: v for k, v in result.as_dict().items() if k != "error_samples"}
        row["hit_ratio"] = hit_ratio([u for _, u in walked], before)
        row["hit_ratio_by_kind"] = hits_by_kind(walked, before)
        served.update(walked)
        out[phase] = row
    return out


def _drawn_publication(population: Population) -> Publication:
    """A current publication drawn as the report pages are (a correction of a read report)."""
    slug, year = population._zipf(population.reports, population._cum_reports)
    return Publication.objects.select_related("organ").get(
        organ__slug=slug, year=year, is_current=True
    )
