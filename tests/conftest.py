"""Shared fixtures: media on a tmp dir, organs and the personas of the portal."""

import pytest

from organs.models import Membership, Organ
from tests.support.fuzz import register_profiles

register_profiles()  # --hypothesis-profile=fuzz: see tests/filing/test_fuzz_uploads.py


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads of a test never land in the real media directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached pages and options must not leak between
    tests (publication_changed, which bumps the cache version, fires only on commit)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def city(db):
    return Organ.objects.create(name="晋江市", slug="jinjiang", kind=Organ.Kind.CITY)


@pytest.fixture
def town(city):
    return Organ.objects.create(
        name="晋江市紫帽镇人民政府", short_name="紫帽镇", slug="zimao", parent=city
    )


@pytest.fixture
def other_town(city):
    return Organ.objects.create(
        name="晋江市英林镇人民政府", short_name="英林镇", slug="yinglin", parent=city
    )


@pytest.fixture
def outside_town(db):
    """A town outside the supervisor's region."""
    return Organ.objects.create(name="石狮市宝盖镇人民政府", slug="baogai")


def _member(django_user_model, username, role, organ):
    user = django_user_model.objects.create_user(username=username, password="pw-" + username)
    Membership.objects.create(user=user, role=role, organ=organ)
    return user


@pytest.fixture
def clerk(django_user_model, town):
    return _member(django_user_model, "clerk", Membership.Role.CLERK, town)


@pytest.fixture
def other_clerk(django_user_model, other_town):
    return _member(django_user_model, "other_clerk", Membership.Role.CLERK, other_town)


@pytest.fixture
def supervisor(django_user_model, city):
    return _member(django_user_model, "supervisor", Membership.Role.SUPERVISOR, city)


@pytest.fixture
def portal_admin(django_user_model):
    return _member(django_user_model, "portal_admin", Membership.Role.ADMIN, None)


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()
