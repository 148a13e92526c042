"""PageCacheMiddleware: anonymous cache hits answered before the rest of the middleware."""

import pytest
from django.conf import settings
from django.test import Client

from filing.workflow import Status
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db

PAGES = ("/", "/reports/", "/reports/zimao/2023/", "/organs/zimao/", "/stats/?year=2023")
# The headers a hit must repeat; the test client's own (none) and Content-Length aside.
GZIP = {"accept-encoding": "gzip, deflate"}


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PORTAL_PAGE_CACHE = True


@pytest.fixture
def published(town):
    return make_report(town, 2023, Status.PUBLISHED, overview="第一版总体情况")


def _served_early(response) -> bool:
    # SessionMiddleware, inside PageCacheMiddleware, gives every request it sees a session.
    return not hasattr(response.wsgi_request, "session")


@pytest.mark.parametrize("headers", [{}, GZIP, {"accept-language": "en"}])
@pytest.mark.parametrize("url", PAGES)
def test_a_hit_is_answered_early_with_the_misses_headers_and_body(client, published, url, headers):
    miss = client.get(url, headers=headers)
    hit = client.get(url, headers=headers)
    assert miss.status_code == hit.status_code == 200
    assert not _served_early(miss) and _served_early(hit)
    assert dict(hit.items()) == dict(miss.items())
    assert hit.content == miss.content
    for name in ("Content-Security-Policy", "X-Frame-Options", "Content-Language", "Vary"):
        assert hit.has_header(name), name
    assert {"Accept-Encoding", "Accept-Language", "Cookie"} <= set(hit["Vary"].split(", "))


def test_a_miss_is_sent_gzipped_to_a_client_that_takes_it(client, published):
    miss = client.get("/reports/zimao/2023/", headers=GZIP)
    assert miss["Content-Encoding"] == "gzip"
    assert int(miss["Content-Length"]) == len(miss.content)


def test_the_language_is_chosen_as_locale_middleware_chooses_it(client, published):
    chinese = client.get("/reports/").content.decode()
    english = client.get("/reports/", headers={"accept-language": "en"})
    assert (
        _served_early(english) is False and "Published annual reports" in english.content.decode()
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    by_cookie = client.get("/reports/", headers={"accept-language": "zh-hans"})
    assert _served_early(by_cookie) and by_cookie.content == english.content
    assert by_cookie["Content-Language"] == "en"
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    again = client.get("/reports/")
    assert _served_early(again) and again.content.decode() == chinese


def test_a_logged_in_visitor_never_gets_a_cached_page(client, clerk, published):
    anonymous = client.get("/reports/zimao/2023/")
    assert _served_early(client.get("/reports/zimao/2023/"))
    client.force_login(clerk)
    page = client.get("/reports/zimao/2023/")
    assert not _served_early(page) and page.wsgi_request.user == clerk
    assert "退出" in page.content.decode() and "退出" not in anonymous.content.decode()
    # Nor does what a logged-in visitor was shown reach anyone else.
    client.logout()
    assert "退出" not in Client().get("/reports/zimao/2023/").content.decode()


def test_an_anonymous_session_or_waiting_message_goes_through_the_whole_stack(client, published):
    client.get("/reports/")
    with_session = Client()
    with_session.cookies[settings.SESSION_COOKIE_NAME] = "anything"
    with_messages = Client()
    with_messages.cookies["messages"] = "anything"
    for other in (with_session, with_messages):
        response = other.get("/reports/")
        assert response.status_code == 200 and not _served_early(response)


def test_a_disallowed_host_is_refused_even_on_a_cached_page(client, published):
    client.get("/reports/")
    assert client.get("/reports/", headers={"host": "evil.example"}).status_code == 400


def test_the_throttled_api_is_never_answered_before_its_throttle(client, published):
    client.get("/api/reports/")
    again = client.get("/api/reports/")
    assert again.status_code == 200 and not _served_early(again)


def test_a_publication_makes_an_early_hit_stale(
    client, town, supervisor, django_capture_on_commit_callbacks
):
    from public import services as public_services
    from review import services as review_services
    from tests.support.factories import system_admin

    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(town, 2023, Status.PUBLISHED, overview="第一版总体情况")
    client.get("/reports/zimao/2023/")
    assert _served_early(client.get("/reports/zimao/2023/"))
    with django_capture_on_commit_callbacks(execute=True):
        review_services.report_reopen(report=report, acting_user=supervisor, reason="更正")
        report.overview, report.status = "第二版总体情况", Status.APPROVED
        report.save()
        public_services.report_publish(
            report=report, acting_user=system_admin(), correction_note="更正总体情况"
        )
    fresh = client.get("/reports/zimao/2023/")
    assert not _served_early(fresh) and "第二版总体情况" in fresh.content.decode()


def test_a_miss_reads_the_cache_once(client, published, monkeypatch):
    from public import pagecache

    calls = []
    lookup = pagecache._lookup
    monkeypatch.setattr(pagecache, "_lookup", lambda *a: calls.append(a) or lookup(*a))
    assert client.get("/reports/zimao/2023/").status_code == 200
    assert len(calls) == 1


def test_an_entry_stored_through_the_whole_stack_is_answered_early_once_seen_again(published):
    with_session = Client()
    with_session.cookies[settings.SESSION_COOKIE_NAME] = "anything"
    first = with_session.get("/organs/zimao/")
    visitor = Client()
    second = visitor.get("/organs/zimao/")  # the decorator's hit, which adds final headers
    third = visitor.get("/organs/zimao/")
    assert not _served_early(second) and _served_early(third)
    assert first.content == second.content == third.content
    assert dict(third.items()) == dict(second.items())
