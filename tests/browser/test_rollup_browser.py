"""A visitor reads a region's roll-up in a real browser, on a laptop and on a phone.

Headless Debian Chromium via Playwright against the live server, on the corpus region.
The wide official tables scroll inside their frames; the page itself never scrolls sideways.
"""

import os

import pytest

from bench.corpus import region
from tests.browser.test_public_browser import CHROMIUM, CHROMIUM_ARGS
from tests.public.regions_support import YEAR, corpus_region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOT = "/tmp/region_rollup.png"
# Elements allowed to be wider than the viewport: the scrolling frames and what is inside them.
OVERFLOW_JS = """(width) => [...document.querySelectorAll('body *')]
  .filter(e => !e.closest('.grid-scroll'))
  .filter(e => e.getBoundingClientRect().right > width + 1)
  .map(e => e.tagName + '.' + e.className)"""


@pytest.fixture
def browser(monkeypatch):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing in CI")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser test skipped")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_the_roll_up_reads_at_laptop_and_phone_width(live_server, browser, width, height):
    from playwright.sync_api import expect

    organs = corpus_region()
    page = browser.new_page(locale="zh-CN", viewport={"width": width, "height": height})
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/organs/quanning/")
    page.get_by_role("link", name=f"本地区{YEAR}年度汇总与排名").click()
    page.wait_for_url(f"**/regions/quanning/{YEAR}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("汇总")
    expect(page.locator(".coverage-note")).to_contain_text(f"应报机关 {len(region())} 个")
    assert page.evaluate(OVERFLOW_JS, width) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    if width > 1000:
        page.screenshot(path=SCREENSHOT, full_page=True)
    # The official document of the sums downloads from the page (DOCX; the PDF link beside it).
    expect(page.get_by_role("link", name="正式文本（PDF）")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="正式文本（Word）").click()
    name = f"{organs['quanning'].name}{YEAR}年度政府信息公开工作汇总.docx"
    assert download.value.suggested_filename == name
    total = page.locator('td[data-cell="section3|一|总计"] a')
    value = total.inner_text()
    total.click()
    page.wait_for_url("**/cell/section3/**")
    expect(page.locator("table.region-breakdown tfoot td.num")).to_have_text(value)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    page.go_back()
    page.get_by_role("link", name="排名表").click()
    page.get_by_label("机关类型").select_option("town")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/league/?kind=town")
    expect(page.locator('table[data-measure="received"] tbody tr')).to_have_count(5)
    assert page.evaluate(OVERFLOW_JS, width) == []
