"""A parse run's warnings keep template + params and are said in the viewer's language.

The Chinese is the parser's sentence as stored; English comes from the catalogue; runs
parsed before warnings kept their params (plain strings) show what was stored.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from core import formats
from filing.messages import warning_text
from filing.models import AnnualReport, Attachment, ParseRun
from filing.services.parsing import parse_run_execute
from tests.core.parsing import synth

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3400-\u9fff]")
OLD = "表三未找到“（七）总计”行，数值留空。"


@pytest.fixture
def run(town, clerk) -> ParseRun:
    """A parsed text report whose 表二 row 规章 prints "1 —" and whose 行政许可 row is gone."""
    report = AnnualReport.objects.create(organ=town, year=2023, edition=formats.EDITION_2021)
    text = synth.report(synth.figures(1))
    text = text.replace("规章\t104\t104\t30", "规章\t104\t1 —\t30").replace("行政许可\t12\n", "")
    attachment = Attachment.objects.create(
        report=report,
        file=ContentFile(text.encode("utf-8"), name="report.txt"),
        original_name="report.txt",
        size=len(text.encode("utf-8")),
        sha256="0" * 64,
        uploaded_by=clerk,
    )
    run = ParseRun.objects.create(attachment=attachment)
    return parse_run_execute(run_id=run.pk)


def test_a_run_stores_each_warning_as_its_chinese_with_template_and_params(run):
    assert run.status == ParseRun.Status.DONE
    texts = [w["text"] for w in run.warnings]
    assert "表二“规章”第8行：无法识别的数值“1 —”。" in texts
    assert "表二未找到“行政许可”行，数值留空。" in texts
    # The parse_report JSON kept its plain strings.
    assert run.result["warnings"] == texts
    unreadable = next(w for w in run.warnings if w["template"] == "s2_unreadable")
    assert unreadable["params"] == {
        "row": "规章",
        "where": {"template": "location:line", "line": 8},
        "raw": {"raw": "1 —"},
    }


def test_warnings_read_in_english_and_in_the_stored_chinese(run):
    for warning in run.warnings:
        with translation.override("zh-hans"):
            assert warning_text(warning) == warning["text"]
        with translation.override("en"):
            english = warning_text(warning)
        assert not CJK.search(english.replace("“1 —”", "")), english
    unreadable = next(w for w in run.warnings if w["template"] == "s2_unreadable")
    with translation.override("en"):
        assert warning_text(unreadable) == "Table 2, “Rules”, line 8: unrecognised value “1 —”."


def test_older_runs_show_their_stored_sentences():
    with translation.override("en"):
        assert warning_text(OLD) == OLD
        # A template the portal no longer knows: the sentence stored beside it.
        assert warning_text({"text": OLD, "template": "retired", "params": {}}) == OLD


def test_the_upload_list_and_the_review_page_say_the_warnings_in_english(client, clerk, run):
    ParseRun.objects.filter(pk=run.pk).update(warnings=[*run.warnings, OLD])
    client.force_login(clerk)
    report = run.attachment.report
    pages = [
        reverse("reports:attachment_list", kwargs={"pk": report.pk}),
        reverse(
            "reports:parse_run_review",
            kwargs={"pk": report.pk, "attachment_id": run.attachment.pk, "run_id": run.pk},
        ),
    ]
    for url in pages:
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Table 2, “Rules”, line 8: unrecognised value “1 —”." in english, url
        assert "Table 2: row “Administrative licensing” not found" in english
        assert OLD in english  # an older run's sentence, as stored
        chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "表二“规章”第8行：无法识别的数值“1 —”。" in chinese


def test_the_review_page_says_the_files_own_check_findings_in_english(client, clerk, run):
    from django.utils.html import escape

    from filing.templatetags.filing_i18n import finding_text

    findings = run.result["findings"]
    assert findings, "the file's missing 行政许可 row leaves cells blank: the checks say so"
    client.force_login(clerk)
    report = run.attachment.report
    url = reverse(
        "reports:parse_run_review",
        kwargs={"pk": report.pk, "attachment_id": run.attachment.pk, "run_id": run.pk},
    )
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for finding in findings:
        with translation.override("en"):
            said = finding_text(finding)
        assert not CJK.search(said), said
        assert escape(said) in english
        assert finding["message"] not in english


def test_the_ocr_proof_readers_warnings_read_in_english():
    # A misread total (8 where the outcomes add up to 3) and a doubtful figure, as the OCR
    # proof-reader reports them on a scanned 表四.
    from core.ocr.proof import proofread
    from core.parsing.result import ParseResult, Value

    result = ParseResult(edition=formats.EDITION_2021)
    s4 = formats.SECTION4
    for (group, col), value in zip(formats.SECTION4_CELLS[:5], [1, 2, 0, 0, 8], strict=True):
        result.add(Value(s4, group, col, value, str(value), "第3页 第1行", 0.99))
    proofread(result)
    mismatch = next(w for w in result.warnings if "总计不符" in w)
    assert mismatch.template == "ocr_mismatch"
    with translation.override("en"):
        english = warning_text(mismatch.to_dict())
    assert not CJK.search(english), english
    assert "3" in english and "8" in english
