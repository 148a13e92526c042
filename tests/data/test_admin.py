"""Every model's admin changelist and add page load for a superuser."""

import pytest
from django.contrib import admin
from django.urls import reverse

from core import formats
from filing.figures import figures_set
from filing.models import AnnualReport, AuditEvent, Finding

pytestmark = pytest.mark.django_db

PORTAL_APPS = {"organs", "filing", "review", "public"}
REPORT_MODELS = [m for m in admin.site._registry if m._meta.app_label in PORTAL_APPS]


@pytest.fixture
def populated(town, clerk):
    report = AnnualReport.objects.create(organ=town, year=2023, edition=formats.EDITION_2021)
    figures_set(report=report, figures={"section3": {"一": [1, 0, 0, 0, 0, 0, 1]}})
    Finding.objects.create(report=report, code="s3.total", message="总计不等于各列之和")
    AuditEvent.objects.create(report=report, actor=clerk, action="create", to_status="draft")
    return report


def test_all_domain_models_are_registered():
    names = {m.__name__ for m in REPORT_MODELS}
    assert names >= {
        "Organ",
        "AnnualReport",
        "Figure",
        "Attachment",
        "ParseRun",
        "Finding",
        "AuditEvent",
        "Membership",
    }


@pytest.mark.parametrize("model", REPORT_MODELS, ids=lambda m: m.__name__)
def test_changelist_loads_with_rows_and_search(admin_client, populated, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "紫帽"}).status_code == 200


def test_report_change_page_shows_figure_and_finding_inlines(admin_client, populated):
    url = reverse("admin:filing_annualreport_change", args=[populated.pk])
    html = admin_client.get(url).content.decode()
    assert "总计不等于各列之和" in html
    assert "自然人" in html


def test_audit_events_are_read_only_in_the_admin(admin_client, populated):
    event = AuditEvent.objects.get()
    url = reverse("admin:filing_auditevent_delete", args=[event.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.count() == 1


def test_clerk_without_staff_flag_cannot_open_the_admin(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("admin:filing_annualreport_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_addresses_from_before_the_app_split_redirect(admin_client, populated):
    """Bookmarks of /admin/reports/<model>/… lead to the model's page in its feature app."""
    response = admin_client.get(f"/admin/reports/annualreport/{populated.pk}/change/")
    assert response.status_code == 301
    assert response["Location"] == f"/admin/filing/annualreport/{populated.pk}/change/"
    assert admin_client.get("/admin/reports/organ/")["Location"] == "/admin/organs/organ/"
    assert admin_client.get("/admin/reports/nosuchmodel/").status_code == 404
