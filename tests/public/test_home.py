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
def test_home_page_leads_staff_to_their_work_and_visitors_to_login(client, clerk, admin_user):
    # The fixed parts are rendered once per process; the staff links are each visitor's.
    assert 'href="/accounts/login/"' in client.get("/").content.decode()
    client.force_login(clerk)
    html = client.get("/").content.decode()
    assert "进入工作台" in html and "进入管理后台" not in html
    assert "工作人员登录" not in html and "搜索报告全文" in html
    client.force_login(admin_user)
    assert "进入管理后台" in client.get("/").content.decode()
    client.logout()
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "工作人员登录" not in html and "搜索报告全文" not in html
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
