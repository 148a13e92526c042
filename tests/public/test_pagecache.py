"""The public page cache: anonymous visitors get cached pages until the next publication."""

import gzip

import pytest
from django.db import models
from django.urls import reverse

from filing.workflow import Status
from organs.models import Organ
from public import services as public_services
from review import services as review_services
from tests.support.factories import make_report, system_admin

pytestmark = pytest.mark.django_db

PUBLIC_URLS = ("/reports/", "/reports/zimao/2023/", "/organs/zimao/", "/stats/", "/api/reports/")


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PORTAL_PAGE_CACHE = True


def test_a_second_anonymous_visit_is_served_from_the_cache(
    client, town, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_report(town, 2023, Status.PUBLISHED, overview="第一版")
    for url in PUBLIC_URLS:
        first = client.get(url)
        assert first.status_code == 200, url
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again.content == first.content, url
        assert again["Content-Type"] == first["Content-Type"]
        assert "Content-Security-Policy" in again  # middleware still runs on a hit


def test_a_cached_page_is_sent_gzipped_to_clients_that_accept_it(client, town):
    make_report(town, 2023, Status.PUBLISHED, overview="第一版总体情况")
    plain = client.get("/reports/zimao/2023/")  # fills the cache
    zipped = client.get("/reports/zimao/2023/", headers={"accept-encoding": "gzip, deflate, br"})
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 3
    assert "Accept-Encoding" in zipped["Vary"] and "Accept-Encoding" in plain["Vary"]
    again = client.get("/reports/zimao/2023/", headers={"accept-encoding": "identity"})
    assert again.content == plain.content and not again.has_header("Content-Encoding")


def test_publishing_a_correction_refreshes_every_cached_page(
    client, town, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(town, 2023, Status.PUBLISHED, overview="第一版总体情况")
    assert "第一版总体情况" in client.get("/reports/zimao/2023/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        review_services.report_reopen(report=report, acting_user=supervisor, reason="更正")
        report.overview = "第二版总体情况"
        report.status = Status.APPROVED
        report.save()
    # Reopened and edited, but not yet published: the cached published page is still right.
    assert "第一版总体情况" in client.get("/reports/zimao/2023/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        public_services.report_publish(
            report=report, acting_user=system_admin(), correction_note="更正总体情况"
        )
    page = client.get("/reports/zimao/2023/").content.decode()
    assert "第二版总体情况" in page and "更正总体情况" in page


def test_renaming_an_organ_refreshes_the_cached_pages(client, town):
    make_report(town, 2023, Status.PUBLISHED)
    assert "紫帽镇" in client.get("/organs/zimao/").content.decode()
    # Behind the ORM (an update(name=...) says organs_renamed): the cached page stays.
    models.QuerySet.update(Organ.objects.filter(pk=town.pk), name="x")
    assert "紫帽镇" in client.get("/organs/zimao/").content.decode()
    town.name, town.short_name = "晋江市新紫帽镇人民政府", "新紫帽镇"
    town.save()
    assert "新紫帽镇" in client.get("/organs/zimao/").content.decode()


def test_logged_in_users_and_missing_pages_are_never_cached(client, clerk, town):
    make_report(town, 2023, Status.DRAFT)
    assert client.get("/reports/zimao/2023/").status_code == 404
    make_report(town, 2022, Status.PUBLISHED)
    client.force_login(clerk)
    assert "退出" in client.get(reverse("reports:report_list")).content.decode()
    client.logout()
    assert "退出" not in client.get(reverse("reports:report_list")).content.decode()


def test_languages_are_cached_apart(client, town):
    make_report(town, 2023, Status.PUBLISHED)
    chinese = client.get("/reports/").content.decode()
    client.get(reverse("reports:language_switch", args=["en"]), {"next": "/"})
    english = client.get("/reports/").content.decode()
    assert chinese != english and "Published annual reports" in english


def test_a_page_showing_a_visitors_messages_is_not_cached(client, town):
    from django.contrib.messages import get_messages

    from public.pagecache import _cacheable_response

    make_report(town, 2023, Status.PUBLISHED)
    request = client.get("/reports/").wsgi_request
    assert _cacheable_response(request, client.get("/reports/"))
    list(get_messages(request))  # the template iterated the messages
    assert not _cacheable_response(request, client.get("/reports/"))
