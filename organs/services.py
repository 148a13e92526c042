"""Organs named in parsed reports: find the one meant, or add it under its city."""

from __future__ import annotations

import hashlib
import re

from django.utils.text import slugify

from organs.models import Organ

# Checked in order: the most specific ending wins ("…街道办事处" is a street, not an office).
_KINDS = (
    (re.compile(r"街道"), Organ.Kind.STREET),
    (re.compile(r"[镇乡]人民政府$|[镇乡]$"), Organ.Kind.TOWN),
    (re.compile(r"(局|委员会|办公室|中心|委|办|所|队|院)$"), Organ.Kind.DEPARTMENT),
    (re.compile(r"区人民政府$|区$"), Organ.Kind.DISTRICT),
    (re.compile(r"县人民政府$|县$"), Organ.Kind.COUNTY),
    (re.compile(r"市人民政府$|市$"), Organ.Kind.CITY),
)


def organ_kind_guess(name: str) -> str:
    """The organ's kind from its name (镇→town, 街道→street, 局→department …)."""
    for pattern, kind in _KINDS:
        if pattern.search(name):
            return kind
    return Organ.Kind.OTHER


def _short_name(name: str, parent: Organ | None) -> str:
    short = name
    if parent is not None:
        short = short.replace(parent.name, "", 1)
    short = re.sub(r"^人民政府", "", short)
    short = re.sub(r"(人民政府|办事处)$", "", short)
    return short[:50] or name[:50]


def _unique_slug(name: str) -> str:
    base = slugify(name) or "organ-" + hashlib.sha1(name.encode()).hexdigest()[:8]
    slug, n = base[:55], 2
    while Organ.objects.filter(slug=slug).exists():
        slug, n = f"{base[:52]}-{n}", n + 1
    return slug


def organ_match_or_create(*, name: str, parent: Organ | None = None) -> Organ:
    """The organ with this name (or whose short name it contains), else a new one under parent."""
    name = name.strip()
    organ = Organ.objects.filter(name=name).first()
    if organ is not None:
        return organ
    scope = Organ.objects.filter(parent=parent) if parent is not None else Organ.objects.all()
    candidates = [o for o in scope.exclude(short_name="") if o.short_name in name]
    if len(candidates) == 1:
        return candidates[0]
    return Organ.objects.create(
        name=name[:100],
        short_name=_short_name(name, parent),
        slug=_unique_slug(name),
        kind=organ_kind_guess(name),
        parent=parent,
    )
