"""Security settings: CSP, framing, cookies, HSTS, login throttling and the deploy check."""

import json
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
CLEAN_ENV = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "AXES_ENABLED")
REQUIRED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


def production(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run python with portal.settings (not the test settings) and exactly these variables."""
    base = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
    base.update(DJANGO_SETTINGS_MODULE="portal.settings", **env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


def production_settings(**env) -> dict:
    names = [
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "X_FRAME_OPTIONS",
        "AXES_ENABLED",
        "AXES_FAILURE_LIMIT",
        "AUTHENTICATION_BACKENDS",
        "MIDDLEWARE",
    ]
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = production("-c", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def csp(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


# ---------------------------------------------------------------- headers


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/no-such-page/"])
def test_every_response_carries_the_content_security_policy(client, path):
    directives = csp(client.get(path))
    for name, value in REQUIRED_CSP.items():
        assert directives[name] == value, name
    assert "unsafe-inline" not in " ".join(directives.values())
    assert "unsafe-eval" not in " ".join(directives.values())


@pytest.mark.django_db
def test_pages_cannot_be_framed(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert csp(response)["frame-ancestors"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_production_cookies_are_secure_http_only_and_hsts_is_on():
    got = production_settings(SECRET_KEY="k" * 50)
    assert got["DEBUG"] is False
    assert got["SESSION_COOKIE_SECURE"] and got["CSRF_COOKIE_SECURE"]
    assert got["SESSION_COOKIE_HTTPONLY"]
    assert got["SECURE_HSTS_SECONDS"] >= 31536000 and got["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert got["X_FRAME_OPTIONS"] == "DENY"
    assert got["AXES_ENABLED"] is True and got["AXES_FAILURE_LIMIT"] == 5
    assert got["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"
    assert got["MIDDLEWARE"][-1] == "axes.middleware.AxesMiddleware"


def test_development_relaxes_only_what_plain_http_needs():
    got = production_settings(DEBUG="1")
    assert not got["SESSION_COOKIE_SECURE"] and not got["CSRF_COOKIE_SECURE"]
    assert got["SECURE_HSTS_SECONDS"] == 0
    assert got["SESSION_COOKIE_HTTPONLY"] and got["AXES_ENABLED"]


def test_deploy_check_is_clean_with_debug_off_and_the_environment_set():
    result = production(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="gk.example.gov.cn",
        CSRF_TRUSTED_ORIGINS="https://gk.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secrets_come_only_from_the_environment():
    source = (ROOT / "portal" / "settings.py").read_text()
    # The only literal key is the development one, used with DEBUG on and no SECRET_KEY set.
    assert re.findall(r'SECRET_KEY = "([^"]+)"', source) == [
        "django-insecure-development-only-key-do-not-use-in-production-0123456789"
    ]
    assert not re.search(r"(postgres|redis)://[^\"'{]*:[^\"'@{]+@", source)  # no password URLs
    key = secrets.token_urlsafe(40)
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    assert production("-c", code, SECRET_KEY=key).stdout.strip() == key


# ---------------------------------------------------------------- login throttling


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    yield
    AccessAttempt.objects.all().delete()


def login(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_username_from_that_address(throttled, clerk):
    client = Client()
    for _ in range(4):
        response = login(client, "clerk", "wrong")
        assert response.status_code == 200 and "正确的用户名和密码" in response.content.decode()
    locked = login(client, "clerk", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录已暂时锁定" in page and "连续 5 次登录失败" in page and "15 分钟" in page
    # Even the right password is refused while the lock lasts, and no session is made.
    right = login(client, "clerk", "pw-clerk")
    assert right.status_code == 429 and "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lock_is_per_username_and_address_and_ends_after_fifteen_minutes(
    throttled, clerk, other_clerk
):
    for _ in range(5):
        login(Client(), "clerk", "wrong")
    assert login(Client(), "clerk", "pw-clerk").status_code == 429
    # Another address for the same user, or another user from the same address, still works.
    assert login(Client(), "clerk", "pw-clerk", ip="10.0.0.2").status_code == 302
    assert login(Client(), "other_clerk", "pw-other_clerk").status_code == 302
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=16)
        attempt.save()
    assert login(Client(), "clerk", "pw-clerk").status_code == 302


@pytest.mark.django_db
def test_a_successful_login_clears_earlier_failures(throttled, clerk):
    client = Client()
    for _ in range(4):
        login(client, "clerk", "wrong")
    assert login(client, "clerk", "pw-clerk").status_code == 302
    client.logout()
    for _ in range(4):
        assert login(client, "clerk", "wrong").status_code == 200
    assert login(client, "clerk", "pw-clerk").status_code == 302


@pytest.mark.django_db
def test_the_admin_login_is_throttled_too(throttled, portal_admin):
    portal_admin.is_staff = True
    portal_admin.save()
    client = Client()
    url = reverse("admin:login")
    for _ in range(5):
        response = client.post(url, {"username": "portal_admin", "password": "x"})
    assert response.status_code == 429


def test_the_suite_runs_with_throttling_off_unless_a_test_turns_it_on():
    # Client.login() passes no request, which axes refuses; see portal/settings_test.py.
    assert settings.AXES_ENABLED is False
