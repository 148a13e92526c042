"""Reports from parse runs: create, prefill from parsed values, and refresh their findings."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from core import formats
from core.checks import check_report
from core.checks.messages import render_value
from core.figureset import Cell, plain_number
from core.parsing.prose import Statement, prose_statements
from filing.models import AnnualReport, Figure, Finding, ParseRun
from filing.services.audit import audit_event_add
from filing.signals import submission_findings
from filing.workflow import require_editable
from organs.models import Organ

# Parsed prose section -> report field; sections 二–四 are the tables.
PROSE_FIELDS = {"一": "overview", "五": "problems", "六": "other_matters"}


@dataclass
class Conflict:
    """A cell where the report holds a value that differs from the parsed one."""

    cell: Cell
    current: int | float | None
    parsed: int | float | None


@dataclass
class ApplyOutcome:
    """What report_apply_parsed did: cells filled, conflicts left alone, prose filled."""

    filled: list[Cell] = field(default_factory=list)
    replaced: list[Cell] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    unknown: list[Cell] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)
    edition_set: bool = False


def report_get_or_create_from_parse(
    *, organ: Organ, year: int, edition: str | None, acting_user=None
) -> AnnualReport:
    """The organ's report for the year, created as a draft in the parsed edition if missing."""
    defaults = {"edition": edition} if edition in formats.EDITIONS else {}
    report, created = AnnualReport.objects.get_or_create(organ=organ, year=year, defaults=defaults)
    if created:
        audit_event_add(
            action="report.create",
            actor=acting_user,
            report=report,
            to_status=report.status,
            data={"edition": report.edition, "from": "parse"},
        )
    return report


def _parsed_cells(run: ParseRun) -> dict[Cell, Decimal]:
    return {(v.table, v.row, v.column): v.value for v in run.values.all() if v.value is not None}


def _take_edition(report: AnnualReport, run: ParseRun) -> bool:
    """Adopt the parsed edition while the report holds no figures yet."""
    edition = (run.result or {}).get("edition")
    if edition not in formats.EDITIONS or edition == report.edition:
        return False
    if report.figures.filter(value__isnull=False).exists():
        return False
    report.figures.all().delete()
    report.edition = edition
    return True


@transaction.atomic
def report_apply_parsed(
    *, report: AnnualReport, run: ParseRun, cells=None, acting_user=None, prose_replace=()
) -> ApplyOutcome:
    """Prefill the draft from a parse run without overwriting what the clerk entered.

    ``cells`` and ``prose_replace`` (prose field names) are the clerk's explicit choices of
    parsed over typed content; nothing else the clerk wrote is replaced.
    """
    if run.status != ParseRun.Status.DONE:
        raise ValidationError("这次识别没有成功完成，不能填入报告。", code="run_not_done")
    AnnualReport.objects.select_for_update().filter(pk=report.pk).first()  # lock, then re-read
    report.refresh_from_db()
    require_editable(report, "再填入识别结果")
    selected = {tuple(c) for c in cells or ()}
    outcome = ApplyOutcome(edition_set=_take_edition(report, run))
    edition = formats.get_edition(report.edition)
    known = {(formats.SECTION2, r, c) for r, c in edition.section2_cells()}
    known |= {(formats.SECTION3, r, c) for r in edition.section3_row_keys()
              for c in formats.APPLICANT_KEYS}  # fmt: skip
    known |= {(formats.SECTION4, g, c) for g, c in formats.SECTION4_CELLS}
    current = {(f.table, f.row, f.column): f for f in report.figures.all()}
    writes: list[Figure] = []
    for cell, value in _parsed_cells(run).items():
        if cell not in known:
            outcome.unknown.append(cell)
            continue
        existing = current.get(cell)
        if existing is None or existing.value is None:
            outcome.filled.append(cell)
        elif existing.value == value:
            continue
        elif existing.source == Figure.Source.PARSED or cell in selected:
            # A value an earlier parse wrote is not the clerk's; a selected cell is their choice.
            outcome.replaced.append(cell)
        else:
            outcome.conflicts.append(
                Conflict(cell, plain_number(existing.value), plain_number(value))
            )
            continue
        table, row, column = cell
        writes.append(
            Figure(report=report, table=table, row=row, column=column, value=value,
                   source=Figure.Source.PARSED)
        )  # fmt: skip
    Figure.objects.bulk_create(
        writes,
        update_conflicts=True,
        unique_fields=["report", "table", "row", "column"],
        update_fields=["value", "source", "updated_at"],
    )
    sections = (run.result or {}).get("sections") or {}
    for numeral, field_name in PROSE_FIELDS.items():
        text = (sections.get(numeral) or "").strip()
        current = getattr(report, field_name).strip()
        if text and (not current or (field_name in prose_replace and current != text)):
            setattr(report, field_name, text)
            outcome.prose.append(field_name)
    report.version = F("version") + 1
    report.save()
    report.refresh_from_db()
    audit_event_add(
        action="report.apply_parsed",
        actor=acting_user,
        report=report,
        data={
            "run": run.pk,
            "attachment": run.attachment_id,
            "filled": len(outcome.filled),
            "replaced": [list(c) for c in outcome.replaced],
            "conflicts": [list(c.cell) for c in outcome.conflicts],
            "prose": outcome.prose,
            "edition_set": outcome.edition_set,
        },
    )
    report_findings_refresh(report=report)
    return outcome


def report_prose_statements(report: AnnualReport) -> dict[str, Statement]:
    """Numbers the report's prose states with their sentences: section 一 first, then the rest."""
    found = prose_statements(report.overview)
    rest = "\n".join([report.problems, report.other_matters])
    for key, statement in prose_statements(rest).items():
        found.setdefault(key, statement)
    return found


def report_prose_numbers(report: AnnualReport) -> dict[str, int]:
    """Numbers the report's prose states: section 一 first, the other prose after."""
    return {key: s.value for key, s in report_prose_statements(report).items()}


def _fingerprint(finding, values: dict) -> str:
    """What a finding is about: its code, cells, the values in them and its params."""
    cells = [list(c) for c in finding.cells]
    about = [finding.code, cells, [values.get(tuple(c)) for c in cells]]
    # Params as the Chinese words they say, so a change in how they are stored (phrases
    # instead of sentences) keeps the reviewers' decisions.
    about.append({k: render_value(v) for k, v in finding.params.items()} or finding.message)
    raw = json.dumps(about, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def report_findings_refresh(*, report: AnnualReport, similarity: bool = False) -> list[Finding]:
    """Replace the report's findings with a fresh check, keeping explanations and decisions.

    A reviewer's decision stays on a finding whose code, cells and values did not change;
    one whose values changed is open again (and the audit trail says so).
    ``similarity`` adds the prose-similarity findings; report_submit asks for them, a draft
    save does not (about 0.3–1 s against 200 reports of a year, see review/similarity.py).
    """
    previous = AnnualReport.objects.filter(organ_id=report.organ_id, year=report.year - 1).first()
    statements = report_prose_statements(report)
    findings = check_report(
        report.figures_dict(),
        report.edition,
        prose_numbers={key: s.value for key, s in statements.items()},
        prose_evidence={key: s.evidence() for key, s in statements.items()},
        # Figures imported without any text: the prose is unknown, not empty.
        sections={"五": report.problems} if report.overview.strip() else None,
        previous=previous and {"edition": previous.edition, "figures": previous.figures_dict()},
    )
    if similarity:
        # Checks other apps add at submission (review: prose copied from last year or from
        # another organ), as receivers of submission_findings.
        for _receiver, extra in submission_findings.send(
            sender=AnnualReport, report=report, previous=previous
        ):
            findings += extra

    def key(code, cells):
        return code, tuple(tuple(c) for c in cells)

    old = {key(f.code, f.cells): f for f in report.findings.all()}
    values = {(f.table, f.row, f.column): f.value for f in report.figures.all()}
    report.findings.all().delete()
    rows, reopened = [], []
    for f in findings:
        row = Finding(
            report=report,
            code=f.code,
            severity=f.severity,
            message=f.message,
            cells=[list(c) for c in f.cells],
            params=f.params,
            evidence=f.evidence,
            fingerprint=_fingerprint(f, values),
        )
        before = old.get(key(f.code, f.cells))
        if before is not None:
            row.explanation = before.explanation
            if before.decision != Finding.Decision.OPEN:
                if before.fingerprint == row.fingerprint:
                    row.decision, row.decision_reason = before.decision, before.decision_reason
                    row.decided_by_id, row.decided_at = before.decided_by_id, before.decided_at
                else:
                    reopened.append({"code": f.code, "cells": row.cells, "was": before.decision})
        rows.append(row)
    created = Finding.objects.bulk_create(rows)
    if reopened:
        audit_event_add(action="finding.reopened", report=report, data={"findings": reopened})
    return created
