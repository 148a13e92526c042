"""The home page and the health check."""

import os

import pytest
from django.core.cache import cache
from django.db import connection


@pytest.mark.django_db
def test_home_page_is_chinese_and_links_to_login(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "政府信息公开工作年度报告" in html
    assert 'href="/accounts/login/"' in html


@pytest.mark.django_db
def test_home_page_speaks_english_when_asked(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"db": True, "cache": True}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_says_503_when_the_cache_is_down(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"db": True, "cache": False}
    assert connection.is_usable()


@pytest.mark.django_db
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_healthz_reaches_redis_when_it_is_the_cache(client, settings):
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "portal-test",
        }
    }
    try:
        response = client.get("/healthz")
        assert response.json() == {"db": True, "cache": True}
        assert caches["default"].__class__.__name__ == "RedisCache"
    finally:
        caches["default"].close()
