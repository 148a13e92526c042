"""Role predicates: who holds which role for which organs (AnnualReport.objects.visible_to
in filing is the queryset twin of the report rules built on them)."""

from __future__ import annotations

from organs.models import Membership, Organ

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
