"""The compliance dashboard: statuses, deadlines, lateness, filters, CSV, access, queries."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filing.models import Finding
from filing.workflow import Status
from organs.models import Organ
from review import services as review_services
from review.deadlines import OrganTree, compliance_rows
from review.models import Deadline
from tests.support.factories import make_report, system_admin

pytestmark = pytest.mark.django_db

URL = reverse("reports:compliance")
CSV_URL = reverse("reports:compliance_csv")
TODAY = datetime.date(2024, 3, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def supervisor_client(client, supervisor):
    client.force_login(supervisor)
    return client


@pytest.fixture
def region(city, town, other_town, outside_town):
    """紫帽镇 published late, 英林镇 reopened for correction, 宝盖镇 (outside) untouched."""
    published = make_report(town, 2023, Status.PUBLISHED, published_on=datetime.date(2024, 2, 5))
    Finding.objects.create(report=published, code="x", severity="error", message="错")
    Finding.objects.create(report=published, code="y", severity="warning", message="警")
    corrected = make_report(
        other_town, 2023, Status.PUBLISHED, published_on=datetime.date(2024, 1, 20)
    )
    review_services.report_reopen(report=corrected, acting_user=system_admin(), reason="更正数字")
    return {"published": published, "corrected": corrected}


def by_name(rows):
    return {r.organ.name: r for r in rows}


def test_rows_give_status_deadline_lateness_and_errors(region, city, town):
    rows = by_name(
        compliance_rows(year=2023, tree=OrganTree.load(), root_ids=[city.pk], today=TODAY)
    )
    assert set(rows) == {"晋江市紫帽镇人民政府", "晋江市英林镇人民政府"}
    zimao = rows["晋江市紫帽镇人民政府"]
    assert (zimao.status, zimao.correcting) == ("published", False)
    assert zimao.deadline == datetime.date(2024, 1, 31)
    assert zimao.days_late == 5  # first publication 5 February
    assert zimao.errors == 1
    yinglin = rows["晋江市英林镇人民政府"]
    assert (yinglin.status, yinglin.correcting, yinglin.days_late) == ("published", True, 0)


def test_an_unpublished_report_is_late_as_of_today_against_the_regions_deadline(city, town):
    Deadline.objects.create(organ=city, year=2023, due_on=datetime.date(2024, 2, 20))
    make_report(town, 2023, Status.SUBMITTED)
    row = by_name(compliance_rows(year=2023, tree=OrganTree.load(), root_ids=None, today=TODAY))[
        "晋江市紫帽镇人民政府"
    ]
    assert (row.status, row.deadline, row.days_late) == (
        "submitted",
        datetime.date(2024, 2, 20),
        10,
    )


def test_supervisor_sees_every_organ_of_the_region_and_nothing_outside(
    supervisor_client, region, outside_town
):
    response = supervisor_client.get(URL, {"year": 2023})
    assert response.status_code == 200
    page = response.content.decode()
    assert "晋江市紫帽镇人民政府" in page and "晋江市英林镇人民政府" in page
    assert "更正中" in page
    assert outside_town.name not in page


def test_not_started_organs_are_listed_and_filterable(supervisor_client, city, town, other_town):
    make_report(town, 2023, Status.DRAFT)
    response = supervisor_client.get(URL, {"year": 2023, "status": "not_started"})
    page = response.content.decode()
    assert "晋江市英林镇人民政府" in page
    assert "晋江市紫帽镇人民政府" not in page


def test_late_only_filter(supervisor_client, region):
    response = supervisor_client.get(URL, {"year": 2023, "late": "on"})
    page = response.content.decode()
    assert "晋江市紫帽镇人民政府" in page
    assert "晋江市英林镇人民政府" not in page


def test_admin_chooses_the_region(client, portal_admin, region, outside_town):
    client.force_login(portal_admin)
    everything = client.get(URL, {"year": 2023}).content.decode()
    assert outside_town.name in everything
    city = Organ.objects.get(slug="jinjiang")
    one_region = client.get(URL, {"year": 2023, "region": city.pk}).content.decode()
    assert outside_town.name not in one_region
    assert "晋江市紫帽镇人民政府" in one_region


def test_a_supervisor_cannot_choose_a_region_outside_theirs(
    supervisor_client, django_user_model, outside_town
):
    Organ.objects.create(name="宝盖镇某村", slug="cun", parent=outside_town)
    response = supervisor_client.get(URL, {"year": 2023, "region": outside_town.pk})
    assert response.status_code == 400
    assert "宝盖镇某村" not in response.content.decode()


@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_clerks_are_refused_and_anonymous_users_sent_to_login(client, clerk, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    client.force_login(clerk)
    assert client.get(url).status_code == 403


def test_csv_has_a_bom_and_the_same_filters(supervisor_client, region):
    response = supervisor_client.get(CSV_URL, {"year": 2023, "late": "on"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="compliance-2023.csv"' in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "机关"
    assert rows[1:] == [
        ["晋江市紫帽镇人民政府", "2023", "已发布", "", "2024-01-31", "2024-02-05", "5", "1"]
    ]


def test_the_page_links_to_the_csv_with_the_filters(supervisor_client, region):
    page = supervisor_client.get(URL, {"year": 2023, "late": "on"}).content.decode()
    assert f"{CSV_URL}?year=2023&amp;late=on" in page


def test_query_count_does_not_grow_with_the_number_of_organs(
    supervisor_client, city, django_assert_num_queries
):
    def add(start, count):
        for i in range(start, start + count):
            organ = Organ.objects.create(name=f"镇{i:03}", slug=f"t{i}", parent=city)
            report = make_report(organ, 2023, Status.SUBMITTED)
            Finding.objects.create(report=report, code="x", severity="error", message="错")

    add(0, 2)
    with CaptureQueriesContext(connection) as few:
        assert supervisor_client.get(URL, {"year": 2023}).status_code == 200
    add(2, 20)
    with django_assert_num_queries(len(few.captured_queries)):
        page = supervisor_client.get(URL, {"year": 2023}).content.decode()
    assert "镇021" in page


def test_a_large_region_is_paged_and_the_csv_has_every_organ(supervisor_client, city, monkeypatch):
    from review.views import compliance as view

    monkeypatch.setattr(view, "PAGE_SIZE", 3)
    for i in range(5):
        Organ.objects.create(name=f"镇{i:03}", slug=f"t{i}", parent=city)
    response = supervisor_client.get(URL, {"year": 2023})
    assert 'rel="next" href="?year=2023&amp;page=2"' in response.content.decode()
    first = response.context
    second = supervisor_client.get(URL, {"year": 2023, "page": 2}).context
    shown = [row.organ.name for row, _url in first["entries"] + second["entries"]]
    assert len(shown) == len(set(shown)) == first["total"] == 5
    assert "year=2023" in first["page_query"]
    csv_text = supervisor_client.get(reverse("reports:compliance_csv"), {"year": 2023})
    assert all(name in csv_text.content.decode("utf-8-sig") for name in shown)


def test_the_nav_links_to_the_dashboard_for_supervisors_only(client, supervisor, clerk):
    link = f'href="{URL}"'
    client.force_login(supervisor)
    assert link in client.get(reverse("reports:workspace")).content.decode()
    client.force_login(clerk)
    assert link not in client.get(reverse("reports:workspace")).content.decode()
