"""Every organ × every report year: figures, faults, prose, publication date."""

from __future__ import annotations

import copy
import datetime
import random

from bench.corpus import faults as faults_mod
from bench.corpus import figures as figures_mod
from bench.corpus import prose as prose_mod
from bench.corpus.model import Organ, Sample
from bench.corpus.region import organs_with_profiles
from core import formats

FIRST_YEAR = 2019
# The corpus' "today": reports exist up to the last complete year.
TODAY = datetime.date(2026, 12, 5)
DOCUMENTS = ("行政规范性文件", "现行有效件数")


def last_complete_year() -> int:
    return TODAY.year - 1


def _published(year: int, rng: random.Random) -> str:
    day = datetime.date(year + 1, 1, 5) + datetime.timedelta(days=rng.randint(0, 80))
    return day.isoformat()


def _true_figures(seed: int, last_year: int) -> list[tuple[Organ, int, dict]]:
    out = []
    for organ, profile in organs_with_profiles(seed):
        # One stream per organ: adding a year never changes the earlier ones.
        rng = random.Random(f"{seed}:{organ.slug}:figures")
        state = figures_mod.OrganState()
        for year in range(FIRST_YEAR, last_year + 1):
            out.append((organ, year, figures_mod.draw_year(profile, year, state, rng)))
    return out


def _assign_faults(seed: int, drawn: list) -> dict[int, tuple[str, ...]]:
    """Index in ``drawn`` -> faults; each plan on a different report, never on neighbours."""
    rng = random.Random(f"{seed}:faults")
    chosen: dict[int, tuple[str, ...]] = {}
    for planted, years, need in faults_mod.PLAN:
        candidates = [
            i
            for i, (_, year, figures) in enumerate(drawn)
            if not {i - 1, i, i + 1} & chosen.keys()
            and year in years
            and faults_mod.eligible(need, figures)
        ]
        if candidates:
            chosen[rng.choice(candidates)] = planted
    return chosen


def samples(seed: int = 2026, last_year: int | None = None) -> list[Sample]:
    """The region's reports, organ by organ, years ascending; a few carry planted faults."""
    last_year = last_complete_year() if last_year is None else last_year
    drawn = _true_figures(seed, last_year)
    chosen = _assign_faults(seed, drawn)
    printed = [copy.deepcopy(figures) for _, _, figures in drawn]
    out = []
    for i, (organ, year, _) in enumerate(drawn):
        rng = random.Random(f"{seed}:{organ.slug}:{year}:print")
        planted = chosen.get(i, ())
        for fault in (f for f in planted if not f.startswith("prose_")):
            s2 = printed[i][formats.SECTION2]
            before = s2.get(DOCUMENTS[0], {}).get(DOCUMENTS[1])
            faults_mod.plant(fault, printed[i], {}, rng)
            if fault == "stock_off":
                _carry_stock(drawn, printed, i, s2[DOCUMENTS[0]][DOCUMENTS[1]] - before)
        # Prose is written from the printed tables; a prose fault mis-states one number.
        stated = prose_mod.stated_numbers(printed[i])
        for fault in (f for f in planted if f.startswith("prose_")):
            faults_mod.plant(fault, printed[i], stated, rng)
        out.append(
            Sample(
                key=f"{year}-{organ.slug}",
                organ=organ,
                year=year,
                edition=figures_mod.edition_for(year),
                published=_published(year, rng),
                figures=printed[i],
                prose=prose_mod.write(organ, year, stated, rng),
                faults=planted,
                expected_findings=faults_mod.expected_codes(planted),
                stated=stated,
            )
        )
    return out


def _carry_stock(drawn, printed, index: int, delta) -> None:
    """A wrong stock of documents in force is carried on by the same organ's later reports."""
    organ = drawn[index][0]
    for j in range(index + 1, len(drawn)):
        if drawn[j][0] != organ:
            break
        printed[j][formats.SECTION2][DOCUMENTS[0]][DOCUMENTS[1]] += delta
