"""Settings come from the environment, with safe production defaults."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV_KEYS = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "MEDIA_ROOT")
PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "DB_NAME": str(settings.DATABASES["default"]["NAME"]),
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "EAGER": settings.CELERY_TASK_ALWAYS_EAGER,
    "BROKER": settings.CELERY_BROKER_URL,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    "MAX_UPLOAD": settings.PORTAL_MAX_UPLOAD_BYTES,
    "SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "TIME_LIMITS": [settings.CELERY_TASK_TIME_LIMIT, settings.CELERY_TASK_SOFT_TIME_LIMIT],
}))
"""


def run_with_env(args, **env):
    """Run a Python snippet or manage.py under portal.settings with exactly these variables."""
    base = {k: v for k, v in os.environ.items() if k not in ENV_KEYS}
    base["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    base.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


def probe(**env) -> dict:
    code = "import django; django.setup()\n" + PROBE
    result = run_with_env(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_development_defaults_are_sqlite_eager_tasks_and_local_cache():
    got = probe(DEBUG="1")
    assert got["DEBUG"] is True
    assert got["ENGINE"] == "django.db.backends.sqlite3"
    assert got["DB_NAME"] == str(ROOT / "db.sqlite3")
    assert got["CACHE"].endswith("LocMemCache")
    assert got["EAGER"] is True
    assert got["MEDIA_ROOT"] == str(ROOT / "media")
    assert got["MAX_UPLOAD"] == 20 * 1024 * 1024
    assert got["TIME_LIMITS"] == [300, 270]
    assert got["SSL_REDIRECT"] is False


def test_services_and_limits_come_from_the_environment(tmp_path):
    got = probe(
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://u:p@db.internal:5432/portal",
        REDIS_URL="redis://cache.internal:6379/1",
        ALLOWED_HOSTS="a.example.org, b.example.org",
        MEDIA_ROOT=str(tmp_path),
        PORTAL_MAX_UPLOAD_BYTES="1000",
        CELERY_TASK_TIME_LIMIT="60",
        CELERY_TASK_SOFT_TIME_LIMIT="50",
    )
    assert got["DEBUG"] is False
    assert got["ENGINE"] == "django.db.backends.postgresql"
    assert got["DB_NAME"] == "portal"
    assert got["CACHE"].endswith("RedisCache")
    assert got["EAGER"] is False
    assert got["BROKER"] == "redis://cache.internal:6379/1"
    assert got["ALLOWED_HOSTS"] == ["a.example.org", "b.example.org"]
    assert got["MEDIA_ROOT"] == str(tmp_path)
    assert got["MAX_UPLOAD"] == 1000
    assert got["TIME_LIMITS"] == [60, 50]
    assert got["SSL_REDIRECT"] is True


def test_without_a_secret_key_each_process_gets_a_random_one_and_a_warning():
    # Command-line tools (parse_report) must run unconfigured, never with a known key.
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECRET_KEY)"
    )
    first, second = run_with_env(["-c", code]), run_with_env(["-c", code])
    assert first.returncode == 0, first.stderr
    assert "SECRET_KEY is not set" in first.stderr
    assert first.stdout.strip() != second.stdout.strip()
    assert "insecure" not in first.stdout


def test_deploy_check_is_clean_with_production_settings():
    result = run_with_env(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50)[:50],
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "header, expected",
    [
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
    ],
)
def test_security_headers_are_sent(client, header, expected):
    response = client.get("/")
    assert response[header] == expected


def test_content_security_policy_allows_only_self(client):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    # Container health checks stay on plain HTTP.
    assert client.get("/healthz").status_code == 200


def test_the_web_server_refuses_to_start_without_a_secret_key():
    result = run_with_env(["-c", "import portal.wsgi"])
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    served = run_with_env(["-c", "import portal.wsgi"], SECRET_KEY="k" * 50)
    assert served.returncode == 0, served.stderr
