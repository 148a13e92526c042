"""Layout facts of the pages issue 20 is about, at 1366x768 and 390x844 in real Chromium.

The page never scrolls sideways (wide tables scroll in their own frame), header cells sit over
their columns, row labels stay in view, the parse review's decision stays on screen, and the
clerk's empty form shows no marks before input.
"""

import pytest
from django.urls import reverse

from tests.browser.support_e2e import launched_browser, require_chromium
from tests.browser.support_ui import (
    VIEWPORTS,
    empty_report,
    horizontal_overflow,
    log_in,
    parsed_report,
    people,
    published_report,
    shot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(monkeypatch):
    require_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with launched_browser() as browser:
        yield browser


def _box(locator):
    box = locator.bounding_box()
    assert box is not None
    return box


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_the_clerk_form_fits_aligns_and_computes_totals(live_server, browser, size):
    from playwright.sync_api import expect

    people()
    report = empty_report(2024)
    page = browser.new_context(locale="zh-CN", viewport=VIEWPORTS[size]).new_page()
    log_in(page, live_server.url, "clerk", f"/workspace/reports/{report.pk}/")
    page.goto(f"{live_server.url}/workspace/reports/{report.pk}/")
    assert horizontal_overflow(page) <= 1
    # Nothing typed, nothing flagged.
    expect(page.locator("output.balance-bad")).to_have_count(0)
    expect(page.locator(".cell-note:not(:empty)")).to_have_count(0)
    # The 总计 header sits over the 总计 column of 表三.
    table3 = page.locator("table.grid-section3")
    head = _box(table3.locator("thead th", has_text="总计"))
    cell = _box(table3.locator('input[data-row="一"][data-col="总计"]').locator(".."))
    assert abs(head["x"] - cell["x"]) <= 1 and abs(head["width"] - cell["width"]) <= 1
    # Typing every part fills the total, shown as computed; typing over it is explained.
    for column, value in zip(
        ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
        "210004",
        strict=True,
    ):
        table3.locator(f'input[data-row="一"][data-col="{column}"]').fill(value)
    total = table3.locator('input[data-row="一"][data-col="总计"]')
    expect(total).to_have_value("7")
    expect(total).to_have_class("cell-input is-computed")
    total.fill("9")
    expect(table3.locator(".cell-note", has_text="按各项相加应为 7")).to_be_visible()
    # 表四 scrolls inside its frame with the page still not scrolling sideways.
    frame = page.locator(".grid-scroll", has=page.locator("table.grid-section4"))
    assert frame.evaluate("f => f.scrollWidth >= f.clientWidth")
    assert horizontal_overflow(page) <= 1
    shot(page, f"ui-clerk-form-{size}")


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_the_parse_review_keeps_its_decision_in_view(live_server, browser, size):
    from playwright.sync_api import expect

    people()
    report, attachment, run = parsed_report(2022)
    path = reverse(
        "reports:parse_run_review",
        kwargs={"pk": report.pk, "attachment_id": attachment.pk, "run_id": run.pk},
    )
    page = browser.new_context(locale="zh-CN", viewport=VIEWPORTS[size]).new_page()
    log_in(page, live_server.url, "clerk", path)
    page.goto(f"{live_server.url}{path}")
    assert horizontal_overflow(page) <= 1
    page.mouse.wheel(0, 20000)
    page.wait_for_timeout(200)
    button = page.get_by_role("button", name="全部应用")
    box = _box(button)
    assert 0 <= box["y"] and box["y"] + box["height"] <= VIEWPORTS[size]["height"]
    # Show all cells without a reload, then back.
    quiet = page.locator("tr.quiet").first
    expect(quiet).to_be_hidden()
    page.locator("[data-toggle-all]").click()
    expect(quiet).to_be_visible()
    shot(page, f"ui-parse-review-{size}")


def test_a_public_report_on_a_phone_says_its_tables_scroll(live_server, browser):
    from playwright.sync_api import expect

    people()
    published_report()
    page = browser.new_context(locale="zh-CN", viewport=VIEWPORTS["phone"]).new_page()
    response = page.goto(f"{live_server.url}/reports/xiyuan/2023/")
    assert response.status == 200
    assert "西园街道" in page.title() and "2023" in page.title()
    assert horizontal_overflow(page) <= 1
    frame = page.locator(".grid-frame", has=page.locator("table.grid-section3"))
    expect(frame).to_have_class("grid-frame scrollable more-right")
    expect(frame.locator(".scroll-hint")).to_be_visible()
    # Row labels stay put while the figures scroll.
    label = frame.locator("tbody th[scope=row]", has_text="一、本年新收政府信息公开申请数量")
    before = _box(label)["x"]
    frame.locator(".grid-scroll").evaluate("s => { s.scrollLeft = 400; }")
    page.wait_for_timeout(100)
    assert abs(_box(label)["x"] - before) <= 1
    assert page.locator('link[rel="icon"]').count() == 1
    shot(page, "ui-public-report-phone")
