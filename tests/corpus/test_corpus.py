"""The corpus generator: determinism, the format's relations, faults, realism, prose."""

from __future__ import annotations

import functools
from collections import Counter

import pytest

from bench.corpus import RENDERINGS, expected_json, region, render, samples
from bench.corpus.faults import FAULTS
from bench.corpus.verify import corpus_findings, prose_text
from core import formats
from core.checks import ERROR, WARNING
from core.parsing.prose import prose_numbers

S2, S3, S4 = formats.SECTION2, formats.SECTION3, formats.SECTION4


@functools.cache
def _corpus():
    return tuple(samples())


@functools.cache
def _findings():
    return corpus_findings(list(_corpus()))


def _clean():
    return [s for s in _corpus() if not s.faults]


def test_region_is_a_county_level_city():
    organs = region()
    kinds = Counter(o.kind for o in organs)
    assert 15 <= len(organs) <= 25
    assert kinds["city"] == 1 and kinds["town"] >= 3 and kinds["street"] >= 2
    assert kinds["department"] >= 5
    assert len({o.slug for o in organs}) == len(organs)
    city = organs[0]
    assert all(o.parent == city.slug for o in organs[1:])
    assert region(7) != organs and region() == organs


def test_every_organ_every_year():
    corpus = _corpus()
    years = {s.year for s in corpus}
    assert years == set(range(2019, 2026))
    assert len(corpus) == len(region()) * len(years)
    assert len({s.key for s in corpus}) == len(corpus)
    assert max(s.year for s in samples(last_year=2021)) == 2021


def test_same_seed_same_samples_other_seed_differs():
    first, again = samples(last_year=2021), samples(last_year=2021)
    assert [(s.figures, s.prose, s.faults) for s in first] == [
        (s.figures, s.prose, s.faults) for s in again
    ]
    assert [s.figures for s in samples(seed=1, last_year=2021)] != [s.figures for s in first]


@pytest.mark.parametrize(("form", "layout"), [r for r in RENDERINGS if r[0] != "pdf"])
def test_renderings_are_deterministic(form, layout):
    first = next(s for s in samples(last_year=2021) if s.key.startswith("2021-"))
    again = next(s for s in samples(last_year=2021) if s.key == first.key)
    assert render(first, form, layout) == render(again, form, layout)


def test_both_editions_by_year():
    for sample in _corpus():
        edition = formats.EDITION_2019 if sample.year <= 2020 else formats.EDITION_2021
        assert sample.edition == edition
        ed = formats.get_edition(edition)
        assert list(sample.figures[S3]) == ed.section3_row_keys()
        assert sorted(ed.section2_cells()) == sorted(
            (r, c) for r, cols in sample.figures[S2].items() for c in cols
        )
        assert len(sample.figures[S4]) == 15


def test_relations_hold_on_clean_samples():
    for sample in _clean():
        s3, s4 = sample.figures[S3], sample.figures[S4]
        for values in s3.values():
            assert values[-1] == sum(values[:-1])
        results = [k for k in s3 if k.startswith("三.") and k != "三.七"]
        for c in range(7):
            assert s3["一"][c] + s3["二"][c] == s3["三.七"][c] + s3["四"][c]
            assert s3["三.七"][c] == sum(s3[k][c] for k in results)
        for g in range(3):
            assert s4[5 * g + 4] == sum(s4[5 * g : 5 * g + 4])
        assert all(isinstance(v, int) and v >= 0 for row in s3.values() for v in row)


def test_clean_samples_raise_no_errors_or_warnings():
    for sample in _clean():
        serious = [f for f in _findings()[sample.key] if f.severity in (ERROR, WARNING)]
        assert not serious, (sample.key, [f.message for f in serious])


def test_faulty_samples_raise_exactly_their_codes():
    faulty = [s for s in _corpus() if s.faults]
    planted = {f for s in faulty for f in s.faults}
    assert planted == set(FAULTS), set(FAULTS) - planted
    assert len(faulty) <= len(_corpus()) // 5
    for sample in faulty:
        found = _findings()[sample.key]
        codes = {f.code for f in found}
        serious = {f.code for f in found if f.severity in (ERROR, WARNING)}
        assert set(sample.expected_findings) <= codes, (sample.key, codes)
        assert serious <= set(sample.expected_findings), (sample.key, serious)


def test_carry_over_continues_per_column():
    by_key = {(s.organ.slug, s.year): s for s in _corpus()}
    for (slug, year), sample in by_key.items():
        nxt = by_key.get((slug, year + 1))
        if nxt is None or "carryover_broken" in nxt.faults:
            continue
        assert nxt.figures[S3]["二"] == sample.figures[S3]["四"], (slug, year)


def test_sizes_are_realistic():
    received = [s.figures[S3]["一"][-1] for s in _clean()]
    assert max(received) > 1000
    assert sum(1 for n in received if n < 10) >= 20
    assert 0 in received
    big = {s.organ.name[-5:] for s in _clean() if s.figures[S3]["一"][-1] > 1000}
    assert big == {"自然资源局"}


def test_prose_states_the_tables():
    for sample in _corpus():
        found = prose_numbers(prose_text(sample))
        stated = sample.stated
        for key in ("依申请收到", "依申请处理", "行政复议", "行政诉讼"):
            if key in found:
                assert found[key] == stated[key], (sample.key, key)
        if stated["依申请收到"]:
            assert "依申请收到" in found and "依申请处理" in found, sample.key
        assert sample.prose["五"] and sample.prose["六"]


def test_expected_json_shape():
    sample = _corpus()[0]
    data = expected_json(sample)
    assert data["organ"] == sample.organ.name and data["year"] == sample.year
    assert data["edition"] == sample.edition
    assert data["section3"] == sample.figures[S3]
    assert sample.published.startswith(str(sample.year + 1))
    assert sample.published[5:7] in ("01", "02", "03")
