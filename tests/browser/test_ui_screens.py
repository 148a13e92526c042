"""Screenshots of the pages issue 20 is about, at a laptop's and a phone's size.

The test_ui_* modules check the layout facts; this one leaves pictures for a person (and for
before/after comparisons) in $PORTAL_ARTIFACTS: whole pages, and the first screen a person
sees (the clerk form at its flagged table, the parse review's decision, the public table on a
phone), plus the official PDF's first page and the page where 表三 starts.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.browser.support_e2e import launched_browser, require_chromium
from tests.browser.support_ui import (
    VIEWPORTS,
    artifacts_dir,
    empty_report,
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


def screen(page, name: str) -> None:
    """What is on screen now (the viewport), as an artifact."""
    page.screenshot(path=str(artifacts_dir() / f"{name}.png"))


def _pdf_pages_to_png(pdf: bytes, stem: str) -> list[str]:
    """The first page and the page 表三 starts on, as PNGs."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    table3 = next(
        (
            i
            for i in range(len(document))
            if "收到和处理政府信息公开申请情况" in document[i].get_textpage().get_text_range()
        ),
        min(1, len(document) - 1),
    )
    names = []
    for index in sorted({0, table3}):
        name = f"{stem}-page{index + 1}.png"
        document[index].render(scale=1.5).to_pil().save(artifacts_dir() / name)
        names.append(name)
    assert len(document) >= 2
    return names


def test_screenshots_of_the_clerk_review_public_pages_and_the_pdf(live_server, browser):
    from filing import services

    people()
    empty = empty_report(2024)
    # A typed 总计 that disagrees with its parts: the form says so beside the cells.
    services.report_save(
        report=empty,
        acting_user=get_user_model().objects.get(username="clerk"),
        expected_version=empty.version,
        prose={},
        figures={"section3": {"一": [3, 1, 0, 0, 0, 0, 5], "二": [0, 0, 0, 0, 0, 0, 0]}},
    )
    report, attachment, run = parsed_report(2022)
    # The clerk had typed other figures in 三's first row: the review asks about those cells.
    services.report_save(
        report=report,
        acting_user=get_user_model().objects.get(username="clerk"),
        expected_version=report.version,
        prose={"problems": "本单位自己填写的问题与改进。"},
        figures={"section3": {"一": [9, 0, 0, 0, 0, 0, 9]}},
    )
    public = published_report()
    base = live_server.url
    review_path = reverse(
        "reports:parse_run_review",
        kwargs={"pk": report.pk, "attachment_id": attachment.pk, "run_id": run.pk},
    )
    for name, viewport in VIEWPORTS.items():
        context = browser.new_context(locale="zh-CN", viewport=viewport)
        page = context.new_page()
        log_in(page, base, "clerk", f"/workspace/reports/{empty.pk}/")
        page.goto(f"{base}/workspace/reports/{empty.pk}/")
        shot(page, f"clerk-form-{name}")
        page.evaluate("document.getElementById('title-section3').scrollIntoView()")
        screen(page, f"clerk-form-screen-{name}")
        page.goto(f"{base}{review_path}")
        shot(page, f"parse-review-{name}")
        screen(page, f"parse-review-screen-{name}")
        page.mouse.wheel(0, 1500)
        page.wait_for_timeout(200)
        screen(page, f"parse-review-scrolled-{name}")
        page.goto(f"{base}/reports/{public.organ.slug}/{public.year}/")
        shot(page, f"public-report-{name}")
        page.evaluate("document.getElementById('title-section3').scrollIntoView()")
        page.wait_for_timeout(200)
        screen(page, f"public-report-screen-{name}")
        context.close()
    from data.documents import build_docx, document_source_for_publication, docx_to_pdf

    source = document_source_for_publication(public.current_publication)
    _pdf_pages_to_png(docx_to_pdf(build_docx(source.data)), "official-pdf")
