"""TRACE/OPTIONS answer 405; the statistics cache keeps one entry per valid filter set; a login
over plain HTTP with Secure cookies explains itself; PORTAL_ALLOW_HTTP allows a local trial."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from filing.workflow import Status
from tests.support.factories import make_report

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["trace", "options"])
def test_trace_and_options_answer_405_on_public_pages(client, town, method):
    make_report(town, 2023, Status.PUBLISHED)
    for url in ("/", reverse("reports:stats"), reverse("reports:report_list"),
                reverse("reports:report_detail", kwargs={"slug": town.slug, "year": 2023})):  # fmt: skip
        response = getattr(client, method)(url)
        assert response.status_code == 405, (method, url)
        assert "GET" in response["Allow"]


def page_keys() -> set:
    return {key for key in cache._cache if "page" in key}  # locmem in the test settings


def test_arbitrary_statistics_parameters_do_not_create_cache_entries(client, town, settings):
    settings.PORTAL_PAGE_CACHE = True
    make_report(town, 2023, Status.PUBLISHED)
    url = reverse("reports:stats")
    assert client.get(url).status_code == 200
    baseline = page_keys()
    for index in range(20):
        assert client.get(url, {f"junk{index}": "x" * 50, "year": "abc"}).status_code == 200
        assert client.get(url, {"region": f"no-such-{index}"}).status_code == 200
    assert page_keys() == baseline
    # Valid filters in any order share one entry.
    client.get(url, {"year": 2023, "edition": "2021"})
    client.get(url, {"edition": "2021", "year": 2023, "utm": "x"})
    assert len(page_keys()) == len(baseline) + 1


def test_a_login_over_plain_http_with_secure_cookies_says_why(settings, clerk):
    settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_SECURE = True
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(reverse("login"), {"username": "clerk", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-role="plain-http"' in page
    assert "PORTAL_ALLOW_HTTP=1" in page


def test_a_csrf_failure_over_https_does_not_blame_http(settings, clerk):
    settings.CSRF_COOKIE_SECURE = True
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(reverse("login"), {"username": "clerk"}, secure=True)
    assert response.status_code == 403
    assert 'data-role="plain-http"' not in response.content.decode()


@pytest.mark.parametrize(("allow", "secure"), [("", "True"), ("1", "False")])
def test_portal_allow_http_turns_off_secure_cookies_and_the_redirect(allow, secure):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECURE_SSL_REDIRECT"}}
    env.update(DEBUG="0", SECRET_KEY="s" * 60, PORTAL_ALLOW_HTTP=allow)
    code = (
        "import portal.settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [secure, secure, secure]
