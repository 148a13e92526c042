"""Screenshots of the pages issue 20 is about, at a laptop's and a phone's size.

No assertions beyond "the page loaded": the test_ui_* modules check the layout facts; this one
leaves pictures for a person (and for before/after comparisons) in $PORTAL_ARTIFACTS.
"""

import pytest
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


def _pdf_pages_to_png(pdf: bytes, stem: str, pages: int = 2) -> None:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    for index in range(min(pages, len(document))):
        image = document[index].render(scale=1.5).to_pil()
        image.save(artifacts_dir() / f"{stem}-page{index + 1}.png")


def test_screenshots_of_the_clerk_review_public_pages_and_the_pdf(live_server, browser):
    people()
    empty = empty_report(2024)
    report, attachment, run = parsed_report(2022)
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
        page.goto(f"{base}{review_path}")
        shot(page, f"parse-review-{name}")
        page.goto(f"{base}/reports/{public.organ.slug}/{public.year}/")
        shot(page, f"public-report-{name}")
        context.close()
    from data.documents import build_docx, document_source_for_publication, docx_to_pdf

    source = document_source_for_publication(public.current_publication)
    _pdf_pages_to_png(docx_to_pdf(build_docx(source.data)), "official-pdf")
