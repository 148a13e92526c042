"""Email to the people of a report: its clerks hear when a reviewer acts on it."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from reports.models import AnnualReport, Membership

logger = logging.getLogger(__name__)

SUBJECTS = {
    "returned": "【政务公开年报】%(report)s 已被退回，请修改",
    "approved": "【政务公开年报】%(report)s 已审核通过",
    "published": "【政务公开年报】%(report)s 已发布",
    "reopened": "【政务公开年报】%(report)s 已重新打开更正",
}


def clerk_emails(organ_id: int) -> list[str]:
    """Addresses of the organ's active clerks that have one."""
    users = get_user_model().objects.filter(
        is_active=True,
        memberships__role=Membership.Role.CLERK,
        memberships__organ_id=organ_id,
    )
    return sorted({u.email for u in users if u.email})


def _site_url(path: str) -> str:
    return getattr(settings, "PORTAL_SITE_URL", "").rstrip("/") + path


def report_event_notify(*, report: AnnualReport, event: str, comment: str = "") -> None:
    """Email the organ's clerks about a review event, once the transaction commits."""
    recipients = clerk_emails(report.organ_id)
    if not recipients:
        return
    subject = SUBJECTS[event] % {"report": report}
    edit_url = _site_url(reverse("reports:report_edit", kwargs={"pk": report.pk}))
    lines = [subject.split("】", 1)[1], ""]
    if comment:
        lines += ["意见：", comment, ""]
    lines.append(f"查看：{edit_url}")
    body = "\n".join(lines)

    def send():
        try:
            send_mail(subject, body, None, recipients)
        except Exception:  # a mail outage must not undo the review action
            logger.exception("mail about report %s (%s) not sent", report.pk, event)

    transaction.on_commit(send)
