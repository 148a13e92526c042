"""The public load test (bench/loadtest.py, manage.py loadtest_public): errors are counted."""

import http.server
import sys
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from bench.loadtest import public_paths
from bench.swarm import swarm
from filing.workflow import Status
from tests.support.factories import make_report


@pytest.fixture
def flaky_server():
    """Loopback HTTP/1.1 (keep-alive): /ok answers 200, /broken 500, each after 10 ms."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            time.sleep(0.01)
            ok = self.path == "/ok"
            body = b"ok" if ok else b"broken"
            self.send_response(200 if ok else 500)
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


def test_every_locust_user_walks_every_page_and_non_2xx_answers_are_errors(flaky_server):
    result = swarm("127.0.0.1", flaky_server, ["/ok", "/broken"], clients=3, seconds=1)
    ok, broken = result.pages["/ok"], result.pages["/broken"]
    assert ok["requests"] > 0 and ok["errors"] == 0
    assert broken["requests"] > 0 and broken["errors"] == broken["requests"]
    # Three users walking two pages in turn: the pages get the same share, give or take one
    # request per user in flight when the run stopped.
    assert abs(ok["requests"] - broken["requests"]) <= 3
    assert result.errors == broken["requests"]
    assert result.requests == ok["requests"] + broken["requests"]
    assert result.statuses == {200: ok["requests"], 500: broken["requests"]}
    assert 10 <= result.p50_ms <= result.p95_ms <= result.p99_ms
    assert result.rps > 0 and result.clients == 3
    assert result.error_samples == ["/broken: HTTP 500"]


def test_locust_runs_in_its_own_process_and_never_patches_this_one(flaky_server):
    swarm("127.0.0.1", flaky_server, ["/ok"], clients=1, seconds=1)
    assert "locust" not in sys.modules and "gevent" not in sys.modules


def test_a_server_that_is_not_there_is_all_errors_not_a_crash():
    from bench.server import free_port

    result = swarm("127.0.0.1", free_port(), ["/ok"], clients=2, seconds=1)
    assert result.requests > 0 and result.errors == result.requests
    assert result.statuses == {}
    assert "ConnectionRefusedError" in result.error_samples[0]


def test_the_command_refuses_sqlite_and_a_missing_redis(db, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    with pytest.raises(CommandError):
        call_command("loadtest_public", clients=1, seconds=0.1)


def test_there_is_nothing_to_load_without_a_published_report(db):
    with pytest.raises(LookupError):
        public_paths()


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="gunicorn needs a shared database")
def test_five_clients_for_three_seconds_get_no_errors_from_gunicorn(monkeypatch, town, capsys):
    make_report(town, 2023, Status.PUBLISHED)
    # The gunicorn process reads the test database, where this test's data is committed.
    db = connection.settings_dict
    monkeypatch.setenv(
        "DATABASE_URL",
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    )
    call_command(
        "loadtest_public", clients=5, seconds=3, baseline_seconds=2, gunicorn_workers=2,
        any_backend=True,
    )  # fmt: skip
    out = capsys.readouterr().out
    assert "errors 0" in out
    ratio = float(out.split("the mix's rps = ")[1].split(" ")[0])
    assert ratio > 0
    for path in public_paths():
        assert path in out
