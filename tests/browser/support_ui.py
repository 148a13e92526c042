"""Shared set-up of the UI browser tests: demo people and reports, viewports, artifacts.

Screenshots go to $PORTAL_ARTIFACTS (default /tmp/portal-artifacts), so a run leaves the
pages it checked for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.contrib.auth import get_user_model

from filing import services
from filing import tasks as _tasks  # noqa: F401  (registers the parse task)
from filing.models import AnnualReport
from organs.models import Organ
from tests.support.render import TOWN_2022, TOWN_2023, corpus_bytes

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"laptop": LAPTOP, "phone": PHONE}
PASSWORDS = {"clerk": "pw-clerk-ui", "supervisor": "pw-supervisor-ui", "admin": "pw-admin-ui"}


def artifacts_dir() -> Path:
    folder = Path(os.environ.get("PORTAL_ARTIFACTS", "/tmp/portal-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shot(page, name: str) -> Path:
    """Save a full-page screenshot of the page as an artifact."""
    path = artifacts_dir() / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def shot_of(locator, name: str) -> Path:
    """Save a screenshot of one element (a table, a bar) as an artifact."""
    path = artifacts_dir() / f"{name}.png"
    locator.screenshot(path=str(path))
    return path


def people() -> None:
    """A city with two towns, 紫帽镇's clerk, the city's supervisor and an administrator."""
    from organs.models import Membership

    city, _ = Organ.objects.get_or_create(
        slug="jinjiang", defaults={"name": "晋江市人民政府", "kind": Organ.Kind.CITY}
    )
    for slug, name in (
        ("zimao", "晋江市紫帽镇人民政府"),
        ("xiyuan", "晋江市人民政府西园街道办事处"),
    ):
        Organ.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": Organ.Kind.TOWN, "parent": city}
        )
    users = get_user_model().objects
    for username, role, organ in (
        ("clerk", Membership.Role.CLERK, Organ.objects.get(slug="zimao")),
        ("supervisor", Membership.Role.SUPERVISOR, city),
        ("admin", Membership.Role.ADMIN, None),
    ):
        user, _ = users.get_or_create(
            username=username, defaults={"email": f"{username}@x.invalid"}
        )
        user.set_password(PASSWORDS[username])
        user.is_staff = user.is_superuser = role == Membership.Role.ADMIN
        user.save()
        Membership.objects.get_or_create(user=user, role=role, organ=organ)


def published_report(slug: str = "xiyuan", year: int = 2023, sample: str = TOWN_2023):
    """A report of the project's generated corpus uploaded as a clerk's text file, applied,
    submitted, approved and published by the admin."""
    from public import services as public_services
    from review import services as review_services

    admin = get_user_model().objects.get(username="admin")
    organ = Organ.objects.get(slug=slug)
    report = services.report_start(organ=organ, year=year, acting_user=admin)
    attachment = services.attachment_add(
        data=corpus_bytes(sample, "text"), original_name=f"{year}.txt", report=report
    )
    run = services.parse_run_queue(attachment=attachment)
    run.refresh_from_db()
    services.report_apply_parsed(report=report, run=run, acting_user=admin)
    explanations = {f.pk: "原报告如此。" for f in report.findings.all() if f.is_blocking}
    services.report_submit(report=report, acting_user=admin, explanations=explanations)
    review_services.report_approve(report=report, acting_user=admin)
    public_services.report_publish(report=report, acting_user=admin, published_on=None)
    report.refresh_from_db()
    return report


def empty_report(year: int = 2024) -> AnnualReport:
    """A fresh draft of 紫帽镇 (the demo clerk's town)."""
    clerk = get_user_model().objects.get(username="clerk")
    organ = Organ.objects.get(slug="zimao")
    return services.report_start(organ=organ, year=year, acting_user=clerk)


def parsed_report(year: int = 2022):
    """A draft with a generated corpus report uploaded and parsed: (report, attachment, run)."""
    clerk = get_user_model().objects.get(username="clerk")
    report = empty_report(year)
    attachment = services.attachment_add(
        data=corpus_bytes(TOWN_2022, "text"),
        original_name=f"{year}.txt",  # digits only, as a scanner names files
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


def submitted_report(year: int = 2022):
    """紫帽镇's draft with a corpus report applied and submitted by its clerk (errors explained)."""
    clerk = get_user_model().objects.get(username="clerk")
    report, _attachment, run = parsed_report(year)
    services.report_apply_parsed(report=report, run=run, acting_user=clerk)
    explanations = {f.pk: "原报告如此。" for f in report.findings.all() if f.is_blocking}
    services.report_submit(report=report, acting_user=clerk, explanations=explanations)
    report.refresh_from_db()
    return report


def cjk_left(text: str, data: list[str]) -> str:
    """What is left of a text in Chinese once the data it quotes (names, prose) is taken out."""
    import re

    for item in sorted(data, key=len, reverse=True):
        if item:
            text = text.replace(item, "")
    return "".join(re.findall(r"[\u3400-\u9fff]+", text))


# Visible text nodes of the page (or of one element), script and style left out.
VISIBLE_TEXTS = """(root) => {
  const out = [];
  const start = root instanceof Element ? root : document.body;
  const walker = document.createTreeWalker(start, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest("script, style, [hidden]")) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    out.push(text);
  }
  return out;
}"""
