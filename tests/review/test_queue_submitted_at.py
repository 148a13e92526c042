"""The review queue's order comes from AnnualReport.submitted_at, not from the audit events:
the same order as before (never submitted first, then oldest latest submission, then id)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from filing.models import AnnualReport, AuditEvent
from filing.workflow import Status
from organs.models import Organ
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db


def test_the_queue_orders_by_submitted_at_and_reads_no_audit_events(client, supervisor, town):
    organs = [town] + [
        Organ.objects.create(name=f"镇{i}", slug=f"t{i}", kind="town", parent=town.parent)
        for i in range(3)
    ]
    late, early, unknown, tied = (make_report(o, 2023, Status.SUBMITTED) for o in organs)
    when = timezone.make_aware(datetime.datetime(2024, 1, 5, 9))
    AnnualReport.objects.filter(pk=late.pk).update(submitted_at=when)
    AnnualReport.objects.filter(pk__in=[early.pk, tied.pk]).update(
        submitted_at=when - datetime.timedelta(days=1)
    )

    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as captured:
        queue = client.get(reverse("reports:review_queue")).context["submitted"]
    # No submission time (made without the workflow) first, then by time, then by id.
    assert [r.pk for r in queue] == [unknown.pk, *sorted([early.pk, tied.pk]), late.pk]
    assert queue[-1].submitted_at == when
    assert not [q for q in captured.captured_queries if "auditevent" in q["sql"].lower()]


def test_a_generated_dataset_gives_its_submitted_reports_their_submission_time():
    call_command(
        "generate_dataset", "--organs", "12", "--years", "2", "--last-year", "2021",
        "--seed", "5", "--workers", "1", stdout=StringIO(),
    )  # fmt: skip
    events = AuditEvent.objects.filter(action="report.submitted")
    latest = {}
    for report_id, at in events.order_by("at", "id").values_list("report_id", "at"):
        latest[report_id] = at
    assert latest  # some generated reports were submitted
    stored = dict(AnnualReport.objects.values_list("pk", "submitted_at"))
    assert stored == {pk: latest.get(pk) for pk in stored}
    pending = AnnualReport.objects.filter(status__in=[Status.SUBMITTED, Status.APPROVED])
    assert not pending.filter(submitted_at__isnull=True).exists()
