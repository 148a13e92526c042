"""Who reaches the review pages: every review URL against every role."""

import pytest
from django.urls import reverse

from filing import services
from filing.models import AuditEvent
from filing.workflow import Status
from organs.models import Membership
from review.models import ReviewComment
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def outside_supervisor(django_user_model, outside_town):
    """A supervisor of another region (石狮市宝盖镇)."""
    user = django_user_model.objects.create_user(username="outside_supervisor", password="pw")
    Membership.objects.create(user=user, role=Membership.Role.SUPERVISOR, organ=outside_town)
    return user


@pytest.fixture
def report(town):
    report = make_report(town, 2023, Status.SUBMITTED)
    services.attachment_add(data=b"2023 report", original_name="report.txt", report=report)
    return report


def review_urls(report) -> list[tuple[str, str, dict]]:
    """(method, url, data) of every review URL, with data the action would accept."""
    attachment = report.attachments.get()

    def u(name, **kwargs):
        return reverse(f"reports:{name}", kwargs={"pk": report.pk, **kwargs})

    return [
        ("get", u("review_detail"), {}),
        ("get", u("review_attachment", attachment_id=attachment.pk), {}),
        ("post", u("review_return"), {"return-comment": "退回"}),
        ("post", u("review_approve"), {"approve-comment": ""}),
        ("post", u("review_publish"), {"publish-published_on": "2024-01-20"}),
        ("post", u("review_reopen"), {"reopen-reason": "更正"}),
        ("post", u("review_comment"), {"comment-body": "意见", "comment-cell": ""}),
    ]


@pytest.mark.parametrize("persona", ["clerk", "other_clerk", "outside_supervisor"])
def test_clerks_and_other_regions_supervisors_get_nothing_from_any_review_url(
    client, request, persona, report
):
    client.force_login(request.getfixturevalue(persona))
    events = AuditEvent.objects.filter(report=report).count()
    for method, url, data in review_urls(report):
        response = getattr(client, method)(url, data)
        assert response.status_code in (403, 404), (url, response.status_code)
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert AuditEvent.objects.filter(report=report).count() == events
    assert not ReviewComment.objects.exists()


@pytest.mark.parametrize("persona", ["clerk", "other_clerk"])
def test_a_clerk_has_no_review_queue_and_no_review_link(client, request, persona, report):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("reports:review_queue")).status_code == 403
    page = client.get(reverse("reports:workspace")).content.decode()
    assert reverse("reports:review_queue") not in page


def test_another_regions_supervisor_sees_an_empty_queue_of_their_own(
    client, outside_supervisor, report
):
    client.force_login(outside_supervisor)
    response = client.get(reverse("reports:review_queue"))
    assert response.status_code == 200
    assert list(response.context["submitted"]) == []
    assert report.organ.name not in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, report):
    for method, url, data in [("get", reverse("reports:review_queue"), {}), *review_urls(report)]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login"))


def test_actions_refuse_get(client, supervisor, report):
    client.force_login(supervisor)
    for method, url, _data in review_urls(report):
        if method == "post":
            assert client.get(url).status_code == 405, url


def test_a_portal_admin_reviews_every_region(client, portal_admin, report, outside_town):
    outside = make_report(outside_town, 2023, Status.SUBMITTED)
    client.force_login(portal_admin)
    queue = client.get(reverse("reports:review_queue"))
    assert {r.pk for r in queue.context["submitted"]} == {report.pk, outside.pk}
    assert reverse("reports:review_queue") in queue.content.decode()  # the nav link
    detail = reverse("reports:review_detail", kwargs={"pk": outside.pk})
    assert client.get(detail).status_code == 200


def test_the_supervisor_sees_only_their_region(client, supervisor, report, outside_town):
    outside = make_report(outside_town, 2023, Status.SUBMITTED)
    client.force_login(supervisor)
    queue = client.get(reverse("reports:review_queue"))
    assert [r.pk for r in queue.context["submitted"]] == [report.pk]
    assert reverse("reports:review_queue") in queue.content.decode()
    detail = reverse("reports:review_detail", kwargs={"pk": outside.pk})
    assert client.get(detail).status_code == 404
    approve = reverse("reports:review_approve", kwargs={"pk": outside.pk})
    assert client.post(approve, {}).status_code == 404
    outside.refresh_from_db()
    assert outside.status == Status.SUBMITTED
