"""manage.py backup / restore: a restore into an empty database finds the same reports, files
(sha256) and audit trail; a non-empty database is refused. Runs the real commands in
subprocesses on throwaway databases (SQLite always; PostgreSQL when DATABASE_URL is one)."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

POPULATE = """
from django.db import transaction
from filing import services
from filing.models import AnnualReport
from organs.models import Organ
organ = Organ.objects.create(name="晋江市紫帽镇人民政府", slug="zimao")
report = AnnualReport.objects.create(organ=organ, year=2023, overview="总体情况")
services.audit_event_add(action="report.create", report=report, data={"from": "test"})
with transaction.atomic():
    services.attachment_add(data=b"%PDF-1.4 original \\x00\\xff", original_name="年报.pdf", report=report)
"""

SNAPSHOT = """
import hashlib
from filing.models import AnnualReport, Attachment, AuditEvent
print(json.dumps({
    "reports": sorted([r.organ.slug, r.year, r.overview] for r in AnnualReport.objects.all()),
    "files": sorted([a.original_name, a.sha256, hashlib.sha256(a.file.open("rb").read()).hexdigest()]
                    for a in Attachment.objects.all()),
    "audit": sorted([e.action, e.data] for e in AuditEvent.objects.all()),
}))
"""


def env_for(database_url: str, media: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", DEBUG="1", DATABASE_URL=database_url,
               MEDIA_ROOT=str(media))  # fmt: skip
    return env


def manage(env, *args, check=True):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=check, timeout=300)  # fmt: skip


def python(env, code: str):
    done = subprocess.run([sys.executable, "-c", "import django, json\ndjango.setup()\n" + code],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def databases(tmp_path):
    yield "sqlite", f"sqlite:///{tmp_path / 'a.sqlite3'}", f"sqlite:///{tmp_path / 'b.sqlite3'}"
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base = url.rsplit("/", 1)[0]
        names = [f"backup_{uuid.uuid4().hex[:8]}_{side}" for side in "ab"]
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            for name in names:
                conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield "postgresql", f"{base}/{names[0]}", f"{base}/{names[1]}"
        finally:
            with psycopg.connect(base + "/postgres", autocommit=True) as conn:
                for name in names:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_restore_into_an_empty_database_finds_the_same_reports_files_and_audit(tmp_path):
    for vendor, source_url, target_url in databases(tmp_path):
        work = tmp_path / vendor
        source = env_for(source_url, work / "media-a")
        target = env_for(target_url, work / "media-b")
        manage(source, "migrate", "--noinput", "-v", "0")
        python(source, POPULATE)
        before = json.loads(python(source, SNAPSHOT))
        manage(source, "backup", str(work / "backup"))
        manifest = json.loads((work / "backup" / "manifest.json").read_text())
        assert manifest["counts"]["filing.AuditEvent"] >= 1

        manage(target, "migrate", "--noinput", "-v", "0")
        manage(target, "restore", str(work / "backup"))
        after = json.loads(python(target, SNAPSHOT))
        assert after == before and before["files"] and before["audit"]

        # A second restore meets a database that is no longer empty: refused, nothing changed.
        refused = manage(target, "restore", str(work / "backup"), check=False)
        assert refused.returncode != 0 and "not empty" in refused.stderr
        assert json.loads(python(target, SNAPSHOT)) == before
