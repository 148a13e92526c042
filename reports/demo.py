"""Demo data for a fresh install: organs, one account per role, and the seed reports."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction

import reports
from reports import services
from reports.models import AnnualReport, Attachment, Membership, Organ, ParseRun
from reports.workflow import Status

logger = logging.getLogger(__name__)

# Seconds to wait for a worker to parse one seed before giving up on it.
SEED_PARSE_WAIT = 120
PENDING = (ParseRun.Status.QUEUED, ParseRun.Status.RUNNING)

CITY = ("晋江市", "jinjiang", "350582", Organ.Kind.CITY)
TOWNS = (
    ("晋江市紫帽镇人民政府", "紫帽镇", "zimao", "", Organ.Kind.TOWN),
    ("晋江市英林镇人民政府", "英林镇", "yinglin", "", Organ.Kind.TOWN),
    ("晋江市磁灶镇人民政府", "磁灶镇", "cizao", "", Organ.Kind.TOWN),
    ("晋江市安海镇人民政府", "安海镇", "anhai", "", Organ.Kind.TOWN),
    ("晋江市人民政府西园街道办事处", "西园街道", "xiyuan", "", Organ.Kind.STREET),
    ("晋江市人民政府罗山街道办事处", "罗山街道", "luoshan", "", Organ.Kind.STREET),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    organ_slug: str | None
    label: str


# Shown in the README and on the login page: these are demo credentials, not secrets.
DEMO_ACCOUNTS = (
    DemoAccount("clerk", "clerk-demo-2024", Membership.Role.CLERK, "zimao", "紫帽镇填报员"),
    DemoAccount(
        "supervisor", "supervisor-demo-2024", Membership.Role.SUPERVISOR, "jinjiang", "晋江市审核员"
    ),
    DemoAccount("admin", "admin-demo-2024", Membership.Role.ADMIN, None, "管理员"),
)


def load_organs() -> Organ:
    """Create or update the demo city and its towns; return the city."""
    name, slug, code, kind = CITY
    city, _ = Organ.objects.update_or_create(
        slug=slug, defaults={"name": name, "short_name": name, "code": code, "kind": kind}
    )
    for name, short, slug, code, kind in TOWNS:
        Organ.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short,
                "code": code,
                "kind": kind,
                "parent": city,
            },
        )
    return city


def load_accounts() -> list[DemoAccount]:
    """Create or reset the demo accounts with their known passwords and roles."""
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=account.username)
        user.first_name = account.label
        user.is_active = True
        user.is_staff = account.role == Membership.Role.ADMIN
        user.is_superuser = account.role == Membership.Role.ADMIN
        user.set_password(account.password)
        user.save()
        organ = Organ.objects.get(slug=account.organ_slug) if account.organ_slug else None
        Membership.objects.filter(user=user).exclude(role=account.role, organ=organ).delete()
        Membership.objects.get_or_create(user=user, role=account.role, organ=organ)
    return list(DEMO_ACCOUNTS)


def seeds_dir() -> Path:
    """The shared seed reports: $PORTAL_SEEDS_DIR, or shared/seeds beside the repository."""
    env = os.environ.get("PORTAL_SEEDS_DIR")
    if env:
        return Path(env)
    return Path(reports.__file__).resolve().parents[2] / "shared" / "seeds"


def _finished(run: ParseRun) -> ParseRun:
    """Wait for a worker to finish the run; do it in-process when no worker can have it."""
    if not connection.in_atomic_block and not settings.CELERY_TASK_ALWAYS_EAGER:
        deadline = time.monotonic() + SEED_PARSE_WAIT
        while run.status in PENDING and time.monotonic() < deadline:
            time.sleep(0.5)
            run.refresh_from_db()
    run.refresh_from_db()
    if run.status == ParseRun.Status.QUEUED:
        # Inside a transaction the message is not sent yet; the claim keeps this single-run.
        run = services.parse_run_execute(run_id=run.pk)
    return run


def _seed_run(path: Path) -> ParseRun:
    data = path.read_bytes()
    attachment = Attachment.objects.filter(sha256=hashlib.sha256(data).hexdigest()).first()
    if attachment is None:
        attachment = services.attachment_add(data=data, original_name=path.name)
    run = attachment.parse_runs.filter(status=ParseRun.Status.DONE).first()
    return run or _finished(services.parse_run_queue(attachment=attachment))


DEMO_EXPLANATION = "演示数据：原报告如此，按原文保留。"


def report_publish_demo(*, report: AnnualReport, published_on: date | None) -> AnnualReport:
    """Take a seed report through submit, approve and publish as the demo administrator.

    Seeds are published as they were printed, so their error findings get an explanation.
    """
    admin = get_user_model().objects.filter(username="admin", is_superuser=True).first()
    if admin is None:
        load_accounts()
        admin = get_user_model().objects.get(username="admin")
    if report.status in (Status.DRAFT, Status.RETURNED):
        explanations = {f.pk: DEMO_EXPLANATION for f in report.findings.all() if f.is_blocking}
        services.report_submit(report=report, acting_user=admin, explanations=explanations)
    if report.status == Status.SUBMITTED:
        services.report_approve(report=report, acting_user=admin)
    return services.report_publish(report=report, acting_user=admin, published_on=published_on)


def load_seed_reports(folder: Path | None = None) -> list[AnnualReport]:
    """Upload, parse, apply and publish each seed report; files already loaded are skipped."""
    folder = folder or seeds_dir()
    if not folder.is_dir():
        logger.warning("no seed reports in %s; skipped", folder)
        return []
    city = Organ.objects.get(slug=CITY[1])
    loaded = []
    for path in sorted(folder.glob("*.txt")):
        run = _seed_run(path)
        result = run.result or {}
        if run.status != ParseRun.Status.DONE or not result.get("organ") or not result.get("year"):
            logger.warning("seed %s not loaded: %s", path.name, run.message or "no organ/year")
            continue
        organ = services.organ_match_or_create(name=result["organ"], parent=city)
        report = services.report_get_or_create_from_parse(
            organ=organ, year=result["year"], edition=result.get("edition")
        )
        Attachment.objects.filter(pk=run.attachment_id).update(report=report, organ=organ)
        if report.status != Status.PUBLISHED:
            services.report_apply_parsed(report=report, run=run)
            published = result.get("published")
            report_publish_demo(
                report=report, published_on=date.fromisoformat(published) if published else None
            )
        loaded.append(report)
    return loaded


def load_demo_data() -> None:
    """Everything a fresh install shows; safe to run again."""
    with transaction.atomic():
        load_organs()
        load_accounts()
    # Outside the transaction, so each seed's parse task is sent as soon as it is queued.
    load_seed_reports()
