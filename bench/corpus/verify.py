"""Run core.checks on samples the way the portal does: prose numbers read from the prose,
last year's report of the same organ as ``previous``."""

from __future__ import annotations

from bench.corpus.model import Sample
from core.checks import Finding, check_report
from core.parsing.prose import prose_numbers


def prose_text(sample: Sample) -> str:
    return "\n".join(sample.prose.get(k, "") for k in ("一", "五", "六"))


def sample_findings(sample: Sample, previous: Sample | None = None) -> list[Finding]:
    prev = None
    if previous is not None:
        prev = {"edition": previous.edition, "figures": previous.figures}
    return check_report(
        sample.figures,
        sample.edition,
        prose_numbers=prose_numbers(prose_text(sample)),
        previous=prev,
    )


def corpus_findings(samples: list[Sample]) -> dict[str, list[Finding]]:
    """Findings of every sample by key, each checked against its organ's previous year."""
    by_organ_year = {(s.organ.slug, s.year): s for s in samples}
    return {
        s.key: sample_findings(s, by_organ_year.get((s.organ.slug, s.year - 1))) for s in samples
    }
