"""In the admin a report's status is read-only; it moves only through the workflow's actions,
which write the audit trail and (for 发布) build the Publication the public page reads."""

import pytest
from django.urls import reverse

from filing.models import AnnualReport, AuditEvent
from filing.workflow import Status
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(town):
    return make_report(town, 2023, Status.SUBMITTED, overview="总体情况")


def change_url(report) -> str:
    return reverse("admin:filing_annualreport_change", args=[report.pk])


def test_the_change_form_has_no_status_field_and_a_posted_status_is_ignored(
    admin_client, submitted
):
    page = admin_client.get(change_url(submitted))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "status" not in form.fields
    assert "current_publication" not in form.fields
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update({"organ": submitted.organ_id, "year": 2023, "status": Status.PUBLISHED})
    for prefix in ("figures", "findings"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    admin_client.post(change_url(submitted), data)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert not AuditEvent.objects.filter(report=submitted, to_status=Status.PUBLISHED).exists()


def test_the_changelist_cannot_edit_status_inline(admin_client, submitted):
    page = admin_client.get(reverse("admin:filing_annualreport_changelist"))
    assert page.status_code == 200
    assert not page.context["cl"].list_editable or "status" not in page.context["cl"].list_editable
    assert 'name="form-0-status"' not in page.content.decode()


def test_approve_then_publish_actions_go_through_the_services_and_the_audit_trail(
    admin_client, submitted, client
):
    url = reverse("admin:filing_annualreport_changelist")
    for action in ("approve_reports", "publish_reports"):
        response = admin_client.post(
            url, {"action": action, "_selected_action": [submitted.pk]}, follow=True
        )
        assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == Status.PUBLISHED
    assert submitted.current_publication is not None
    actions = list(
        AuditEvent.objects.filter(report=submitted)
        .order_by("pk")
        .values_list("to_status", flat=True)
    )
    assert Status.APPROVED in actions and Status.PUBLISHED in actions
    public = client.get(
        reverse("reports:report_detail", kwargs={"slug": submitted.organ.slug, "year": 2023})
    )
    assert public.status_code == 200


def test_publishing_a_draft_from_the_admin_is_refused(admin_client, town):
    draft = make_report(town, 2022, Status.DRAFT)
    admin_client.post(
        reverse("admin:filing_annualreport_changelist"),
        {"action": "publish_reports", "_selected_action": [draft.pk]},
    )
    assert AnnualReport.objects.get(pk=draft.pk).status == Status.DRAFT
