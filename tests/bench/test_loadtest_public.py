"""The public load test (bench/loadtest.py, manage.py loadtest_public): errors are counted."""

import http.server
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from bench.loadtest import drive, public_paths
from filing.workflow import Status
from tests.support.factories import make_report


@pytest.fixture
def flaky_server():
    """Loopback HTTP/1.1 (keep-alive): /ok answers 200, /broken 500."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
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


def test_every_client_walks_every_page_and_non_2xx_answers_are_errors(flaky_server):
    result = drive(flaky_server, ["/ok", "/broken"], clients=3, seconds=0.3)
    ok, broken = result.pages["/ok"], result.pages["/broken"]
    assert ok["requests"] > 0 and ok["errors"] == 0
    assert broken["requests"] > 0 and broken["errors"] == broken["requests"]
    assert result.errors == broken["requests"]
    assert result.requests == ok["requests"] + broken["requests"]
    assert result.statuses == {200: ok["requests"], 500: broken["requests"]}
    assert 0 < result.p50_ms <= result.p95_ms <= result.p99_ms
    assert result.error_samples[0] == "/broken: HTTP 500"


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
    call_command("loadtest_public", clients=5, seconds=3, gunicorn_workers=2, any_backend=True)
    out = capsys.readouterr().out
    assert "errors 0" in out
    for path in public_paths():
        assert path in out
