"""Staff pages read the region from the organs' materialised paths: a moved organ takes its
reports and its deadline with it, and a region never holds an organ whose id merely begins
with the root's digits."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from filing.workflow import Status
from organs.models import Membership, Organ
from review.deadlines import ComplianceQuery, OrganTree, compliance_rows
from review.models import Deadline
from tests.support.factories import make_report

YEAR = 2023
TODAY = datetime.date(2024, 3, 1)


@pytest.fixture
def counties(django_user_model):
    city = Organ.objects.create(name="市", slug="city")
    east = Organ.objects.create(name="东县", slug="east", parent=city)
    west = Organ.objects.create(name="西县", slug="west", parent=city)
    town = Organ.objects.create(name="东一镇", slug="east-1", parent=east)
    make_report(town, YEAR, Status.SUBMITTED)
    sup = django_user_model.objects.create_user(username="sup-west", password="pw")
    Membership.objects.create(user=sup, role=Membership.Role.SUPERVISOR, organ=west)
    Deadline.objects.create(organ=west, year=YEAR, due_on=datetime.date(2024, 2, 1))
    return {"city": city, "east": east, "west": west, "town": town, "sup": sup}


def queue_organs(client, user) -> list[str]:
    client.force_login(user)
    context = client.get(reverse("reports:review_queue")).context
    return [r.organ.name for r in context["submitted"]]


def test_a_moved_town_enters_its_new_supervisors_queue_and_deadline(client, counties):
    assert queue_organs(client, counties["sup"]) == []
    town = Organ.objects.get(pk=counties["town"].pk)
    town.parent = counties["west"]
    town.save()
    assert queue_organs(client, counties["sup"]) == ["东一镇"]
    rows = ComplianceQuery(year=YEAR, root_ids=[counties["west"].pk], today=TODAY).all()
    assert [(r.organ.name, r.deadline) for r in rows] == [("东一镇", datetime.date(2024, 2, 1))]
    reference = compliance_rows(
        year=YEAR, tree=OrganTree.load(), root_ids=[counties["west"].pk], today=TODAY
    )
    assert rows == reference


def test_a_region_is_not_every_id_with_the_same_leading_digits(client, counties):
    west = counties["west"]
    # An organ whose id begins with west's digits (west 3 -> 31), outside west's region.
    stranger = Organ.objects.create(pk=west.pk * 10 + 1, name="外镇", slug="outside")
    make_report(stranger, YEAR, Status.SUBMITTED)
    assert queue_organs(client, counties["sup"]) == []
    names = [
        r.organ.name for r in ComplianceQuery(year=YEAR, root_ids=[west.pk], today=TODAY).all()
    ]
    assert "外镇" not in names
