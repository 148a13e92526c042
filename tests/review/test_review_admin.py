"""The admin's approve and publish actions go through the review services."""

import pytest
from django.urls import reverse

from filing.models import AuditEvent
from filing.workflow import Status
from public.models import Publication
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db


def run_action(client, action, *reports):
    return client.post(
        reverse("admin:filing_annualreport_changelist"),
        {"action": action, "_selected_action": [r.pk for r in reports]},
        follow=True,
    )


def test_an_admin_approves_and_publishes_from_the_report_list(admin_client, town, other_town):
    ready = make_report(town, 2023, Status.SUBMITTED)
    draft = make_report(other_town, 2023, Status.DRAFT)

    response = run_action(admin_client, "approve_reports", ready, draft)
    page = response.content.decode()
    assert "已审核通过 1 份报告。" in page
    assert "报告不能从“草稿”改为“已审核”。" in page
    ready.refresh_from_db()
    draft.refresh_from_db()
    assert (ready.status, draft.status) == (Status.APPROVED, Status.DRAFT)

    response = run_action(admin_client, "publish_reports", ready)
    assert "已发布 1 份报告。" in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == Status.PUBLISHED
    assert Publication.objects.get(report=ready).number == 1
    actions = list(
        AuditEvent.objects.filter(report=ready)
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == ["report.approved", "report.published", "report.publication"]
