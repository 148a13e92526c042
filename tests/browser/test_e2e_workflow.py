"""The whole life of a report in a real browser: clerk uploads and submits, supervisor
approves and publishes, a visitor finds it by town and year and reads a figure from it.

Headless Debian Chromium (Playwright) against pytest-django's live server, with a report of
the project's generated corpus uploaded as 紫帽镇's 2023 report. Skipped without /usr/bin/chromium, except in CI (CI=true), where it fails.
"""

import pytest

from filing.models import AnnualReport, AuditEvent
from filing.workflow import Status
from tests.browser.support_e2e import (
    PARSE_WAIT_MS,
    launched_browser,
    log_in,
    new_page,
    require_chromium,
)
from tests.support.render import TOWN_2023, corpus_expected, corpus_path


def in_force() -> int:
    """What the uploaded corpus report printed in the cell followed to the public page."""
    return corpus_expected(TOWN_2023)["section2"]["行政规范性文件"]["现行有效件数"]


# live_server serves from another thread: the data must be committed to be seen there.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(monkeypatch):
    require_chromium()
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with launched_browser() as browser:
        yield browser


def clerk_uploads_applies_and_submits(page, base: str) -> AnnualReport:
    from playwright.sync_api import expect

    log_in(page, base, "clerk", "pw-clerk", "/workspace/")
    page.get_by_label("机关").select_option(label="晋江市紫帽镇人民政府")
    page.get_by_label("年度").fill("2023")
    page.get_by_role("button", name="开始填报该年度报告").click()
    page.wait_for_url("**/workspace/reports/*/")
    report = AnnualReport.objects.get(organ__slug="zimao", year=2023)

    page.get_by_role("link", name="上传报告文件自动识别").click()
    page.get_by_role("link", name="上传文件").click()
    page.get_by_label("报告文件").set_input_files(str(corpus_path(TOWN_2023)))
    page.get_by_role("button", name="上传并识别").click()
    page.wait_for_url(f"**/workspace/reports/{report.pk}/attachments/")
    # Done at once when tasks run eagerly; otherwise parse-progress.js reloads the page.
    review_link = page.get_by_role("link", name="核对识别结果并填入报告")
    expect(review_link).to_be_visible(timeout=PARSE_WAIT_MS)
    review_link.click()
    page.get_by_role("button", name="全部应用").click()
    expect(page.locator(".apply-outcome")).to_be_visible()
    assert (
        report.figures.filter(row="行政规范性文件", column="现行有效件数").get().value == in_force()
    )

    page.get_by_role("link", name="返回报告表单").click()
    page.get_by_role("link", name="提交审核").click()
    # Error findings block submission until explained; the report may or may not have any.
    explanations = page.get_by_label("情况说明")
    for index in range(explanations.count()):
        explanations.nth(index).fill("与原件核对无误，系原报告口径。")
    page.get_by_role("button", name="确认提交").click()
    page.wait_for_url("**/workspace/")
    expect(page.locator("td.status-submitted")).to_have_text("已提交")
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    return report


def supervisor_approves_and_publishes(page, base: str, report: AnnualReport) -> None:
    from playwright.sync_api import expect

    log_in(page, base, "supervisor", "pw-supervisor", "/review/")
    page.get_by_role("link", name="晋江市紫帽镇人民政府").first.click()
    page.wait_for_url(f"**/review/{report.pk}/")
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_role("button", name="发布", exact=True)).to_be_visible()
    page.get_by_role("button", name="发布", exact=True).click()
    page.wait_for_url(f"**/review/{report.pk}/")
    expect(page.get_by_role("button", name="重新打开更正")).to_be_visible()
    report.refresh_from_db()
    assert report.status == Status.PUBLISHED
    assert report.current_publication is not None
    actions = set(AuditEvent.objects.filter(report=report).values_list("action", flat=True))
    assert {"report.submitted", "report.approved", "report.published"} <= actions


def visitor_finds_and_reads_it(page, base: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base}/reports/")
    page.get_by_label("机关", exact=True).fill("zimao")  # the organ's identifier
    page.get_by_label("年度", exact=True).select_option("2023")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/reports/?*organ=zimao*")
    rows = page.locator("table.public-list tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link", name="晋江市紫帽镇人民政府", exact=True).click()
    page.wait_for_url("**/reports/zimao/2023/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("紫帽镇")
    # 二 第二十条第（一）项 行政规范性文件 · 现行有效件数, as the corpus printed it.
    cell = page.locator('td[data-cell="section2|行政规范性文件|现行有效件数"]')
    expect(cell).to_have_text(str(in_force()))


def test_a_report_goes_from_a_clerks_upload_to_the_public_list(
    live_server, browser, clerk, supervisor
):
    base = live_server.url
    report = clerk_uploads_applies_and_submits(new_page(browser), base)
    # Nothing is public before the supervisor publishes it.
    anonymous = new_page(browser)
    assert anonymous.goto(f"{base}/reports/zimao/2023/").status == 404
    supervisor_approves_and_publishes(new_page(browser), base, report)
    visitor_finds_and_reads_it(anonymous, base)
