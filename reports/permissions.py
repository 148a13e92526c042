"""Role predicates, in one place; AnnualReport.objects.visible_to is the queryset twin."""

from __future__ import annotations

from reports.models import AnnualReport, Membership, Organ

Role = Membership.Role


def _memberships(user, role: str):
    if user is None or not user.is_authenticated or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, role=role)


def is_portal_admin(user) -> bool:
    """Superusers and users holding the admin role."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or _memberships(user, Role.ADMIN).exists()


def clerk_organ_ids(user) -> set[int]:
    """Ids of the organs the user is a clerk of (at most one)."""
    return set(_memberships(user, Role.CLERK).values_list("organ_id", flat=True))


def supervised_organ_ids(user) -> set[int]:
    """Ids of every organ in the regions the user supervises."""
    ids: set[int] = set()
    for organ in Organ.objects.filter(
        pk__in=_memberships(user, Role.SUPERVISOR).values("organ_id")
    ):
        ids.update(organ.region_ids())
    return ids


def is_clerk_of(user, organ: Organ) -> bool:
    """Whether the user fills in reports for this organ."""
    return _memberships(user, Role.CLERK).filter(organ_id=organ.pk).exists()


def supervises(user, organ: Organ) -> bool:
    """Whether the organ lies in a region the user supervises."""
    return organ.pk in supervised_organ_ids(user)


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
    from reports.workflow import EDITABLE_STATUSES

    return report.status in EDITABLE_STATUSES and is_clerk_of(user, report.organ)
