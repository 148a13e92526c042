"""Reports in any status, made through the real services where the status needs them."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model

from core import formats
from filing.models import AnnualReport
from filing.workflow import Status
from public import services as public_services


def system_admin():
    """A superuser to act for the tests' set-up (every role check lets it through)."""
    user, created = get_user_model().objects.get_or_create(
        username="factory-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def make_report(
    organ,
    year: int = 2023,
    status: str = Status.DRAFT,
    edition: str = formats.EDITION_2021,
    figures: dict | None = None,
    published_on: date | None = None,
    **prose,
) -> AnnualReport:
    """A report in the given status; a published one has a real Publication behind it."""
    publish = status == Status.PUBLISHED
    report = AnnualReport.objects.create(
        organ=organ,
        year=year,
        edition=edition,
        status=Status.APPROVED if publish else status,
        **prose,
    )
    if figures:
        from filing.figures import figures_set

        figures_set(report=report, figures=figures)
    if publish:
        public_services.report_publish(
            report=report,
            acting_user=system_admin(),
            published_on=published_on or date(year + 1, 1, 20),
        )
        report.refresh_from_db()
    return report
