"""The report and organ pages read everything they show in one query each."""

from datetime import date

import pytest

from filing.workflow import Status
from organs.models import Organ
from public.models import Publication
from review.deadlines import deadline_for
from review.models import Deadline
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db


def deadline_shown(html: str) -> str:
    return html.split("截止日期 ", 1)[1][:10]


def test_report_page_shows_the_nearest_regions_deadline_as_it_is_now_in_one_query(
    client, city, town, django_assert_num_queries
):
    make_report(town, 2023, Status.PUBLISHED, published_on=date(2024, 1, 20))
    with django_assert_num_queries(1):
        html = client.get("/reports/zimao/2023/").content.decode()
    assert deadline_shown(html) == "2024-01-31" and "按时发布" in html
    # A region's own deadline applies to its towns; the town's own wins over it. Each
    # change shows on the next page at once: nothing keeps the old one.
    Deadline.objects.create(organ=city, year=2023, due_on=date(2024, 1, 15))
    html = client.get("/reports/zimao/2023/").content.decode()
    assert deadline_shown(html) == "2024-01-15" and "逾期 5 天" in html
    Deadline.objects.create(organ=town, year=2023, due_on=date(2024, 2, 1))
    Deadline.objects.create(organ=city, year=2022, due_on=date(2023, 1, 1))  # another year
    html = client.get("/reports/zimao/2023/").content.decode()
    assert deadline_shown(html) == "2024-02-01" == deadline_for(town, 2023).isoformat()
    assert "按时发布" in html


def test_report_page_deadline_of_an_organ_whose_path_is_not_written_walks_the_tree(
    client, city, town
):
    make_report(town, 2023, Status.PUBLISHED, published_on=date(2024, 1, 20))
    Deadline.objects.create(organ=city, year=2023, due_on=date(2024, 1, 10))
    Organ.objects.filter(pk=town.pk).update(path="")  # as a load behind the ORM leaves it
    html = client.get("/reports/zimao/2023/").content.decode()
    assert deadline_shown(html) == "2024-01-10" and "逾期 10 天" in html


def test_earlier_version_shows_its_own_figures_and_links_to_every_version(client, town):
    report = make_report(town, 2023, Status.PUBLISHED, overview="第一版概述")
    Publication.objects.filter(pk=report.current_publication_id).update(is_current=False)
    second = Publication.objects.get(pk=report.current_publication_id)
    second.pk, second.number, second.is_current = None, 2, True
    second.overview, second.correction_note = "更正后的概述", "更正表三"
    second.save()
    current = client.get("/reports/zimao/2023/").content.decode()
    assert "更正后的概述" in current and "第一版概述" not in current
    assert 'href="/reports/zimao/2023/?version=1"' in current and "更正表三" in current
    earlier = client.get("/reports/zimao/2023/?version=1").content.decode()
    assert "第一版概述" in earlier and "更正后的概述" not in earlier
    assert 'href="/reports/zimao/2023/original?version=1"' not in earlier  # no file
    assert 'href="/reports/zimao/2023/figures.json?version=1"' in earlier
    assert client.get("/reports/zimao/2023/?version=3").status_code == 404
    assert client.get("/reports/zimao/2024/").status_code == 404


def test_organ_page_lists_its_reports_newest_first_and_its_organs_by_name_in_one_query(
    client, city, town, other_town, django_assert_num_queries
):
    make_report(city, 2022, Status.PUBLISHED)
    make_report(city, 2023, Status.PUBLISHED)
    make_report(city, 2021, Status.DRAFT)  # not published: not listed
    with django_assert_num_queries(1):
        response = client.get("/organs/jinjiang/")
    assert [p.year for p in response.context["publications"]] == [2023, 2022]
    html = response.content.decode()
    assert html.index('href="/reports/jinjiang/2023/"') < html.index(
        'href="/reports/jinjiang/2022/"'
    )
    by_name = Organ.objects.filter(parent=city).order_by("name", "pk")  # the database's order
    assert [c.slug for c in response.context["children"]] == [c.slug for c in by_name]
    assert 'href="/organs/zimao/"' in html and 'href="/organs/yinglin/"' in html
    assert 'href="/regions/jinjiang/2023/"' in html
    # An organ with no publication and nothing below it.
    html = client.get("/organs/zimao/").content.decode()
    assert "这个机关还没有已发布的报告。" in html and "organ-children" not in html
    assert client.get("/organs/nosuch/").status_code == 404
