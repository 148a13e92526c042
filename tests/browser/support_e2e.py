"""Helpers for the end-to-end browser test: a browser with one context per person, and login.

The Chromium launch settings are the public browser test's (tests/browser/test_public_browser.py).
"""

from __future__ import annotations

import contextlib
import os

import pytest

from tests.browser.test_public_browser import CHROMIUM, CHROMIUM_ARGS

# A parse runs eagerly in the live server's thread in tests; with a real worker it may take
# a while on a loaded machine. The upload list polls and reloads itself meanwhile.
PARSE_WAIT_MS = 120_000


def require_chromium() -> None:
    """Skip without Debian's Chromium, except in CI (CI=true), where its absence is a failure."""
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser test skipped")


@contextlib.contextmanager
def launched_browser():
    """Headless Chromium through Playwright's sync API (no downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser):
    """A page in a fresh context: its own cookies, so each person has their own session."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def log_in(page, base_url: str, username: str, password: str, next_path: str) -> None:
    """Sign in through the login form and land on ``next_path``."""
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.locator("form.account-form").get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{next_path}")
