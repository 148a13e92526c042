"""Report rules built on the role predicates; AnnualReport.objects.visible_to is the queryset twin.

The role predicates live in organs.permissions and are re-exported here, so a caller that asks
"may this user ..." imports one module.
"""

from __future__ import annotations

from filing.models import AnnualReport
from filing.workflow import EDITABLE_STATUSES
from organs.permissions import (
    Role,
    clerk_organ_ids,
    is_clerk_of,
    is_portal_admin,
    supervised_organ_ids,
    supervises,
)

__all__ = [
    "Role",
    "can_attach",
    "can_view_report",
    "clerk_organ_ids",
    "clerk_reports",
    "is_clerk_of",
    "is_portal_admin",
    "supervised_organ_ids",
    "supervises",
]


def can_view_report(user, report: AnnualReport) -> bool:
    """Published reports for everyone; others for their clerk, supervisors and admins."""
    if report.is_public or is_portal_admin(user):
        return True
    return is_clerk_of(user, report.organ) or supervises(user, report.organ)


def clerk_reports(user):
    """Reports of the organs the user is a clerk of: the queryset twin of is_clerk_of."""
    return AnnualReport.objects.filter(organ_id__in=clerk_organ_ids(user))


def can_attach(user, report: AnnualReport) -> bool:
    """Whether the user may upload files to the report and apply what they yield."""
    return report.status in EDITABLE_STATUSES and is_clerk_of(user, report.organ)
