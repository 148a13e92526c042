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
    shot_of,
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
    # Nothing typed, nothing flagged: no ✗, no ✓, no mark on any cell.
    expect(page.locator("output.balance:not(:empty)")).to_have_count(0)
    expect(page.locator(".cell-note:not(:empty)")).to_have_count(0)
    expect(page.locator(".cell-flag")).to_have_count(0)
    expect(page.locator("td.flag-error, td.flag-warning")).to_have_count(0)
    # Every column header of 表三 and 表四 sits over its own column of cells.
    table3 = page.locator("table.grid-section3")
    for column in [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]:
        head = _box(table3.locator("thead th", has_text=column).last)
        cell = _box(table3.locator(f'input[data-row="一"][data-col="{column}"]').locator(".."))
        assert abs(head["x"] - cell["x"]) <= 1 and abs(head["width"] - cell["width"]) <= 1, column
    table4 = page.locator("table.grid-section4")
    table4.scroll_into_view_if_needed()
    heads = table4.locator("thead tr").last.locator("th")
    cells = table4.locator("tbody tr").first.locator("td")
    assert heads.count() == cells.count()
    for index in range(heads.count()):
        head, cell = _box(heads.nth(index)), _box(cells.nth(index))
        assert abs(head["x"] - cell["x"]) <= 1 and abs(head["width"] - cell["width"]) <= 1, index
    # Save and submit stay on screen wherever the clerk is in the form's tables.
    save = page.get_by_role("button", name="保存草稿")
    for title in ("title-section2", "title-section3", "title-section4"):
        page.evaluate(f"document.getElementById('{title}').scrollIntoView()")
        expect(save).to_be_in_viewport()
    # On the form too, the row labels stay put while the figures scroll sideways.
    frame3 = page.locator(".grid-scroll", has=table3)
    label = table3.locator("tbody th[scope=row]", has_text="一、本年新收政府信息公开申请数量")
    label.scroll_into_view_if_needed()
    before = _box(label)["x"]
    frame3.evaluate("s => { s.scrollLeft = 300; }")
    page.wait_for_timeout(100)
    assert abs(_box(label)["x"] - before) <= 1
    frame3.evaluate("s => { s.scrollLeft = 0; }")
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
    # A column's 勾稽 mark appears only once its four cells hold numbers, with words when wrong.
    balance = table3.locator('output[data-balance-col="自然人"]')
    expect(balance).to_have_text("")
    table3.locator('input[data-row="二"][data-col="自然人"]').fill("0")
    results = table3.locator('tbody input[data-col="自然人"][data-row^="三."]')
    for index in range(results.count()):
        if results.nth(index).get_attribute("data-row") != "三.七":
            results.nth(index).fill("0")
    table3.locator('input[data-row="四"][data-col="自然人"]').fill("0")
    expect(balance).to_contain_text("✗ 不相等：一+二 为 2，（七）+四 为 0")
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


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_flagged_cells_say_what_is_wrong_beside_the_cell(live_server, browser, size):
    from django.contrib.auth import get_user_model
    from playwright.sync_api import expect

    from filing import services

    people()
    report = empty_report(2024)
    # Saved with a typed 总计 of 5 over parts adding up to 4: an error finding on row 一.
    services.report_save(
        report=report,
        acting_user=get_user_model().objects.get(username="clerk"),
        expected_version=report.version,
        prose={},
        figures={"section3": {"一": [3, 1, 0, 0, 0, 0, 5]}},
    )
    page = browser.new_context(locale="zh-CN", viewport=VIEWPORTS[size]).new_page()
    log_in(page, live_server.url, "clerk", f"/workspace/reports/{report.pk}/")
    page.goto(f"{live_server.url}/workspace/reports/{report.pk}/")
    table3 = page.locator("table.grid-section3")
    total = table3.locator('input[data-row="一"][data-col="总计"]')
    total_cell = total.locator("..")
    part_cell = table3.locator('input[data-row="一"][data-col="自然人"]').locator("..")
    # The total says what the sum is (the live note, in words); each part says it disagrees.
    expect(total_cell.locator(".cell-note")).to_have_text("按各项相加应为 4")
    expect(part_cell.locator(".cell-flag")).to_have_text("✖ 错误：与合计不符")
    # The server's note on the total itself gives way to the live one: said once, not twice.
    expect(total_cell.locator(".cell-flag")).to_be_hidden()
    # The words sit inside the cell's column, under its input.
    words, field = _box(part_cell.locator(".cell-flag")), _box(part_cell.locator("input"))
    assert words["y"] >= field["y"] + field["height"] - 1
    assert (
        field["x"] - 1 <= words["x"]
        and words["x"] + words["width"] <= _box(part_cell)["x"] + _box(part_cell)["width"] + 1
    )
    assert "flag-error" in part_cell.get_attribute("class").split()
    shot_of(page.locator(".grid-frame", has=table3), f"ui-clerk-flags-table3-{size}")
    # Fixing the total retires the parts' notes and their colour at once.
    total.fill("4")
    expect(part_cell.locator(".cell-flag")).to_be_hidden()
    assert "flag-error" not in part_cell.get_attribute("class").split()
    expect(total_cell.locator(".cell-note")).to_have_text("")
    assert horizontal_overflow(page) <= 1
    shot(page, f"ui-clerk-flags-{size}")
