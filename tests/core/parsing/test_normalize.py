"""The text normalisation stage (core.parsing.normalize), rule by rule."""

from __future__ import annotations

import html
import json

from core.parsing import normalize
from tests.core.parsing import synth


def test_script_string_with_unicode_escapes_is_put_back_as_html():
    body = "<p>一、总体情况</p><p>本机关主动公开政府信息。</p><table><tr><td>本年新收</td></tr></table>"
    literal = json.dumps(body, ensure_ascii=False).replace("<", "\\u003c").replace("/", "\\/")
    literal = literal[:-1] + " " * 200 + '"'  # real bodies are long
    page = f'<html><body><div id="zoom"></div><script>var c = {literal};</script></body></html>'
    out = normalize.inline_scripts(page)
    assert "<table><tr><td>本年新收</td></tr></table>" in out
    assert "var c" not in out


def test_script_string_with_entities_and_single_quotes_is_put_back():
    body = "<p>政府信息公开</p><p>主动公开</p><p>it's</p>" + "<p>行政复议</p>" * 20
    escaped = html.escape(body, quote=False).replace("'", "\\'")
    page = f"<html><body><script>var raw = '{escaped}';</script></body></html>"
    out = normalize.inline_scripts(page)
    assert "<p>it's</p>" in out and "&lt;" not in out


def test_scripts_without_a_report_are_left_alone():
    page = '<html><script>var siteId = "12345"; var s = "' + "x" * 300 + '";</script></html>'
    assert normalize.inline_scripts(page) == page


def test_one_line_report_gets_its_lines_back():
    fig = synth.figures(3)
    one = " ".join(synth.report(fig, sep=" ").split("\n"))
    lines = normalize.recover_lines(one).split("\n")
    assert "一、总体情况" in lines
    assert "四、政府信息公开行政复议、行政诉讼情况" in lines
    assert "五、存在的主要问题及改进情况" in lines
    assert synth.PUBLISHED in lines
    assert any(line.startswith("规章 ") for line in lines)
    assert any(line.startswith("（七）总计 ") for line in lines)


def test_text_with_line_breaks_is_not_touched():
    text = synth.report(synth.figures(3))
    assert normalize.recover_lines(text) == text


def test_prose_in_a_one_line_report_is_not_cut_at_numbers():
    one = " ".join(synth.report(synth.figures(1), sep=" ").split("\n"))
    lines = normalize.recover_lines(one).split("\n")
    assert synth.PROSE_ONE in lines


def test_look_alikes_become_digits_only_in_number_cells():
    assert normalize.number_cell("O") == "0"
    assert normalize.number_cell("〇") == "0"
    assert normalize.number_cell("l0") == "10"
    assert normalize.number_cell("I") == "1"
    assert normalize.number_cell("１２") == "12"
    assert normalize.number_cell("其他") == "其他"
    assert normalize.number_cell("Office") == "Office"
    assert normalize.number_cell("结果维持") == "结果维持"


def test_a_space_inside_a_thousands_group_joins_only_in_a_grid_cell():
    assert normalize.number_cell("1 234", spaced=True) == "1234"
    assert normalize.number_cell("12 345 678", spaced=True) == "12345678"
    assert normalize.number_cell("1 234") == "1 234"  # space-aligned text: two figures
    assert normalize.number_cell("1 23", spaced=True) == "1 23"


def test_website_debris_is_recognised():
    for line in (
        "【打印】 【关闭】",
        "来源：石桥镇人民政府 发布时间：2024-01-25 浏览次数：321",
        "【字体：大 中 小】",
        "分享到：",
        "版权所有：青山县人民政府 网站标识码：3505820001 闽ICP备12345678号",
        "主办单位：青山县人民政府办公室",
        "首页 政务公开 政务服务 互动交流 走进青山",
        "当前位置：首页 > 政务公开",
        "联系我们 | 网站地图",
    ):
        assert normalize.is_debris(line), line


def test_report_prose_is_not_debris():
    for line in (
        synth.PROSE_ONE,
        "全年共收到政府信息公开申请66件，来源主要为自然人。",
        "本机关主动公开各类信息378条，及时更新栏目，确保信息准确、完整、及时。",
        "（一）主动公开情况",
    ):
        assert not normalize.is_debris(line), line


def test_prose_that_names_a_source_is_not_debris():
    assert not normalize.is_debris("（三）资金来源：上级财政拨款和本级配套。")
    assert normalize.is_debris("发布时间：2024-01-25 来源：石桥镇")
