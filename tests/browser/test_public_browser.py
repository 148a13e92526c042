"""A visitor in a real browser: the report list, its filters, and a report's official table.

Headless Debian Chromium driven by Playwright against pytest-django's live server, on the
real seed reports. Skipped where /usr/bin/chromium is missing, except in CI (CI=true).
"""

import os

import pytest

from bench import demo
from tests.support.render import needs_seeds

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# live_server serves from another thread: the data must be committed to be seen there.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(monkeypatch):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser test skipped")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test
    # itself are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
            page.set_default_timeout(20_000)
            yield page
        finally:
            browser.close()


@needs_seeds
def test_a_visitor_filters_by_town_and_year_and_reads_a_figure(live_server, browser_page):
    from playwright.sync_api import expect

    demo.load_organs()
    demo.load_accounts()
    assert len(demo.load_seed_reports()) == 5
    page = browser_page

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="全部已发布的报告").click()
    expect(page.locator("table.public-list tbody tr")).to_have_count(5)

    page.get_by_label("年度", exact=True).select_option("2023")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/reports/?*year=2023*")
    rows = page.locator("table.public-list tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("2023")

    page.get_by_role("link", name="晋江市人民政府西园街道办事处", exact=True).click()
    page.wait_for_url("**/reports/*/2023/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("西园街道")
    # Seed 004 as read by eye: (七) 总计 · 自然人 = 6, 四 未经复议直接起诉 · 结果纠正 = 2.
    table3 = page.locator("table.grid-section3")
    total_row = table3.locator("tr", has=page.get_by_role("rowheader", name="（七）总计"))
    expect(total_row.locator("td").first).to_have_text("6")
    expect(page.locator('td[data-cell="section4|未经复议直接起诉|结果纠正"]')).to_have_text("2")
    # The wide table scrolls inside its wrapper on a phone instead of widening the page.
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
