"""Celery tasks: thin wrappers that take ids and call functions in reports/."""

from celery import shared_task


@shared_task(name="reports.ping")
def ping() -> str:
    """Answer "pong"; proves a worker is consuming the queue."""
    return "pong"
