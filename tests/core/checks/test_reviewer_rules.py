"""The rules reviewers asked for (issue 23), on the project's corpus: clean reports raise
nothing new, planted cases raise exactly their code with its severity, cells and evidence."""

from __future__ import annotations

import copy
import functools
import re

import pytest

from bench.corpus import samples
from bench.corpus.verify import prose_text
from core.checks import BLANK_LIMIT, SECTION5_MIN_CHARS, check_report
from core.checks.indicators import RULES, report_indicators
from core.checks.messages import MESSAGES, render
from core.parsing.prose import prose_statements

NEW_CODES = {
    "prose_new",
    "prose_carried_in",
    "prose_carried_out",
    "prose_received",
    "prose_received_with_carryover",
    "section5_empty",
    "too_many_blanks",
}


@functools.cache
def _clean():
    return tuple(s for s in samples() if not s.faults)


def _check(sample, figures=None, text=None, five=None):
    statements = prose_statements(text if text is not None else prose_text(sample))
    return check_report(
        figures if figures is not None else sample.figures,
        sample.edition,
        prose_numbers={k: s.value for k, s in statements.items()},
        prose_evidence={k: s.evidence() for k, s in statements.items()},
        sections={"五": sample.prose["五"] if five is None else five},
    )


def _with_carry_over():
    return next(s for s in _clean() if s.stated["上年结转"] and s.stated["结转下年度"])


def test_clean_corpus_reports_raise_none_of_the_new_rules():
    for sample in _clean():
        codes = {f.code for f in _check(sample)}
        assert not codes & (NEW_CODES - {"prose_received_with_carryover"}), sample.key


def test_a_wrong_carried_out_figure_in_the_text_is_a_warning_with_its_sentence():
    sample = _with_carry_over()
    stated = sample.stated["结转下年度"]
    text = prose_text(sample).replace(
        f"结转下年度继续办理{stated}件", f"结转下年度继续办理{stated + 7}件"
    )
    text = text.replace(f"结转下年度{stated}件", f"结转下年度{stated + 7}件")
    found = [f for f in _check(sample, text=text) if f.code == "prose_carried_out"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert {c[1] for c in found[0].cells} == {"四"}
    assert found[0].evidence["number"] == str(stated + 7)
    assert "结转下年度" in found[0].evidence["before"]


def test_a_wrong_carried_in_figure_in_the_text_is_a_warning():
    sample = _with_carry_over()
    figures = copy.deepcopy(sample.figures)
    figures["section3"]["二"][0] += 2
    figures["section3"]["二"][-1] += 2
    figures["section3"]["四"][0] += 2
    figures["section3"]["四"][-1] += 2
    codes = [f.code for f in _check(sample, figures=figures)]
    assert "prose_carried_in" in codes


def test_new_applications_stated_as_such_are_held_against_row_one():
    sample = _with_carry_over()
    new = sample.stated["依申请收到"]
    text = f"本年新收政府信息公开申请{new + 1}件。"
    found = [f for f in _check(sample, text=text) if f.code == "prose_new"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert {c[1] for c in found[0].cells} == {"一"}
    assert not [
        f
        for f in _check(sample, text=f"本年新收政府信息公开申请{new}件。")
        if f.code == "prose_new"
    ]


def test_received_including_carry_over_is_accepted_and_said_so():
    sample = _with_carry_over()
    both = sample.stated["依申请收到"] + sample.stated["上年结转"]
    found = _check(sample, text=f"全年共收到政府信息公开申请{both}件。")
    notes = [f for f in found if f.code == "prose_received_with_carryover"]
    assert len(notes) == 1 and notes[0].severity == "info"
    assert "包含上年结转" in notes[0].message
    assert "prose_received" not in {f.code for f in found}


def test_received_matching_neither_reading_is_a_warning():
    sample = _with_carry_over()
    wrong = sample.stated["依申请收到"] + sample.stated["上年结转"] + 5
    found = [f for f in _check(sample, text=f"全年共收到政府信息公开申请{wrong}件。")]
    warned = [f for f in found if f.code == "prose_received"]
    assert len(warned) == 1 and warned[0].severity == "warning"
    assert "均不相符" in warned[0].message and warned[0].evidence["number"] == str(wrong)


@pytest.mark.parametrize(
    ("text", "state"),
    [("", "空白"), ("无。", "只写了“无”"), ("暂无", "只写了“无”"), ("需要加强。", "内容过短")],
)
def test_section_five_empty_none_or_short_is_a_warning(text, state):
    found = [f for f in _check(_clean()[0], five=text) if f.code == "section5_empty"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert found[0].params["state"] == state and found[0].cells == ()


def test_section_five_of_a_real_length_passes_and_unknown_prose_is_not_checked():
    sample = _clean()[0]
    assert len(sample.prose["五"]) >= SECTION5_MIN_CHARS
    assert "section5_empty" not in {f.code for f in _check(sample)}
    assert "section5_empty" not in {f.code for f in check_report(sample.figures, sample.edition)}


def test_too_many_blank_cells_is_one_warning_above_the_per_cell_notes():
    sample = _clean()[0]
    figures = copy.deepcopy(sample.figures)
    for i in range(BLANK_LIMIT + 1):
        figures["section4"][i] = "/" if i % 2 else None
    found = _check(sample, figures=figures)
    codes = [f.code for f in found]
    assert codes.count("too_many_blanks") == 1
    blanks = found[codes.index("too_many_blanks")]
    assert blanks.severity == "warning" and len(blanks.cells) == BLANK_LIMIT + 1
    assert codes.index("too_many_blanks") < codes.index("missing")
    assert {c[0] for c in blanks.cells} == {"section4"}


def test_a_few_blank_cells_stay_per_cell_notes():
    sample = _clean()[0]
    figures = copy.deepcopy(sample.figures)
    for i in range(BLANK_LIMIT):
        figures["section4"][i] = None
    assert "too_many_blanks" not in {f.code for f in _check(sample, figures=figures)}


def test_every_finding_of_the_corpus_renders_from_its_template_and_params():
    for sample in list(samples())[:60]:
        for found in _check(sample):
            assert render(found.code, found.params) == found.message, found.code


def test_every_template_fills_from_a_dict_of_strings():
    for key, template in MESSAGES.items():
        names = set(re.findall(r"%\((\w+)\)s", template))
        assert template % dict.fromkeys(names, "x"), key


def test_indicators_appear_only_with_enough_cases_and_flag_past_their_threshold():
    sample = _clean()[0]
    figures = copy.deepcopy(sample.figures)
    figures["section4"][:5] = [1, 4, 0, 0, 5]  # 4 of 5 reviews corrected
    shown = {i.rule.key: i for i in report_indicators(figures, sample.edition)}
    assert shown["review_corrected"].flagged and shown["review_corrected"].cases == 5
    figures["section4"][:5] = [1, 1, 0, 0, 2]  # too few to mean something
    assert "review_corrected" not in {
        i.rule.key for i in report_indicators(figures, sample.edition)
    }
    assert RULES["review_corrected"].min_cases == 5
