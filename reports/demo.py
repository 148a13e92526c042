"""Demo data for a fresh install: organs, one account per role, and the seed reports."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from reports.models import Membership, Organ

CITY = ("晋江市", "jinjiang", "350582", Organ.Kind.CITY)
TOWNS = (
    ("晋江市紫帽镇人民政府", "紫帽镇", "zimao", "", Organ.Kind.TOWN),
    ("晋江市英林镇人民政府", "英林镇", "yinglin", "", Organ.Kind.TOWN),
    ("晋江市磁灶镇人民政府", "磁灶镇", "cizao", "", Organ.Kind.TOWN),
    ("晋江市安海镇人民政府", "安海镇", "anhai", "", Organ.Kind.TOWN),
    ("晋江市人民政府西园街道办事处", "西园街道", "xiyuan", "", Organ.Kind.STREET),
    ("晋江市人民政府罗山街道办事处", "罗山街道", "luoshan", "", Organ.Kind.STREET),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    organ_slug: str | None
    label: str


# Shown in the README and on the login page: these are demo credentials, not secrets.
DEMO_ACCOUNTS = (
    DemoAccount("clerk", "clerk-demo-2024", Membership.Role.CLERK, "zimao", "紫帽镇填报员"),
    DemoAccount(
        "supervisor", "supervisor-demo-2024", Membership.Role.SUPERVISOR, "jinjiang", "晋江市审核员"
    ),
    DemoAccount("admin", "admin-demo-2024", Membership.Role.ADMIN, None, "管理员"),
)


def load_organs() -> Organ:
    """Create or update the demo city and its towns; return the city."""
    name, slug, code, kind = CITY
    city, _ = Organ.objects.update_or_create(
        slug=slug, defaults={"name": name, "short_name": name, "code": code, "kind": kind}
    )
    for name, short, slug, code, kind in TOWNS:
        Organ.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short,
                "code": code,
                "kind": kind,
                "parent": city,
            },
        )
    return city


def load_accounts() -> list[DemoAccount]:
    """Create or reset the demo accounts with their known passwords and roles."""
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=account.username)
        user.first_name = account.label
        user.is_active = True
        user.is_staff = account.role == Membership.Role.ADMIN
        user.is_superuser = account.role == Membership.Role.ADMIN
        user.set_password(account.password)
        user.save()
        organ = Organ.objects.get(slug=account.organ_slug) if account.organ_slug else None
        Membership.objects.filter(user=user).exclude(role=account.role, organ=organ).delete()
        Membership.objects.get_or_create(user=user, role=account.role, organ=organ)
    return list(DEMO_ACCOUNTS)


def load_seed_reports() -> None:
    """Load the seed reports through the parsing pipeline (filled in with the parser)."""
    return None


@transaction.atomic
def load_demo_data() -> None:
    """Everything a fresh install shows; safe to run again."""
    load_organs()
    load_accounts()
    load_seed_reports()
