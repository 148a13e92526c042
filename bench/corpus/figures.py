"""True figures of one organ year after year, every relation of the format holding.

``OrganState`` carries what one year hands to the next: applications still in hand per
applicant column, normative documents in force, 2019-edition project counts.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from bench.corpus.region import Profile
from core import formats

S2, S3, S4 = formats.SECTION2, formats.SECTION3, formats.SECTION4
BASE_YEAR = 2019


def edition_for(year: int) -> str:
    """The 2019 tables until the 2020 reports, the 2021 tables after."""
    return formats.EDITION_2019 if year <= 2020 else formats.EDITION_2021


@dataclass
class OrganState:
    carried: list[int] = field(default_factory=lambda: [0] * 6)
    documents: int | None = None  # 行政规范性文件 in force
    projects: dict[str, int] = field(default_factory=dict)


def split(total: int, weights, rng: random.Random) -> list[int]:
    """Share a whole count among weighted parts; the parts add up exactly."""
    if total <= 0:
        return [0] * len(weights)
    if total < 60:
        out = [0] * len(weights)
        for i in rng.choices(range(len(weights)), weights, k=total):
            out[i] += 1
        return out
    raw = [total * w * rng.uniform(0.75, 1.25) for w in weights]
    scale = total / sum(raw)
    out = [int(v * scale) for v in raw]
    out[max(range(len(out)), key=lambda i: weights[i])] += total - sum(out)
    return out


def _poisson(mean: float, rng: random.Random) -> int:
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean) * 1.5)))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def applicant_weights(profile: Profile) -> tuple[float, ...]:
    rest = 1 - profile.commercial
    return (rest * 0.9, profile.commercial, 0.004, 0.01, rest * 0.05, rest * 0.04)


def result_weights(edition: formats.Edition) -> list[float]:
    """Typical shares of the result rows (一)…(六) in printed order."""
    base = {
        "三.一": 0.42,
        "三.二": 0.12,
        "三.三": 0.05,
        "三.四": 0.27,
        "三.五": 0.06,
        "三.六": 0.08,
    }
    sub = {"三.三.4": 3, "三.三.6": 2, "三.四.1": 6, "三.四.2": 2, "三.五.1": 2, "三.五.2": 3}
    rows = edition.section3_rows[2:-2]
    weights = []
    for row in rows:
        group = row.group or row.key
        members = [r for r in rows if (r.group or r.key) == group]
        share = sum(sub.get(r.key, 1) for r in members)
        weights.append(base[group] * sub.get(row.key, 1) / share)
    return weights


def section3(profile, year: int, edition, state: OrganState, rng) -> dict:
    mean = profile.applications * profile.growth ** (year - BASE_YEAR)
    new = split(_poisson(mean * rng.lognormvariate(0, 0.18), rng), applicant_weights(profile), rng)
    carried_in = list(state.carried)
    weights = result_weights(edition)
    results = [[0] * 6 for _ in weights]
    carried_out = []
    for c in range(6):
        available = new[c] + carried_in[c]
        late = rng.uniform(0.01, 0.07) if available > 20 else (0.15 if rng.random() < 0.1 else 0)
        out = min(available, round(available * late))
        carried_out.append(out)
        for r, v in enumerate(split(available - out, weights, rng)):
            results[r][c] = v
    handled = [sum(results[r][c] for r in range(len(results))) for c in range(6)]
    state.carried = carried_out
    parts = [new, carried_in, *results, handled, carried_out]
    return {row.key: [*p, sum(p)] for row, p in zip(edition.section3_rows, parts, strict=True)}


def section4(received: int, rng: random.Random) -> list[int]:
    out = []
    for rate in (0.025, 0.008, 0.004):
        cases = _poisson(received * rate, rng)
        parts = split(cases, (0.6, 0.12, 0.13, 0.15), rng)
        out += [*parts, sum(parts)]
    return out


def _money(value: float) -> float:
    return round(value, 2)


def section2(profile: Profile, year: int, edition, state: OrganState, rng) -> dict:
    """二 for one year; 规章 stay zero (a county-level city has no power to make them)."""
    first = edition.section2[0]
    issued = _poisson(profile.documents * rng.uniform(0.3, 1.2), rng)
    if state.documents is None:
        state.documents = rng.randint(profile.documents, profile.documents * 6)
    s2: dict = {}
    if edition.key == formats.EDITION_2021:
        repealed = min(state.documents, _poisson(profile.documents * 0.3, rng))
        state.documents += issued - repealed
        values = {"规章": (0, 0, 0), first.rows[1].key: (issued, repealed, state.documents)}
    else:
        published = issued - (1 if issued > 2 and rng.random() < 0.2 else 0)
        state.documents += published
        values = {"规章": (0, 0, 0), first.rows[1].key: (issued, published, state.documents)}
    for row in first.rows:
        s2[row.key] = dict(zip([c.key for c in first.columns], values[row.key], strict=True))
    grow = profile.growth ** (year - BASE_YEAR)
    decisions = {
        "行政许可": profile.licensing,
        "其他对外管理服务事项": profile.licensing // 3,
        "行政处罚": profile.penalties,
        "行政强制": profile.coercion,
    }
    for block in edition.section2[1:]:
        columns = [c.key for c in block.columns]
        for row in block.rows:
            if row.key == "政府集中采购":
                n = _poisson(2 + profile.documents * 2, rng)
                s2[row.key] = dict(zip(columns, (n, _money(n * rng.uniform(8, 90))), strict=True))
            elif row.key == "行政事业性收费":
                fee = (
                    _money(profile.licensing * rng.uniform(0.0, 0.4))
                    if profile.licensing > 500
                    else 0
                )
                if columns[0] == "上一年项目数量":
                    fee_items = state.projects.setdefault(row.key, 1 if fee else 0)
                    s2[row.key] = dict(zip(columns, (fee_items, 0), strict=True))
                else:
                    s2[row.key] = {columns[0]: fee}
            else:
                made = _poisson(decisions[row.key] * grow * rng.uniform(0.8, 1.2), rng)
                if columns[0] != "上一年项目数量":
                    s2[row.key] = {columns[0]: made}
                    continue
                count = state.projects.setdefault(row.key, max(1, decisions[row.key] // 40))
                delta = max(-count, rng.choice((0, 0, 1, -1, 2)))
                state.projects[row.key] = count + delta
                s2[row.key] = dict(zip(columns, (count, delta, made), strict=True))
    return s2


def draw_year(
    profile: Profile, year: int, state: OrganState, rng: random.Random, edition_key: str = ""
) -> dict:
    """One year's printed-if-correct figures in the dict shape; advances the state.

    ``edition_key`` overrides the year's edition (an organ still on the 2019 tables).
    """
    edition = formats.get_edition(edition_key or edition_for(year))
    s3 = section3(profile, year, edition, state, rng)
    return {
        S2: section2(profile, year, edition, state, rng),
        S3: s3,
        S4: section4(s3["一"][-1], rng),
    }
