"""The demo's region (from the sample corpus) and its people: one account per role, and clerks."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from bench import corpus
from organs.models import Membership, Organ

# The corpus region every demo is built from (bench.corpus is deterministic per seed).
CORPUS_SEED = 2026
KINDS = {
    "city": Organ.Kind.CITY,
    "town": Organ.Kind.TOWN,
    "street": Organ.Kind.STREET,
    "department": Organ.Kind.DEPARTMENT,
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    organ_slug: str | None  # None: the whole portal (admin)
    label: str
    name: str
    email: str


def _organs() -> list[corpus.Organ]:
    return corpus.region(CORPUS_SEED)


def _short(organ: corpus.Organ, city: corpus.Organ) -> str:
    """泉宁市龙梅镇人民政府 -> 龙梅镇; departments keep the city's name."""
    city_name = city.name.removesuffix("人民政府")
    if organ.kind == "city":
        return city_name
    short = organ.name.removeprefix(city_name).removesuffix("人民政府").removesuffix("办事处")
    return short if organ.kind in ("town", "street") else organ.name


_REGION = _organs()
CITY_SLUG = _REGION[0].slug
TOWN_SLUG = next(o.slug for o in _REGION if o.kind == "town")
DEPARTMENT_SLUG = next(o.slug for o in _REGION if o.kind == "department")
CITY_SHORT = _short(_REGION[0], _REGION[0])
TOWN_SHORT = _short(next(o for o in _REGION if o.slug == TOWN_SLUG), _REGION[0])

# Shown in the README and on the login page: these are demo credentials, not secrets.
DEMO_ACCOUNTS = (
    DemoAccount("clerk", "clerk-demo-2024", Membership.Role.CLERK, TOWN_SLUG,
                f"{TOWN_SHORT}填报员", "林小雨", "clerk@demo.invalid"),
    DemoAccount("clerk2", "clerk2-demo-2024", Membership.Role.CLERK, DEPARTMENT_SLUG,
                "自然资源局填报员", "陈立新", "clerk2@demo.invalid"),
    DemoAccount("supervisor", "supervisor-demo-2024", Membership.Role.SUPERVISOR, CITY_SLUG,
                f"{CITY_SHORT}审核员", "王建华", "supervisor@demo.invalid"),
    DemoAccount("admin", "admin-demo-2024", Membership.Role.ADMIN, None,
                "管理员", "赵敏", "admin@demo.invalid"),
)  # fmt: skip

# Every other organ's clerk exists (the audit trail names who uploaded and submitted) but
# cannot sign in: only the accounts above are for people trying the demo.
SURNAMES = "张李刘黄周吴徐孙马朱胡郭何高罗郑梁谢宋唐"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"


def load_organs() -> Organ:
    """Create or update the corpus region's organs (city first); return the city."""
    city = None
    by_slug: dict[str, Organ] = {}
    for organ in _REGION:
        parent = by_slug.get(organ.parent) if organ.parent else None
        row, _ = Organ.objects.update_or_create(
            slug=organ.slug,
            defaults={
                "name": organ.name,
                "short_name": _short(organ, _REGION[0]),
                "kind": KINDS[organ.kind],
                "parent": parent,
            },
        )
        by_slug[organ.slug] = row
        city = city or row
    return city


def _member(user, role: str, organ: Organ | None) -> None:
    Membership.objects.filter(user=user).exclude(role=role, organ=organ).delete()
    Membership.objects.get_or_create(user=user, role=role, organ=organ)


def load_accounts() -> list[DemoAccount]:
    """Create or reset the demo accounts (known passwords) and one clerk for every organ."""
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=account.username)
        user.first_name, user.last_name = account.name[1:], account.name[0]
        user.email = account.email
        user.is_active = True
        user.is_staff = user.is_superuser = account.role == Membership.Role.ADMIN
        if not user.check_password(account.password):
            user.set_password(account.password)
        user.save()
        organ = Organ.objects.get(slug=account.organ_slug) if account.organ_slug else None
        _member(user, account.role, organ)
    taken = {a.organ_slug for a in DEMO_ACCOUNTS if a.role == Membership.Role.CLERK}
    for i, organ in enumerate(o for o in _REGION if o.slug not in taken):
        user, created = User.objects.get_or_create(
            username=f"clerk-{organ.slug}",
            defaults={
                "last_name": SURNAMES[i % len(SURNAMES)],
                "first_name": GIVEN[(i * 7) % len(GIVEN)],
                "email": f"clerk-{organ.slug}@demo.invalid",
            },
        )
        if created:
            user.set_unusable_password()
            user.save()
        _member(user, Membership.Role.CLERK, Organ.objects.get(slug=organ.slug))
    return list(DEMO_ACCOUNTS)


def clerk_of(organ: Organ):
    """The organ's clerk (a demo account where there is one); organs outside the corpus
    region, such as the seed reports' towns, get a clerk who cannot sign in."""
    membership = (
        Membership.objects.filter(organ=organ, role=Membership.Role.CLERK)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    if membership is not None:
        return membership.user
    clerk, created = get_user_model().objects.get_or_create(
        username=f"clerk-{organ.slug}", defaults={"email": f"clerk-{organ.slug}@demo.invalid"}
    )
    if created:
        clerk.set_unusable_password()
        clerk.save()
    Membership.objects.get_or_create(user=clerk, role=Membership.Role.CLERK, organ=organ)
    return clerk


def user(username: str):
    return get_user_model().objects.get(username=username)
