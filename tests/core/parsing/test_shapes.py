"""Every shape a real report arrives in, built from core.formats labels: every cell right."""

from __future__ import annotations

import html
import io
import json

import pytest

from core.checks import check_report
from core.parsing import parse_bytes
from core.parsing.output import result_json
from tests.core.parsing import synth

SEEDS = [1, 2, 5, 8]


def _one_line(fig: dict) -> bytes:
    return " ".join(synth.report(fig, sep=" ").split("\n")).encode()


def _page_html(fig: dict) -> str:
    """The report body as a site's editor stores it (paragraphs and tables)."""
    out = []
    for kind, item in synth.blocks(fig):
        if kind == "table":
            cells = "".join(
                "<tr>" + "".join(f"<td><p>{html.escape(c)}</p></td>" for c in r) + "</tr>"
                for r in item
            )
            out.append(f'<table border="1">{cells}</table>')
        else:
            out.append(f"<p>{html.escape(item)}</p>")
    return "\n".join(out)


def _site(body: str, script: str = "") -> bytes:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>年报</title>
<script>var siteId = "3505820001";</script></head><body>
<ul class="nav"><li>首页</li><li>政务公开</li><li>政务服务</li><li>互动交流</li></ul>
<div class="crumb">当前位置：<a>首页</a> &gt; <a>政务公开</a></div>
<div class="info">来源：{synth.ORGAN}　发布时间：2024-01-25 10:12　浏览次数：481　【字体：<a>大</a> <a>中</a> <a>小</a>】</div>
<div id="zoom">{body}</div>
<div class="tools"><a>【打印】</a> <a>【关闭】</a></div>{script}
<div class="footer"><p>主办单位：青山县人民政府办公室</p><p>网站标识码：3505820001　闽ICP备12345678号</p></div>
</body></html>""".encode()


def _script_string(fig: dict) -> bytes:
    literal = json.dumps(_page_html(fig), ensure_ascii=False)
    literal = literal.replace("<", "\\u003c").replace(">", "\\u003e").replace("/", "\\/")
    return _site("", f"<script>var content = {literal}; zoom.innerHTML = content;</script>")


def _script_entities(fig: dict) -> bytes:
    raw = html.escape(_page_html(fig), quote=False).replace("'", "\\'").replace("\n", "\\n")
    return _site("", f"<script>var raw = '{raw}'; box.innerHTML = raw;</script>")


def _converter(fig: dict) -> bytes:
    """OCR/converter markdown: look-alike and full-width digits, spaced thousands,
    merged header rows, headings turned into table rows."""
    full = str.maketrans("0123456789", "０１２３４５６７８９")

    def number(text: str, i: int) -> str:
        if len(text) >= 4:
            return f"{text[:-3]} {text[-3:]}"
        if i % 5 == 1:
            return text.translate(full)
        if i % 7 == 2 and set(text) <= {"0", "1"}:
            return text.replace("0", "O" if i % 2 else "〇").replace("1", "l" if i % 2 else "I")
        return text

    def table(rows):
        width = max(len(r) for r in rows)
        grid = [r + [""] * (width - len(r)) for r in rows]
        out = []
        for n, r in enumerate(grid):
            cells = [number(c, n * 31 + j) if c.isdigit() else c for j, c in enumerate(r)]
            out.append("| " + " | ".join(cells) + " |")
            if n == 0:
                out.append("|" + "---|" * width)
        return out

    text = synth.report(fig, table=table)
    # A heading swallowed into a table row.
    text = text.replace(
        "\n三、收到和处理政府信息公开申请情况\n", "\n| 三、收到和处理政府信息公开申请情况 | | |\n"
    )
    return text.encode()


def _docx(fig: dict) -> bytes:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for kind, rows in synth.blocks(fig):
        if kind != "table":
            document.add_paragraph(rows)
            continue
        width = max(len(r) for r in rows) + 1
        table = document.add_table(rows=len(rows), cols=width)
        for i, r in enumerate(rows):
            cells = table.rows[i].cells
            if len(rows) == 2:  # 表四: one header row, one row of figures
                for j, text in enumerate(r):
                    cells[j].text = text
                continue
            cells[0].merge(cells[1])  # label cell spans two grid columns
            cells[0].text = r[0]
            for j, text in enumerate(r[1:], start=2):
                cells[j].text = text  # a blank figure stays an empty cell
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


SHAPES = {
    "one-line": (_one_line, "report.txt"),
    "script-string": (_script_string, "report.html"),
    "script-entities": (_script_entities, "report.html"),
    "converter": (_converter, "report.md"),
    "docx": (_docx, "report.docx"),
}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", SHAPES)
def test_every_cell_reads_right(shape, seed):
    render, name = SHAPES[shape]
    fig = synth.figures(seed)
    result = parse_bytes(render(fig), name)
    assert result.error is None, result.error
    assert result.figures() == fig
    assert (result.organ, result.year, result.published) == (synth.ORGAN, 2023, "2024-01-25")
    assert result.sections["五"] == synth.PROSE_FIVE


def test_converter_cells_say_they_were_normalised():
    result = parse_bytes(_converter(synth.figures(5)), "report.md")
    rules = {v.rule for v in result.values}
    assert "normalised" in rules
    assert all(v.confidence <= 0.95 for v in result.values)


@pytest.mark.parametrize("shape", ["script-string", "script-entities"])
def test_website_debris_stays_out_of_the_prose(shape):
    result = parse_bytes(SHAPES[shape][0](synth.figures(1)), "report.html")
    prose = "\n".join(result.sections.values())
    for debris in (
        "打印",
        "关闭",
        "浏览次数",
        "网站标识码",
        "ICP备",
        "主办单位",
        "当前位置",
        "字体",
    ):
        assert debris not in prose, debris
    assert synth.PROSE_ONE in result.sections["一"]
    assert synth.PROSE_SIX in result.sections["六"]


def test_debris_on_an_ordinary_page_stays_out_of_the_prose():
    result = parse_bytes(_site(_page_html(synth.figures(1))), "report.html")
    assert result.figures() == synth.figures(1)
    assert "浏览次数" not in result.sections["六"] and "ICP" not in result.sections["六"]


@pytest.mark.parametrize("blank", [0, 3, 6])
def test_a_blank_docx_cell_keeps_its_column(blank):
    fig = synth.figures(2)
    fig["section3"]["三.二"][blank] = None
    fig["section3"]["一"][0] = None
    fig["section4"][0] = None
    result = parse_bytes(_docx(fig), "report.docx")
    assert result.figures() == fig


@pytest.mark.parametrize("sep", ["\t", "|"])
def test_a_blank_total_stays_blank_and_a_finding_says_what_the_parts_add_up_to(sep):
    fig = synth.figures(2)
    parts = sum(fig["section3"]["一"][:6])
    fig["section3"]["一"][6] = None
    if sep == "|":
        text = synth.report(fig, table=lambda rows: ["| " + " | ".join(r) + " |" for r in rows])
    else:
        text = synth.report(fig)
    result = parse_bytes(text.encode(), "report.txt")
    assert result.figures()["section3"]["一"] == fig["section3"]["一"]
    findings = check_report(result.figures(), result.edition)
    [blank] = [f for f in findings if f.code == "total_blank"]
    assert blank.severity == "warning"
    assert f"为 {parts}" in blank.message and "空白" in blank.message
    assert ("section3", "一", "总计") in blank.cells


def test_json_output_adds_provenance_and_ambiguous_keys():
    result = parse_bytes(synth.report(synth.figures(1)).encode(), "report.txt")
    data = result_json("report.txt", result)
    for key in ("file", "kind", "organ", "year", "published", "edition", "section2", "section3"):
        assert key in data
    assert data["ambiguous"] == []
    cell = data["cells"][0]
    assert set(cell) >= {"table", "row", "column", "value", "raw", "location", "confidence", "rule"}
    error = result_json("x", parse_bytes(b"", "x.txt"))
    assert error["cells"] == [] and error["ambiguous"] == []


@pytest.mark.parametrize("wrap", ["<p>{}</p>", "<div>{}</div>"])
def test_a_web_page_holding_the_report_in_one_paragraph_reads_every_cell(wrap):
    fig = synth.figures(8)
    one = " ".join(synth.report(fig, sep=" ").split("\n"))
    result = parse_bytes(_site(wrap.format(html.escape(one))), "report.html")
    assert result.figures() == fig
    assert result.sections["五"] == synth.PROSE_FIVE


def test_a_row_that_lost_a_blank_cell_stays_blank_and_lists_its_alignments():
    fig = synth.figures(8)
    fig["section3"]["三.二"][2] = None
    text = " ".join(synth.report(fig, sep=" ").split("\n"))  # the blank leaves no trace
    result = parse_bytes(text.encode(), "report.txt")
    assert result.figures()["section3"]["三.二"] == [None] * 7  # never a guessed 0
    [entry] = [a for a in result.ambiguous if a["row"] == "三.二"]
    assert [v for v in fig["section3"]["三.二"]] in entry["candidates"]


def test_headings_split_over_table_cells_still_open_their_sections():
    fig = synth.figures(5)
    text = synth.report(fig)
    for numeral, title in (("一、", "总体情况"), ("五、", "存在的主要问题及改进情况")):
        text = text.replace(f"\n{numeral}{title}\n", f"\n| {numeral} | {title} |\n")
    result = parse_bytes(text.encode(), "report.md")
    assert result.figures() == fig
    assert result.sections["一"] == synth.PROSE_ONE
    assert result.sections["五"] == synth.PROSE_FIVE


def test_cell_per_line_row_that_lost_its_blank_total_keeps_the_total_blank():
    fig = synth.figures(2)
    fig["section3"]["三.七"][6] = None

    def table(rows):
        return [c for r in rows for c in r if c]  # every non-empty cell on its own line

    result = parse_bytes(synth.report(fig, table=table).encode(), "report.txt")
    assert result.figures()["section3"]["三.七"] == fig["section3"]["三.七"]
