"""The parse review page as a decision: what it shows by default, per-table and prose choices.

Through the real views over HTTP, on a faulty corpus report uploaded to a blank 紫帽镇 report.
"""

import pytest

from core import formats
from filing.figures import figures_set
from filing.models import Figure
from tests.filing import test_clerk_uploads as uploads
from tests.filing.test_clerk_uploads import apply_url, review_url

pytestmark = pytest.mark.django_db

# The upload tests' fixtures: a blank 紫帽镇 report and a corpus report parsed (the logged-in
# clerk is tests/filing/conftest.py's).
report = uploads.report
parsed = uploads.parsed

RECEIVED = (formats.SECTION3, "一", "自然人")
REVIEW_CASES = (formats.SECTION4, "行政复议", "结果维持")


def _typed(target, cells: dict):
    """The clerk typed these cells by hand (so a differing parsed value is a conflict)."""
    s3 = {}
    s4 = [None] * len(formats.SECTION4_CELLS)
    for (table, row, column), value in cells.items():
        if table == formats.SECTION3:
            s3.setdefault(row, [None] * len(formats.APPLICANT_KEYS))
            s3[row][formats.APPLICANT_KEYS.index(column)] = value
        else:
            s4[formats.SECTION4_CELLS.index((row, column))] = value
    figures_set(
        report=target,
        figures={formats.SECTION3: s3, formats.SECTION4: s4},
        source=Figure.Source.MANUAL,
    )


def _value(target, cell):
    table, row, column = cell
    return target.figures.get(table=table, row=row, column=column).value


def test_by_default_the_page_hides_cells_that_need_no_decision(clerk_client, report, parsed):
    _typed(report, {RECEIVED: 999})
    page = clerk_client.get(review_url(report, parsed)).content.decode()
    assert 'class="review-cells"' in page  # quiet rows are hidden by the stylesheet
    assert "mark-conflict" in page and "quiet" in page
    assert "显示全部单元格" in page and 'href="?all=1"' in page
    # The decision comes before the tables.
    assert page.index('class="decision-bar"') < page.index('class="review-table"')
    everything = clerk_client.get(review_url(report, parsed) + "?all=1").content.decode()
    assert 'class="review-cells show-all"' in everything


def test_accept_all_parsed_values_of_one_table_replaces_only_that_tables_cells(
    clerk_client, report, parsed
):
    _typed(report, {RECEIVED: 999, REVIEW_CASES: 999})
    response = clerk_client.post(apply_url(report, parsed), {"accept_table": formats.SECTION3})
    assert response.status_code == 302
    printed = parsed.values.get(table=formats.SECTION3, row="一", column="自然人").value
    assert _value(report, RECEIVED) == printed
    assert _value(report, REVIEW_CASES) == 999  # 表四 kept the clerk's figure


def test_the_clerk_chooses_the_parsed_text_for_one_prose_section(clerk_client, report, parsed):
    report.overview = "我们自己写的总体情况。"
    report.problems = "我们自己写的问题。"
    report.save()
    clerk_client.post(apply_url(report, parsed), {"action": "all", "prose_overview": "parsed"})
    report.refresh_from_db()
    assert report.overview == parsed.result["sections"]["一"].strip()
    assert report.problems == "我们自己写的问题。"


def test_the_page_offers_a_choice_per_prose_section(clerk_client, report, parsed):
    report.overview = "我们自己写的总体情况。"
    report.save()
    page = clerk_client.get(review_url(report, parsed)).content.decode()
    assert 'name="prose_overview" value="current" checked' in page
    assert 'name="prose_overview" value="parsed"' in page
