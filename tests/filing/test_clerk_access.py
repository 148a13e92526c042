"""Every clerk URL of an organ: 404 for another organ's clerk, login for the anonymous."""

import pytest
from django.urls import reverse

from filing import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(clerk, town):
    return services.report_start(organ=town, year=2022, acting_user=clerk)


REPORT_URLS = ["reports:report_edit", "reports:report_submit"]


@pytest.mark.parametrize("url_name", REPORT_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_clerk_of_another_organ_gets_404(client, other_clerk, report, url_name, method):
    client.force_login(other_clerk)
    response = getattr(client, method)(reverse(url_name, kwargs={"pk": report.pk}))
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.version == 1 and report.status == "draft"


@pytest.mark.parametrize("url_name", REPORT_URLS)
def test_a_supervisor_does_not_use_the_clerk_pages(client, supervisor, report, url_name):
    client.force_login(supervisor)
    assert client.get(reverse(url_name, kwargs={"pk": report.pk})).status_code == 404


@pytest.mark.parametrize("url_name", REPORT_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_redirected_to_login(client, report, url_name, method):
    url = reverse(url_name, kwargs={"pk": report.pk})
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_cannot_start_a_report(client, town):
    response = client.post(reverse("reports:report_start"), {"organ": town.pk, "year": 2022})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_workspace_of_a_user_without_an_organ_says_so(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("reports:workspace"))
    assert "还没有分配填报机关" in response.content.decode()
