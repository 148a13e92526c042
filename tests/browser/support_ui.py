"""Shared set-up of the UI browser tests: demo people and reports, viewports, artifacts.

Screenshots go to $PORTAL_ARTIFACTS (default /tmp/portal-artifacts), so a run leaves the
pages it checked for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

from bench import demo
from filing import services
from filing import tasks as _tasks  # noqa: F401  (registers the parse task)
from filing.models import AnnualReport
from organs.models import Organ
from tests.support.render import seed_path

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"laptop": LAPTOP, "phone": PHONE}
PASSWORDS = {a.username: a.password for a in demo.DEMO_ACCOUNTS}


def artifacts_dir() -> Path:
    folder = Path(os.environ.get("PORTAL_ARTIFACTS", "/tmp/portal-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shot(page, name: str) -> Path:
    """Save a full-page screenshot of the page as an artifact."""
    path = artifacts_dir() / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def people() -> None:
    demo.load_organs()
    demo.load_accounts()


def empty_report(year: int = 2024) -> AnnualReport:
    """A fresh draft of 紫帽镇 (the demo clerk's town)."""
    from django.contrib.auth import get_user_model

    clerk = get_user_model().objects.get(username="clerk")
    organ = Organ.objects.get(slug="zimao")
    return services.report_start(organ=organ, year=year, acting_user=clerk)


def parsed_report(year: int = 2022):
    """A draft with seed 000 uploaded and parsed: (report, attachment, run)."""
    from django.contrib.auth import get_user_model

    clerk = get_user_model().objects.get(username="clerk")
    report = empty_report(year)
    attachment = services.attachment_add(
        data=seed_path("000").read_bytes(),
        original_name="000.txt",
        uploaded_by=clerk,
        report=report,
    )
    run = services.parse_run_queue(attachment=attachment)
    run.refresh_from_db()
    if run.status != run.Status.DONE:
        services.parse_run_execute(run_id=run.pk)
        run.refresh_from_db()
    return report, attachment, run


def log_in(page, base: str, username: str, next_path: str = "") -> None:
    query = f"?next={next_path}" if next_path else ""
    page.goto(f"{base}/accounts/login/{query}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORDS[username])
    page.locator("form.account-form").get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def horizontal_overflow(page) -> int:
    """How far the page itself scrolls sideways (0 when wide tables scroll in their frame)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
