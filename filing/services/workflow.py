"""The clerk's path through a report: start it, save drafts, submit; and the one transition."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core import derived, formats
from filing import permissions
from filing.figures import figures_set
from filing.models import AnnualReport, Figure, Finding
from filing.services.audit import audit_event_add
from filing.services.reports import report_findings_refresh
from filing.signals import report_submitted
from filing.workflow import Status, can_transition, require_editable
from organs.models import Organ

PROSE_FIELDS = ("overview", "problems", "other_matters")
# Who may move a report into a status: the organ's clerk submits, its supervisors decide.
CLERK_TARGETS = frozenset({Status.SUBMITTED})


def edition_for_year(year: int) -> str:
    """The edition a new report starts in; the clerk may switch it while it is a draft."""
    return formats.EDITION_2021 if year >= 2021 else formats.EDITION_2019


def previous_report(report: AnnualReport) -> AnnualReport | None:
    """The same organ's report for the year before, if there is one."""
    return AnnualReport.objects.filter(organ_id=report.organ_id, year=report.year - 1).first()


def stock_hints(report: AnnualReport) -> dict[tuple[str, str, str], object]:
    """2021 edition: last year's 现行有效件数 (its item (一) third column) per row of (一)."""
    before = previous_report(report)
    if before is None or report.edition != formats.EDITION_2021:
        return {}
    block = formats.get_edition(report.edition).section2[0]
    before_block = formats.get_edition(before.edition).section2[0]
    previous = before.figures_dict()[formats.SECTION2]
    hints = {}
    for row, before_row in zip(block.rows, before_block.rows, strict=True):
        value = previous.get(before_row.key, {}).get(before_block.columns[2].key)
        if value is not None:
            hints[(formats.SECTION2, row.key, block.columns[2].key)] = value
    return hints


def _exists(organ: Organ, year: int) -> ValidationError:
    return ValidationError(
        "%(organ)s %(year)s年度的报告已经存在。",
        code="report_exists",
        params={"organ": organ, "year": year},
    )


@transaction.atomic
def report_start(*, organ: Organ, year: int, acting_user) -> AnnualReport:
    """Start the organ's report for a year, carrying over last year's 结转下年度 into 上年结转."""
    if AnnualReport.objects.filter(organ=organ, year=year).exists():
        raise _exists(organ, year)
    report = AnnualReport(organ=organ, year=year, edition=edition_for_year(year))
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # started by someone else since the check above
        raise _exists(organ, year) from exc
    carried = None
    before = previous_report(report)
    if before is not None:
        out_row = before.figures_dict()[formats.SECTION3].get("四") or []
        if any(v is not None for v in out_row):
            carried = list(out_row)
            figures_set(report=report, figures={formats.SECTION3: {"二": carried}})
    audit_event_add(
        action="report.start",
        actor=acting_user,
        report=report,
        to_status=report.status,
        data={"edition": report.edition, "carried_from": before and before.pk},
    )
    report_findings_refresh(report=report)
    return report


def _drop_unknown(figures: dict, edition_key: str) -> dict:
    """The part of a figures dict that the edition's tables hold (after an edition switch)."""
    edition = formats.get_edition(edition_key)
    known2, known3 = set(edition.section2_cells()), set(edition.section3_row_keys())
    return {
        formats.SECTION2: {
            row: {c: v for c, v in cols.items() if (row, c) in known2}
            for row, cols in (figures.get(formats.SECTION2) or {}).items()
        },
        formats.SECTION3: {
            row: values
            for row, values in (figures.get(formats.SECTION3) or {}).items()
            if row in known3
        },
        **({formats.SECTION4: figures[formats.SECTION4]} if formats.SECTION4 in figures else {}),
    }


def _with_totals(figures: dict, edition_key: str) -> dict:
    """The figures with each blank total filled from its parts, when all of them are given.

    The rule is core.derived's (the one the form's script uses); a typed total is kept even
    when it disagrees: the row-total checks make that a finding instead.
    """
    s3 = {row: list(values) for row, values in (figures.get(formats.SECTION3) or {}).items()}
    s4 = figures.get(formats.SECTION4)
    s4 = list(s4) if s4 is not None else None
    values = {}
    for row, row_values in s3.items():
        for column, value in zip(formats.APPLICANT_KEYS, row_values, strict=False):
            values[(formats.SECTION3, row, column)] = value
    for (group, column), value in zip(formats.SECTION4_CELLS, s4 or [], strict=False):
        values[(formats.SECTION4, group, column)] = value
    filled = derived.fill_blank_totals(edition_key, values)
    if not filled:
        return figures
    for (table, row, column), value in filled.items():
        if table == formats.SECTION3:
            s3[row][formats.APPLICANT_KEYS.index(column)] = value
        else:
            s4[formats.SECTION4_CELLS.index((row, column))] = value
    out = dict(figures)
    if s3:
        out[formats.SECTION3] = s3
    if s4 is not None:
        out[formats.SECTION4] = s4
    return out


def _drop_stored_unknown(report: AnnualReport) -> None:
    edition = formats.get_edition(report.edition)
    rows = set(edition.section3_row_keys())
    report.figures.filter(table=formats.SECTION3).exclude(row__in=rows).delete()
    stale = [
        f.pk
        for f in report.figures.filter(table=formats.SECTION2)
        if (f.row, f.column) not in set(edition.section2_cells())
    ]
    Figure.objects.filter(pk__in=stale).delete()


@transaction.atomic
def report_save(
    *,
    report: AnnualReport,
    acting_user,
    expected_version: int,
    prose: dict,
    figures: dict,
    edition: str | None = None,
) -> AnnualReport:
    """Save a draft if nobody saved it since expected_version; findings never block this."""
    report.refresh_from_db()
    if not (
        permissions.is_clerk_of(acting_user, report.organ)
        or permissions.is_portal_admin(acting_user)
    ):
        raise PermissionDenied("not a clerk of this organ")
    require_editable(report)
    changes = {f: prose[f] for f in PROSE_FIELDS if f in prose}
    switch = edition and edition != report.edition
    if switch:
        if report.status != Status.DRAFT or edition not in formats.EDITIONS:
            raise ValidationError("只有草稿可以更换表格版本。", code="edition_locked")
        changes["edition"] = edition
    updated = AnnualReport.objects.filter(pk=report.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if not updated:
        raise ValidationError(
            "此报告已被他人修改（当前版本 %(version)s），您的内容没有保存。",
            code="stale_version",
            params={"version": report.version},
        )
    report.refresh_from_db()
    if switch:
        _drop_stored_unknown(report)
        figures = _drop_unknown(figures, report.edition)
    figures = _with_totals(figures, report.edition)
    figures_set(report=report, figures=figures, source=Figure.Source.MANUAL)
    audit_event_add(
        action="report.save",
        actor=acting_user,
        report=report,
        data={"version": report.version, "edition": report.edition, "edition_switched": switch},
    )
    report_findings_refresh(report=report)
    return report


@transaction.atomic
def report_transition(
    *, report: AnnualReport, to_status: str, acting_user, comment: str = ""
) -> AnnualReport:
    """Move a report along the pipeline if the actor's role and the pipeline allow it."""
    report.refresh_from_db()
    organ = report.organ
    if to_status in CLERK_TARGETS:
        allowed = permissions.is_clerk_of(acting_user, organ)
    else:
        allowed = permissions.supervises(acting_user, organ)
    if not (allowed or permissions.is_portal_admin(acting_user)):
        raise PermissionDenied("no role for this transition")
    from_status = report.status
    if not can_transition(from_status, to_status):
        raise ValidationError(
            "报告不能从“%(from)s”改为“%(to)s”。",
            code="transition_not_allowed",
            params={"from": report.get_status_display(), "to": Status(to_status).label},
        )
    now = timezone.now()
    changes = {"status": to_status, "version": F("version") + 1, "updated_at": now}
    if to_status == Status.SUBMITTED:
        # The latest submission orders the review queue; kept through return, approval,
        # publication and reopening, as the audit trail's report.submitted events are.
        changes["submitted_at"] = now
    # Conditional on the status read above, so two concurrent transitions cannot both pass.
    moved = AnnualReport.objects.filter(pk=report.pk, status=from_status).update(**changes)
    if not moved:
        raise ValidationError("报告状态刚被他人改变，请刷新后重试。", code="stale_status")
    report.refresh_from_db()
    audit_event_add(
        action=f"report.{to_status}",
        actor=acting_user,
        report=report,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )
    return report


@transaction.atomic
def report_explanations_set(
    *, report: AnnualReport, explanations: dict, similarity: bool = False
) -> list[Finding]:
    """Store the clerk's explanations on the report's findings, then re-check the report."""
    for finding in report.findings.filter(pk__in=[int(k) for k in explanations]):
        finding.explanation = (explanations.get(finding.pk) or "").strip()
        finding.save(update_fields=["explanation"])
    return report_findings_refresh(report=report, similarity=similarity)


def report_submit(*, report: AnnualReport, acting_user, explanations: dict) -> AnnualReport:
    """Submit a draft or returned report; refused while an error finding is unexplained."""
    report.refresh_from_db()
    require_editable(report, "提交")
    explanations = {int(k): v for k, v in explanations.items()}
    # Stored first (its own transaction): a refused submission keeps what the clerk wrote.
    # The similarity check runs here only: too slow for every draft save, and for the reviewer.
    findings = report_explanations_set(report=report, explanations=explanations, similarity=True)
    unexplained = [f for f in findings if f.is_blocking]
    if unexplained:
        raise ValidationError(
            "还有 %(count)s 个错误没有修正或说明，不能提交。",
            code="blocking_findings",
            params={"count": len(unexplained)},
        )
    report = report_transition(report=report, to_status=Status.SUBMITTED, acting_user=acting_user)
    # After commit only: a rolled-back submission tells no supervisor. Robust: a notice that
    # fails (mail outage) must not turn a done submission into an error page.
    transaction.on_commit(
        lambda: report_submitted.send_robust(
            sender=AnnualReport, report=report, acting_user=acting_user
        )
    )
    return report
