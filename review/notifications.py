"""Email to the clerks of an organ (review events, deadline reminders) and to the supervisors
of its region (a report was submitted: e-mail plus a notice for the header's unread count).

Bodies are the templates in templates/emails/; they are rendered in the portal's language
(settings.LANGUAGE_CODE), not the language of the reviewer's request.
"""

from __future__ import annotations

import datetime
import logging
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from filing.models import AnnualReport, AuditEvent
from organs.models import Membership, Organ
from review.deadlines import reminder_rows, reporting_year
from review.models import SubmissionNotice

logger = logging.getLogger(__name__)

EVENTS = ("returned", "approved", "published", "reopened")
REMINDER_ACTION = "reminder.sent"
# Reports due within this many days (or overdue) and not yet published get a daily reminder.
REMINDER_WITHIN_DAYS = 7


def clerk_emails(organ_id: int) -> list[str]:
    """Addresses of the organ's active clerks that have one."""
    users = get_user_model().objects.filter(
        is_active=True,
        memberships__role=Membership.Role.CLERK,
        memberships__organ_id=organ_id,
    )
    return sorted({u.email for u in users if u.email})


def site_url(path: str) -> str:
    """An absolute link when PORTAL_SITE_URL is set (e.g. https://gk.example.gov.cn)."""
    return getattr(settings, "PORTAL_SITE_URL", "").rstrip("/") + path


def _public_url(report: AnnualReport) -> str:
    try:
        return site_url(report.get_absolute_url())
    except NoReverseMatch:  # no public pages in this deployment
        return ""


def render_email(subject_template: str, body_template: str, context: dict) -> tuple[str, str]:
    """(subject, body) rendered from templates/emails/ in the portal's language."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{subject_template}.txt", context)
        body = render_to_string(f"emails/{body_template}.txt", context)
    # Template tags leave blank lines behind; a mail shows at most one between paragraphs.
    return " ".join(subject.split()), re.sub(r"\n{3,}", "\n\n", body.strip()) + "\n"


def report_event_message(*, report: AnnualReport, event: str, comment: str = "") -> tuple[str, str]:
    """Subject and body of the email about a review event on the report."""
    if event not in EVENTS:
        raise ValueError(f"unknown report event {event!r}")
    context = {
        "event": event,
        "report": report,
        "organ": report.organ.name,
        "year": str(report.year),
        "comment": (comment or "").strip(),
        "edit_url": site_url(reverse("reports:report_edit", kwargs={"pk": report.pk})),
        "public_url": _public_url(report) if event == "published" else "",
    }
    return render_email("report_event_subject", f"report_{event}", context)


def report_event_notify(*, report: AnnualReport, event: str, comment: str = "") -> None:
    """Email the organ's clerks about a review event, once the transaction commits."""
    recipients = clerk_emails(report.organ_id)
    if not recipients:
        return
    subject, body = report_event_message(report=report, event=event, comment=comment)

    def send():
        try:
            send_mail(subject, body, None, recipients)
        except Exception:  # a mail outage must not undo the review action
            logger.exception("mail about report %s (%s) not sent", report.pk, event)

    transaction.on_commit(send)


def _reminded_today(today: datetime.date) -> set[int]:
    return {
        int(organ_id)
        for organ_id in AuditEvent.objects.filter(
            action=REMINDER_ACTION, data__date=today.isoformat()
        ).values_list("data__organ", flat=True)
        if organ_id is not None
    }


def deadline_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind the clerks of organs whose report is due soon or overdue; return emails sent.

    The reporting year is last year's (due 31 January unless a region's Deadline says
    otherwise). Each organ is reminded at most once a day: an audit event "reminder.sent"
    records it, so a retried or repeated run sends nothing twice.
    """
    today = today or timezone.localdate()
    year = reporting_year(today)
    done = _reminded_today(today)
    sent = 0
    for row in reminder_rows(today=today, within_days=REMINDER_WITHIN_DAYS):
        if row.organ.pk in done:
            continue
        recipients = clerk_emails(row.organ.pk)
        if not recipients:
            continue
        days_left = (row.deadline - today).days
        context = {
            "organ": row.organ.name,
            "year": str(year),
            "deadline": row.deadline,
            "status": row.status_label,
            "days_left": days_left,
            "days_late": -days_left,
            "workspace_url": site_url(reverse("reports:workspace")),
        }
        subject, body = render_email("deadline_reminder_subject", "deadline_reminder", context)
        try:
            send_mail(subject, body, None, recipients)
        except Exception:  # one organ's failure must not stop the others' reminders
            logger.exception("deadline reminder to organ %s not sent", row.organ.pk)
            continue
        AuditEvent.objects.create(
            report_id=row.report_id,
            action=REMINDER_ACTION,
            data={
                "organ": row.organ.pk,
                "year": year,
                "date": today.isoformat(),
                "deadline": row.deadline.isoformat(),
                "recipients": len(recipients),
            },
        )
        sent += 1
    return sent


def region_supervisors(organ: Organ) -> list:
    """Active supervisors of the organ or of any organ above it (their region holds it)."""
    ids, seen, current = [], set(), organ
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        ids.append(current.pk)
        current = current.parent
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role=Membership.Role.SUPERVISOR,
            memberships__organ_id__in=ids,
        )
        .distinct()
        .order_by("pk")
    )


def submission_notify(sender, *, report: AnnualReport, **kwargs) -> None:
    """filing.signals.report_submitted: a notice and an e-mail for each region supervisor."""
    try:
        supervisors = region_supervisors(report.organ)
        SubmissionNotice.objects.bulk_create(
            SubmissionNotice(user=user, report=report) for user in supervisors
        )
        recipients = sorted({u.email for u in supervisors if u.email})
        if not recipients:
            return
        context = {
            "organ": report.organ.name,
            "year": str(report.year),
            "review_url": site_url(reverse("reports:review_detail", kwargs={"pk": report.pk})),
            "queue_url": site_url(reverse("reports:review_queue")),
        }
        subject, body = render_email("report_submitted_subject", "report_submitted", context)
        send_mail(subject, body, None, recipients)
    except Exception:  # the submission is done; a failed notice must not turn it into an error
        logger.exception("supervisors not notified of the submission of report %s", report.pk)


def unseen_submissions(user) -> int:
    """How many submissions of the user's region arrived since they last opened the queue."""
    return SubmissionNotice.objects.filter(user=user, seen_at=None).count()


def submissions_mark_seen(user) -> None:
    """Opening the queue shows every submission: the header's count starts again at zero."""
    SubmissionNotice.objects.filter(user=user, seen_at=None).update(seen_at=timezone.now())
