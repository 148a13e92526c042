"""A finding's params are data the portal can say in any language (issue 20).

Cell names, row labels, lists of cells and sums are phrases (core/checks/messages.py), not
Chinese sentences: rendered without a translation they give the Chinese message exactly;
rendered through a catalogue, no Chinese label is left over.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from core import checks, formats
from core.checks import check_report
from core.checks.messages import MESSAGES, WORDS, render, render_params, render_value
from core.parsing.document import Line, location_params

CJK = re.compile(r"[\u3400-\u9fff]")


def _strings(value) -> list[str]:
    """Every string in a param, keys of phrases (template, join) included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _marked() -> set[str]:
    """Every string core.checks marks with gettext_noop (rules, reasons, table names…)."""
    out = set()
    for path in Path(checks.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "gettext_noop":
                if node.args and isinstance(node.args[0], ast.Constant):
                    out.add(node.args[0].value)
    return out


def _catalogue() -> dict[str, str]:
    """A stand-in catalogue: every template, word and printed label, marked as translated."""
    labels: set[str] = set()
    for edition in formats.EDITION_DEFS.values():
        for block in edition.section2:
            labels |= {r.label for r in block.rows} | {c.label for c in block.columns}
        labels |= {r.label for r in edition.section3_rows}
    labels |= {g.label for g in formats.SECTION4_GROUPS}
    labels |= {c.label for c in formats.SECTION4_COLUMNS}
    labels |= {c.label for c in formats.APPLICANT_COLUMNS}
    labels |= {label for label, _pattern in formats.SECTION3_GROUPS.values()}
    out = {s: f"<{s}>" for s in (*MESSAGES.values(), *WORDS, *labels, *_marked())}
    # A translated template keeps its placeholders and drops its Chinese.
    for template in MESSAGES.values():
        out[template] = "[" + " ".join(re.findall(r"%\(\w+\)s", template)) + "]"
    return out


def _translate(catalogue):
    def translate(message: str) -> str:
        return catalogue.get(message, message)

    return translate


# Blank cells in every table, a broken row total with a sub-row, a negative and a fraction,
# prose that disagrees, and a previous year that does not carry over.
FIGURES = {
    "section3": {
        "一": [1, 2, 0, 0, 0, 0, 5],
        "二": [0, 0, 0, 0, 0, 0, 0],
        "三.三.4": [1, 0, 0, 0, 0, 0, 0],
        "四": [0, 0, 0, 0, 0, 0, 0],
    },
    "section4": [1, 0, 0, 0, None, 0, 0, 0, 0, 2, -1, 0.5, 0, 0, 0],
}
KWARGS = {
    "prose_numbers": {"依申请收到": 9, "行政诉讼": 3, "上年结转": 4},
    "previous": {"edition": "2021", "figures": {"section3": {"四": [2, 0, 0, 0, 0, 0, 2]}}},
    "sections": {"五": "无"},
}


def _findings():
    findings = check_report(FIGURES, "2021", **KWARGS)
    assert {"s3_row_total", "negative", "missing", "carryover", "s4_group_total"} <= {
        f.code for f in findings
    }
    assert any(f.code.endswith("_unchecked") for f in findings)
    return findings


def test_params_hold_no_chinese_sentence_only_labels_and_phrases():
    catalogue = _catalogue()
    for found in _findings():
        params = json.loads(json.dumps(found.params))  # as the database keeps them
        for text in _strings(params):
            assert not CJK.search(text) or text in catalogue or text in MESSAGES, (
                found.code,
                text,
            )


def test_without_a_translation_the_message_is_the_chinese_one():
    for found in _findings():
        params = json.loads(json.dumps(found.params))
        assert render(found.code, params) == found.message


def test_through_a_catalogue_no_chinese_is_left():
    translate = _translate(_catalogue())
    for found in _findings():
        text = render(found.code, json.loads(json.dumps(found.params)), translate)
        leftover = re.sub(r"<[^>]*>", "", text)
        assert not CJK.search(leftover), (found.code, text)


def test_a_list_of_cells_names_six_then_counts():
    missing = next(f for f in _findings() if f.code == "missing" and f.params["table"] == "表三")
    cells = missing.params["cells"]
    assert cells["template"] == "phrase:cells_more" and cells["count"] == len(missing.cells)
    names = cells["names"]
    assert names["join"] == "、" and len(names["items"]) == 6
    first = names["items"][0]
    assert first["template"] == "cell:section3" and set(first) == {"template", "row", "column"}
    assert render_value(cells).endswith(f"等 {len(missing.cells)} 格")


def test_a_sub_row_is_named_by_its_group_and_its_own_label():
    rows = [f for f in _findings() if f.code == "s3_row_total"]
    assert rows[0].params["row"] == "一、本年新收政府信息公开申请数量"
    found = next(f for f in rows if isinstance(f.params["row"], list))
    assert found.params["row"] == ["（三）不予公开", "4.保护第三方合法权益"]
    assert render_params(found.params)["row"] == "（三）不予公开 4.保护第三方合法权益"
    english = {"（三）不予公开": "(3) Not disclosed", "4.保护第三方合法权益": "4. Third party"}
    assert (
        render_value(found.params["row"], _translate(english)) == "(3) Not disclosed 4. Third party"
    )


def test_a_translation_that_breaks_falls_back_to_the_chinese_template():
    found = next(f for f in _findings() if f.code == "s3_row_total")
    broken = {MESSAGES["s3_row_total"]: "Row %(nonexistent)s"}
    assert render(found.code, found.params, _translate(broken)) == found.message


def test_old_params_of_plain_strings_still_render():
    params = {"table": "表三", "count": 2, "cells": "“一”行自然人列、“二”行自然人列"}
    assert render("missing", params) == "表三有 2 个空白格：“一”行自然人列、“二”行自然人列。"


def test_a_location_is_written_and_read_back_as_page_and_line():
    assert Line(["x"], number=12).where() == "第12行"
    assert Line(["x"], number=12, page=3).where() == "第3页 第12行"
    assert location_params("第12行") == {"line": 12}
    assert location_params("第3页 第12行") == {"page": 3, "line": 12}
    assert location_params("表格") is None and location_params("") is None
