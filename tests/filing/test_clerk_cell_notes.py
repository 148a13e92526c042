"""Every flagged cell of the report form says in words what is wrong, beside the cell.

Derived totals: the server fills a blank total from its parts with core.derived's rule (the
one the form's script uses); a typed total that disagrees is kept and becomes a finding.
"""

import re

import pytest
from django.urls import reverse

from core import formats, layout
from filing import services
from tests.filing.test_clerk_report_form import form_data, name

pytestmark = pytest.mark.django_db

S3, S4 = formats.SECTION3, formats.SECTION4


@pytest.fixture
def report(clerk, town):
    return services.report_start(organ=town, year=2022, acting_user=clerk)


@pytest.fixture
def edit_url(report):
    return reverse("reports:report_edit", kwargs={"pk": report.pk})


def cell_html(page: str, cell) -> str:
    """The <td> holding a cell's input."""
    match = re.search(
        rf'<td class="[^"]*"[^>]*><input[^>]*name="{name(*cell)}".*?</td>', page, re.S
    )
    assert match, cell
    return match.group(0)


def notes(page: str, cell) -> list[str]:
    """The words beside a cell (what a sighted clerk reads), without the icon."""
    out = []
    for flag in re.findall(
        r'<a class="cell-flag[^"]*"[^>]*>(.*?)</a>', cell_html(page, cell), re.S
    ):
        flag = re.sub(r'<span aria-hidden="true">.*?</span>', "", flag)
        flag = re.sub(r'<span class="visually-hidden">.*?</span>', "", flag)
        out.append(flag.strip())
    return out


def save(client, url, report, cells):
    report.refresh_from_db()
    response = client.post(url, form_data(report, cells))
    assert response.status_code == 302
    return client.get(url).content.decode()


def row(table_row, values):
    return {(S3, table_row, c): v for c, v in zip(formats.APPLICANT_KEYS, values, strict=True)}


def test_an_empty_form_has_no_flag_and_no_note(clerk_client, edit_url):
    page = clerk_client.get(edit_url).content.decode()
    assert 'class="cell-flag' not in page
    assert "flag-error" not in page and "flag-warning" not in page


def test_a_typed_total_that_disagrees_is_kept_and_its_cells_say_why(clerk_client, report, edit_url):
    page = save(clerk_client, edit_url, report, row("一", ["3", "1", "0", "0", "0", "0", "5"]))
    report.refresh_from_db()
    assert report.figures_dict()[S3]["一"][-1] == 5, "a typed total is never overwritten"
    assert report.findings.filter(code="s3_row_total").exists()
    assert notes(page, (S3, "一", "总计")) == ["六类申请人之和为 4"]
    assert notes(page, (S3, "一", "自然人")) == ["与合计不符"]
    # The notes name their total, for the script to retire them once it agrees.
    total = layout.cell_name((S3, "一", "总计"))
    assert f'data-total="{total}"' in cell_html(page, (S3, "一", "自然人"))
    assert notes(page, (S3, "二", "自然人")) == []


def test_a_blank_total_is_computed_by_the_server_from_the_same_rule(clerk_client, report, edit_url):
    cells = row("一", ["3", "1", "0", "0", "0", "0", ""])
    cells.update(
        {
            (S4, "行政复议", c): v
            for c, v in zip(["结果维持", "结果纠正", "其他结果", "尚未审结"], "1200", strict=True)
        }
    )
    page = save(clerk_client, edit_url, report, cells)
    report.refresh_from_db()
    figures = report.figures_dict()
    assert figures[S3]["一"][-1] == 4
    assert figures[S4][formats.SECTION4_CELLS.index(("行政复议", "总计"))] == 3
    assert not report.findings.filter(code__in=["s3_row_total", "s4_group_total"]).exists()
    assert notes(page, (S3, "一", "总计")) == []


def test_a_balance_error_is_said_on_each_of_its_cells(clerk_client, report, edit_url):
    cells = row("一", ["2", "0", "0", "0", "0", "0", "2"])
    cells |= row("二", ["0"] * 7)
    cells |= row("三.七", ["0"] * 7)
    cells |= {(S3, "四", c): "0" for c in formats.APPLICANT_KEYS}
    page = save(clerk_client, edit_url, report, cells)
    found = report.findings.get(code="s3_balance", params__column="自然人")
    for cell in found.cells:
        assert "一+二 为 2，（七）+四 为 0，应相等" in notes(page, tuple(cell)), cell


def test_the_script_gets_its_words_from_the_page(clerk_client, edit_url):
    page = clerk_client.get(edit_url).content.decode()
    assert '<script id="form-messages" type="application/json">' in page
    assert "\\u6309\\u5404\\u9879\\u76f8\\u52a0\\u5e94\\u4e3a %(value)s" in page  # 按各项相加应为
