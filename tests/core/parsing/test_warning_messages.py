"""Parser warnings are template + params: the Chinese exactly as before, English from the catalogue.

The Chinese each case must give was taken from the parser before its warnings became
templates (f-strings then); the English is said with the committed catalogue, no Django.
"""

from __future__ import annotations

import gettext
import json
import pickle
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from core.ocr import proof
from core.parsing.messages import WARNINGS, Message, joined, render_warning
from core.parsing.result import ParseResult
from tests.core.parsing.warning_cases import CASES

CJK = re.compile(r"[\u3400-\u9fff]")
MO = Path(__file__).resolve().parents[3] / "locale" / "en" / "LC_MESSAGES" / "django.mo"
# Said by core/ocr/proof.py (its own tests need the OCR engine); tested below from params.
OCR_KEYS = {"ocr_uncertain", "ocr_mismatch", "ocr_scan"}


@pytest.fixture(scope="module")
def english():
    with MO.open("rb") as handle:
        return gettext.GNUTranslations(handle).gettext


def _raws(value) -> list[str]:
    """The values the file printed, anywhere in a warning's params."""
    if isinstance(value, dict):
        if value.keys() == {"raw"}:
            return [value["raw"]]
        return [r for v in value.values() for r in _raws(v)]
    if isinstance(value, list):
        return [r for v in value for r in _raws(v)]
    return []


def _warnings(name: str, monkeypatch) -> list:
    make, _expected = CASES[name]
    return make(monkeypatch)


@pytest.mark.parametrize("name", list(CASES))
def test_each_case_gives_the_chinese_the_parser_gave_before(name, monkeypatch):
    got = _warnings(name, monkeypatch)
    expected = CASES[name][1]
    assert expected and all(text in got for text in expected), got
    assert all(isinstance(w, Message) for w in got)


@pytest.mark.parametrize("name", list(CASES))
def test_each_case_reads_in_english_with_only_printed_values_in_chinese(name, monkeypatch, english):
    for warning in _warnings(name, monkeypatch):
        said = render_warning(warning.template, warning.params, english)
        assert said != str(warning)
        rest = said
        for raw in _raws(warning.params):
            # As printed, and quoted where the Chinese quotes it.
            quoted = f"“{raw}”" in warning
            assert (f"“{raw}”" if quoted else raw) in said
            rest = rest.replace(f"“{raw}”" if quoted else raw, "")
        assert not CJK.search(rest), (warning.template, said)


def test_every_template_is_said_by_some_case(monkeypatch):
    seen = set()
    for name in CASES:
        with monkeypatch.context() as patch:
            seen |= {w.template for w in _warnings(name, patch)}
    phrases = {key for key in WARNINGS if ":" in key or key in {"s4_cell", "cells_more"}}
    assert set(WARNINGS) - phrases - OCR_KEYS <= seen
    assert not seen - set(WARNINGS)


def test_a_warning_is_said_again_from_its_json_and_survives_the_sandbox_pipe(monkeypatch):
    warnings = _warnings("s3_glued_ambiguous", monkeypatch)
    warning = next(w for w in warnings if w.template == "s3_glued_ambiguous")
    stored = json.loads(json.dumps(warning.to_dict(), ensure_ascii=False))
    assert stored["text"] == warning
    assert render_warning(stored["template"], stored["params"]) == warning
    again = pickle.loads(pickle.dumps(warning))
    assert isinstance(again, Message) and again == warning and again.params == warning.params
    # The parse_report JSON keeps plain strings.
    assert json.loads(json.dumps(warnings, ensure_ascii=False)) == [str(w) for w in warnings]


def test_a_sentence_without_a_template_stays_a_plain_sentence():
    result = ParseResult()
    result.warn("旧的说法。")
    result.warn("旧的说法。")
    result.warn("s4_no_data")
    assert result.warnings == ["旧的说法。", "表四未找到数据行，数值留空。"]
    assert type(result.warnings[0]) is str and result.warnings[1].template == "s4_no_data"
    with pytest.raises(KeyError):
        result.warn("no_such_warning", count=1)


def test_the_ocr_warnings_say_what_core_ocr_proof_says_today(english):
    """The templates core/ocr/proof.py is to use give its sentences byte for byte."""
    v = SimpleNamespace(page=2, table="section3", row="三.三.4", column="自然人")
    w = SimpleNamespace(page=None, table="section4", row="复议后起诉", column="结果纠正")

    def cell(value) -> dict:
        page = {"template": "ocr:page", "page": value.page} if value.page else ""
        table = {"section3": "表三", "section4": "表四"}[value.table]
        return {
            "template": "ocr:cell",
            "page": page,
            "table": table,
            "row": value.row,
            "column": value.column,
        }

    # What proof._name said of them (page, table, 「row·column」).
    names = ["第2页表三「三.三.4·自然人」", "表四「复议后起诉·结果纠正」"]
    uncertain = Message("ocr_uncertain", cells=joined([cell(v), cell(w)]))
    assert uncertain == f"以下数字识别不确定，请对照原件核对：{'、'.join(names)}。"
    many = [cell(v)] * 8
    more = Message(
        "ocr_uncertain", cells={"template": "cells_more", "names": joined(many), "count": 9}
    )
    assert more == f"以下数字识别不确定，请对照原件核对：{'、'.join([names[0]] * 8)}等 9 格。"

    rules = {check[0] for check in proof._checks(SimpleNamespace(edition="2021"))}
    phrases = [
        {"template": "ocr:rule_row_total", "row": "三.三.4"},
        {"template": "ocr:rule_column_total", "column": "自然人"},
        {"template": "ocr:rule_balance", "column": "自然人"},
        {"template": "ocr:rule_s4_total", "group": "复议后起诉"},
    ]
    options = [
        {"template": "ocr:option", "cell": cell(v), "value": 3},
        {"template": "ocr:option", "cell": cell(w), "value": 0},
    ]
    for phrase in phrases:
        mismatch = Message(
            "ocr_mismatch", rule=phrase, left="5", right="4", options=joined(options, "；或")
        )
        rule = mismatch.split("不符", 1)[0]
        assert rule in rules
        assert mismatch == (
            f"{rule}不符（5 ≠ 4），可能是某格识别错误，请核对原件：{names[0]}为3；或{names[1]}为0。"
        )
        said = render_warning(mismatch.template, mismatch.params, english)
        assert not CJK.search(said), said
    scan = Message("ocr_scan")
    assert scan == "这是扫描件，表格数字由自动识别（OCR）得到，请对照原件逐项核对标记的数字。"
    assert not CJK.search(render_warning("ocr_scan", {}, english))
    assert not CJK.search(render_warning(uncertain.template, uncertain.params, english))
    assert not CJK.search(render_warning(more.template, more.params, english))
