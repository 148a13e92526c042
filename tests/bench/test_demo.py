"""manage.py demo_data: organs and one working account per role, safe to repeat."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from bench import demo
from filing import permissions
from organs.models import Membership, Organ

pytestmark = pytest.mark.django_db


def test_demo_data_is_idempotent_and_creates_a_city_with_towns():
    call_command("demo_data", stdout=io.StringIO())
    counts = (Organ.objects.count(), Membership.objects.count(), get_user_model().objects.count())
    call_command("demo_data", stdout=io.StringIO())
    assert (
        Organ.objects.count(),
        Membership.objects.count(),
        get_user_model().objects.count(),
    ) == counts
    city = Organ.objects.get(name="晋江市")
    towns = city.children.all()
    assert towns.count() >= 3
    assert {t.kind for t in towns} >= {Organ.Kind.TOWN, Organ.Kind.STREET}


@pytest.mark.parametrize("account", demo.DEMO_ACCOUNTS, ids=lambda a: a.username)
def test_each_demo_account_logs_in_with_its_documented_password(client, account):
    call_command("demo_data", stdout=io.StringIO())
    assert client.login(username=account.username, password=account.password)
    user = get_user_model().objects.get(username=account.username)
    assert Membership.objects.filter(user=user, role=account.role).exists()


def test_demo_roles_have_their_intended_scope():
    demo.load_demo_data()
    users = {u.username: u for u in get_user_model().objects.all()}
    xiyuan = Organ.objects.get(slug="xiyuan")
    assert permissions.supervises(users["supervisor"], xiyuan)
    assert not permissions.is_clerk_of(users["clerk"], xiyuan)
    assert permissions.is_portal_admin(users["admin"])
    assert users["admin"].is_staff


def test_passwords_in_the_readme_match_the_demo_accounts():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for account in demo.DEMO_ACCOUNTS:
        assert f"`{account.username}` | `{account.password}`" in readme
