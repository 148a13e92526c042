"""Publishing freezes a report; a correction adds a version and keeps the earlier one."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core import formats
from core.figureset import empty_figures
from filing import services
from filing.figures import figures_set
from filing.models import AnnualReport, AuditEvent
from filing.workflow import Status
from public import services as public_services
from public.measures import MEASURES, publication_measures
from public.models import Publication, PublishedFigure
from review import services as review_services
from tests.support.factories import make_report, system_admin

pytestmark = pytest.mark.django_db


def busy_figures() -> dict:
    """A 2021-edition report with figures in every key cell (all different)."""
    figures = empty_figures(formats.EDITION_2021)
    figures[formats.SECTION3]["一"] = [10, 2, 0, 1, 0, 0, 13]
    figures[formats.SECTION3]["三.一"] = [6, 1, 0, 1, 0, 0, 8]
    # 行政复议 维持 1, 总计 2; 未经复议直接起诉 总计 3; 复议后起诉 总计 1.
    figures[formats.SECTION4] = [1, 0, 1, 0, 2, 2, 0, 0, 1, 3, 0, 0, 1, 0, 1]
    return figures


def test_measures_are_summed_from_the_official_cells_of_either_edition():
    measures = publication_measures(busy_figures(), formats.EDITION_2021)
    assert (measures["received"], measures["granted_full"]) == (13, 8)
    # 行政复议 is one row; 行政诉讼 sums 未经复议直接起诉 and 复议后起诉.
    review = {k: v for k, v in measures.items() if k.startswith("review_")}
    assert review == {"review_upheld": 1, "review_corrected": 0, "review_other": 1,
                      "review_pending": 0, "review_total": 2}  # fmt: skip
    litigation = {k: v for k, v in measures.items() if k.startswith("litigation_")}
    assert litigation == {"litigation_upheld": 2, "litigation_corrected": 0,
                          "litigation_other": 1, "litigation_pending": 1,
                          "litigation_total": 4}  # fmt: skip
    assert measures["granted_partial"] is None  # blank cells are not zeros
    assert measures.keys() == {m.key for m in MEASURES}
    blank = publication_measures(empty_figures(formats.EDITION_2019), formats.EDITION_2019)
    assert blank == dict.fromkeys(blank)


def test_a_fractional_count_is_rounded_into_its_whole_number_column():
    figures = busy_figures()
    figures[formats.SECTION3]["三.一"] = [6, 1, 0, 1, 0, 0, 8.5]
    assert publication_measures(figures, formats.EDITION_2021)["granted_full"] == 9


def test_publishing_freezes_prose_figures_and_findings(town):
    report = make_report(town, 2023, Status.APPROVED, overview="全年主动公开信息120条。")
    figures_set(report=report, figures=busy_figures())
    services.report_findings_refresh(report=report)
    public_services.report_publish(
        report=report, acting_user=system_admin(), published_on=date(2024, 1, 9)
    )
    report.refresh_from_db()
    publication = report.current_publication
    assert (report.status, report.published_on) == (Status.PUBLISHED, date(2024, 1, 9))
    assert (publication.number, publication.is_current, publication.received) == (1, True, 13)
    assert publication.figures == report.figures_dict()
    assert publication.overview == "全年主动公开信息120条。"
    assert publication.error_count == report.findings.filter(severity="error").count()
    assert "紫帽镇" in publication.search_text
    assert (publication.granted_full, publication.review_total) == (8, 2)
    assert publication.granted_partial is None  # blank cells are not zeros
    cells = PublishedFigure.objects.filter(publication=publication)
    assert cells.count() == report.figures.count()
    assert cells.get(table="section3", row="一", column="总计").value == 13
    assert list(AnnualReport.objects.public()) == [report]


def test_a_correction_stays_private_until_published_then_supersedes(town, supervisor):
    report = make_report(town, 2023, Status.PUBLISHED, figures=busy_figures())
    first = report.current_publication
    review_services.report_reopen(report=report, acting_user=supervisor, reason="表三数字有误")
    report.refresh_from_db()
    assert report.status == Status.DRAFT and report.is_correction
    figures_set(report=report, figures={"section3": {"一": [11, 2, 0, 1, 0, 0, 14]}})
    # Still public, still the published numbers.
    assert AnnualReport.objects.public().get().current_publication == first
    assert PublishedFigure.objects.get(is_current=True, row="一", column="总计").value == 13

    AnnualReport.objects.filter(pk=report.pk).update(status=Status.APPROVED)
    with pytest.raises(ValidationError) as err:
        public_services.report_publish(report=report, acting_user=supervisor)
    assert err.value.code == "correction_note_required"
    public_services.report_publish(
        report=report, acting_user=supervisor, correction_note="更正表三"
    )
    report.refresh_from_db()
    second = report.current_publication
    first.refresh_from_db()
    assert (second.number, second.correction_note, second.received) == (2, "更正表三", 14)
    assert not first.is_current and first.superseded_at is not None
    assert report.published_on == first.published_on  # lateness is judged by the first
    current = PublishedFigure.objects.filter(is_current=True, row="一", column="总计")
    assert [c.value for c in current] == [14]
    assert Publication.objects.filter(report=report).count() == 2
    actions = list(
        AuditEvent.objects.filter(report=report).order_by("id").values_list("action", flat=True)
    )
    assert actions[-3:] == ["report.draft", "report.published", "report.publication"]
    reopened = AuditEvent.objects.get(report=report, action="report.draft")
    assert (reopened.from_status, reopened.comment) == (Status.PUBLISHED, "表三数字有误")


def test_similarity_findings_stay_with_the_reviewer(town):
    report = make_report(town, 2023, Status.APPROVED)
    report.findings.create(code="similar_previous_year", severity="info", message="与上年相似 92%")
    report.findings.create(code="missing", severity="warning", message="有空白单元格")
    public_services.report_publish(report=report, acting_user=system_admin())
    report.refresh_from_db()
    codes = [f["code"] for f in report.current_publication.findings]
    assert codes == ["missing"]


def test_only_a_supervisor_of_the_region_may_publish(town, clerk, other_clerk):
    report = make_report(town, 2023, Status.APPROVED)
    for user in (clerk, other_clerk):
        with pytest.raises(Exception, match="no role"):
            public_services.report_publish(report=report, acting_user=user)
    assert not Publication.objects.exists()
