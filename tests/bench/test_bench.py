"""The benchmark harness's own parts (the benchmark itself is not a test)."""

import http.server
import threading

import pytest
from django.core.management import CommandError, call_command

from bench.pages import PAGES, Context, Page, page_url
from bench.run import targets
from bench.swarm import swarm


@pytest.fixture
def tiny_server():
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            body = b"ok" if self.path == "/ok" else b"no"
            self.send_response(200 if self.path == "/ok" else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_load_generator_counts_requests_and_statuses(tiny_server):
    result = swarm("127.0.0.1", tiny_server, ["/ok"], clients=2, seconds=1)
    assert result.requests > 0 and result.statuses == {200: result.requests}
    assert result.errors == 0 and result.error_samples == []
    assert result.rps > 0 and 0 <= result.p50_ms <= result.p95_ms
    assert list(result.pages) == ["/ok"]
    missing = swarm("127.0.0.1", tiny_server, ["/nope"], clients=1, seconds=1)
    assert set(missing.statuses) == {404} and missing.errors == missing.requests > 0


def test_the_load_generator_reports_cpu_per_request(tiny_server):
    import time

    seen = []

    def probe():
        seen.append(time.process_time())
        return {"gunicorn": 1.0 * len(seen), "postgres": 0.5 * len(seen)}

    result = swarm("127.0.0.1", tiny_server, ["/ok"], clients=1, seconds=1, probe=probe)
    assert len(seen) == 2 and result.requests > 0
    # One second of "gunicorn" and half of "postgres" spread over the requests served.
    assert result.cpu_ms["gunicorn"] == round(1000 / result.requests, 2)
    assert result.cpu_ms["postgres"] == round(500 / result.requests, 2)
    assert result.cpu_ms["locust"] > 0
    assert swarm("127.0.0.1", tiny_server, ["/ok"], clients=1, seconds=1).cpu_ms == {}


def test_server_cpu_counts_this_database_backends_only(db):
    from bench.server import server_cpu

    used = server_cpu(1)  # no gunicorn on port 1
    assert set(used) <= {"gunicorn", "postgres"} and used.get("gunicorn", 0.0) == 0.0


def test_a_page_the_portal_does_not_have_is_missing_not_an_error(db):
    page = Page("nothing", ("reports:no_such_page",), "/no/such/page/")
    assert page_url(page, Context()) is None
    needs_object = Page("report", ("reports:report_detail",), "", kwargs="report")
    assert page_url(needs_object, Context()) is None


def test_page_urls_reverse_with_the_chosen_objects(db):
    ctx = Context(values={"report": {"slug": "zimao", "year": 2023}, "list_filter": "year=2023"})
    report = next(p for p in PAGES if p.key == "report")
    listing = next(p for p in PAGES if p.key == "list_filtered")
    assert page_url(report, ctx) == "/reports/zimao/2023/"
    assert page_url(listing, ctx) == "/reports/?year=2023"


def _load(rps, statuses=None):
    return {"rps": rps, "statuses": statuses or {200: 10}, "errors": 0, "url": "/x"}


def test_targets_pass_fail_and_missing():
    result = {
        "data": {"reports": 20000},
        "load": {
            "baseline": _load(100),
            "list": _load(60),
            "report": _load(40),
            "stats": _load(55),
            "organ": _load(90, {200: 5, 500: 1}),
            "api": {"missing": True},
            "stats_cold": {"median_ms": 250.0, "samples_ms": [250.0]},
        },
        "queries": {"list": {"queries": 5, "alt_queries": 5}, "report": {"queries": 4},
                    "organ": {"queries": 3, "alt_queries": 4}},
        "ingest": {"ratio": 1.5, "one": {"files_per_s": 2}, "two": {"files_per_s": 3}},
    }  # fmt: skip
    by_name = {
        t["target"]: t["result"] for t in targets(result, {"queries": {"report": {"queries": 6}}})
    }
    assert by_name["list: rps ≥ 0.5 × baseline"] == "PASS"
    assert by_name["report: rps ≥ 0.5 × baseline"] == "FAIL"
    assert by_name["organ: rps ≥ 0.5 × baseline"] == "FAIL"  # a 500 among the answers
    assert by_name["api: rps ≥ 0.5 × baseline"] == "MISSING"
    assert by_name["stats cold < 300 ms (at 20000 reports)"] == "PASS"
    assert by_name["list: query count constant"] == "PASS"
    assert by_name["organ: query count constant"] == "FAIL"
    assert by_name["report: query count constant"] == "FAIL"  # 4 here, 6 on other data
    assert by_name["ingest: 2 workers ≥ 1.8 × 1"] == "FAIL"


def test_bench_portal_refuses_sqlite(db, settings):
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("this run is on PostgreSQL")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bench_portal")
