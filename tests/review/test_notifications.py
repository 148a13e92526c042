"""Email to clerks on return, approval, publication and reopening, through the review services."""

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse

from filing.workflow import Status
from public import services as public_services
from review import services as review_services
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_with_email(clerk):
    clerk.email = "clerk@zimao.example"
    clerk.save()
    return clerk


@pytest.fixture
def submitted(town, clerk_with_email):
    return make_report(town, 2023, Status.SUBMITTED)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (the mail is sent only once the review action commits)."""

    def run(action, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(**kwargs)

    return run


def edit_link(report):
    return reverse("reports:report_edit", kwargs={"pk": report.pk})


def test_return_mails_the_clerk_with_the_comment_and_the_link(on_commit, submitted, supervisor):
    comment = "表三第一行合计有误，请核对 <总计> & 重新提交。"
    on_commit(
        review_services.report_return, report=submitted, acting_user=supervisor, comment=comment
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["clerk@zimao.example"]
    assert message.subject == "【政务公开年报】晋江市紫帽镇人民政府2023年度报告已被退回，请修改"
    assert comment in message.body  # not HTML-escaped
    assert "审核意见：" in message.body
    assert edit_link(submitted) in message.body


def test_links_are_absolute_when_the_site_url_is_set(on_commit, submitted, supervisor, settings):
    settings.PORTAL_SITE_URL = "https://gk.example.gov.cn/"
    on_commit(review_services.report_return, report=submitted, acting_user=supervisor, comment="改")
    assert f"https://gk.example.gov.cn{edit_link(submitted)}" in mail.outbox[0].body


def test_approval_mails_the_clerk(on_commit, submitted, supervisor):
    on_commit(review_services.report_approve, report=submitted, acting_user=supervisor)
    (message,) = mail.outbox
    assert "已审核通过" in message.subject
    assert "审核意见" not in message.body  # no comment given, no empty heading


def test_publication_mails_the_public_link(on_commit, town, clerk_with_email, supervisor):
    report = make_report(town, 2023, Status.APPROVED)
    on_commit(public_services.report_publish, report=report, acting_user=supervisor)
    (message,) = mail.outbox
    assert "已发布" in message.subject
    try:
        link = report.get_absolute_url()
    except NoReverseMatch:
        link = edit_link(report)
    assert link in message.body


def test_reopening_mails_the_reason(on_commit, town, clerk_with_email, supervisor):
    report = make_report(town, 2023, Status.PUBLISHED)
    mail.outbox.clear()
    on_commit(
        review_services.report_reopen, report=report, acting_user=supervisor, reason="数字有误"
    )
    (message,) = mail.outbox
    assert "重新打开更正" in message.subject
    assert "更正原因：\n数字有误" in message.body


def test_no_mail_to_clerks_without_an_address_or_of_other_organs(
    on_commit, town, clerk, other_clerk, supervisor
):
    other_clerk.email = "other@yinglin.example"
    other_clerk.save()
    report = make_report(town, 2023, Status.SUBMITTED)
    on_commit(review_services.report_approve, report=report, acting_user=supervisor)
    assert mail.outbox == []


def test_no_mail_when_the_action_rolls_back(
    submitted, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review_services.report_approve(report=submitted, acting_user=supervisor)
    assert len(callbacks) == 1  # queued for the commit, not sent inside the transaction
    assert mail.outbox == []


def test_a_mail_outage_does_not_undo_the_review_action(
    on_commit, submitted, supervisor, monkeypatch
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("review.notifications.send_mail", broken)
    on_commit(review_services.report_return, report=submitted, acting_user=supervisor, comment="改")
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    assert mail.outbox == []
