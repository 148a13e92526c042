"""Staff pages at scale: the same number of queries for a county's supervisor and a province's,
for a small region and a grown one; the set-based reads give the answers of the plain ones.

A region walked one query per level of the tree, or a query per row of a page, fails here: the
province is two levels deeper than the county and holds several times its organs and reports.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filing.models import AnnualReport, Finding
from filing.workflow import Status
from organs.models import Membership, Organ
from organs.permissions import supervised_organ_ids
from review.deadlines import STATUS_KEYS, ComplianceQuery, OrganTree, compliance_rows
from review.models import Deadline
from tests.support.factories import make_report

YEAR = 2023
TODAY = datetime.date(2024, 3, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def add_towns(county, start: int, count: int) -> list[Organ]:
    """Towns under a county, each with a submitted, an approved and a draft report."""
    towns = []
    for i in range(start, start + count):
        town = Organ.objects.create(
            name=f"{county.name}{i:02d}镇", slug=f"{county.slug}-t{i}", kind="town", parent=county
        )
        submitted = make_report(town, YEAR, Status.SUBMITTED)
        Finding.objects.create(report=submitted, code="x", severity="error", message="错")
        Finding.objects.create(report=submitted, code="y", severity="warning", message="警")
        make_report(town, YEAR - 1, Status.APPROVED)
        make_report(town, YEAR - 2, Status.DRAFT)
        towns.append(town)
    return towns


@pytest.fixture
def tree(django_user_model):
    """A province > two cities > two counties each > towns; supervisors of a county and the
    province, a clerk of one town."""
    province = Organ.objects.create(name="某省", slug="prov", kind="other")
    counties = []
    for c in range(2):
        city = Organ.objects.create(name=f"市{c}", slug=f"city{c}", kind="city", parent=province)
        for k in range(2):
            county = Organ.objects.create(
                name=f"市{c}县{k}", slug=f"c{c}k{k}", kind="county", parent=city
            )
            add_towns(county, 0, 2)
            counties.append(county)
    Deadline.objects.create(organ=counties[1].parent, year=YEAR, due_on=datetime.date(2024, 2, 10))
    users = {}
    for name, role, organ in [
        ("sup-county", Membership.Role.SUPERVISOR, counties[0]),
        ("sup-province", Membership.Role.SUPERVISOR, province),
    ]:
        users[name] = django_user_model.objects.create_user(username=name, password="pw")
        Membership.objects.create(user=users[name], role=role, organ=organ)
    return {"province": province, "counties": counties, "users": users}


def queries(client, user, url: str) -> int:
    client.force_login(user)
    client.get(url)  # per-process caches out of the count
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def staff_urls(tree) -> list[str]:
    county = tree["counties"][0].pk
    review, compliance = reverse("reports:review_queue"), reverse("reports:compliance")
    return [
        review,
        f"{review}?page=2&approved_page=2",
        f"{compliance}?year={YEAR}",
        f"{compliance}?year={YEAR}&status=submitted&late=on",
        f"{compliance}?year={YEAR}&region={county}&page=2",
    ]


def test_a_countys_and_a_provinces_supervisor_cost_the_same_queries(client, tree):
    users = tree["users"]
    for url in staff_urls(tree):
        county = queries(client, users["sup-county"], url)
        province = queries(client, users["sup-province"], url)
        assert county == province, url


def test_staff_page_queries_do_not_grow_with_the_region(client, tree, django_user_model):
    users = tree["users"]
    before = {url: queries(client, users["sup-province"], url) for url in staff_urls(tree)}
    for county in tree["counties"]:
        add_towns(county, 2, 6)
    for url, count in before.items():
        assert queries(client, users["sup-province"], url) == count, url


def test_the_workspace_costs_the_same_queries_for_one_report_or_many(
    client, tree, django_user_model
):
    few, many = tree["counties"][0], tree["counties"][1]
    clerks = {}
    for county in (few, many):
        town = Organ.objects.filter(parent=county).order_by("pk").first()
        clerks[county.pk] = django_user_model.objects.create_user(username=f"clerk{county.pk}")
        Membership.objects.create(user=clerks[county.pk], role="clerk", organ=town)
        if county is many:
            for year in range(2010, YEAR - 2):
                make_report(town, year, Status.RETURNED)
    url = reverse("reports:workspace")
    assert queries(client, clerks[few.pk], url) == queries(client, clerks[many.pk], url)


def test_the_queue_lists_the_whole_region_in_order_across_pages(client, tree, monkeypatch):
    from review import queue

    monkeypatch.setattr(queue, "QUEUE_PAGE_SIZE", 3)
    client.force_login(tree["users"]["sup-province"])
    seen = []
    for page in (1, 2, 3):
        context = client.get(reverse("reports:review_queue"), {"page": page}).context
        seen += [(r.pk, r.error_count, r.warning_count) for r in context["submitted"]]
    expected = AnnualReport.objects.filter(status=Status.SUBMITTED).order_by("pk")
    assert [pk for pk, _e, _w in seen] == list(expected.values_list("pk", flat=True))
    assert {(e, w) for _pk, e, w in seen} == {(1, 1)}
    # A page past the end shows the last one, like Paginator.get_page.
    last = client.get(reverse("reports:review_queue"), {"page": 99}).context["submitted"]
    assert last.number == 3 and [r.pk for r in last] == [pk for pk, _e, _w in seen[6:]]


def test_supervised_organ_ids_is_the_union_of_the_regions(tree, django_user_model):
    user = tree["users"]["sup-county"]
    other = tree["counties"][3]
    Membership.objects.create(user=user, role=Membership.Role.SUPERVISOR, organ=other)
    expected = set(tree["counties"][0].region_ids()) | set(other.region_ids())
    assert supervised_organ_ids(user) == expected
    assert supervised_organ_ids(tree["users"]["sup-province"]) == set(tree["province"].region_ids())
    user.is_active = False
    user.save()
    assert supervised_organ_ids(user) == set()


# ---------------------------------------------------------------- the dashboard's rows


@pytest.fixture
def standings(tree):
    """Every kind of row compliance_rows knows: late and on-time publications, a correction, an
    inactive organ with a report, an active organ whose children are all inactive, deadlines
    set at two levels."""
    counties = tree["counties"]
    towns = list(Organ.objects.filter(parent=counties[0]).order_by("pk"))
    early = make_report(
        towns[0], YEAR + 1, Status.PUBLISHED, published_on=datetime.date(2025, 1, 5)
    )
    late = make_report(
        Organ.objects.create(name="迟镇", slug="late", parent=counties[1]),
        YEAR,
        Status.PUBLISHED,
        published_on=datetime.date(2024, 2, 20),
    )
    corrected = make_report(
        Organ.objects.create(name="更正镇", slug="corr", parent=counties[2]),
        YEAR,
        Status.PUBLISHED,
        published_on=datetime.date(2024, 1, 2),
    )
    AnnualReport.objects.filter(pk=corrected.pk).update(status=Status.RETURNED)
    make_report(  # on the day of the national deadline: not late
        Organ.objects.create(name="准时镇", slug="on-time", parent=counties[3]),
        YEAR,
        Status.PUBLISHED,
        published_on=datetime.date(2024, 1, 31),
    )
    gone = Organ.objects.create(name="撤并镇", slug="gone", parent=counties[3], is_active=False)
    make_report(gone, YEAR, Status.SUBMITTED)
    Organ.objects.create(name="无报告停用镇", slug="idle", parent=counties[3], is_active=False)
    empty = Organ.objects.create(name="空街道", slug="empty", parent=counties[2])
    Organ.objects.create(name="空街道停用社区", slug="empty-x", parent=empty, is_active=False)
    Deadline.objects.create(organ=counties[2], year=YEAR, due_on=datetime.date(2024, 3, 15))
    Deadline.objects.create(organ=counties[0], year=YEAR + 1, due_on=datetime.date(2025, 1, 1))
    return {"early": early, "late": late, "corrected": corrected}


@pytest.mark.parametrize("year", [YEAR, YEAR + 1])
def test_the_dashboards_query_gives_compliance_rows_answers(tree, standings, year):
    counties = tree["counties"]
    scopes = [
        None,
        [tree["province"].pk],
        [counties[0].parent_id],
        [counties[2].pk],
        [counties[2].pk, counties[2].parent_id],  # overlapping roots
        [counties[3].pk],
    ]
    for roots in scopes:
        reference = compliance_rows(year=year, tree=OrganTree.load(), root_ids=roots, today=TODAY)
        for status in ("", *STATUS_KEYS):
            for late in (False, True):
                expected = [
                    r
                    for r in reference
                    if (not status or r.status == status) and (not late or r.days_late)
                ]
                query = ComplianceQuery(
                    year=year, root_ids=roots, today=TODAY, status=status, late=late
                )
                assert query.all() == expected, (roots, status, late)
                assert query.count() == len(expected)
                assert query.late_count() == sum(bool(r.days_late) for r in expected)
                counts = {key: n for key, (n, _late) in query.summary().items()}
                assert counts == {
                    key: n for key in STATUS_KEYS if (n := sum(r.status == key for r in expected))
                }
                assert query[0:3] + query[3:100] == expected


def test_the_reference_rows_cover_every_case(tree, standings):
    rows = {
        r.organ.name: r
        for r in compliance_rows(year=YEAR, tree=OrganTree.load(), root_ids=None, today=TODAY)
    }
    assert rows["迟镇"].days_late == 10  # its city's deadline, 10 February
    assert rows["更正镇"].correcting and rows["更正镇"].deadline == datetime.date(2024, 3, 15)
    assert "撤并镇" in rows and "无报告停用镇" not in rows and "空街道" in rows
    assert rows["空街道"].status == "not_started"
    assert rows["准时镇"].deadline == rows["准时镇"].published_on  # the national default
    assert rows["准时镇"].days_late == 0


def test_a_dashboard_page_past_the_end_shows_the_last_page_at_the_same_cost(
    client, tree, monkeypatch
):
    from review.views import compliance as view

    monkeypatch.setattr(view, "PAGE_SIZE", 3)
    user = tree["users"]["sup-province"]
    url = reverse("reports:compliance")
    client.force_login(user)
    pages = [client.get(url, {"year": YEAR, "page": n}).context for n in (1, 2, 3)]
    shown = [row.organ.name for page in pages for row, _url in page["entries"]]
    assert len(shown) == pages[0]["total"] == 8 and shown == sorted(shown)
    past = client.get(url, {"year": YEAR, "page": 99}).context
    assert past["page"].number == 3
    assert [row.organ.name for row, _url in past["entries"]] == shown[6:]
    first = queries(client, user, f"{url}?year={YEAR}&page=1")
    assert queries(client, user, f"{url}?year={YEAR}&page=99") == first
