"""Text normalisation run before parsing: undo what web pages, copy-paste and OCR did.

Four repairs, each conservative and each driven by the format's own labels
(core.formats), never by one site's markup:

- ``inline_scripts``: a page that carries the report as HTML inside a
  JavaScript string (escaped quotes, ``\\n``, ``\\u003c``, ``&lt;`` entities)
  gets that HTML put back in place of the script.
- ``recover_lines``: a report copied out of a web page as ONE line gets its
  line breaks back before section headings, table row labels and paragraphs.
- ``number_cell``: a cell in a number position with full-width digits,
  look-alike letters (O/〇 for 0, l/I for 1) or a space inside a thousands
  group becomes the plain number. Labels are never touched.
- ``is_debris``: a line of website furniture (menus, 打印/关闭, 来源, 浏览次数,
  footers) that is not part of the report's prose.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import replace

from core import formats

# ---------------------------------------------------------------- script-embedded HTML

_SCRIPT = re.compile(r"(<script\b[^>]*>)(.*?)(</script\s*>)", re.I | re.S)
_JS_STRING = re.compile(r""""((?:[^"\\\n]|\\.){200,})"|'((?:[^'\\\n]|\\.){200,})'""", re.S)
_JS_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_JS_SIMPLE = {"n": "\n", "t": "\t", "r": "\n", "b": "", "f": "\n", "v": "\n", "0": ""}
# What makes a string a report body: markup plus words every report prints.
_REPORT_WORDS = ("政府信息公开", "本年新收", "主动公开", "行政复议")
MAX_SCRIPT_STRING = 2_000_000


def _js_unescape(body: str) -> str:
    def one(match: re.Match) -> str:
        code = match.group(1)
        if code.startswith("u{"):
            return chr(min(int(code[2:-1], 16), 0x10FFFF))
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _JS_SIMPLE.get(code, code)

    return _JS_ESCAPE.sub(one, body)


def _report_markup(text: str) -> str | None:
    """The string as HTML when it is a report body, else None."""
    if "&lt;" in text and text.count("&lt;") > text.count("<"):
        text = html.unescape(text)
    if text.count("<") < 3 or sum(w in text for w in _REPORT_WORDS) < 2:
        return None
    return text


def inline_scripts(page: str) -> str:
    """Put report HTML held in script string literals back into the page, in place."""
    if "<script" not in page.lower():
        return page

    def replace(match: re.Match) -> str:
        bodies = []
        for literal in _JS_STRING.finditer(match.group(2)[:MAX_SCRIPT_STRING]):
            raw = literal.group(1) if literal.group(1) is not None else literal.group(2)
            markup = _report_markup(_js_unescape(raw))
            if markup is not None:
                bodies.append(markup)
        if not bodies:
            return match.group(0)
        return "<div>" + "\n".join(bodies) + "</div>"

    return _SCRIPT.sub(replace, page)


# ---------------------------------------------------------------- one-line text

# A text needs its lines back when one line holds several section headings.
ONE_LINE_MIN = 400
_HEADING = re.compile(
    r"(?<!\S)([一二三四五六])\s*[、.．]\s*([^\s。，；]{2,24}?(?:情况|事项))(?=\s|$)"
)
_SENTENCE_END = re.compile(r"(?<=[。；！？])\s+")
_ENUMERATION = re.compile(
    r"\s+(?=(?:[一二三四五六七八九十]\s*、|[（(][一二三四五六七八九十][)）]|\d{1,2}\s*[.．、](?=[^\d\s])|第二十条|注[:：]))"
)
# After a standalone figure, a label starts a new row (inside tables only).
_AFTER_NUMBER = re.compile(r"(?<!\S)([\d,.]{1,12})\s+(?=[^\d\s,.+\-])")
_TRAILING_DATE = re.compile(r"\s+(?=(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年[^\s]{1,8}日\s*$)")
_TITLE_END = re.compile(r"(?<=年度报告)\s+")


def _heading_titles(text: str) -> list[re.Match]:
    found = []
    for match in _HEADING.finditer(text):
        key, title = match.group(1), formats.squash(match.group(2))
        for section, _, patterns in formats.SECTIONS:
            if section == key and any(re.search(p, title) for p in patterns):
                found.append(match)
                break
    return found


def _row_labels(text: str) -> re.Pattern:
    """Row labels of table 二 from both editions (longest first)."""
    labels = {
        r.label for e in formats.EDITION_DEFS.values() for b in e.section2 for r in b.rows
    } | {g.key for g in formats.SECTION4_GROUPS[:1]}
    alternation = "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))
    return re.compile(rf"\s+(?=(?:{alternation})(?:\s|$))")


def needs_lines(text: str) -> bool:
    longest = max(text.split("\n"), key=len, default="")
    return len(longest) >= ONE_LINE_MIN and len(_heading_titles(longest)) >= 3


def recover_lines(text: str) -> str:
    """Line breaks back for a report copied as one line (other text is returned as is)."""
    if not needs_lines(text):
        return text
    return "\n".join(
        _split_one(line) if len(line) >= ONE_LINE_MIN else line for line in text.split("\n")
    )


def recover_document(lines: list) -> list:
    """The same repair on extracted Lines: an HTML or Word paragraph holding a whole report."""
    if not any(len(ln.cells) == 1 and len(ln.cells[0]) >= ONE_LINE_MIN for ln in lines):
        return lines
    out = []
    for line in lines:
        text = line.cells[0] if len(line.cells) == 1 and line.table is None else ""
        if len(text) < ONE_LINE_MIN or len(_heading_titles(text)) < 3:
            out.append(line)
            continue
        for part in _split_one(text).split("\n"):
            out.append(replace(line, cells=[part]))
    return out


def _split_one(line: str) -> str:
    headings = _heading_titles(line)
    if not headings:
        return line
    # Headings stand on their own line.
    pieces, last = [], 0
    for match in headings:
        pieces += [line[last : match.start()], match.group(0)]
        last = match.end()
    pieces.append(line[last:])
    keys = [None] + [m.group(1) for m in headings]
    out = []
    for i in range(0, len(pieces), 2):
        body = pieces[i].strip()
        section = keys[i // 2]
        if body:
            out.extend(_split_body(body, in_table=section in ("二", "三", "四")))
        if i + 1 < len(pieces):
            out.append(pieces[i + 1].strip())
    return "\n".join(part for part in out if part)


def _split_body(body: str, *, in_table: bool) -> list[str]:
    body = _TITLE_END.sub("\n", body, count=1) if not in_table else body
    body = _SENTENCE_END.sub("\n", body)
    body = _TRAILING_DATE.sub("\n", body)
    body = _ENUMERATION.sub("\n", body)
    if in_table:
        body = _row_labels(body).sub("\n", body)
        body = _AFTER_NUMBER.sub("\\1\n", body)
    return [part.strip() for part in body.split("\n") if part.strip()]


# ---------------------------------------------------------------- number positions

_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "〇": "0", "○": "0", "l": "1", "I": "1", "|": "1"})
_NUMBERISH = re.compile(r"^[+\-−]?[\dOo〇○lI][\dOo〇○lI,，.]*$")
_SPACED_THOUSANDS = re.compile(r"^\d{1,3}(?: \d{3})+(?:\.\d+)?$")


class Repaired(str):
    """A figure's text after repair; ``printed`` keeps what the report printed."""

    printed: str = ""


def _repaired(text: str, printed: str) -> Repaired:
    out = Repaired(text)
    out.printed = printed
    return out


def number_cell(cell: str, *, spaced: bool = False) -> str:
    """A cell in a number position, with look-alikes made digits; other cells unchanged.

    ``spaced``: the cell is one grid cell, so "1 234" is one number with a stray
    space (in a space-aligned line it would be two figures).
    """
    text = unicodedata.normalize("NFKC", cell or "").strip()
    if spaced and _SPACED_THOUSANDS.match(text):
        return _repaired(text.replace(" ", ""), cell)
    if text.isascii() and text.isdigit():
        return text if text == (cell or "").strip() else _repaired(text, cell)
    if not _NUMBERISH.match(text):
        return cell
    if not any(ch.isdigit() for ch in text) and len(text) > 4:
        return cell  # a word of letters, not a figure
    fixed = text.translate(_LOOKALIKE)
    return fixed if fixed == (cell or "").strip() else _repaired(fixed, cell)


def rule_of(raw: str) -> str:
    """A figure's provenance rule: "normalised" when its printed text needed repair."""
    if isinstance(raw, Repaired):
        return "normalised"
    text = (raw or "").strip()
    return "normalised" if text and number_cell(text, spaced=True) != text else "table"


# ---------------------------------------------------------------- website debris

# The article's info line: "来源：… 发布时间：… 浏览次数：…".
_INFO = (
    r"来源|信息来源|发布机构|发布时间|发布日期|浏览次数|访问量|点击(?:数|量|率)|阅读(?:数|量)"
    r"|责任编辑"
)
_TOOLS = r"打印|关闭|打印本页|关闭窗口|返回顶部|收藏|纠错|分享"
_DEBRIS = (
    # Page tools: 【打印】【关闭】, or a line of nothing else.
    re.compile(rf"【\s*(?:{_TOOLS})\s*】|^(?:[\s【】\[\]|]*(?:{_TOOLS})[\s【】\[\]|]*)+$"),
    re.compile(r"(?:字号|字体)\s*[:：]?\s*【?\s*大\s*中\s*小\s*】?"),
    re.compile(r"^分享到|分享到\s*[:：]"),
    re.compile(rf"^[【\[]?(?:{_INFO})\s*[:：]|(?:{_INFO})\s*[:：].*(?:{_INFO})\s*[:：]"),
    re.compile(
        r"版权所有|网站标识码|ICP\s*备|公网安备|主办单位|承办单位|主办\s*[:：]|技术支持|联系我们|网站地图"
    ),
    re.compile(r"当前位置\s*[:：]|您(?:现在)?的位置\s*[:：]"),
)
# A menu: several short words and nothing that reads as a sentence.
_MENU_WORD = re.compile(r"^[\u4e00-\u9fffA-Za-z]{2,8}$")


def is_debris(line: str) -> bool:
    """A line of website furniture, not prose of the report."""
    text = line.strip()
    if not text:
        return False
    sentence = "。" in text and len(text) > 60
    if not sentence and any(p.search(text) for p in _DEBRIS):
        return True
    words = text.split()
    return len(words) >= 4 and all(_MENU_WORD.match(w) for w in words) and "。" not in text
