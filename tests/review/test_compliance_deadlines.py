"""Deadlines: 31 January by default, the nearest ancestor's Deadline row wins."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from filing.models import AnnualReport
from filing.workflow import Status
from organs.models import Organ
from review.deadlines import deadline_for, deadlines_for, resolve_deadlines
from review.models import Deadline
from review.selectors import attach_deadlines
from tests.support.factories import make_report


def test_default_deadline_is_31_january_of_the_following_year(town):
    assert deadline_for(town, 2023) == datetime.date(2024, 1, 31)


def test_region_deadline_applies_to_its_towns_and_nearest_ancestor_wins(city, town, other_town):
    Deadline.objects.create(organ=city, year=2023, due_on=datetime.date(2024, 2, 15))
    Deadline.objects.create(organ=town, year=2023, due_on=datetime.date(2024, 1, 20))
    assert deadline_for(town, 2023) == datetime.date(2024, 1, 20)
    assert deadline_for(other_town, 2023) == datetime.date(2024, 2, 15)
    # Another year keeps the default.
    assert deadline_for(other_town, 2022) == datetime.date(2023, 1, 31)


def test_bulk_deadlines_take_two_queries_whatever_the_number_of_organs(
    city, django_assert_num_queries
):
    Deadline.objects.create(organ=city, year=2023, due_on=datetime.date(2024, 2, 1))
    towns = [Organ.objects.create(name=f"镇{i}", slug=f"town-{i}", parent=city) for i in range(30)]
    with django_assert_num_queries(2):
        result = deadlines_for([t.pk for t in towns] + [city.pk], 2023)
    assert set(result.values()) == {datetime.date(2024, 2, 1)}
    assert len(result) == 31


def test_resolve_deadlines_survives_a_cycle_in_the_tree():
    result = resolve_deadlines([1], 2023, parents={1: 2, 2: 1}, due_dates={})
    assert result == {1: datetime.date(2024, 1, 31)}


def test_deadlines_are_edited_in_the_django_admin(admin_client, city):
    response = admin_client.post(
        "/admin/review/deadline/add/", {"organ": city.pk, "year": 2023, "due_on": "2024-02-10"}
    )
    assert response.status_code == 302
    assert deadline_for(city, 2023) == datetime.date(2024, 2, 10)
    assert admin_client.get("/admin/review/deadline/").status_code == 200


def test_one_organs_deadline_reads_only_its_ancestors_rows_in_one_query(
    city, django_assert_num_queries
):
    county = Organ.objects.create(name="某县", slug="some-county", parent=city)
    village = Organ.objects.create(name="某乡", slug="some-village", parent=county)
    Deadline.objects.create(organ=city, year=2023, due_on=datetime.date(2024, 2, 1))
    # Other regions' own deadlines are not this organ's, however many there are.
    for i in range(5):
        other = Organ.objects.create(name=f"他县{i}", slug=f"other-county-{i}", parent=city)
        Deadline.objects.create(organ=other, year=2023, due_on=datetime.date(2024, 3, i + 1))
    village.refresh_from_db()
    with django_assert_num_queries(1):
        assert deadline_for(village, 2023) == datetime.date(2024, 2, 1)
    Deadline.objects.create(organ=county, year=2023, due_on=datetime.date(2024, 1, 25))
    assert deadline_for(village, 2023) == datetime.date(2024, 1, 25)


def test_an_organ_whose_path_is_not_written_yet_walks_the_tree(city, town):
    Deadline.objects.create(organ=city, year=2023, due_on=datetime.date(2024, 2, 15))
    Organ.objects.filter(pk=town.pk).update(path="")  # as a load behind the ORM leaves it
    town.refresh_from_db()
    assert town.path == ""
    assert deadline_for(town, 2023) == datetime.date(2024, 2, 15)


def test_queue_rows_take_their_deadlines_from_paths_or_else_the_tree(city, town, other_town):
    Deadline.objects.create(organ=city, year=2023, due_on=datetime.date(2024, 2, 15))
    Deadline.objects.create(organ=town, year=2023, due_on=datetime.date(2024, 1, 20))
    make_report(town, 2023, Status.SUBMITTED)
    make_report(other_town, 2023, Status.SUBMITTED)
    expected = {town.pk: datetime.date(2024, 1, 20), other_town.pk: datetime.date(2024, 2, 15)}
    # Loaded with their organs: the paths name the ancestors, one query for the Deadline rows.
    reports = list(AnnualReport.objects.select_related("organ"))
    with CaptureQueriesContext(connection) as captured:
        attach_deadlines(reports)
    assert {r.organ_id: r.deadline for r in reports} == expected
    assert len(captured) == 1 and "RECURSIVE" not in captured.captured_queries[0]["sql"]
    # Without their organs loaded: the tree is walked instead, with the same answer.
    reports = list(AnnualReport.objects.all())
    attach_deadlines(reports)
    assert {r.organ_id: r.deadline for r in reports} == expected
