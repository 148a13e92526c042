"""Accounts and the clerk's workspace: login, the organ's reports, starting a year's report."""

import pytest
from django.core import mail
from django.urls import reverse

from bench.demo import DEMO_ACCOUNTS
from core import formats
from filing import services
from filing.models import AnnualReport, AuditEvent

pytestmark = pytest.mark.django_db


def test_login_page_speaks_chinese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "登录" in body
    assert "忘记密码" in body


def test_login_page_lists_demo_accounts_only_when_debug(client, settings):
    settings.DEBUG = False
    assert DEMO_ACCOUNTS[0].password not in client.get(reverse("login")).content.decode()
    settings.DEBUG = True
    body = client.get(reverse("login")).content.decode()
    assert all(a.username in body and a.password in body for a in DEMO_ACCOUNTS)


def test_login_leads_to_the_workspace(client, clerk):
    response = client.post(reverse("login"), {"username": "clerk", "password": "pw-clerk"})
    assert response.status_code == 302
    assert response.url == reverse("reports:workspace")


def test_logout_is_a_post(client, clerk):
    client.force_login(clerk)
    response = client.post(reverse("logout"))
    assert response.status_code == 200
    assert "已退出" in response.content.decode()
    assert client.get(reverse("reports:workspace")).status_code == 302


def test_password_reset_mails_a_link(client, clerk):
    clerk.email = "clerk@example.org"
    clerk.save()
    response = client.post(reverse("password_reset"), {"email": "clerk@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "重设密码" in mail.outbox[0].subject
    assert "/accounts/reset/" in mail.outbox[0].body


def test_password_change_page_renders_in_chinese(client, clerk):
    client.force_login(clerk)
    body = client.get(reverse("password_change")).content.decode()
    assert "修改密码" in body


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("reports:workspace"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_workspace_lists_only_the_clerks_organ(client, clerk, town, other_town, other_clerk):
    services.report_start(organ=town, year=2022, acting_user=clerk)
    services.report_start(organ=other_town, year=2021, acting_user=other_clerk)
    client.force_login(clerk)
    response = client.get(reverse("reports:workspace"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "紫帽镇" in body and "2022 年度" in body
    assert "英林镇" not in body and "2021 年度" not in body
    assert [r.organ for r in response.context["reports"]] == [town]


def test_workspace_shows_open_findings(client, clerk, town):
    report = services.report_start(organ=town, year=2022, acting_user=clerk)
    services.report_save(
        report=report,
        acting_user=clerk,
        expected_version=report.version,
        prose={},
        figures={formats.SECTION4: [1, 0, 0, 0, 5] + [0] * 10},
    )
    client.force_login(clerk)
    listed = client.get(reverse("reports:workspace")).context["reports"][0]
    assert listed.open_findings == report.findings.filter(severity__in=["error", "warning"]).count()
    assert listed.open_findings >= 1


def test_start_report_creates_a_draft_and_an_audit_event(client, clerk, town):
    client.force_login(clerk)
    response = client.post(reverse("reports:report_start"), {"organ": town.pk, "year": 2022})
    report = AnnualReport.objects.get(organ=town, year=2022)
    assert response.status_code == 302
    assert response.url == reverse("reports:report_edit", kwargs={"pk": report.pk})
    assert report.status == AnnualReport.Status.DRAFT
    assert report.edition == formats.EDITION_2021
    assert AuditEvent.objects.filter(report=report, action="report.start", actor=clerk).exists()


def test_start_report_for_an_old_year_uses_the_2019_edition(client, clerk, town):
    client.force_login(clerk)
    client.post(reverse("reports:report_start"), {"organ": town.pk, "year": 2020})
    assert AnnualReport.objects.get(organ=town, year=2020).edition == formats.EDITION_2019


def test_starting_the_same_year_twice_is_refused(client, clerk, town):
    client.force_login(clerk)
    client.post(reverse("reports:report_start"), {"organ": town.pk, "year": 2022})
    response = client.post(reverse("reports:report_start"), {"organ": town.pk, "year": 2022})
    assert response.status_code == 400
    assert "已经存在" in response.content.decode()
    assert AnnualReport.objects.filter(organ=town, year=2022).count() == 1


def test_a_clerk_cannot_start_a_report_for_another_organ(client, clerk, other_town):
    client.force_login(clerk)
    response = client.post(reverse("reports:report_start"), {"organ": other_town.pk, "year": 2022})
    assert response.status_code == 400
    assert not AnnualReport.objects.filter(organ=other_town).exists()


def test_new_report_carries_last_years_carry_over(clerk, town):
    last = services.report_start(organ=town, year=2021, acting_user=clerk)
    out = [2, 0, 0, 0, 0, 1, 3]
    services.report_save(
        report=last,
        acting_user=clerk,
        expected_version=last.version,
        prose={},
        figures={formats.SECTION3: {"四": out}},
    )
    report = services.report_start(organ=town, year=2022, acting_user=clerk)
    assert report.figures_dict()[formats.SECTION3]["二"] == out


def test_new_report_shows_last_years_stock_as_a_hint(client, clerk, town):
    last = services.report_start(organ=town, year=2021, acting_user=clerk)
    services.report_save(
        report=last,
        acting_user=clerk,
        expected_version=last.version,
        prose={},
        figures={formats.SECTION2: {"行政规范性文件": {"现行有效件数": 17}}},
    )
    report = services.report_start(organ=town, year=2022, acting_user=clerk)
    assert report.figures_dict()[formats.SECTION2]["行政规范性文件"]["现行有效件数"] is None
    client.force_login(clerk)
    body = client.get(reverse("reports:report_edit", kwargs={"pk": report.pk})).content.decode()
    assert "上年 17" in body
