"""The supervisor's, the clerk's and the English reader's side of issue 20, in real Chromium.

A supervisor lands on the review queue, is told of submissions (mail and an unread count in
the header), reads the history as sentences in their language; the parse review lets a clerk
keep or accept a whole table; every page names town, year and portal and has a favicon; an
English reader meets no untranslated interface text. At 1366x768 and 390x844.
"""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.browser.support_e2e import launched_browser, require_chromium
from tests.browser.support_ui import (
    PASSWORDS,
    VIEWPORTS,
    VISIBLE_TEXTS,
    cjk_left,
    empty_report,
    horizontal_overflow,
    people,
    published_report,
    shot,
    submitted_report,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PORTAL = {"zh-CN": "政府信息公开年报门户", "en-US": "Annual disclosure report portal"}


@pytest.fixture
def browser(monkeypatch, settings):
    require_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with launched_browser() as browser:
        yield browser


def sign_in(browser, base, username, size="laptop", locale="zh-CN", next_path=""):
    """A fresh context signed in through the login form (field names work in any language)."""
    page = browser.new_context(locale=locale, viewport=VIEWPORTS[size]).new_page()
    query = f"?next={next_path}" if next_path else ""
    page.goto(f"{base}/accounts/login/{query}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORDS[username])
    page.locator("form.account-form [type=submit]").click()
    page.wait_for_load_state()
    return page


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_a_supervisor_is_told_of_a_submission_and_lands_on_the_review_queue(
    live_server, browser, size
):
    from playwright.sync_api import expect

    people()
    report = submitted_report()
    [notice] = [m for m in mail.outbox if "晋江市紫帽镇人民政府2022" in m.subject]
    assert notice.to == ["supervisor@x.invalid"]
    assert f"/review/{report.pk}/" in notice.body

    # Signed in somewhere else first: the header counts the unseen submission.
    page = sign_in(browser, live_server.url, "supervisor", size, next_path="/reports/")
    badge = page.locator("header .unread-count")
    expect(badge).to_contain_text("1")
    expect(badge).to_be_in_viewport()
    page.locator("header").get_by_role("link", name=re.compile("^审核")).click()
    page.wait_for_load_state()
    expect(page.locator("header .unread-count")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("紫帽镇"))).to_be_visible()

    # Signing in without a destination lands a supervisor on the queue, not the clerk workspace.
    page = sign_in(browser, live_server.url, "supervisor", size)
    assert page.url.endswith(reverse("reports:review_queue"))
    assert horizontal_overflow(page) <= 1
    shot(page, f"ui-review-queue-{size}")


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_history_is_sentences_in_the_readers_language(live_server, browser, locale):
    people()
    report = submitted_report()
    page = sign_in(browser, live_server.url, "supervisor", locale=locale)
    page.goto(f"{live_server.url}/review/{report.pk}/")
    history = page.locator("section.history").inner_text()
    # No action code (status_changed, parse_applied, report.import) shows through.
    assert not re.findall(r"\b[a-z]+(?:[._][a-z]+)+\b", history), history
    if locale == "zh-CN":
        assert "clerk 提交了报告" in history and "clerk 上传了文件“2022.txt”" in history
    else:
        assert "clerk submitted the report for review (was: Draft)" in history
        assert 'clerk uploaded the file "2022.txt"' in history
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d · clerk", history), "who and when"


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_the_parse_review_keeps_or_accepts_a_whole_table(live_server, browser, size):
    from playwright.sync_api import expect

    from filing import services
    from filing.models import ParseRun
    from tests.browser.support_ui import parsed_report

    people()
    clerk = get_user_model().objects.get(username="clerk")
    report, attachment, run = parsed_report(2022)
    # The clerk had typed 99 in every cell of 三's first row: the parse disagrees there.
    services.report_save(
        report=report,
        acting_user=clerk,
        expected_version=report.version,
        prose={"problems": "我们自己写的问题。"},
        figures={"section3": {"一": [99] * 7}},
    )
    path = reverse(
        "reports:parse_run_review",
        kwargs={"pk": report.pk, "attachment_id": attachment.pk, "run_id": run.pk},
    )
    page = sign_in(browser, live_server.url, "clerk", size, next_path=path)
    section3 = page.locator(
        "section.review-table", has=page.locator('table[data-table="section3"]')
    )
    boxes = section3.locator('input[name="cells"]')
    assert boxes.count() >= 1
    boxes.first.check()
    keep = section3.get_by_role("button", name="本表全部保留我的数值")
    keep.click()
    for index in range(boxes.count()):
        expect(boxes.nth(index)).not_to_be_checked()
    # Prose is chosen per section: keep the clerk's 五, take the file's 一.
    page.locator('input[name="prose_problems"][value="current"]').check()
    page.locator('input[name="prose_overview"][value="parsed"]').check()
    shot(page, f"ui-parse-review-table-actions-{size}")
    section3.get_by_role("button", name="本表全部采用识别值").click()
    page.wait_for_load_state()

    report.refresh_from_db()
    parsed = {
        (v.table, v.row, v.column): v.value for v in ParseRun.objects.get(pk=run.pk).values.all()
    }
    row_one = report.figures_dict()["section3"]["一"]
    expected = [
        parsed.get(("section3", "一", c))
        for c in ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    ]
    assert [None if v is None else float(v) for v in row_one] == [
        None if v is None else float(v) for v in expected
    ]
    assert report.problems == "我们自己写的问题。"
    assert report.overview.strip(), "the file's 一 was taken"


def _titles_and_icon(page, base, locale, must_have: list[str]):
    title = page.title()
    assert title.endswith(PORTAL[locale]), title
    for part in must_have:
        assert part in title, (part, title)
    icon = page.locator('link[rel="icon"]')
    assert icon.count() == 1
    assert page.request.get(base + icon.get_attribute("href")).status == 200


def _data_strings() -> list[str]:
    """Everything the pages show that is data, not interface: names, prose, quotes, files."""
    from django.conf import settings

    from filing.models import AnnualReport, Attachment, Finding, ParseRun
    from organs.models import Organ
    from public.models import Publication

    # The language switch names each language in itself (简体中文), on purpose.
    out: list[str] = [name for _code, name in settings.LANGUAGES]
    for organ in Organ.objects.all():
        out += [organ.name, organ.short_name, organ.display_name]
    for report in AnnualReport.objects.all():
        out += [
            line
            for f in ("overview", "problems", "other_matters")
            for line in getattr(report, f).splitlines()
        ]
    for publication in Publication.objects.all():
        out += [
            line
            for v in json.loads(json.dumps(publication.__dict__, default=str)).values()
            if isinstance(v, str)
            for line in v.splitlines()
        ]
    out += list(Attachment.objects.values_list("original_name", flat=True))
    out += list(Finding.objects.values_list("explanation", flat=True))
    for evidence in Finding.objects.exclude(evidence=None).values_list("evidence", flat=True):
        out += [v for v in json.loads(json.dumps(evidence)).values() if isinstance(v, str)]
    for run in ParseRun.objects.all():
        # What the file said: its organ, its prose sections and each cell's raw text.
        result = run.result or {}
        out += [result.get("organ") or ""]
        out += _strings([result.get("sections", {}).get(n, "") for n in ("一", "五", "六")])
        out += [v.get("raw") or "" for v in result.get("values", [])]
    return [s.strip() for s in out if s and s.strip()]


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [line for line in value.splitlines()]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _untranslated(page, data: list[str]) -> list[str]:
    left = []
    for text in page.evaluate(VISIBLE_TEXTS):
        if any(text in item for item in data):
            continue
        rest = cjk_left(text, data)
        if rest:
            left.append(text)
    return left


def _english_walk(browser, base, pages) -> dict[str, str]:
    """Visit (who, path, title parts) in English; the untranslated texts, by first page."""
    data = _data_strings()
    contexts: dict[str, object] = {}
    missing: dict[str, str] = {}
    for who, path, must in pages:
        if who not in contexts:
            contexts[who] = (
                browser.new_context(locale="en-US", viewport=VIEWPORTS["laptop"]).new_page()
                if who == "anyone"
                else sign_in(browser, base, who, locale="en-US")
            )
        page = contexts[who]
        page.goto(base + path)
        _titles_and_icon(page, base, "en-US", must)
        missing.update({text: path for text in _untranslated(page, data) if text not in missing})
    return missing


def _report_lines(missing: dict[str, str]) -> str:
    return "\n".join(f"{path}: {text}" for text, path in missing.items())


def test_english_clerk_and_public_pages_have_no_untranslated_interface_text(live_server, browser):
    """The clerk's pages (form with its flags, uploads, parse review) and the public entry."""
    people()
    report = submitted_report()
    draft = empty_report(2024)
    from filing import services

    services.report_save(
        report=draft,
        acting_user=get_user_model().objects.get(username="clerk"),
        expected_version=draft.version,
        prose={},
        figures={"section3": {"一": [3, 1, 0, 0, 0, 0, 5]}},
    )
    run = report.attachments.get().parse_runs.get()
    parse_review = reverse(
        "reports:parse_run_review",
        kwargs={"pk": report.pk, "attachment_id": run.attachment_id, "run_id": run.pk},
    )
    missing = _english_walk(
        browser,
        live_server.url,
        [
            ("anyone", "/", []),
            ("anyone", "/reports/", []),
            ("anyone", "/accounts/login/", []),
            ("clerk", "/workspace/", []),
            ("clerk", f"/workspace/reports/{report.pk}/attachments/", []),
            ("clerk", parse_review, ["紫帽镇", "2022"]),
        ],
    )
    assert missing == {}, _report_lines(missing)
    # The report form: its headings, grid labels, edition and the words beside flagged
    # cells are English; the findings list above it is checked in the test below.
    page = sign_in(browser, live_server.url, "clerk", locale="en-US")
    page.goto(f"{live_server.url}/workspace/reports/{draft.pk}/")
    _titles_and_icon(page, live_server.url, "en-US", ["紫帽镇", "2024"])
    form = page.locator("form.report-form")
    left = _untranslated(form, _data_strings())
    assert left == [], left
    expect_words = form.locator('td:has(input[data-row="一"][data-col="自然人"]) .cell-flag')
    assert expect_words.inner_text().endswith("Does not match the total")


def test_english_review_statistics_and_report_pages_have_no_untranslated_interface_text(
    live_server, browser
):
    people()
    public = published_report()
    report = submitted_report()
    missing = _english_walk(
        browser,
        live_server.url,
        [
            ("anyone", f"/reports/{public.organ.slug}/{public.year}/", ["西园街道", "2023"]),
            ("anyone", f"/organs/{public.organ.slug}/", ["西园街道"]),
            ("anyone", "/stats/", []),
            ("supervisor", "/review/", []),
            ("supervisor", f"/review/{report.pk}/", ["紫帽镇", "2022"]),
            ("clerk", f"/workspace/reports/{report.pk}/", ["紫帽镇", "2022"]),
        ],
    )
    assert missing == {}, _report_lines(missing)


def test_chinese_pages_name_town_year_and_portal(live_server, browser):
    people()
    report = empty_report(2024)
    base = live_server.url
    page = sign_in(browser, base, "clerk")
    for path, must in (
        ("/workspace/", []),
        (f"/workspace/reports/{report.pk}/", ["紫帽镇", "2024"]),
        (f"/workspace/reports/{report.pk}/submit/", ["紫帽镇", "2024"]),
    ):
        page.goto(base + path)
        _titles_and_icon(page, base, "zh-CN", must)
