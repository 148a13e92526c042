"""Role predicates: who holds which role for which organs (AnnualReport.objects.visible_to
in filing is the queryset twin of the report rules built on them)."""

from __future__ import annotations

from django.db import connection
from django.db.models.expressions import RawSQL

from organs.models import Membership, Organ, no_organs, subtree_ids

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


def supervised_organs(user) -> RawSQL:
    """The ids of every organ in the regions the user supervises, as a subquery.

    For an ``__in`` filter (``organ_id__in=supervised_organs(user)``): the database walks the
    regions inside the query that uses them, in no extra query whatever their size or depth.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return no_organs()
    quote = connection.ops.quote_name
    seed = (
        f"SELECT m.organ_id FROM {quote(Membership._meta.db_table)} m"
        f" WHERE m.user_id = %s AND m.role = %s AND m.organ_id IS NOT NULL"
    )
    return subtree_ids(seed, (user.pk, Role.SUPERVISOR.value))


def supervised_organ_ids(user) -> set[int]:
    """Ids of every organ in the regions the user supervises (one query)."""
    return set(
        Organ.objects.filter(pk__in=supervised_organs(user)).order_by().values_list("pk", flat=True)
    )


def is_clerk_of(user, organ: Organ) -> bool:
    """Whether the user fills in reports for this organ."""
    return _memberships(user, Role.CLERK).filter(organ_id=organ.pk).exists()


def supervises(user, organ: Organ) -> bool:
    """Whether the organ lies in a region the user supervises."""
    return Organ.objects.filter(pk=organ.pk, pk__in=supervised_organs(user)).exists()
