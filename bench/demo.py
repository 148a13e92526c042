"""Demo data for a fresh install: organs, one account per role, and the seed reports."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from data import ingest
from filing import services
from filing.models import AnnualReport, ParseRun
from filing.workflow import Status
from organs.models import Membership, Organ
from public import services as public_services
from review import services as review_services

logger = logging.getLogger(__name__)

# Seconds to wait for a worker to parse one seed before giving up on it.
SEED_PARSE_WAIT = 120

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
    return Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _seed_run(path: Path) -> ParseRun:
    """The seed's finished parse run, stored and parsed once (sha256 dedup)."""
    attachment, _ = ingest.file_store(data=path.read_bytes(), name=path.name)
    run = ingest.attachment_run(attachment=attachment)
    return ingest.runs_finish([run], wait=SEED_PARSE_WAIT)[0]


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
        review_services.report_approve(report=report, acting_user=admin)
    return public_services.report_publish(
        report=report, acting_user=admin, published_on=published_on
    )


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
        applied = ingest.run_apply(run=run, parent=city)
        if applied.error:
            logger.warning("seed %s not loaded: %s", path.name, applied.error)
            continue
        report = applied.report
        if report.status != Status.PUBLISHED:
            published = (run.result or {}).get("published")
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
