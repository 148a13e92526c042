"""The generated province's organ tree, each organ's figure profile, and its users.

Everything generated has a slug or username starting with PREFIX, which is what
``--clear`` removes. Parents come before their children in the tree.
"""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from bench.corpus.region import Profile
from organs.models import Membership, Organ

PREFIX = "gen-"
PASSWORD = "bench-password-2024"
# Applications per year, by kind of organ (the seeds' towns get a handful or none).
SCALE = {"other": 3000, "city": 500, "county": 80, "district": 90, "town": 4, "street": 8}
DEPT_SCALE = {"city": 250, "county": 40}
# Licensing, penalty and coercion decisions a year, documents issued, share of businesses.
BUSINESS = {
    "other": (3000, 300, 5, 12, 0.15),
    "city": (2000, 800, 30, 10, 0.12),
    "county": (600, 300, 15, 6, 0.1),
    "district": (600, 300, 15, 6, 0.1),
    "town": (40, 20, 1, 2, 0.05),
    "street": (20, 40, 2, 2, 0.08),
    "department": (1500, 600, 40, 5, 0.2),
}
SYL = "安宁平江阳泉山河东西南北华兴德新长永清丰和福云海金石龙凤仁信康乐城林溪桥塘"
DEPARTMENTS = (
    "发展和改革局", "教育局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
    "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局",
    "商务局", "文化和旅游局", "卫生健康委员会", "应急管理局", "市场监督管理局", "医疗保障局",
    "城市管理局",
)  # fmt: skip


def _place(rng: random.Random, used: dict, suffix: str) -> str:
    """A place name not used yet: two syllables while any are left, then three."""
    names = used.setdefault(suffix, set())
    syllables = 2 if len(names) < len(set(SYL)) ** 2 else 3  # 37² = 1,369 two-syllable names
    while True:
        name = "".join(rng.choice(SYL) for _ in range(syllables)) + suffix
        if name not in names:
            names.add(name)
            return name


def organ_tree(count: int, rng: random.Random) -> list[dict]:
    """Province → cities → counties/districts → towns, streets, departments; parents first."""
    cities = max(1, min(count - 1, count // 160))
    counties = max(0, min(count - 1 - cities, max(1, count // 20)))
    leaves = count - 1 - cities - counties
    used: dict = {}  # suffix -> names taken
    tree = [{"i": 0, "name": "某某省人民政府", "short": "某某省", "kind": "other", "parent": None}]
    for _ in range(cities):
        tree.append({"name": _place(rng, used, "市"), "kind": "city", "parent": 0})
    city_rows = list(range(1, 1 + cities))
    for k in range(counties):
        kind = "county" if k % 3 else "district"
        tree.append({"name": _place(rng, used, "县" if kind == "county" else "区"),
                     "kind": kind, "parent": city_rows[k % cities]})  # fmt: skip
    county_rows = list(range(1 + cities, len(tree))) or city_rows
    for n in range(leaves):
        roll = rng.random()
        if roll < 0.2:
            parent = rng.choice(city_rows if rng.random() < 0.5 else county_rows)
            base = tree[parent]["name"]
            tree.append({"name": base + DEPARTMENTS[n % len(DEPARTMENTS)], "kind": "department",
                         "parent": parent, "scale": DEPT_SCALE.get(tree[parent]["kind"], 40)})  # fmt: skip
        else:
            kind = "town" if roll < 0.8 else "street"
            place = _place(rng, used, "镇" if kind == "town" else "街道")
            parent = county_rows[n % len(county_rows)]
            office = "人民政府" if kind == "town" else "办事处"
            tree.append({"name": tree[parent]["name"] + place + office, "short": place,
                         "kind": kind, "parent": parent})  # fmt: skip
    for i, row in enumerate(tree):
        row["i"] = i
        row["slug"] = f"{PREFIX}{row['kind'][:4]}-{i:05d}"
        row.setdefault("short", row["name"])
        row.setdefault("scale", SCALE.get(row["kind"], 40))
    return tree


def profile_for(row: dict, rng: random.Random) -> Profile:
    """The corpus' figure profile for one organ of the tree: its kind's scale, jittered."""
    licensing, penalties, coercion, documents, commercial = BUSINESS[row["kind"]]
    jitter = rng.lognormvariate(0, 0.5)
    return Profile(
        applications=row["scale"] * jitter,
        growth=rng.uniform(0.98, 1.1),
        licensing=int(licensing * jitter),
        penalties=int(penalties * jitter),
        coercion=int(coercion * jitter),
        documents=documents,
        commercial=commercial,
    )


def _depth(tree: list[dict], row: dict) -> int:
    depth = 0
    while row["parent"] is not None:
        row, depth = tree[row["parent"]], depth + 1
    return depth


def organs_create(tree: list[dict]) -> list[Organ]:
    """The tree's organs, one bulk insert per level so that parents have their keys first."""
    organs: list[Organ] = []
    for row in tree:
        parent = organs[row["parent"]] if row["parent"] is not None else None
        organs.append(Organ(name=row["name"], short_name=row["short"], slug=row["slug"],
                            kind=row["kind"], parent=parent))  # fmt: skip
    for level in range(4):
        batch = [o for o, r in zip(organs, tree, strict=True) if _depth(tree, r) == level]
        for organ in batch:
            organ.parent_id = organ.parent.pk if organ.parent else None
        Organ.objects.bulk_create(batch)
    return organs


def users_create(organs: list[Organ]):
    """Supervisors of the province and two cities, clerks of ten towns; one shared password."""
    User = get_user_model()
    password = make_password(PASSWORD)
    roles = [("gen-supervisor", Membership.Role.SUPERVISOR, organs[0])]
    cities = [o for o in organs if o.kind == "city"][:2]
    roles += [(f"gen-supervisor-{o.slug}", Membership.Role.SUPERVISOR, o) for o in cities]
    towns = [o for o in organs if o.kind in ("town", "street")][:10]
    roles += [(f"gen-clerk-{o.slug}", Membership.Role.CLERK, o) for o in towns]
    users = User.objects.bulk_create(
        [User(username=name, password=password, is_active=True) for name, _, _ in roles]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, role=role, organ=o)
            for u, (_, role, o) in zip(users, roles, strict=True)
        ]
    )
    return users[0]
