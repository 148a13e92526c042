"""core.checks.blanks: a total left blank is reported with what its parts add up to."""

from __future__ import annotations

from core import checks
from tests.core.parsing import synth


def test_complete_figures_raise_nothing():
    assert checks.check_total_blank(synth.figures(1), "2021") == []


def test_a_blank_row_total_names_the_sum_of_its_parts():
    fig = synth.figures(1)
    fig["section3"]["三.一"][6] = None
    parts = sum(fig["section3"]["三.一"][:6])
    [finding] = checks.check_total_blank(fig, "2021")
    assert finding.code == "total_blank" and finding.severity == checks.WARNING
    assert "（一）予以公开" in finding.message and f"六类申请人之和为 {parts}" in finding.message
    assert finding.cells[0] == ("section3", "三.一", "总计")
    assert len(finding.cells) == 7


def test_a_blank_results_total_and_a_blank_review_total():
    fig = synth.figures(1)
    fig["section3"]["三.七"][0] = None
    fig["section4"][4] = None
    found = checks.check_total_blank(fig, "2021")
    messages = " ".join(f.message for f in found)
    assert "自然人列" in messages and "行政复议" in messages
    assert {f.cells[0] for f in found} == {
        ("section3", "三.七", "自然人"),
        ("section4", "行政复议", "总计"),
    }


def test_blank_parts_are_left_to_the_missing_check():
    fig = synth.figures(1)
    fig["section3"]["三.一"][6] = None
    fig["section3"]["三.一"][0] = None
    assert checks.check_total_blank(fig, "2021") == []


def test_check_report_runs_it():
    fig = synth.figures(1)
    fig["section3"]["四"][6] = None
    codes = {f.code for f in checks.check_report(fig, "2021")}
    assert "total_blank" in codes
