"""Check messages, cell names and parse locations in the viewer's language (issue 20).

A finding keeps code + params (plain data); the portal says it in the active language, the
Chinese exactly as the checks wrote it, and older rows (no params, or params that were
Chinese sentences) as they were stored.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from core.checks import check_report
from filing.messages import location_text, render_message
from filing.models import Finding
from filing.selectors import cell_labels
from filing.services.reports import _fingerprint, report_findings_refresh
from filing.workflow import Status
from public import measures
from public import services as public_services
from tests.support.factories import make_report, system_admin

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3400-\u9fff]")

# 一's total disagrees with its parts, a sub-row of (三) too, 表四 has a negative and blanks.
FIGURES = {
    "section3": {
        "一": [1, 2, 0, 0, 0, 0, 5],
        "二": [0, 0, 0, 0, 0, 0, 0],
        "三.三.4": [1, 0, 0, 0, 0, 0, 0],
        "四": [0, 0, 0, 0, 0, 0, 0],
    },
    "section4": [1, 0, 0, 0, None, 0, 0, 0, 0, 2, -1, 0, 0, 0, 0],
}


def _findings(town, status=Status.DRAFT):
    report = make_report(town, 2023, status, figures=FIGURES)
    report_findings_refresh(report=report)
    return report, list(report.findings.all())


def test_every_finding_reads_in_english_and_in_the_stored_chinese(town):
    _report, findings = _findings(town)
    codes = {f.code for f in findings}
    assert {"s3_row_total", "negative", "missing", "s3_row_total_unchecked"} <= codes
    for finding in findings:
        with translation.override("zh-hans"):
            assert finding.text == finding.message
        with translation.override("en"):
            english = finding.text
        assert not CJK.search(english), (finding.code, english)
    sub_row = next(f for f in findings if f.code == "s3_row_total" and "（三）" in f.message)
    with translation.override("en"):
        assert "row “(3) Not disclosed 4." in sub_row.text
    blank_total = next(f for f in findings if f.code == "s4_group_total_unchecked")
    with translation.override("en"):
        assert blank_total.text.endswith(
            "— cannot be checked (Blank): “Administrative reconsideration” Total."
        )


def test_a_list_of_cells_reads_in_english(town):
    _report, findings = _findings(town)
    missing = next(f for f in findings if f.code == "missing" and "表三" in f.message)
    assert missing.message.endswith(f"等 {len(missing.cells)} 格。")
    with translation.override("en"):
        text = missing.text
    assert text.startswith(f"Table 3 has {len(missing.cells)} blank cells: row “")
    assert text.endswith(f"and others ({len(missing.cells)} cells).")


def test_older_findings_show_what_was_stored(town):
    report = make_report(town, 2023)
    no_params = Finding(report=report, code="s3_row_total", message="表三旧的说法。", params={})
    unknown = Finding(report=report, code="retired_code", message="旧规则。", params={"a": 1})
    sentence = Finding(
        report=report,
        code="missing",
        message="表三有 2 个空白格：“一”行自然人列、“二”行自然人列。",
        params={"table": "表三", "count": 2, "cells": "“一”行自然人列、“二”行自然人列"},
    )
    with translation.override("en"):
        assert no_params.text == "表三旧的说法。" and unknown.text == "旧规则。"
        # The cells were a Chinese sentence then; the rest of the message is English.
        assert sentence.text == "Table 3 has 2 blank cells: “一”行自然人列、“二”行自然人列."
    assert render_message("missing", {}) is None


def test_the_new_params_keep_the_fingerprint_of_the_old_sentences():
    """A reviewer's decision survives the change from sentences to phrases in params."""
    findings = check_report(FIGURES, "2021")
    found = next(f for f in findings if f.code == "missing" and f.params["table"] == "表三")
    old = found.__class__(
        found.code,
        found.severity,
        found.message,
        found.cells,
        {**found.params, "cells": found.message.split("：", 1)[1].rstrip("。")},
    )
    assert isinstance(found.params["cells"], dict)
    assert _fingerprint(found, {}) == _fingerprint(old, {})


def test_a_publication_keeps_params_and_its_page_speaks_english(town):
    report, _findings_before = _findings(town, Status.APPROVED)
    public_services.report_publish(
        report=report, acting_user=system_admin(), published_on=date(2024, 1, 20)
    )
    publication = report.publications.get()
    frozen = next(f for f in publication.findings if f["code"] == "s3_row_total")
    assert frozen["params"]["row"] == "一、本年新收政府信息公开申请数量"
    url = reverse("reports:report_detail", args=[town.slug, 2023])
    page = Template("{% load filing_i18n %}{{ f|finding_text }}")
    with translation.override("en"):
        said = page.render(Context({"f": frozen}))
        assert said.startswith("Table 3, row “1. Requests received this year”")
        assert not CJK.search(said)
    with translation.override("zh-hans"):
        assert page.render(Context({"f": frozen})) == frozen["message"]
    # Published before params were kept: the stored sentence.
    assert page.render(Context({"f": {"code": "s3_row_total", "message": "旧句子"}})) == "旧句子"
    client_html = _get(url)
    assert "Table 3, row “1. Requests received this year”" in client_html


def _get(url: str) -> str:
    from django.test import Client

    return Client().get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_locations_read_in_english():
    with translation.override("en"):
        assert location_text("第3页 第12行") == "page 3, line 12"
        assert location_text("第12行") == "line 12"
        assert location_text("") == ""
    with translation.override("zh-hans"):
        assert location_text("第3页 第12行") == "第3页 第12行"


def test_cell_labels_and_measure_labels_read_in_english():
    cells = [("section3", "三.三.4", "自然人"), ("section4", "未经复议直接起诉", "结果维持")]
    with translation.override("en"):
        labels = cell_labels(edition_key="2021", cells=cells)
        bare = cell_labels(edition_key="2021", cells=cells, with_table=False)
        measure_labels = [str(m.label) for m in measures.MEASURES]
    assert not any(CJK.search(text) for text in labels + bare + measure_labels), (
        labels,
        bare,
        measure_labels,
    )
    assert bare[0].startswith("(3) Not disclosed 4.") and bare[0].endswith("· Natural persons")
    with translation.override("zh-hans"):
        assert cell_labels(edition_key="2021", cells=cells[:1], with_table=False) == [
            "（三）不予公开 4.保护第三方合法权益 · 自然人"
        ]
        assert str(measures.MEASURES[-1].label) == "行政诉讼（未经复议直接起诉＋复议后起诉）·总计"
