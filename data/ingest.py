"""Bulk ingest of past report files: store (sha256 dedup), parse on the workers, apply.

Used by ``manage.py ingest`` and by the demo loader. Files come from a folder (recursive),
a single file or a zip archive; zip members are read into memory with size limits and
never extracted to disk under their own names.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from filing import services
from filing.models import AnnualReport, Attachment, AuditEvent, Finding, ParseRun
from filing.workflow import EDITABLE_STATUSES
from organs import services as organ_services
from organs.models import Organ

# What core.parsing reads (.doc gets a clear "save it as DOCX" failure, not silence).
SUFFIXES = (".txt", ".md", ".markdown", ".pdf", ".docx", ".doc", ".html", ".htm")
MAX_MEMBERS = 10_000
PENDING = (ParseRun.Status.QUEUED, ParseRun.Status.RUNNING)
# Seconds without any run finishing before the wait gives up.
DEFAULT_WAIT = 600

Progress = Callable[[str, int, int], None]  # (phase, done, total)


class IngestError(Exception):
    """The path cannot be ingested at all (a usage error, not a bad file)."""


class FileRefused(Exception):
    """One file cannot be read or stored; the message says why, in plain Chinese."""


@dataclass
class Source:
    """One candidate file: its name inside the folder/archive and how to read it."""

    name: str
    size: int
    read: Callable[[], bytes]


def _max_bytes() -> int:
    return settings.PORTAL_MAX_UPLOAD_BYTES


def _max_total() -> int:
    return getattr(settings, "PORTAL_INGEST_MAX_TOTAL_BYTES", 2 * 1024**3)


def _too_large(size: int) -> FileRefused:
    return FileRefused(
        f"文件过大（{size / 1048576:.1f} MB），上限为 {_max_bytes() / 1048576:.0f} MB"
    )


def _wanted(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    hidden = any(p.startswith(".") or p == "__MACOSX" for p in parts if p not in ("", ".", ".."))
    return not hidden and name.lower().endswith(SUFFIXES)


def _folder_sources(root: Path) -> tuple[list[Source], list[str]]:
    sources, skipped = [], []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        for file_name in sorted(files):
            path = Path(folder, file_name)
            name = path.relative_to(root).as_posix()
            if not _wanted(name) or not path.is_file():
                skipped.append(name)
                continue
            sources.append(Source(name, path.stat().st_size, _file_reader(path)))
    return sources, skipped


def _file_reader(path: Path) -> Callable[[], bytes]:
    def read() -> bytes:
        if path.stat().st_size > _max_bytes():
            raise _too_large(path.stat().st_size)
        try:
            return path.read_bytes()
        except OSError as exc:
            raise FileRefused(f"无法读取该文件（{exc.strerror or exc}）") from exc

    return read


def _zip_sources(archive: zipfile.ZipFile) -> tuple[list[Source], list[str]]:
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_MEMBERS:
        raise IngestError(f"压缩包内文件过多（{len(infos)} 个，上限 {MAX_MEMBERS} 个）。")
    if sum(i.file_size for i in infos) > _max_total():
        raise IngestError("压缩包解压后体积过大，已拒绝读取。")
    sources, skipped = [], []
    for info in infos:
        if _wanted(info.filename):
            sources.append(Source(info.filename, info.file_size, _member_reader(archive, info)))
        else:
            skipped.append(info.filename)
    return sources, skipped


def _member_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], bytes]:
    def read() -> bytes:
        limit = _max_bytes()
        if info.file_size > limit:
            raise _too_large(info.file_size)
        try:
            with archive.open(info) as member:
                # The header may lie about the size: never read more than the limit allows.
                data = member.read(limit + 1)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
            raise FileRefused(f"压缩包中的该文件已损坏或已加密（{exc}）") from exc
        if len(data) > limit:
            raise _too_large(len(data))
        return data

    return read


@contextlib.contextmanager
def open_sources(path: Path) -> Iterator[tuple[list[Source], list[str]]]:
    """The report files under a folder, in a zip archive, or the one file; and those skipped."""
    path = Path(path)
    if path.is_dir():
        yield _folder_sources(path)
    elif path.is_file() and zipfile.is_zipfile(path) and path.suffix.lower() != ".docx":
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise IngestError(f"无法打开压缩包：{exc}") from exc
        with archive:
            yield _zip_sources(archive)
    elif path.is_file():
        yield [Source(path.name, path.stat().st_size, _file_reader(path))], []
    else:
        raise IngestError(f"找不到文件或文件夹：{path}")


# ---------------------------------------------------------------- storing and parsing


def file_store(*, data: bytes, name: str, uploaded_by=None) -> tuple[Attachment, bool]:
    """The attachment holding these bytes: an existing one (same sha256) or a new one."""
    digest = hashlib.sha256(data).hexdigest()
    existing = Attachment.objects.filter(sha256=digest).order_by("pk").first()
    if existing is not None:
        return existing, True
    return services.attachment_add(data=data, original_name=name, uploaded_by=uploaded_by), False


def attachment_run(*, attachment: Attachment) -> ParseRun:
    """A DONE run of the attachment if there is one, else a pending one, else a new queued one."""
    runs = attachment.parse_runs.order_by("-pk")
    run = (
        runs.filter(status=ParseRun.Status.DONE).first() or runs.filter(status__in=PENDING).first()
    )
    return run or services.parse_run_queue(attachment=attachment)


def runs_finish(
    runs: list[ParseRun], *, wait: float = DEFAULT_WAIT, progress: Progress | None = None
) -> list[ParseRun]:
    """Wait for the workers to finish the runs; run in-process those no worker can have.

    ``wait`` is how long to go on without any run finishing. Inside a transaction, or with
    eager tasks, no worker can see a run, so queued runs are executed here directly.
    """
    ids = [run.pk for run in runs]
    pending = {run.pk for run in runs if run.status in PENDING}
    if pending and not connection.in_atomic_block and not settings.CELERY_TASK_ALWAYS_EAGER:
        pending = _poll(pending, len(ids), wait=wait, progress=progress)
    fresh = ParseRun.objects.in_bulk(ids)
    for pk in ids:
        if fresh[pk].status == ParseRun.Status.QUEUED:
            # Not sent yet (inside a transaction) or no worker took it: the claim keeps it single.
            fresh[pk] = services.parse_run_execute(run_id=pk)
    if progress:
        progress("parse", len(ids), len(ids))
    return [fresh[pk] for pk in ids]


def _poll(pending: set[int], total: int, *, wait: float, progress: Progress | None) -> set[int]:
    idle_since = time.monotonic()
    while pending and time.monotonic() - idle_since < wait:
        if progress:
            progress("parse", total - len(pending), total)
        time.sleep(0.25)
        still = set(
            ParseRun.objects.filter(pk__in=pending, status__in=PENDING).values_list("pk", flat=True)
        )
        if still != pending:
            idle_since = time.monotonic()
        pending = still
    return pending


# ---------------------------------------------------------------- applying


@dataclass
class Applied:
    """What applying one run did to its report."""

    report: AnnualReport | None = None
    created: bool = False
    # "created", "updated", "unchanged" (this run was applied before), "not_editable"
    action: str = ""
    conflicts: int = 0
    error: str = ""


def run_apply(
    *, run: ParseRun, organ: Organ | None = None, year: int | None = None, parent=None
) -> Applied:
    """Find or create the run's organ and report and prefill it, unless it is not editable."""
    result = run.result or {}
    if run.status != ParseRun.Status.DONE:
        return Applied(error=run.message or "识别未完成")
    year = year or result.get("year")
    if organ is None and not result.get("organ"):
        return Applied(error="文件中没有识别出机关名称（可用 --organ 指定）")
    if not year:
        return Applied(error="文件中没有识别出报告年度（可用 --year 指定）")
    try:
        with transaction.atomic():
            return _apply(run, organ, int(year), parent, result)
    except ValidationError as error:
        return Applied(error=" ".join(error.messages))


def _apply(run: ParseRun, organ: Organ | None, year: int, parent, result: dict) -> Applied:
    if organ is None:
        organ = organ_services.organ_match_or_create(name=result["organ"], parent=parent)
    created = not AnnualReport.objects.filter(organ=organ, year=year).exists()
    report = services.report_get_or_create_from_parse(
        organ=organ, year=year, edition=result.get("edition")
    )
    Attachment.objects.filter(pk=run.attachment_id, report__isnull=True).update(
        report=report, organ=organ
    )
    applied = Applied(report=report, created=created)
    if report.status not in EDITABLE_STATUSES:
        applied.action = "not_editable"
    elif AuditEvent.objects.filter(
        report=report, action="report.apply_parsed", data__run=run.pk
    ).exists():
        applied.action = "unchanged"
    else:
        outcome = services.report_apply_parsed(report=report, run=run)
        applied.conflicts = len(outcome.conflicts)
        applied.action = "created" if created else "updated"
    return applied


# ---------------------------------------------------------------- the whole ingest


@dataclass
class FileOutcome:
    name: str
    stored: bool = False
    duplicate: bool = False
    run_id: int | None = None
    parsed: bool = False
    report_id: int | None = None
    error: str = ""


@dataclass
class Summary:
    files: list[FileOutcome] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    reports: dict[int, dict] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The summary the command prints (and its --json)."""
        actions = [r["action"] for r in self.reports.values()]
        return {
            "read": len(self.files),
            "skipped": self.skipped,
            "stored": sum(f.stored for f in self.files),
            "duplicates": sum(f.duplicate for f in self.files),
            "parsed": sum(f.parsed for f in self.files),
            "failed": [{"file": f.name, "reason": f.error} for f in self.files if f.error],
            "reports_created": actions.count("created"),
            "reports_updated": actions.count("updated"),
            "reports_unchanged": actions.count("unchanged"),
            "reports_not_editable": actions.count("not_editable"),
            "reports": list(self.reports.values()),
            "files": [asdict(f) for f in self.files],
        }


def ingest_path(
    path: Path,
    *,
    organ: Organ | None = None,
    year: int | None = None,
    parent: Organ | None = None,
    wait: float = DEFAULT_WAIT,
    progress: Progress | None = None,
) -> Summary:
    """Store every report file under ``path``, parse them on the workers, apply the results."""
    summary = Summary()
    queued: list[tuple[FileOutcome, ParseRun]] = []
    with open_sources(path) as (sources, skipped):
        summary.skipped = skipped
        for index, source in enumerate(sources):
            if progress:
                progress("store", index, len(sources))
            outcome = FileOutcome(source.name)
            summary.files.append(outcome)
            try:
                data = source.read()
                # One commit per file: the parse task is sent as soon as its row exists.
                with transaction.atomic():
                    attachment, outcome.duplicate = file_store(data=data, name=source.name)
                    run = attachment_run(attachment=attachment)
            except FileRefused as exc:
                outcome.error = str(exc)
                continue
            except ValidationError as error:
                outcome.error = " ".join(error.messages)
                continue
            outcome.stored = not outcome.duplicate
            outcome.run_id = run.pk
            queued.append((outcome, run))
        if progress:
            progress("store", len(sources), len(sources))
    finished = runs_finish([run for _, run in queued], wait=wait, progress=progress)
    for index, ((outcome, _), run) in enumerate(zip(queued, finished, strict=True)):
        if progress:
            progress("apply", index, len(finished))
        outcome.parsed = run.status == ParseRun.Status.DONE
        applied = run_apply(run=run, organ=organ, year=year, parent=parent)
        if applied.error:
            outcome.error = applied.error
            continue
        outcome.report_id = applied.report.pk
        _note_report(summary, applied, outcome.name)
    if progress:
        progress("apply", len(finished), len(finished))
    return summary


_RANK = {"not_editable": 0, "unchanged": 1, "updated": 2, "created": 3}


def _note_report(summary: Summary, applied: Applied, file_name: str) -> None:
    report = applied.report
    report.refresh_from_db()
    findings = list(report.findings.all())
    errors = [f.code for f in findings if f.severity == Finding.Severity.ERROR]
    entry = summary.reports.setdefault(
        report.pk,
        {"organ": report.organ.name, "slug": report.organ.slug, "year": report.year,
         "files": [], "action": applied.action, "conflicts": 0},
    )  # fmt: skip
    if _RANK[applied.action] > _RANK[entry["action"]]:
        entry["action"] = applied.action
    entry["files"].append(file_name)
    entry["conflicts"] += applied.conflicts
    entry.update(
        edition=report.edition,
        status=report.status,
        status_label=str(report.get_status_display()),
        errors=len(errors),
        warnings=sum(1 for f in findings if f.severity == Finding.Severity.WARNING),
        error_codes=sorted(set(errors)),
    )
