"""manage.py demo_data: a year of real use from the corpus, through the real pipeline."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from bench import demo
from filing import permissions
from filing.models import AnnualReport, AuditEvent, Finding
from filing.workflow import Status
from organs.models import Membership, Organ
from public import stats
from public.models import Publication

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The whole demo, built once for the module (about a minute)."""
    with django_db_blocker.unblock():
        call_command("demo_data", stdout=io.StringIO(), stderr=io.StringIO())
        yield
        for model in (Publication, AnnualReport, Organ):
            model.objects.all().delete()
        get_user_model().objects.all().delete()


@pytest.mark.slow
def test_the_demo_looks_like_a_year_of_use_and_is_idempotent(built):
    counts = dict(AnnualReport.objects.values_list("status").annotate(n=Count("id")))
    assert counts[Status.PUBLISHED] >= 100
    for status in (Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.DRAFT):
        assert counts.get(status), status
    published = AnnualReport.objects.filter(status=Status.PUBLISHED)
    assert published.values("organ").distinct().count() >= 20
    assert published.values("year").distinct().count() >= 5
    # Through the pipeline: every report has its upload and its audit trail.
    assert (
        AuditEvent.objects.filter(action="report.apply_parsed").count() >= counts[Status.PUBLISHED]
    )
    assert Publication.objects.filter(number=2).exclude(correction_note="").exists()
    assert Finding.objects.filter(code="similar_other_organ").exists()
    # Publication dates fit the report year: the first months of the next one.
    for year, on in Publication.objects.values_list("report__year", "published_on"):
        assert date(year + 1, 1, 1) <= on <= date(year + 1, 6, 30), (year, on)
    data = stats.stats_aggregate(filters=stats.StatsFilters())
    received = data["values"]["received"]
    assert len(set(received.values())) > 3 and all(received.values())
    before = AnnualReport.objects.count(), Publication.objects.count()
    call_command("demo_data", stdout=io.StringIO(), stderr=io.StringIO())
    assert (AnnualReport.objects.count(), Publication.objects.count()) == before


@pytest.mark.parametrize("account", demo.DEMO_ACCOUNTS, ids=lambda a: a.username)
def test_each_demo_account_logs_in_and_has_a_name_and_email(client, account):
    demo.load_organs()
    demo.load_accounts()
    assert client.login(username=account.username, password=account.password)
    user = get_user_model().objects.get(username=account.username)
    assert user.email and user.get_full_name()
    assert Membership.objects.filter(user=user, role=account.role).exists()


def test_demo_roles_have_their_intended_scope():
    demo.load_organs()
    demo.load_accounts()
    users = {u.username: u for u in get_user_model().objects.all()}
    street = Organ.objects.filter(kind=Organ.Kind.STREET).first()
    assert permissions.supervises(users["supervisor"], street)
    assert not permissions.is_clerk_of(users["clerk"], street)
    assert permissions.is_portal_admin(users["admin"]) and users["admin"].is_staff
    assert Organ.objects.filter(children__isnull=False).distinct().count() == 1


def test_the_login_page_lists_the_demo_accounts(client, settings):
    settings.DEBUG = True
    html = client.get("/accounts/login/").content.decode()
    for account in demo.DEMO_ACCOUNTS:
        assert account.username in html and account.password in html


def test_passwords_in_the_readme_match_the_demo_accounts():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for account in demo.DEMO_ACCOUNTS:
        assert f"`{account.username}` | `{account.password}`" in readme
