"""The corpus family beyond the region: other organ kinds, both editions, large figures."""

from __future__ import annotations

from bench.corpus import render
from bench.corpus.family import family_samples, largest_figure
from core import formats
from core.checks import check_report


def test_the_family_covers_counties_cities_and_departments_in_both_editions():
    family = family_samples()
    kinds = {s.organ.kind for s in family}
    assert {"county", "city", "department"} <= kinds
    assert {s.edition for s in family} == set(formats.EDITIONS)
    titles = [s.title for s in family]
    assert any("县自然资源局" in t for t in titles)
    assert any(t.endswith("市人民政府2023年政府信息公开工作年度报告") for t in titles)
    assert max(largest_figure(s) for s in family) >= 10_000
    assert family_samples() == family and family_samples(7) != family


def test_family_figures_keep_every_relation():
    for sample in family_samples():
        errors = [
            f for f in check_report(sample.figures, edition=sample.edition) if f.severity == "error"
        ]
        assert not errors, (sample.key, errors[:3])


def test_thousands_layout_prints_separators_and_full_width_digits():
    sample = max(family_samples(), key=largest_figure)
    text = render(sample, "text", "thousands").decode()
    assert (
        f"{largest_figure(sample):,}" in text
        or f"{largest_figure(sample):,}".translate(
            str.maketrans("0123456789,", "０１２３４５６７８９，")
        )
        in text
    )
    assert "，" in text and any("０" <= ch <= "９" for ch in text)


def test_mixed_whitespace_layout_parts_cells_with_spaces_and_full_width_spaces():
    sample = family_samples()[0]
    text = render(sample, "text", "mixed-whitespace").decode()
    assert "\u3000" in text and "    " in text and "\t" in text
