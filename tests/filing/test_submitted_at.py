"""AnnualReport.submitted_at: the latest submission, as the audit trail's report.submitted events
say it; set by the workflow, and filled from the events for reports that existed before."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from filing.models import AnnualReport, AuditEvent
from filing.services.workflow import report_transition
from filing.workflow import Status
from public import services as public_services
from review import services as review_services
from tests.support.factories import make_report, system_admin

pytestmark = pytest.mark.django_db


def latest_submission(report) -> datetime.datetime:
    return AuditEvent.objects.filter(report=report, action="report.submitted").latest("at").at


def close(a: datetime.datetime, b: datetime.datetime) -> bool:
    return abs(a - b) < datetime.timedelta(seconds=5)


def test_each_submission_sets_it_and_the_other_transitions_keep_it(town, supervisor):
    report = make_report(town, 2023)
    assert report.submitted_at is None
    admin = system_admin()
    report = report_transition(report=report, to_status=Status.SUBMITTED, acting_user=admin)
    first = report.submitted_at
    assert first is not None and close(first, latest_submission(report))

    report = review_services.report_return(report=report, acting_user=supervisor, comment="补")
    assert report.submitted_at == first
    report = report_transition(report=report, to_status=Status.SUBMITTED, acting_user=admin)
    second = report.submitted_at
    assert second > first and close(second, latest_submission(report))

    report = review_services.report_approve(report=report, acting_user=supervisor)
    report = public_services.report_publish(
        report=report, acting_user=admin, published_on=datetime.date(2024, 1, 20)
    )
    report = review_services.report_reopen(report=report, acting_user=supervisor, reason="更正")
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    assert report.submitted_at == second


def test_the_migration_fills_each_report_with_its_latest_submission_event(town, other_town, city):
    twice, once, never = (make_report(o, 2023) for o in (town, other_town, city))
    when = [timezone.make_aware(datetime.datetime(2024, 1, d, 9)) for d in (2, 3, 4)]
    events = [
        AuditEvent(report=twice, action="report.submitted", to_status=Status.SUBMITTED),
        AuditEvent(report=twice, action="report.submitted", to_status=Status.SUBMITTED),
        AuditEvent(report=once, action="report.submitted", to_status=Status.SUBMITTED),
        AuditEvent(report=never, action="report.start"),
        # A later event of another kind is not a submission.
        AuditEvent(report=once, action="report.returned", to_status=Status.RETURNED),
    ]
    AuditEvent.objects.bulk_create(events)
    for event, at in zip(events, [when[2], when[0], when[1], when[2], when[2]], strict=True):
        AuditEvent.objects.filter(pk=event.pk).update(at=at)

    migration = importlib.import_module("filing.migrations.0007_annualreport_submitted_at")
    migration.fill_submitted_at(apps, None)

    filled = dict(AnnualReport.objects.values_list("pk", "submitted_at"))
    assert filled == {twice.pk: when[2], once.pk: when[1], never.pk: None}
