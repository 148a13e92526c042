"""The pages a benchmark run measures, the objects they show, and their query counts."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from organs.models import Membership, Organ
from public.models import Publication


@dataclass(frozen=True)
class Page:
    key: str
    names: tuple[str, ...]  # candidate URL names (pages other helpers build may be absent)
    path: str  # tried with resolve() when no name reverses
    kwargs: str = ""  # which context entry gives the URL kwargs
    query: str = ""  # which context entry gives the query string
    alt: str = ""  # a context entry for the same page on other data (query count must match)
    login: bool = False
    public: bool = True
    user: str = "supervisor"  # which Context user a login page is measured as
    cold: bool = False  # also measured with the public caches stale (the page's first request)


PAGES = (
    Page("list", ("reports:report_list",), "/reports/", alt="list_alt"),
    Page("list_filtered", ("reports:report_list",), "/reports/", query="list_filter",
         alt="list_filter_alt"),
    Page("report", ("reports:report_detail",), "", kwargs="report", alt="report_alt"),
    Page("organ", ("reports:organ_detail",), "", kwargs="organ", alt="organ_alt"),
    Page("stats", ("reports:stats",), "/stats/"),
    Page("api", ("reports:api_reports", "reports:api_report_list", "reports:api-report-list",
                 "api:report-list", "api_reports"), "/api/reports/", alt="api_alt"),
    Page("review_queue", ("reports:review_queue",), "/review/", login=True, public=False),
    Page("compliance", ("reports:compliance", "reports:compliance_dashboard"), "/compliance/",
         login=True, public=False),
    Page("workspace", ("reports:workspace",), "/workspace/", login=True, public=False,
         user="clerk"),
    Page("region", ("reports:region_rollup",), "", kwargs="region", alt="region_alt", cold=True),
    Page("region_api", ("reports:api_region",), "", kwargs="region", alt="region_alt",
         cold=True),
)  # fmt: skip


@dataclass
class Context:
    values: dict = field(default_factory=dict)
    supervisor: object = None
    clerk: object = None

    def user(self, page: Page):
        return getattr(self, page.user) if page.login else None

    def get(self, key: str):
        return self.values.get(key) if key else None


def _first(qs):
    return qs.order_by("pk").first()


def context_choose() -> Context:
    """Real objects for the URLs: a town's and the province's report, a city, two counties,
    the province's roll-up and a county's."""
    current = Publication.objects.filter(is_current=True).select_related("organ")
    ctx = Context()
    years = sorted(set(current.values_list("year", flat=True)))
    if not years:
        return ctx
    year = years[-2] if len(years) > 1 else years[-1]  # a past year: nearly all published
    in_year = current.filter(year=year)
    town = _first(in_year.filter(organ__kind__in=["town", "street"])) or _first(in_year)
    big = _first(in_year.filter(organ__parent__isnull=True)) or _first(in_year.exclude(pk=town.pk))
    ctx.values["report"] = {"slug": town.organ.slug, "year": year}
    ctx.values["report_alt"] = {"slug": (big or town).organ.slug, "year": year}
    city = _first(Organ.objects.filter(kind="city")) or big.organ if big else town.organ
    ctx.values["organ"] = {"slug": city.slug}
    ctx.values["organ_alt"] = {"slug": town.organ.slug}
    counties = list(Organ.objects.filter(kind__in=["county", "district"]).order_by("pk")[:2])
    regions = [c.slug for c in counties] or [city.slug, city.slug]
    ctx.values["list_alt"] = "page=2"
    ctx.values["list_filter"] = f"year={year}&region={regions[0]}"
    ctx.values["list_filter_alt"] = f"year={years[0]}&region={regions[-1]}"
    ctx.values["api_alt"] = f"year={year}"
    # The roll-up of the whole tree (the top organ) and of one county: query counts must match.
    tops = Organ.objects.filter(parent__isnull=True, children__isnull=False).distinct()
    top = _first(tops)
    if top is not None:
        county = _first(
            Organ.objects.filter(kind__in=["county", "district"], children__isnull=False)
            .exclude(pk=top.pk).distinct()
        ) or top  # fmt: skip
        ctx.values["region"] = {"slug": top.slug, "year": year}
        ctx.values["region_alt"] = {"slug": county.slug, "year": year}
    membership = (
        Membership.objects.filter(role=Membership.Role.SUPERVISOR, user__username="gen-supervisor")
        .select_related("user").first()
        or Membership.objects.filter(role=Membership.Role.SUPERVISOR, organ__parent__isnull=True)
        .select_related("user").first()
    )  # fmt: skip
    ctx.supervisor = membership.user if membership else None
    clerk = (
        Membership.objects.filter(role=Membership.Role.CLERK, organ_id=town.organ_id)
        .select_related("user").order_by("pk").first()
    )  # fmt: skip
    ctx.clerk = clerk.user if clerk else None
    return ctx


def page_url(page: Page, ctx: Context, alt: bool = False) -> str | None:
    """The page's URL on this data (or on its alternative data), None when there is no page."""
    kwargs_key = page.alt if alt and page.kwargs else page.kwargs
    query_key = page.alt if alt and not page.kwargs else page.query
    kwargs = ctx.get(kwargs_key) if kwargs_key else None
    if kwargs_key and kwargs is None:
        return None
    url = None
    for name in page.names:
        try:
            url = reverse(name, kwargs=kwargs)
            break
        except NoReverseMatch:
            continue
    if url is None and page.path and not kwargs_key:
        try:
            resolve(page.path)
            url = page.path
        except Resolver404:
            return None
    if url is None:
        return None
    query = ctx.get(query_key)
    return f"{url}?{query}" if query else url


def _bench_client_settings():
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    return override_settings(
        ALLOWED_HOSTS=["*"],
        SECURE_SSL_REDIRECT=False,
        STORAGES={**settings.STORAGES, "staticfiles": static},
    )


def session_cookie(user) -> str:
    """A logged-in session for the user, as a Cookie header value the server will accept."""
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def query_count(url: str, user=None, before=None, repeat: int = 5) -> dict:
    """Status, query count, and median wall and database milliseconds of ``repeat`` requests
    after the first, in-process (one sample is at the mercy of whatever else the machine does).

    The first request warms per-process caches; ``before`` runs between it and the rest.
    """
    walls, dbs, counts = [], [], []
    with _bench_client_settings():
        client = Client()
        if user is not None:
            client.force_login(user)
        client.get(url)
        if before:
            before()
        for _ in range(repeat):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            walls.append(time.perf_counter() - started)
            dbs.append(sum(float(q["time"]) for q in queries.captured_queries))
            counts.append(len(queries))
    return {
        "status": response.status_code,
        "queries": counts[0],
        "ms": round(statistics.median(walls) * 1000, 1),
        "db_ms": round(statistics.median(dbs) * 1000, 1),
    }
