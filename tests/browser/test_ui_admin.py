"""The administrator's import/export pages in real Chromium, under the portal's CSP.

An import preview is headed by the fields' names and shows choice labels and whole numbers;
no inline script or style of the admin is refused by the Content-Security-Policy, while a
public page keeps the strict policy. At 1366x768 and 390x844.
"""

import pytest

from tests.browser.support_e2e import launched_browser, require_chromium
from tests.browser.support_ui import (
    VIEWPORTS,
    empty_report,
    horizontal_overflow,
    log_in,
    people,
    shot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records what the page's policy refused, before any script of the page runs.
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def browser(monkeypatch):
    require_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with launched_browser() as browser:
        yield browser


def _refused(page, console: list[str]) -> list[str]:
    return page.evaluate("window.__csp") + [m for m in console if "Content Security Policy" in m]


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_an_admin_import_preview_is_readable_and_nothing_is_refused(
    live_server, browser, tmp_path, size
):
    from playwright.sync_api import expect

    people()
    empty_report(2024)
    context = browser.new_context(locale="zh-CN", viewport=VIEWPORTS[size])
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    log_in(page, live_server.url, "admin", "/admin/")

    page.goto(f"{live_server.url}/admin/filing/figure/import/")
    expect(page.get_by_text("机关（organ）", exact=False)).to_be_visible()
    upload = tmp_path / "figures.csv"
    upload.write_text(
        "organ,year,table,row,column,value\nzimao,2024,表三,一,自然人,12.00\n", encoding="utf-8"
    )
    page.locator('input[type="file"]').set_input_files(str(upload))
    page.locator("#id_format").select_option(label="csv")
    page.locator('form[enctype="multipart/form-data"] input[type="submit"]').click()
    page.wait_for_load_state()

    preview = page.locator("table.import-preview")
    expect(preview).to_be_visible()
    headers = preview.locator("thead th").all_inner_texts()
    assert [h.strip() for h in headers[1:]] == ["机关", "年度", "表", "行", "列", "数值"]
    cells = [c.strip() for c in preview.locator("tbody tr").first.locator("td").all_inner_texts()]
    assert cells[1:] == [
        "zimao",
        "2024",
        "三、收到和处理政府信息公开申请情况",
        "一",
        "自然人",
        "12",
    ]
    confirm = page.get_by_role("button", name="确认导入")
    expect(confirm).to_be_in_viewport()
    # The preview scrolls inside its own frame; the page itself does not scroll sideways
    # beyond what the admin's own layout does at this width.
    assert horizontal_overflow(page) <= 1
    shot(page, f"ui-admin-import-preview-{size}")

    page.goto(f"{live_server.url}/admin/filing/figure/export/")
    expect(page.get_by_label("数值")).to_be_checked()
    # The page's one inline handler runs (allowed by its hash): "select all" unticks all.
    page.locator('input[name="select-all-toggle"]').uncheck()
    expect(page.get_by_label("数值")).not_to_be_checked()
    # The admin's other pages: lists, a report with its inlines, an organ with autocomplete.
    from filing.models import AnnualReport

    report = AnnualReport.objects.get(organ__slug="zimao", year=2024)
    for path in (
        "/admin/",
        "/admin/filing/annualreport/",
        f"/admin/filing/annualreport/{report.pk}/change/",
        "/admin/organs/organ/add/",
        "/admin/filing/figure/",
        "/admin/organs/membership/import/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert horizontal_overflow(page) <= 1, path
    page.goto(f"{live_server.url}/admin/organs/organ/add/")
    page.locator(".select2-selection").first.click()
    expect(page.locator(".select2-results__option").first).to_be_visible()
    assert _refused(page, console) == []

    # The public pages keep the strict policy.
    response = page.goto(f"{live_server.url}/")
    policy = response.headers["content-security-policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src "))
    assert "'unsafe-inline'" not in script_src and "script-src-attr" not in policy
    context.close()
