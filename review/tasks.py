"""Celery tasks of review: the daily deadline reminders (Celery beat)."""

from celery import shared_task

from filing.tasks import TRANSIENT_ERRORS
from review.notifications import deadline_reminders_send


@shared_task(
    name="reports.send_deadline_reminders",
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=3,
)
def send_deadline_reminders() -> int:
    """Email clerks whose report is due within 7 days or overdue (once a day per organ)."""
    return deadline_reminders_send()
