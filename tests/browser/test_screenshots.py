"""The README's screenshots, taken from the corpus demo so they stay current.

Builds the demo (bench.demo, corpus only: the real seeds are hidden) and saves, clipped to
the viewport and kept small, into docs/screenshots/: the public report page and the
statistics page at a laptop's size, the clerk's report form, and the report on a phone.

    python -m pytest -m browser tests/browser/test_screenshots.py
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bench import demo
from bench.demo.accounts import TOWN_SLUG
from filing.models import AnnualReport
from filing.workflow import Status
from tests.browser.support_e2e import launched_browser, log_in, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOLDER = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
MAX_BYTES = 300_000


@pytest.fixture
def browser(monkeypatch, tmp_path):
    require_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The demo as a stranger's clone builds it: the corpus only, no real seed reports.
    monkeypatch.setenv("PORTAL_SEEDS_DIR", str(tmp_path / "no-seeds"))
    with launched_browser() as browser:
        yield browser


def save(page, name: str) -> Path:
    """The viewport as a PNG under MAX_BYTES (reduced to a 256-colour palette if needed)."""
    from PIL import Image

    FOLDER.mkdir(parents=True, exist_ok=True)
    path = FOLDER / f"{name}.png"
    image = Image.open(io.BytesIO(page.screenshot(full_page=False)))
    image.save(path, optimize=True)
    if path.stat().st_size > MAX_BYTES:
        image.convert("RGB").quantize(colors=256).save(path, optimize=True)
    assert path.stat().st_size <= MAX_BYTES, (path, path.stat().st_size)
    return path


def page_at(browser, viewport: dict):
    page = browser.new_context(locale="zh-CN", viewport=viewport).new_page()
    page.set_default_timeout(30_000)
    return page


def test_the_readme_screenshots_are_taken_from_the_demo(live_server, browser):
    demo.load_demo_data()
    base = live_server.url
    published = (
        AnnualReport.objects.filter(organ__slug=TOWN_SLUG, status=Status.PUBLISHED)
        .order_by("-year")
        .first()
    )
    assert published is not None
    report_path = f"/reports/{published.organ.slug}/{published.year}/"

    page = page_at(browser, LAPTOP)
    page.goto(base + report_path)
    page.wait_for_selector("table.grid-section3")
    save(page, "report")

    page.goto(f"{base}/stats/")
    page.wait_for_load_state("networkidle")
    charts = page.locator(".chart-frame")
    assert charts.count() > 0
    # The first chart whole, its heading above it.
    charts.first.evaluate("e => e.scrollIntoView({block: 'center'})")
    save(page, "stats")

    phone = page_at(browser, PHONE)
    phone.goto(base + report_path)
    phone.wait_for_selector("table.grid-section3")
    save(phone, "report-phone")

    clerk = next(a for a in demo.DEMO_ACCOUNTS if a.username == "clerk")
    draft = (
        AnnualReport.objects.filter(organ__slug=TOWN_SLUG)
        .exclude(status=Status.PUBLISHED)
        .order_by("-year")
        .first()
    ) or published
    form = page_at(browser, LAPTOP)
    form_path = f"/workspace/reports/{draft.pk}/"
    log_in(form, base, clerk.username, clerk.password, form_path)
    form.wait_for_load_state("networkidle")
    # The tables in the national layout, with the report's heading still in view above them.
    form.locator("table.report-grid").first.evaluate(
        "e => { e.scrollIntoView({block: 'start'}); window.scrollBy(0, -160); }"
    )
    save(form, "clerk-form")

    for name in ("report", "stats", "report-phone", "clerk-form"):
        assert (FOLDER / f"{name}.png").stat().st_size > 10_000, name
