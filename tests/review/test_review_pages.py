"""The review queue's order and figures, the year-over-year comparison and cell comments."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import formats, layout
from filing import services
from filing.models import AnnualReport, AuditEvent, Finding
from filing.workflow import Status
from organs.models import Organ
from review import queue as review_queue
from review import selectors as selectors_review
from review import services as review_services
from review.models import Deadline
from tests.review.test_review_workflow import clean_figures
from tests.support.factories import make_report, system_admin

pytestmark = pytest.mark.django_db


def submit(report, when: datetime.datetime):
    """Submit through the transition service, as if at a chosen time."""
    services.report_transition(
        report=report, to_status=Status.SUBMITTED, acting_user=system_admin()
    )
    latest = AuditEvent.objects.filter(report=report, action="report.submitted").latest("id")
    AuditEvent.objects.filter(pk=latest.pk).update(at=when)
    AnnualReport.objects.filter(pk=report.pk).update(submitted_at=when)


def at(day: int, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2024, 1, day, hour))


def test_the_queue_lists_the_oldest_latest_submission_first(client, supervisor, town, other_town):
    third = Organ.objects.create(name="晋江市磁灶镇人民政府", slug="cizao", parent=town.parent)
    early, middle, resubmitted = (make_report(o, 2023) for o in (town, other_town, third))
    submit(resubmitted, at(2))
    submit(early, at(3))
    submit(middle, at(4))
    review_services.report_return(report=resubmitted, acting_user=supervisor, comment="补充说明")
    submit(resubmitted, at(5))

    client.force_login(supervisor)
    response = client.get(reverse("reports:review_queue"))
    queue = response.context["submitted"]
    assert [r.pk for r in queue] == [early.pk, middle.pk, resubmitted.pk]
    assert queue[2].submitted_at == at(5)
    page = response.content.decode()
    assert page.index(town.name) < page.index(other_town.name) < page.index(third.name)


def test_the_queue_counts_errors_and_warnings_and_days_to_the_deadline(client, supervisor, town):
    figures = clean_figures(3, 2, 1)
    figures[formats.SECTION3]["一"] = [3, 0, 0, 0, 0, 0, 4]  # the row total is wrong
    report = make_report(town, 2023, figures=figures)
    services.report_findings_refresh(report=report)
    submit(report, at(3))
    errors = report.findings.filter(severity=Finding.Severity.ERROR).count()
    warnings = report.findings.filter(severity=Finding.Severity.WARNING).count()
    assert errors >= 1

    client.force_login(supervisor)
    [row] = client.get(reverse("reports:review_queue")).context["submitted"]
    assert (row.error_count, row.warning_count) == (errors, warnings)
    due = selectors_review.report_deadline(town, 2023)
    assert row.deadline == due
    assert row.days_left == (due - timezone.localdate()).days


def test_the_queue_is_paged_oldest_first(client, supervisor, city, monkeypatch):
    monkeypatch.setattr(review_queue, "QUEUE_PAGE_SIZE", 2)
    towns = [Organ.objects.create(name=f"镇{i}", slug=f"t{i}", parent=city) for i in range(3)]
    for i, organ in enumerate(towns):
        submit(make_report(organ, 2023), at(i + 1))
    client.force_login(supervisor)
    first = client.get(reverse("reports:review_queue")).context["submitted"]
    second = client.get(reverse("reports:review_queue"), {"page": 2}).context["submitted"]
    assert [r.organ for r in first] + [r.organ for r in second] == towns
    assert first.paginator.count == 3
    assert selectors_review.report_deadline(towns[0], 2023) == datetime.date(2024, 1, 31)


def test_a_regional_deadline_is_used_when_the_deadlines_module_exists(client, supervisor, town):
    Deadline.objects.create(organ=town.parent, year=2023, due_on=datetime.date(2024, 3, 31))
    submit(make_report(town, 2023), at(3))
    client.force_login(supervisor)
    [row] = client.get(reverse("reports:review_queue")).context["submitted"]
    assert row.deadline == datetime.date(2024, 3, 31)


def test_the_review_page_compares_with_last_years_report(client, supervisor, town):
    make_report(town, 2022, Status.PUBLISHED, figures=clean_figures(5, 4, 1))
    figures = clean_figures(3, 2, 1)
    figures[formats.SECTION3]["二"] = [2, 0, 0, 0, 0, 0, 2]  # last year carried out 1, not 2
    figures[formats.SECTION3]["三.七"] = figures[formats.SECTION3]["三.一"] = [4, 0, 0, 0, 0, 0, 4]
    report = make_report(town, 2023, figures=figures)
    services.report_findings_refresh(report=report)
    submit(report, at(3))

    client.force_login(supervisor)
    response = client.get(reverse("reports:review_detail", kwargs={"pk": report.pk}))
    comparison = response.context["comparison"]
    changes = {c.cell: c for c in comparison.changes}
    received = changes[("section3", "一", "自然人")]
    assert (received.old, received.new, received.difference) == (5, 3, -2)
    carried_in = changes[("section3", "二", "总计")]
    assert (carried_in.old, carried_in.new, carried_in.difference) == (0, 2, 2)
    assert ("section3", "四", "自然人") not in changes  # 1 both years
    assert [f.code for f in comparison.findings] == ["carryover", "carryover"]
    page = response.content.decode()
    assert "与上年度报告对照" in page
    assert "carryover" in page
    assert "+2" in page


def test_a_comment_on_a_cell_marks_the_cell_and_names_it(client, supervisor, town):
    report = make_report(town, 2023)
    submit(report, at(3))
    cell = ("section4", "行政复议", "结果维持")
    client.force_login(supervisor)
    url = reverse("reports:review_comment", kwargs={"pk": report.pk})
    response = client.post(url, {"comment-cell": layout.cell_name(cell), "comment-body": "请核实"})
    assert response.status_code == 302
    page = client.get(reverse("reports:review_detail", kwargs={"pk": report.pk})).content.decode()
    assert "四、行政复议、行政诉讼情况 行政复议 · 结果维持" in page
    assert 'class="cell-comment"' in page

    response = client.post(url, {"comment-cell": "c__section9__x__y", "comment-body": "?"})
    assert response.status_code == 400
    response = client.post(url, {"comment-cell": "", "comment-body": " "})
    assert response.status_code == 400
    assert "意见内容不能为空。" in response.content.decode()
    assert report.comments.count() == 1


def test_comment_add_refuses_a_cell_the_report_does_not_have(supervisor, town):
    report = make_report(town, 2023, edition=formats.EDITION_2019)
    # 本年制发件数 is a 2021-edition column; the 2019 edition's tables have no such cell.
    with pytest.raises(ValidationError) as caught:
        review_services.comment_add(
            report=report,
            author=supervisor,
            body="?",
            cell=("section2", "规章", "本年制发件数"),
        )
    assert caught.value.code == "comment_cell_unknown"


def test_the_queue_costs_the_same_queries_for_one_report_or_many(
    client, supervisor, town, django_assert_max_num_queries
):
    submit(make_report(town, 2023), at(3))
    client.force_login(supervisor)
    queue = reverse("reports:review_queue")
    client.get(queue)  # warm the session and the content types
    with CaptureQueriesContext(connection) as one:
        assert client.get(queue).status_code == 200
    for i in range(4):
        organ = Organ.objects.create(name=f"镇{i}", slug=f"town-{i}", parent=town.parent)
        submit(make_report(organ, 2023), at(4 + i))
        submit(make_report(organ, 2022), at(4 + i, 10))
    with django_assert_max_num_queries(len(one) + 2):  # a second year's deadlines: 2 more
        response = client.get(queue)
    assert len(response.context["submitted"]) == 9
