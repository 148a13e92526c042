"""Checks on one report's figures: pure functions, figures + edition in, findings out.

Figures have the parser's JSON shape (``section2`` / ``section3`` / ``section4``, keys
from :mod:`core.formats`). Every rule is a public function with a stable code;
:func:`check_report` runs them all.
"""

from __future__ import annotations

from core.checks.base import ERROR, INFO, SEVERITIES, WARNING, Cell, Finding
from core.checks.blanks import BLANK_LIMIT, check_too_many_blanks, check_total_blank
from core.checks.messages import MESSAGES, render
from core.checks.prose import (
    PROSE_CHECKS,
    check_prose_carried_in,
    check_prose_carried_out,
    check_prose_handled,
    check_prose_litigation,
    check_prose_new,
    check_prose_received,
    check_prose_review,
)
from core.checks.sections import SECTION5_MIN_CHARS, check_section5
from core.checks.tables import (
    check_s3_balance,
    check_s3_results_total,
    check_s3_row_total,
    check_s4_group_total,
)
from core.checks.values import check_missing, check_negative, check_non_integer
from core.checks.years import (
    YEAR_CHECKS,
    check_carryover,
    check_s2_projects,
    check_s2_stock,
)

TABLE_CHECKS = (
    # First among the warnings: it explains the per-cell notes below it.
    check_too_many_blanks,
    check_s3_row_total,
    check_s3_balance,
    check_s3_results_total,
    check_s4_group_total,
    check_total_blank,
    check_negative,
    check_non_integer,
    check_missing,
)


def check_report(
    figures: dict,
    edition: str,
    *,
    prose_numbers: dict | None = None,
    previous: dict | None = None,
    prose_evidence: dict | None = None,
    sections: dict | None = None,
) -> list[Finding]:
    """Run every check; findings come errors first, then warnings, then info.

    ``previous`` is ``{"edition": ..., "figures": ...}`` of the same organ's previous year;
    ``prose_evidence`` maps a prose key to the sentence it was read from; ``sections`` maps
    a prose section's numeral to its text (None: the text is unknown, not checked).
    """
    findings = [f for check in TABLE_CHECKS for f in check(figures, edition)]
    findings += [
        f for check in PROSE_CHECKS for f in check(figures, edition, prose_numbers, prose_evidence)
    ]
    findings += check_section5(sections)
    findings += [f for check in YEAR_CHECKS for f in check(figures, edition, previous)]
    return sorted(findings, key=lambda f: SEVERITIES.index(f.severity))


def blocking(findings: list[Finding]) -> list[Finding]:
    """The findings that block submission until fixed or explained."""
    return [f for f in findings if f.severity == ERROR]


__all__ = [
    "BLANK_LIMIT",
    "ERROR",
    "MESSAGES",
    "SECTION5_MIN_CHARS",
    "INFO",
    "SEVERITIES",
    "WARNING",
    "Cell",
    "Finding",
    "blocking",
    "check_carryover",
    "check_missing",
    "check_negative",
    "check_non_integer",
    "check_prose_carried_in",
    "check_prose_carried_out",
    "check_prose_handled",
    "check_prose_litigation",
    "check_prose_new",
    "check_prose_received",
    "check_prose_review",
    "check_report",
    "check_s2_projects",
    "check_s2_stock",
    "check_s3_balance",
    "check_s3_results_total",
    "check_s3_row_total",
    "check_s4_group_total",
    "check_section5",
    "check_too_many_blanks",
    "check_total_blank",
    "render",
]
