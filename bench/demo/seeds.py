"""The five real seed reports, added to the demo when shared/seeds is beside the repository."""

from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path

from bench.demo import pipeline
from data import ingest
from filing.models import AnnualReport
from filing.workflow import Status
from organs.models import Organ

logger = logging.getLogger(__name__)

# The seeds are reports of 晋江市's towns; they get a city of their own beside the corpus one.
CITY = ("晋江市", "jinjiang", "350582", Organ.Kind.CITY)


def seeds_dir() -> Path:
    """The shared seed reports: $PORTAL_SEEDS_DIR, or shared/seeds beside the repository."""
    env = os.environ.get("PORTAL_SEEDS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "shared" / "seeds"


# The seeds' city lies outside the demo supervisor's region: the portal admin reviews them.
SEED_REVIEWER = "admin"


def _city() -> Organ:
    name, slug, code, kind = CITY
    city, _ = Organ.objects.update_or_create(
        slug=slug, defaults={"name": name, "short_name": name, "code": code, "kind": kind}
    )
    return city


def load_seed_reports(folder: Path | None = None) -> list[AnnualReport]:
    """Upload, parse, apply and publish each seed report; files already loaded are skipped.

    Seeds are published as printed (their errors explained), on the date they print, or
    20 January of the following year when they print none: never the day the demo is built.
    """
    folder = folder or seeds_dir()
    paths = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not paths:
        logger.info("no seed reports in %s; skipped", folder)
        return []
    city = _city()
    runs = []
    for path in paths:
        attachment, _ = ingest.file_store(data=path.read_bytes(), name=path.name)
        runs.append(ingest.attachment_run(attachment=attachment))
    loaded = []
    for path, run in zip(paths, pipeline.parse_all(runs), strict=True):
        applied = ingest.run_apply(run=run, parent=city)
        if applied.error:
            logger.warning("seed %s not loaded: %s", path.name, applied.error)
            continue
        report = applied.report
        published = (run.result or {}).get("published")
        on = date.fromisoformat(published) if published else date(report.year + 1, 1, 20)
        if report.status in (Status.DRAFT, Status.RETURNED):
            report = pipeline.submit(report)
        if report.status == Status.SUBMITTED:
            report = pipeline.approve(report, reviewer=SEED_REVIEWER)
        if report.status == Status.APPROVED:
            report = pipeline.publish(report, on, reviewer=SEED_REVIEWER)
        loaded.append(report)
    return loaded
