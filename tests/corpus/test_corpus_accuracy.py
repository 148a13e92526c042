"""Accuracy gate: every rendering of a representative selection parses back cell for cell.

Renderings the parser cannot read yet are strict xfails naming the shape; remove one
when core.parsing learns it (strict: an unexpected pass fails, so the list stays honest).
"""

from __future__ import annotations

import functools

import pytest

from bench.corpus import RENDERINGS, expected_json, samples, soffice_path
from bench.corpus.accuracy import compare, parse_rendering
from bench.corpus.family import family_samples
from bench.corpus.selection import representative

NOT_YET: dict[tuple[str, str], str] = {}
# (fault, form, layout or None for every layout) -> shape the parser misreads.
FAULT_NOT_YET = {
    ("blank_cell", "text", "cell-per-line"): "a blank cell leaves no trace when cells are lines",
    ("blank_cell", "text", "rows-run-together"): "a blank cell inside run-together sub-rows",
}


@functools.cache
def _selection():
    # The region's representative reports, then a county, a county department, a prefecture
    # city and its police department (figures in the thousands, both editions).
    return tuple(representative(samples())) + tuple(family_samples())


def _reason(sample, form: str, layout: str) -> str | None:
    if (form, layout) in NOT_YET:
        return NOT_YET[(form, layout)]
    for (fault, f, lay), reason in FAULT_NOT_YET.items():
        if fault in sample.faults and f in (None, form) and lay in (None, layout):
            return reason
    return None


def _cases():
    for sample in _selection():
        for form, layout in RENDERINGS:
            marks = []
            if form == "pdf":
                marks.append(
                    pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed")
                )
            if reason := _reason(sample, form, layout):
                marks.append(pytest.mark.xfail(strict=True, reason=reason))
            yield pytest.param(
                sample.key, form, layout, marks=marks, id=f"{sample.key}-{form}-{layout}"
            )


@pytest.mark.parametrize(("key", "form", "layout"), list(_cases()))
def test_rendering_parses_back(key, form, layout):
    sample = next(s for s in _selection() if s.key == key)
    result, _ = parse_rendering(sample, form, layout)
    outcome = compare(expected_json(sample), result)
    assert not outcome.meta_wrong, outcome.meta_wrong
    assert not outcome.wrong, f"{len(outcome.wrong)} cells wrong, e.g. {outcome.wrong[:5]}"
