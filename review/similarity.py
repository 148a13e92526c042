"""Similarity (雷同) of reports' prose: sections 一, 五 and 六 against other reports.

The core functions take plain texts (no ORM); report_similarity_findings at the end is the
one entry point that reads the database. Texts are cut into sentences, normalised (numbers, dates and
punctuation away), and sentences that are boilerplate are dropped: standard headings,
short stock lines such as "无。", and sentences that many reports of the same year share
(the city's template). What is left is compared as sets of character 4-gram shingles.

The score of a report against another is the *containment*: the share of this report's
shingles that the other report also has ("how much of this text is found over there").
A report copied from last year with new numbers scores near 100 %.

Cost: about 0.3 s of CPU against 200 reports of a year (about 2,600 characters of prose
each), where the rest of report_findings_refresh takes about 0.01 s; so the check runs when
the clerk submits (report_submit), not on every draft save.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from core.checks.base import INFO, Finding
from filing.models import AnnualReport

SECTIONS = ("overview", "problems", "other_matters")
SECTION_NAMES = {"overview": "一", "problems": "五", "other_matters": "六"}

SHINGLE_SIZE = 4
# Sentences shorter than this (after normalising) are headings or stock lines.
MIN_SENTENCE = 10
# A sentence found in this many reports of the year, or this share of them, is template text.
BOILERPLATE_MIN_COUNT = 3
BOILERPLATE_MIN_SHARE = 0.05
# Below this many shingles a text (or a section) is too short to call anything copied.
MIN_SHINGLES = 40
# Containment from which a match is reported.
THRESHOLD_PREVIOUS_YEAR = 0.6
THRESHOLD_OTHER_ORGAN = 0.5
# How many other organs' reports one finding list names at most.
MAX_OTHER_FINDINGS = 3

CODE_PREVIOUS_YEAR = "similar_previous_year"
CODE_OTHER_ORGAN = "similar_other_organ"
# Findings for the reviewer only: a publication snapshot should leave them out.
REVIEW_ONLY_CODES = frozenset({CODE_PREVIOUS_YEAR, CODE_OTHER_ORGAN})

_SPLIT = re.compile(r"[。！？!?；;\n\r]+")
_NUMBER = re.compile(r"[0-9０-９]+(?:[.,．][0-9０-９]+)*%?")
_ENUMERATOR = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、是]|\d+[.、．])\s*"
)
# Standard headings and stock lines of the national format, normalised.
STANDARD_LINES = frozenset(
    {
        "总体情况",
        "主动公开情况",
        "依申请公开情况",
        "政府信息管理",
        "平台建设",
        "监督保障",
        "存在的主要问题及改进情况",
        "存在问题",
        "主要问题",
        "改进措施",
        "改进情况",
        "下一步改进计划",
        "下一步工作计划",
        "其他需要报告的事项",
        "无其他需要报告的事项",
        "暂无其他需要说明的事项",
        "此件主动公开",
    }
)
# Characters kept when normalising: CJK ideographs, latin letters and the number mark.
_KEEP = re.compile(r"[^\u3400-\u9fff\uf900-\ufaffA-Za-z#]")


def normalise(sentence: str) -> str:
    """A sentence reduced to what it says: full-width folded, numbers as #, no punctuation."""
    return _clean(_NUMBER.sub("#", unicodedata.normalize("NFKC", sentence)))


def _clean(part: str) -> str:
    return _KEEP.sub("", _ENUMERATOR.sub("", part))


def sentences(text: str) -> list[str]:
    """The normalised sentences of a text, without headings and stock lines."""
    # Folded and numbers replaced once for the whole text; a sentence is then only cleaned.
    text = _NUMBER.sub("#", unicodedata.normalize("NFKC", text or ""))
    out = []
    for piece in _SPLIT.split(text):
        # A colon ends a lead-in ("存在以下问题：") as a heading ends a line.
        for part in piece.split(":"):
            norm = _clean(part)
            if len(norm) >= MIN_SENTENCE and norm not in STANDARD_LINES:
                out.append(norm)
    return out


def boilerplate(
    documents: Iterable[Iterable[str]],
    *,
    min_count: int = BOILERPLATE_MIN_COUNT,
    min_share: float = BOILERPLATE_MIN_SHARE,
) -> frozenset[str]:
    """Sentences found in many documents (each given as its normalised sentences)."""
    counts: Counter[str] = Counter()
    total = 0
    for document in documents:
        total += 1
        counts.update(set(document))
    limit = max(min_count, math.ceil(min_share * total))
    return frozenset(s for s, n in counts.items() if n >= limit)


def shingles(kept: Iterable[str], size: int = SHINGLE_SIZE) -> frozenset[str]:
    """Character n-grams of each sentence (none across sentence boundaries)."""
    out: set[str] = set()
    for sentence in kept:
        out |= {sentence[i : i + size] for i in range(len(sentence) - size + 1)}
    return frozenset(out)


def containment(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of a's shingles that b has too (0 for an empty a)."""
    return len(a & b) / len(a) if a else 0.0


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared shingles over all shingles of both."""
    shared = len(a & b)
    union = len(a) + len(b) - shared
    return shared / union if union else 0.0


@dataclass(frozen=True)
class Prose:
    """One report's prose, with an opaque key and a label for messages (e.g. "紫帽镇 2022年")."""

    key: Any
    label: str
    sections: Mapping[str, str]

    @classmethod
    def of(cls, key: Any, label: str, **sections: str) -> Prose:
        return cls(key, label, {name: sections.get(name) or "" for name in SECTIONS})


@dataclass
class Fingerprint:
    """A report's shingles after the boilerplate filter: per section and all together."""

    prose: Prose
    sections: dict[str, frozenset[str]] = field(default_factory=dict)

    @cached_property
    def all(self) -> frozenset[str]:
        return frozenset().union(*self.sections.values())


def prose_sentences(prose: Prose) -> dict[str, list[str]]:
    """The normalised sentences of each prose section."""
    return {name: sentences(prose.sections.get(name, "")) for name in SECTIONS}


def fingerprint(
    prose: Prose, skip: frozenset[str] = frozenset(), split: dict[str, list[str]] | None = None
) -> Fingerprint:
    """Shingles of each prose section, leaving out the given boilerplate sentences."""
    split = split if split is not None else prose_sentences(prose)
    return Fingerprint(
        prose, {name: shingles(s for s in split[name] if s not in skip) for name in SECTIONS}
    )


@dataclass(frozen=True)
class Match:
    """How much of one report's prose is found in another's."""

    other: Prose
    score: float
    jaccard: float
    sections: dict[str, float]

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def compare(mine: Fingerprint, theirs: frozenset[str], other: Prose) -> Match:
    """Containment of my prose in the other's: overall and per long-enough section."""
    everything = mine.all
    shared = len(everything & theirs)
    per_section = {
        name: containment(own, theirs)
        for name, own in mine.sections.items()
        if len(own) >= MIN_SHINGLES
    }
    score = shared / len(everything) if everything else 0.0
    union = len(everything) + len(theirs) - shared
    return Match(other, score, shared / union if union else 0.0, per_section)


def is_similar(mine: Fingerprint, match: Match, threshold: float) -> bool:
    """Overall containment over the threshold, or one long section copied on its own."""
    if len(mine.all) < MIN_SHINGLES:
        return False
    return match.score >= threshold or any(v >= threshold for v in match.sections.values())


def _message(match: Match, what: str, threshold: float) -> str:
    parts = "，".join(
        f"第{SECTION_NAMES[name]}部分 {round(value * 100)}%"
        for name, value in match.sections.items()
        if value >= threshold
    )
    return (
        f"第一、五、六部分文字与{what}“{match.other.label}”高度相似：本报告 {match.percent}% 的"
        f"文字（已除去套话和数字）在该报告中出现" + (f"（{parts}）" if parts else "")
        + "，请核实是否照搬。"
    )  # fmt: skip


def similarity_findings(
    report: Prose,
    *,
    previous: Prose | None = None,
    others: Sequence[Prose] = (),
    previous_threshold: float = THRESHOLD_PREVIOUS_YEAR,
    other_threshold: float = THRESHOLD_OTHER_ORGAN,
    max_others: int = MAX_OTHER_FINDINGS,
) -> list[Finding]:
    """Info findings for a report whose prose resembles last year's or other organs' of the year.

    ``others`` are the other organs' reports of the same year; with the report itself they
    are the corpus whose common sentences count as boilerplate.
    """
    year = [(p, prose_sentences(p)) for p in (report, *others)]
    skip = boilerplate([s for split in sections.values() for s in split] for _, sections in year)
    mine = fingerprint(report, skip, year[0][1])
    if len(mine.all) < MIN_SHINGLES:
        return []
    findings: list[Finding] = []
    if previous is not None:
        match = compare(mine, fingerprint(previous, skip).all, previous)
        if is_similar(mine, match, previous_threshold):
            findings.append(
                Finding(CODE_PREVIOUS_YEAR, INFO, _message(match, "上年度报告", previous_threshold))
            )
    matches = [
        compare(mine, shingles(s for part in split.values() for s in part if s not in skip), other)
        for other, split in year[1:]
    ]
    flagged = sorted(
        (m for m in matches if is_similar(mine, m, other_threshold)),
        key=lambda m: m.score,
        reverse=True,
    )
    findings += [
        Finding(CODE_OTHER_ORGAN, INFO, _message(m, "同年度其他机关报告", other_threshold))
        for m in flagged[:max_others]
    ]
    return findings


def _label(organ_name: str, short_name: str, year: int) -> str:
    return f"{short_name or organ_name} {year}年"


def report_similarity_findings(report, previous=None) -> list[Finding]:
    """The similarity findings of a saved report (the ORM side: one query for the year's prose).

    ``previous`` is the same organ's report for the year before, if the caller has it.
    """

    rows = (
        AnnualReport.objects.filter(year=report.year)
        .exclude(pk=report.pk)
        .values("pk", "year", "organ__name", "organ__short_name", *SECTIONS)
    )
    others = [
        Prose.of(
            row["pk"],
            _label(row["organ__name"], row["organ__short_name"], row["year"]),
            **{name: row[name] for name in SECTIONS},
        )
        for row in rows
    ]
    organ = report.organ
    mine = Prose.of(
        report.pk,
        _label(organ.name, organ.short_name, report.year),
        **{name: getattr(report, name) for name in SECTIONS},
    )
    before = previous and Prose.of(
        previous.pk,
        _label(organ.name, organ.short_name, previous.year),
        **{name: getattr(previous, name) for name in SECTIONS},
    )
    return similarity_findings(mine, previous=before, others=others)


def similarity_on_submission(sender, *, report, previous=None, **kwargs) -> list[Finding]:
    """Receiver of filing.signals.submission_findings: the similarity findings for the reviewer."""
    return report_similarity_findings(report, previous)
