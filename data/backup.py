"""Backup and restore of the database and the uploaded files (manage.py backup / restore).

A backup directory holds the database (``pg_dump`` custom format on PostgreSQL, an SQLite copy
made with SQLite's online backup API), ``media.tar`` with every uploaded file, and
``manifest.json`` with row counts and the sha256 of each part. Restore goes only into an EMPTY
database (migrated or not), checks the checksums first and the row counts after.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

# Rows counted in the manifest and checked after a restore.
COUNTED = [
    "organs.Organ",
    "organs.Membership",
    "auth.User",
    "filing.AnnualReport",
    "filing.Figure",
    "filing.Attachment",
    "filing.ParseRun",
    "filing.AuditEvent",
    "public.Publication",
]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def row_counts() -> dict[str, int]:
    tables = set(connection.introspection.table_names())
    counts = {}
    for label in COUNTED:
        model = apps.get_model(label)
        counts[label] = model.objects.count() if model._meta.db_table in tables else 0
    return counts


def _pg_args() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432)]
    args += ["-U", db.get("USER") or "postgres"]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def backup(target: Path) -> dict:
    """Write database, media and manifest into ``target`` (created; must be empty)."""
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise CommandError(f"{target} is not empty")
    vendor = connection.vendor
    if vendor == "sqlite":
        database = target / "db.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(database) as copy:
            connection.connection.backup(copy)
        copy.close()
    elif vendor == "postgresql":
        database = target / "db.dump"
        args, env = _pg_args()
        name = settings.DATABASES["default"]["NAME"]
        subprocess.run(["pg_dump", "-Fc", "-f", str(database), *args, name], env=env, check=True)
    else:
        raise CommandError(f"no backup for the {vendor} database")
    media = target / "media.tar"
    with tarfile.open(media, "w") as tar:
        root = Path(settings.MEDIA_ROOT)
        if root.is_dir():
            tar.add(root, arcname=".")
    manifest = {
        "created": timezone.now().isoformat(),
        "vendor": vendor,
        "database": database.name,
        "counts": row_counts(),
        "sha256": {part.name: sha256_of(part) for part in (database, media)},
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    return manifest


def restore(source: Path) -> dict:
    """Restore ``source`` into the current, empty database and MEDIA_ROOT."""
    manifest = json.loads((source / "manifest.json").read_text("utf-8"))
    for name, expected in manifest["sha256"].items():
        if sha256_of(source / name) != expected:
            raise CommandError(f"{name}: checksum does not match the manifest")
    present = {label: n for label, n in row_counts().items() if n}
    if present:
        raise CommandError(f"the database is not empty ({present}); restore needs an empty one")
    vendor = connection.vendor
    if vendor != manifest["vendor"]:
        raise CommandError(f"backup of {manifest['vendor']}, database is {vendor}")
    database = source / manifest["database"]
    if vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(database) as saved:
            saved.backup(connection.connection)
    else:
        args, env = _pg_args()
        name = settings.DATABASES["default"]["NAME"]
        connection.close()
        subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "-d", name, *args,
             str(database)],
            env=env, check=True,
        )  # fmt: skip
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "media.tar") as tar:
        tar.extractall(root, filter="data")
    counts = row_counts()
    if counts != manifest["counts"]:
        raise CommandError(f"row counts differ after restore: {counts} != {manifest['counts']}")
    return manifest
