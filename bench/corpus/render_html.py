"""HTML renderings: a government site's article page, and the report inside a script string."""

from __future__ import annotations

import html
import json
import random

from bench.corpus.document import Block, blocks
from bench.corpus.model import Sample


def _table(block: Block, scale: int = 1) -> str:
    out = ['<table border="1" cellspacing="0" cellpadding="0" style="width:100%">']
    for row in block.rows:
        out.append("<tr>")
        for cell in row:
            span = cell.colspan * scale
            attrs = (f' colspan="{span}"' if span > 1 else "") + (
                f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
            )
            out.append(f"<td{attrs}><p>{html.escape(cell.text)}</p></td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def report_html(sample: Sample, scale: int = 1) -> str:
    """The report body as a site's editor stores it: paragraphs and tables (``scale``: every
    cell spans that many columns of a finer grid, as tables pasted from WPS do)."""
    out = []
    for block in blocks(sample):
        if block.kind == "title":
            out.append(
                f'<p style="text-align:center"><strong>{html.escape(block.text)}</strong></p>'
            )
        elif block.kind == "heading":
            out.append(f"<p><strong>{html.escape(block.text)}</strong></p>")
        elif block.kind == "table":
            out.append(_table(block, scale))
        elif block.kind == "sign":
            out.append(f'<p style="text-align:right">{html.escape(block.text)}</p>')
        else:
            out.append(f'<p style="text-indent:2em">{html.escape(block.text)}</p>')
    return "\n".join(out)


def _page(sample: Sample, body: str, rng: random.Random, script: str = "") -> str:
    city = sample.organ.name.split("市")[0] + "市"
    views = rng.randint(40, 9000)
    nav = "".join(
        f'<li><a href="/{i}/">{name}</a></li>'
        for i, name in enumerate(("首页", "政务公开", "政务服务", "互动交流", "走进" + city))
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{html.escape(sample.title)}_{html.escape(city)}人民政府门户网站</title>
<script>var _hmt = _hmt || []; var siteId = "{rng.randint(10**6, 10**7)}";</script>
<style>.nav li{{display:inline}} td{{border:1px solid #000}}</style></head>
<body><div class="header"><img src="/images/logo.png" alt="{html.escape(city)}人民政府"></div>
<ul class="nav">{nav}</ul>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>
<div class="article"><h1 class="title">{html.escape(sample.title)}</h1>
<div class="info">来源：{html.escape(sample.organ.name)}　发布时间：{sample.published} 10:{rng.randint(10, 59)}　浏览次数：{views}　【字体：<a>大</a> <a>中</a> <a>小</a>】</div>
<div class="content" id="zoom">{body}</div>
<div class="tools"><a href="javascript:window.print()">【打印】</a> <a href="javascript:window.close()">【关闭】</a></div></div>
{script}
<div class="footer"><p>主办：{html.escape(city)}人民政府办公室　地址：{html.escape(city)}人民路{rng.randint(1, 300)}号</p>
<p>网站标识码：{rng.randint(10**9, 10**10)}　闽ICP备{rng.randint(10**7, 10**8)}号</p></div>
</body></html>"""


def page(sample: Sample, rng: random.Random) -> str:
    return _page(sample, report_html(sample), rng)


def script_string(sample: Sample, rng: random.Random) -> str:
    """The body filled in by script from a JS string literal: \\u003c, \\", \\n escapes."""
    literal = json.dumps(report_html(sample), ensure_ascii=False)
    literal = literal.replace("<", "\\u003c").replace(">", "\\u003e").replace("/", "\\/")
    script = f'<script type="text/javascript">\nvar content = {literal};\ndocument.getElementById("zoom").innerHTML = content;\n</script>'
    return _page(sample, "", rng, script)


def script_entities(sample: Sample, rng: random.Random) -> str:
    """The body kept entity-escaped (&lt;p&gt;) in a single-quoted JS string, decoded at load."""
    escaped = html.escape(report_html(sample), quote=False).replace("'", "\\'").replace("\n", "\\n")
    script = (
        "<script>\nvar raw = '" + escaped + "';\n"
        "var box = document.createElement('textarea'); box.innerHTML = raw;\n"
        "document.getElementById('zoom').innerHTML = box.value;\n</script>"
    )
    return _page(sample, "", rng, script)


def lattice(sample: Sample, rng: random.Random) -> str:
    """The article page with tables on a grid twice as fine: every cell colspan="2" or more."""
    return _page(sample, report_html(sample, scale=2), rng)


LAYOUTS = {
    "page": page,
    "script-string": script_string,
    "script-entities": script_entities,
    "lattice": lattice,
}


def render_html(sample: Sample, layout_name: str) -> bytes:
    rng = random.Random(f"{sample.key}:html:{layout_name}")
    return LAYOUTS[layout_name](sample, rng).encode("utf-8")
