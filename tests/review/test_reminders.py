"""Daily deadline reminders: who gets one, once a day, and the Celery beat entry."""

import datetime

import pytest
from celery.schedules import crontab
from django.core import mail

from filing.models import AuditEvent
from filing.workflow import Status
from organs.models import Membership
from review.models import Deadline
from review.notifications import deadline_reminders_send
from review.tasks import send_deadline_reminders
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerks(clerk, other_clerk, outside_town, django_user_model):
    """Clerks with addresses for 紫帽镇, 英林镇 and the town outside the region."""
    clerk.email = "clerk@zimao.example"
    clerk.save()
    other_clerk.email = "clerk@yinglin.example"
    other_clerk.save()
    outside = django_user_model.objects.create_user("outside", email="clerk@baogai.example")
    Membership.objects.create(user=outside, role=Membership.Role.CLERK, organ=outside_town)
    return clerk, other_clerk, outside


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_unpublished_reports_due_within_7_days_are_reminded(clerks, town, other_town):
    make_report(town, 2023, Status.DRAFT)
    make_report(other_town, 2023, Status.PUBLISHED, published_on=datetime.date(2024, 1, 20))
    # The town outside the region has not started: it is due too.
    assert deadline_reminders_send(today=datetime.date(2024, 1, 27)) == 2
    assert recipients() == ["clerk@baogai.example", "clerk@zimao.example"]
    message = next(m for m in mail.outbox if m.to == ["clerk@zimao.example"])
    assert "即将到期" in message.subject
    assert "2024-01-31" in message.body
    assert "还有 4 天" in message.body
    assert "草稿" in message.body
    assert "/workspace/" in message.body


def test_nothing_is_sent_while_the_deadline_is_more_than_7_days_away(clerks, town):
    assert deadline_reminders_send(today=datetime.date(2024, 1, 23)) == 0
    assert deadline_reminders_send(today=datetime.date(2024, 1, 24)) == 3
    assert mail.outbox


def test_overdue_reports_are_reminded_with_the_days_late(clerks, town):
    make_report(town, 2023, Status.SUBMITTED)
    deadline_reminders_send(today=datetime.date(2024, 3, 1))
    message = next(m for m in mail.outbox if m.to == ["clerk@zimao.example"])
    assert "已逾期" in message.subject
    assert "已逾期 30 天" in message.body
    assert "已提交" in message.body


def test_a_regions_own_deadline_decides(clerks, city, town):
    Deadline.objects.create(organ=city, year=2023, due_on=datetime.date(2024, 1, 15))
    deadline_reminders_send(today=datetime.date(2024, 1, 10))
    # The region's towns are due on 15 January; the town outside keeps 31 January.
    assert recipients() == ["clerk@yinglin.example", "clerk@zimao.example"]


def test_a_second_run_the_same_day_sends_nothing_and_the_next_day_sends_again(clerks, town):
    today = datetime.date(2024, 2, 2)
    assert deadline_reminders_send(today=today) == 3
    assert deadline_reminders_send(today=today) == 0
    assert len(mail.outbox) == 3
    events = AuditEvent.objects.filter(action="reminder.sent")
    assert events.count() == 3
    assert {e.data["date"] for e in events} == {"2024-02-02"}
    assert deadline_reminders_send(today=today + datetime.timedelta(days=1)) == 3


def test_organs_without_a_clerk_address_are_skipped_and_retried_later(clerk, town):
    assert deadline_reminders_send(today=datetime.date(2024, 2, 2)) == 0
    assert not AuditEvent.objects.filter(action="reminder.sent").exists()
    clerk.email = "clerk@zimao.example"
    clerk.save()
    assert deadline_reminders_send(today=datetime.date(2024, 2, 2)) == 1


def test_the_celery_task_sends_todays_reminders(clerks, monkeypatch):
    monkeypatch.setattr(
        "review.notifications.timezone.localdate", lambda *a, **k: datetime.date(2024, 1, 30)
    )
    assert send_deadline_reminders.delay().get() == 3


def test_beat_runs_the_reminders_daily_at_8(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-deadline-reminders"]
    assert entry["task"] == send_deadline_reminders.name == "reports.send_deadline_reminders"
    assert entry["schedule"] == crontab(hour=8, minute=0)
