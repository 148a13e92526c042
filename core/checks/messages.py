"""Every check message, once: a Chinese template per code, filled from the finding's params.

A finding is stored as code + params; the Django side renders ``gettext(template) % params``
in the viewer's language, so the templates are marked for the translation catalogue here.
A code with more than one wording names its variant in ``params["template"]``.

A param is plain data, so a message can be said again in any language:

- a string is a catalogue word (a printed label, 表三, 空白…) or a number as printed;
- a list of strings is a label printed in parts, joined by a space ("（三）不予公开" "1.属于国家秘密");
- ``{"template": key, ...}`` is a phrase of its own (a cell's name, a sum), filled the same way;
- ``{"join": separator, "items": [...]}`` is a list ("、" between cell names, "与" between rows);
- ``{"raw": text}`` is text as the file printed it, said as is in every language.

The parser's warnings (core/parsing/messages.py) are said by the same functions from their own
templates (``templates=``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue; the portal translates it when shown."""
    return message


MESSAGES: dict[str, str] = {
    # tables.py
    "s3_row_total": gettext_noop(
        "表三“%(row)s”行：总计列为 %(printed)s，六类申请人之和为 %(parts)s。"
    ),
    "s3_balance": gettext_noop(
        "表三%(column)s列：%(left_text)s为 %(left)s，%(right_text)s为 %(right)s，两者应相等。"
    ),
    "s3_results_total": gettext_noop(
        "表三%(column)s列：“%(row)s”为 %(printed)s，（一）至（六）各项办理结果之和为 %(parts)s。"
    ),
    "s4_group_total": gettext_noop(
        "表四“%(group)s”：%(total)s为 %(printed)s，%(names)s之和为 %(parts)s。"
    ),
    "unchecked": gettext_noop("%(rule)s：%(cells)s%(reason)s，无法核对。"),
    # blanks.py
    "total_blank": gettext_noop(
        "%(name)s空白（报告未填写），%(parts_name)s为 %(computed)s，请按原件核对后填写。"
    ),
    "too_many_blanks": gettext_noop(
        "%(table)s有 %(count)s 格空白或填“/”“—”（共 %(of)s 格，超过 %(limit)s 格）："
        "可能是识别有误或填报不完整，请对照原件逐格核对。"
    ),
    # values.py
    "negative": gettext_noop("%(table)s有负数：%(values)s。件数不能为负。"),
    "non_integer": gettext_noop("%(table)s有小数：%(values)s。件数应为整数。"),
    "missing": gettext_noop("%(table)s有 %(count)s 个空白格：%(cells)s。"),
    "missing:all": gettext_noop("%(table)s全部空白（%(count)s 格）。"),
    # prose.py
    "prose:blank": gettext_noop(
        "正文所述%(what)s为 %(stated)s，而%(target)s空白，%(parts_name)s为 %(computed)s。"
    ),
    "prose:printed": gettext_noop("正文所述%(what)s为 %(stated)s，而%(target)s为 %(printed)s。"),
    "prose:both": gettext_noop(
        "正文所述%(what)s为 %(stated)s，而%(target)s为 %(printed)s，%(parts_name)s为 %(computed)s，均不相符。"
    ),
    "prose_received": gettext_noop(
        "正文所述%(what)s为 %(stated)s，而%(target)s为 %(printed)s，"
        "与“上年结转”之和为 %(both)s，均不相符。"
    ),
    "prose_received_with_carryover": gettext_noop(
        "正文所述收到申请 %(stated)s 件，按“本年新收”（%(new)s）加“上年结转”（%(carried)s）理解相符，"
        "即正文的数字包含上年结转的申请。"
    ),
    "what:本年新收": gettext_noop("本年新收政府信息公开申请件数"),
    "what:上年结转": gettext_noop("上年结转政府信息公开申请件数"),
    "what:结转下年度": gettext_noop("结转下年度继续办理的申请件数"),
    "section5_empty": gettext_noop(
        "第五部分“存在的主要问题及改进情况”%(state)s：这是必须报告的内容，请写明存在的问题和改进措施。"
    ),
    # Phrases that fill the messages above (base.py: cell names and lists of cells).
    "cell:section2": gettext_noop("“%(row)s”%(column)s"),
    "cell:section3": gettext_noop("“%(row)s”行%(column)s列"),
    "cell:section4": gettext_noop("“%(group)s”%(column)s"),
    "phrase:cells_more": gettext_noop("%(names)s等 %(count)s 格"),
    "phrase:cell_value": gettext_noop("%(cell)s为 %(value)s"),
    "phrase:quoted": gettext_noop("“%(text)s”"),
    "phrase:sum_terms": gettext_noop("%(names)s之和（%(terms)s）"),
    "phrase:sum_of": gettext_noop("%(names)s之和"),
    "phrase:s3_row_total": gettext_noop("表三“%(row)s”行总计列"),
    "phrase:s3_column_total": gettext_noop("表三%(column)s列“%(row)s”"),
    "phrase:s4_total": gettext_noop("表四“%(group)s”%(column)s"),
    "phrase:s4_groups_total": gettext_noop("表四%(names)s%(column)s之和"),
    "phrase:prose_rule": gettext_noop("正文%(what)s与%(target)s对照"),
    # years.py
    "carryover": gettext_noop(
        "表三“%(row)s”行%(column)s列为 %(value)s，而上一年度报告“%(before_row)s”为 %(before)s。两者应相等。"
    ),
    "s2_stock": gettext_noop(
        "表二“%(row)s”：上一年度%(before_stock)s %(start)s 加%(issued)s %(added)s "
        "减%(repealed)s %(removed)s，应为 %(expected)s，而本年%(stock)s为 %(now)s。"
    ),
    "s2_projects": gettext_noop(
        "表二“%(row)s”：%(count)s为 %(now)s，而上一年度报告%(count)s %(start)s 加%(change)s %(delta)s 为 %(sum)s。"
    ),
}

# Words that fill the templates and are worth translating on their own.
WORDS = (
    gettext_noop("空白"),
    gettext_noop("或上一年度报告的对应格空白"),
    gettext_noop("只写了“无”"),
    gettext_noop("内容过短"),
    gettext_noop("表二"),
    gettext_noop("表三"),
    gettext_noop("表四"),
    gettext_noop("六类申请人之和"),
    gettext_noop("（一）至（六）各项办理结果之和"),
    gettext_noop("各项结果之和"),
    gettext_noop("各组各项结果之和"),
    # What the prose keys of core.formats.PROSE_KEYS count.
    gettext_noop("主动公开政府信息条数"),
    gettext_noop("收到政府信息公开申请件数"),
    gettext_noop("办结政府信息公开申请件数"),
    gettext_noop("行政复议案件数"),
    gettext_noop("行政诉讼案件数"),
    # Separators of a list: between cell names, between two rows.
    gettext_noop("、"),
    gettext_noop("与"),
)


def template_key(code: str, params: dict) -> str:
    """Which template a finding's message comes from (its variant, else its code)."""
    return params.get("template") or code


def _same(message: str) -> str:
    return message


def _fill(template: str, values: dict, translate) -> str:
    try:
        return translate(template) % values
    except (KeyError, TypeError, ValueError):
        # A translation naming a param the finding lacks: say it as printed.
        return template % values


def render_value(
    value: Any,
    translate: Callable[[str], str] = _same,
    templates: Mapping[str, str] | None = None,
) -> Any:
    """One param as text in the language ``translate`` gives (Chinese by default)."""
    templates = MESSAGES if templates is None else templates
    if isinstance(value, dict):
        if value.keys() == {"raw"}:
            return value["raw"]
        if "join" in value:
            separator = translate(value["join"]) if value["join"] else ""
            return separator.join(
                str(render_value(v, translate, templates)) for v in value["items"]
            )
        template = templates.get(value.get("template") or "")
        values = {
            k: render_value(v, translate, templates) for k, v in value.items() if k != "template"
        }
        if template is None:
            return "".join(str(v) for v in values.values())
        return _fill(template, values, translate)
    if isinstance(value, list):
        return " ".join(str(render_value(v, translate, templates)) for v in value)
    if isinstance(value, str) and value:
        return translate(value)
    return value


def render_params(
    params: dict,
    translate: Callable[[str], str] = _same,
    templates: Mapping[str, str] | None = None,
) -> dict:
    """Every param of a finding as text (the message's variant key left out)."""
    return {k: render_value(v, translate, templates) for k, v in params.items() if k != "template"}


def render(
    code: str,
    params: dict,
    translate: Callable[[str], str] | None = None,
    templates: Mapping[str, str] | None = None,
) -> str | None:
    """The message (Chinese, or as ``translate`` says it); None when the code has no template.

    ``templates`` is where the code and the phrases in its params are looked up (the checks'
    MESSAGES unless given).
    """
    templates = MESSAGES if templates is None else templates
    template = templates.get(template_key(code, params))
    if template is None:
        return None
    translate = translate or _same
    return _fill(template, render_params(params, translate, templates), translate)
