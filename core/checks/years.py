"""Checks against the same organ's report for the previous year."""

from __future__ import annotations

from core import formats
from core.checks.base import INFO, WARNING, Finding, View, finding, unchecked
from core.checks.messages import gettext_noop

BLANK_EITHER_YEAR = gettext_noop("或上一年度报告的对应格空白")


def _previous_view(previous: dict | None) -> View | None:
    # Last year's figures of an unknown edition cannot be lined up with this year's.
    if not previous or str(previous.get("edition")) not in formats.EDITION_DEFS:
        return None
    return View(previous.get("figures"), previous["edition"])


def check_carryover(figures: dict, edition: str, previous: dict | None) -> list[Finding]:
    """Last year's 四 (结转下年度) equals this year's 二 (上年结转), per column."""
    view, before = View(figures, edition), _previous_view(previous)
    if before is None:
        return []
    out_key, in_key = before.carried_out.key, view.carried_in.key
    findings, blanks = [], []
    for column in formats.APPLICANT_KEYS:
        cell = (formats.SECTION3, in_key, column)
        carried_out, carried_in = before.s3(out_key, column), view.get(cell)
        if carried_in is None or carried_out is None:
            # Only this report's cells can be named; a blank in last year's is reported here.
            blanks.append(cell)
        elif carried_in != carried_out:
            found = finding(
                "carryover",
                WARNING,
                (cell,),
                row=view.row_label(in_key),
                column=column,
                value=carried_in,
                before_row=before.row_label(out_key),
                before=carried_out,
            )
            findings.append(found)
    rule = gettext_noop("本年“上年结转”与上一年度“结转下年度继续办理”对照")
    return findings + unchecked("carryover", view, rule, blanks, BLANK_EITHER_YEAR)


def check_s2_stock(figures: dict, edition: str, previous: dict | None) -> list[Finding]:
    """2021 edition: last year's 现行有效 + 本年制发 - 本年废止 = this year's 现行有效."""
    view, before = View(figures, edition), _previous_view(previous)
    if before is None or view.edition.key != formats.EDITION_2021:
        return []
    # Item (一) comes first in both editions; its third column is the stock of documents in force
    # (2019: 对外公开总数量, a looser match, hence only an info finding).
    block, before_block = view.edition.section2[0], before.edition.section2[0]
    issued, repealed, stock = (c.key for c in block.columns)
    before_stock = before_block.columns[2].key
    severity = WARNING if before.edition.key == view.edition.key else INFO
    findings, blanks = [], []
    for row, before_row in zip(block.rows, before_block.rows, strict=True):
        cells = [(formats.SECTION2, row.key, c) for c in (issued, repealed, stock)]
        values = [view.get(c) for c in cells]
        start = before.s2(before_row.key, before_stock)
        if start is None or None in values:
            # A blank in last year's report is reported against this year's stock cell.
            blanks += [
                c
                for c, v in zip(cells, values, strict=True)
                if v is None or (start is None and c == cells[2])
            ]
            continue
        added, removed, now = values
        expected = start + added - removed
        if expected != now:
            found = finding(
                "s2_stock",
                severity,
                cells,
                row=row.key,
                before_stock=before_stock,
                start=start,
                issued=issued,
                added=added,
                repealed=repealed,
                removed=removed,
                expected=expected,
                stock=stock,
                now=now,
            )
            findings.append(found)
    rule = gettext_noop("表二规章、规范性文件件数与上一年度对照")
    return findings + unchecked("s2_stock", view, rule, blanks, BLANK_EITHER_YEAR)


def check_s2_projects(figures: dict, edition: str, previous: dict | None) -> list[Finding]:
    """2019 edition: this year's 上一年项目数量 = last year's 上一年项目数量 + 本年增/减."""
    view, before = View(figures, edition), _previous_view(previous)
    if before is None or not view.edition.key == before.edition.key == formats.EDITION_2019:
        return []
    count, change = (c.key for c in formats.SECTION2_PROJECT_COLUMNS[:2])
    rows = [r.key for b in view.edition.section2 for r in b.rows if b.columns[0].key == count]
    findings, blanks = [], []
    for row in rows:
        cell = (formats.SECTION2, row, count)
        now, start, delta = view.get(cell), before.s2(row, count), before.s2(row, change)
        if now is None or start is None or delta is None:
            blanks.append(cell)
        elif start + delta != now:
            found = finding(
                "s2_projects",
                INFO,
                (cell,),
                row=row,
                count=count,
                now=now,
                start=start,
                change=change,
                delta=delta,
                sum=start + delta,
            )
            findings.append(found)
    rule = gettext_noop("表二项目数量与上一年度对照")
    return findings + unchecked("s2_projects", view, rule, blanks, BLANK_EITHER_YEAR)


YEAR_CHECKS = (check_carryover, check_s2_stock, check_s2_projects)
