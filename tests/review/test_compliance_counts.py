"""The compliance counts kept per region and year (review/standing.py) stay equal to counting
the region afresh through every write that changes them: the workflow, publication and its
correction, organs added, switched off, moved and deleted, deadlines set, moved and removed."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest

from filing.models import AnnualReport
from filing.services import report_transition
from filing.workflow import Status
from organs.models import Organ
from public import services as public_services
from review import services as review_services
from review.deadlines import ComplianceQuery, OrganTree, compliance_rows
from review.models import ComplianceLeafTally, ComplianceTally, Deadline
from review.standing import standing_rebuild
from tests.support.factories import make_report, system_admin

pytestmark = pytest.mark.django_db

YEAR = 2023
# Before, between and after the deadlines used below: lateness of unpublished reports moves.
TODAYS = (datetime.date(2024, 1, 20), datetime.date(2024, 2, 15), datetime.date(2024, 4, 1))


@pytest.fixture
def land(db):
    province = Organ.objects.create(name="某省", slug="prov", kind="other")
    cities = [
        Organ.objects.create(name=f"市{c}", slug=f"city{c}", kind="city", parent=province)
        for c in range(2)
    ]
    counties = {}
    for c, city in enumerate(cities):
        for k in range(2):
            county = Organ.objects.create(
                name=f"市{c}县{k}", slug=f"c{c}k{k}", kind="county", parent=city
            )
            counties[(c, k)] = county
            for t in range(3):
                Organ.objects.create(
                    name=f"市{c}县{k}镇{t}", slug=f"c{c}k{k}t{t}", kind="town", parent=county
                )
    return {"province": province, "cities": cities, "counties": counties}


def town(name: str) -> Organ:
    return Organ.objects.get(name=name)


def expected(roots, today, year=YEAR) -> dict:
    rows = compliance_rows(year=year, tree=OrganTree.load(), root_ids=roots, today=today)
    counts: dict = {}
    for row in rows:
        n, late = counts.get(row.status, (0, 0))
        counts[row.status] = (n + 1, late + bool(row.days_late))
    return counts


def kept_rows() -> tuple[Counter, Counter]:
    tally = Counter(
        {
            key[:-1]: key[-1]
            for key in ComplianceTally.objects.values_list(
                "node_id", "year", "status", "due_on", "late", "leaf", "n"
            )
        }
    )
    leaves = Counter(dict(ComplianceLeafTally.objects.values_list("node_id", "n")))
    return +tally, +leaves


def check(land, years=(YEAR,)) -> None:
    """Every region's kept counts equal a fresh count, and equal what a rebuild keeps."""
    regions = [None, [land["province"].pk], *[[c.pk] for c in land["cities"]]]
    regions += [[c.pk] for c in land["counties"].values()]
    regions.append([land["cities"][0].pk, land["counties"][(0, 1)].pk])  # nested roots
    for year in years:
        for roots in regions:
            for today in TODAYS:
                query = ComplianceQuery(year=year, root_ids=roots, today=today)
                assert query.summary() == expected(roots, today, year), (year, roots, today)
    before = kept_rows()
    standing_rebuild()
    assert kept_rows() == before


def publish(report, on: datetime.date, note: str = ""):
    return public_services.report_publish(
        report=report, acting_user=system_admin(), published_on=on, correction_note=note
    )


def test_the_workflow_publication_and_correction_keep_the_counts(land):
    admin = system_admin()
    check(land)  # nothing reported: every town not started
    draft = make_report(town("市0县0镇0"), YEAR)
    check(land)
    report_transition(report=draft, to_status=Status.SUBMITTED, acting_user=admin)
    check(land)
    review_services.report_return(report=draft, acting_user=admin, comment="补充")
    check(land)
    report_transition(report=draft, to_status=Status.SUBMITTED, acting_user=admin)
    review_services.report_approve(report=draft, acting_user=admin)
    check(land)
    publish(draft, datetime.date(2024, 2, 3))  # late against 31 January
    check(land)
    review_services.report_reopen(report=draft, acting_user=admin, reason="更正")
    check(land)  # still counted as published, by the first publication's date
    report_transition(report=draft, to_status=Status.SUBMITTED, acting_user=admin)
    review_services.report_approve(report=draft, acting_user=admin)
    publish(draft, datetime.date(2024, 5, 1), note="更正数字")
    check(land)
    on_time = make_report(town("市1县0镇1"), YEAR, Status.APPROVED)
    publish(on_time, datetime.date(2024, 1, 31))
    make_report(town("市1县1镇2"), YEAR + 1, Status.SUBMITTED)
    check(land, years=(YEAR, YEAR + 1))
    on_time.delete()
    check(land)


def test_deadlines_set_moved_and_removed_keep_the_counts(land):
    make_report(town("市0县0镇0"), YEAR, Status.SUBMITTED)
    published = make_report(town("市0县1镇1"), YEAR, Status.APPROVED)
    publish(published, datetime.date(2024, 2, 10))
    check(land)
    county = Deadline.objects.create(
        organ=land["counties"][(0, 1)], year=YEAR, due_on=datetime.date(2024, 2, 20)
    )
    check(land)  # no longer late: its county gave it until 20 February
    city = Deadline.objects.create(
        organ=land["cities"][0], year=YEAR, due_on=datetime.date(2024, 2, 1)
    )
    check(land)
    county.due_on = datetime.date(2024, 2, 5)
    county.save()
    check(land)
    county.organ = land["counties"][(1, 0)]
    county.save()
    check(land)
    city.delete()
    check(land)
    Deadline.objects.filter(pk=county.pk).delete()
    check(land)


def test_organs_added_switched_off_moved_and_deleted_keep_the_counts(land):
    make_report(town("市0县0镇0"), YEAR, Status.SUBMITTED)
    published = make_report(town("市0县0镇1"), YEAR, Status.APPROVED)
    publish(published, datetime.date(2024, 2, 3))
    Deadline.objects.create(
        organ=land["counties"][(1, 1)], year=YEAR, due_on=datetime.date(2024, 3, 1)
    )
    check(land)
    # A town below a town: the upper one no longer has to report.
    upper = town("市0县1镇0")
    Organ.objects.create(name="村", slug="village", kind="other", parent=upper)
    check(land)
    off = town("市0县1镇1")
    off.is_active = False
    off.save()
    check(land)
    moved = town("市0县0镇1")  # published, moved into a county with a later deadline
    moved.parent = land["counties"][(1, 1)]
    moved.save()
    check(land)
    Organ.objects.filter(pk=land["counties"][(0, 0)].pk).update(parent=land["cities"][1])
    check(land)
    town("市0县1镇2").delete()  # organs with reports are protected; this one has none
    check(land)
    emptied = land["counties"][(1, 0)]
    for child in Organ.objects.filter(parent=emptied):
        child.delete()
    check(land)  # a county with no organs below must report itself


def test_a_rebuild_mends_a_status_written_behind_the_orms_back(land):
    report = make_report(town("市1县1镇1"), YEAR, Status.DRAFT)
    AnnualReport.objects.filter(pk=report.pk).update(status=Status.SUBMITTED)
    roots = [land["province"].pk]
    today = TODAYS[0]
    stale = ComplianceQuery(year=YEAR, root_ids=roots, today=today).summary()
    assert stale != expected(roots, today)
    standing_rebuild()
    fresh = ComplianceQuery(year=YEAR, root_ids=roots, today=today).summary()
    assert fresh == expected(roots, today)
