"""Every year of one organ as unsaved rows: report, cells, findings, publication date.

The figures come from the project's one sample generator (bench.corpus.figures): each
year carries on from the last (上年结转, 现行有效件数, 项目数量). A few reports get the
mistakes real ones contain, planted the corpus' way (bench.corpus.faults). Nothing here
touches the database, so that a pool of forked processes can draw while one writes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from bench.corpus import faults, figures
from bench.dataset.organs import profile_for
from bench.dataset.prose import prose_draw
from core import formats
from core.checks import ERROR, check_report
from core.figureset import figures_to_dict
from filing.figures import figures_cells
from filing.models import AnnualReport, Finding
from filing.services.reports import report_prose_numbers
from filing.workflow import Status

# Table mistakes planted with bench.corpus.faults, and a wrong number in the prose.
ERROR_KINDS = ("row_total_off", "balance_off", "carryover_broken", "prose")
NEEDS = {planted[0]: need for planted, _years, need in faults.PLAN if len(planted) == 1}
LATEST_MIX = (
    (Status.DRAFT, 0.25),
    (Status.SUBMITTED, 0.2),
    (Status.RETURNED, 0.1),
    (Status.APPROVED, 0.1),
    (Status.PUBLISHED, 0.35),
)
OLD_EDITION_SHARE = 0.03  # organs still printing the 2019 tables after 2021
EXPLANATION = "经核实，该处为填报时的笔误，已在报告正文中予以说明。"


@dataclass(frozen=True)
class _Cell:
    """What figures_to_dict reads from a Figure, without building 4 million model objects."""

    table: str
    row: str
    column: str
    value: Decimal | None


@dataclass
class Item:
    report: AnnualReport
    figures: dict
    cells: dict
    findings: list
    published_on: date | None = None
    # The cells a publication of these figures holds (figures_cells of the stored figures,
    # as report_publish writes them): the same object as cells when they agree.
    published_cells: dict | None = None


def normalise(drawn: dict, edition_key: str) -> tuple[dict, dict]:
    """The figures as the database stores and returns them, and their cells."""
    cells = figures_cells(drawn, edition_key)
    rows = (_Cell(t, r, c, v) for (t, r, c), v in cells.items())
    return figures_to_dict(rows, edition_key), cells


def _status(year: int, last_year: int, rng) -> str:
    if year < last_year:
        roll = rng.random()
        return Status.PUBLISHED if roll < 0.96 else Status.APPROVED if roll < 0.98 else Status.DRAFT
    roll, acc = rng.random(), 0.0
    for status, share in LATEST_MIX:
        acc += share
        if roll < acc:
            return status
    return Status.PUBLISHED


def _published_on(year: int, rng) -> date:
    if rng.random() < 0.05:  # late
        return date(year + 1, 2, 1) + timedelta(days=rng.randint(0, 50))
    return date(year + 1, 1, rng.randint(5, 31))


def _plant(drawn: dict, kind: str, rng) -> None:
    """A table mistake; one the figures cannot carry believably becomes a balance error."""
    if not faults.eligible(NEEDS[kind], drawn):
        kind = "balance_off"
    faults.plant(kind, drawn, {}, rng)


def draw_organ(row: dict, organ_id: int, seed: int, first: int, last: int, error_rate: float):
    """Every year of one organ, as unsaved reports with their figures and findings."""
    rng = random.Random(f"{seed}:{row['i']}")
    profile, state = profile_for(row, rng), figures.OrganState()
    previous, items = None, []
    for year in range(first, last + 1):
        edition = figures.edition_for(year)
        if rng.random() < OLD_EDITION_SHARE:
            edition = formats.EDITION_2019
        raw = figures.draw_year(profile, year, state, rng, edition)
        kind = rng.choice(ERROR_KINDS) if rng.random() < error_rate else None
        if kind and kind != "prose":
            _plant(raw, kind, rng)
        status = _status(year, last, rng)
        report = AnnualReport(
            organ_id=organ_id, year=year, edition=edition, status=str(status),
            **prose_draw(row, year, raw, rng, wrong=kind == "prose"),
        )  # fmt: skip
        stored, cells = normalise(raw, edition)
        found = check_report(
            stored, edition, prose_numbers=report_prose_numbers(report), previous=previous
        )
        explained = status not in (Status.DRAFT, Status.RETURNED)
        findings = [
            Finding(
                code=f.code, severity=f.severity, message=f.message,
                cells=[list(c) for c in f.cells],
                explanation=EXPLANATION if explained and f.severity == ERROR else "",
            )
            for f in found
        ]  # fmt: skip
        item = Item(report, stored, cells, findings)
        if status == Status.PUBLISHED:
            item.published_on = report.published_on = _published_on(year, rng)
            published = figures_cells(stored, edition)
            item.published_cells = cells if published == cells else published
        items.append(item)
        previous = {"edition": edition, "figures": stored}
    return items


def draw_chunk(args) -> list[Item]:
    """Process-pool entry: draw a run of organs (no database access here)."""
    rows, organ_ids, *rest = args
    return [i for row, pk in zip(rows, organ_ids, strict=True) for i in draw_organ(row, pk, *rest)]
