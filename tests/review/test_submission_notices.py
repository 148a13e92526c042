"""A clerk's submission tells the region's supervisors: an e-mail and an unread count."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import formats
from filing import services
from filing.workflow import Status
from organs.models import Membership
from review.models import SubmissionNotice

pytestmark = pytest.mark.django_db
BADGE = 'class="unread-count"'


@pytest.fixture
def supervisor_with_email(supervisor):
    supervisor.email = "supervisor@jinjiang.gov.cn"
    supervisor.save()
    return supervisor


@pytest.fixture
def far_supervisor(django_user_model, outside_town):
    user = django_user_model.objects.create_user(
        username="far", password="pw", email="far@shishi.gov.cn"
    )
    Membership.objects.create(user=user, role=Membership.Role.SUPERVISOR, organ=outside_town)
    return user


def _draft(clerk, organ, year=2023):
    report = services.report_start(organ=organ, year=year, acting_user=clerk)
    return services.report_save(
        report=report,
        acting_user=clerk,
        expected_version=report.version,
        prose={"overview": "概述"},
        figures={formats.SECTION4: [0] * 15},
    )


def _submit(client, report, capture):
    with capture(execute=True):
        response = client.post(reverse("reports:report_submit", kwargs={"pk": report.pk}), {})
    assert response.status_code == 302, response.content.decode()[:500]
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def _header(client) -> str:
    return client.get(reverse("reports:workspace")).content.decode()


def test_a_submission_mails_the_region_supervisors_only(
    client, clerk, town, supervisor_with_email, far_supervisor, django_capture_on_commit_callbacks
):
    client.force_login(clerk)
    report = _draft(clerk, town)
    _submit(client, report, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["supervisor@jinjiang.gov.cn"]
    assert "紫帽镇" in message.subject and "已提交" in message.subject
    assert reverse("reports:review_detail", kwargs={"pk": report.pk}) in message.body
    assert not SubmissionNotice.objects.filter(user=far_supervisor).exists()


def test_the_header_counts_unseen_submissions_until_the_queue_is_opened(
    client, clerk, other_clerk, town, other_town, supervisor, django_capture_on_commit_callbacks
):
    for who, organ in ((clerk, town), (other_clerk, other_town)):
        client.force_login(who)
        _submit(client, _draft(who, organ), django_capture_on_commit_callbacks)

    client.force_login(supervisor)
    header = _header(client)
    assert BADGE in header and ">2<" in header

    queue = client.get(reverse("reports:review_queue")).content.decode()
    assert BADGE not in queue  # opening the queue marks them seen
    assert BADGE not in _header(client)
    assert SubmissionNotice.objects.filter(user=supervisor, seen_at=None).count() == 0


def test_the_clerk_sees_no_count_and_the_count_costs_one_query(
    client, clerk, town, supervisor, django_capture_on_commit_callbacks
):
    client.force_login(clerk)
    _submit(client, _draft(clerk, town), django_capture_on_commit_callbacks)
    assert BADGE not in _header(client)

    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as queries:
        _header(client)
    counting = [q for q in queries.captured_queries if "review_submissionnotice" in q["sql"]]
    assert len(counting) == 1


def test_a_mail_outage_does_not_undo_the_submission(
    client, clerk, town, supervisor_with_email, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("review.notifications.send_mail", broken)
    client.force_login(clerk)
    report = _draft(clerk, town)
    _submit(client, report, django_capture_on_commit_callbacks)
    assert SubmissionNotice.objects.filter(user=supervisor_with_email, report=report).exists()
