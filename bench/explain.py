"""The slowest queries of a page, with PostgreSQL's plan, for the report of a run."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.pages import _bench_client_settings


def slow_queries(url: str, user=None, top: int = 2, before=None) -> list[dict]:
    """The page's ``top`` slowest queries (second request) and EXPLAIN ANALYZE of each."""
    with _bench_client_settings():
        client = Client()
        if user is not None:
            client.force_login(user)
        client.get(url)
        if before:
            before()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
    ranked = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:top]
    out = []
    for query in ranked:
        sql = query["sql"]
        plan = []
        if sql.lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = [row[0] for row in cursor.fetchall()]
        out.append({"ms": round(float(query["time"]) * 1000, 1), "sql": sql, "plan": plan})
    return out
