"""The national format of the annual report, both editions, as data.

Forms, the parser, the checks, the public tables and the exports all read
this module; nothing else should spell a row or column label.

Identifiers are the canonical labels themselves (``"规章"``, ``"三.三.1"``,
``"自然人"``), so the parser's JSON, the database rows and the exports all use
one vocabulary. ``variants`` are regular expressions matched against a label
with all whitespace removed (see :func:`squash`); they list the spellings
seen in real files.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

EDITION_2019 = "2019"
EDITION_2021 = "2021"
EDITIONS = (EDITION_2019, EDITION_2021)

SECTION2 = "section2"
SECTION3 = "section3"
SECTION4 = "section4"

_WS = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")


def squash(text: str) -> str:
    """Remove all whitespace (PDF extraction splits labels with spaces)."""
    return _WS.sub("", text or "")


@dataclass(frozen=True)
class Label:
    """A row or column: canonical label plus the patterns that recognise it."""

    key: str
    label: str
    variants: tuple[str, ...] = ()
    # Short label used in narrow table headers and exports.
    short: str = ""

    def matches(self, text: str) -> bool:
        return _matches(self.variants, text)


@functools.lru_cache(maxsize=65536)
def _matches(variants: tuple[str, ...], text: str) -> bool:
    # Cached: junk tables repeat the same cells thousands of times.
    s = squash(text)
    return any(re.search(p, s) for p in variants)


# ---------------------------------------------------------------- section 二


@dataclass(frozen=True)
class Section2Block:
    """One 第二十条 item: a small table with its own columns."""

    item: str  # 第二十条第（一）项
    columns: tuple[Label, ...]
    rows: tuple[Label, ...]


def _col(label: str, *variants: str) -> Label:
    return Label(key=label, label=label, variants=variants or (re.escape(label),))


_S2_2021 = (
    Section2Block(
        item="第二十条第（一）项",
        columns=(
            _col("本年制发件数", r"制发件数", r"本年制发"),
            _col("本年废止件数", r"废止件数", r"本年废止"),
            _col("现行有效件数", r"现行有效"),
        ),
        rows=(
            _col("规章", r"^规章$", r"^规章[（(]"),
            _col("行政规范性文件", r"规范性文件"),
        ),
    ),
    Section2Block(
        item="第二十条第（五）项",
        columns=(_col("本年处理决定数量", r"处理决定数"),),
        rows=(_col("行政许可", r"^行政许可"),),
    ),
    Section2Block(
        item="第二十条第（六）项",
        columns=(_col("本年处理决定数量", r"处理决定数"),),
        rows=(_col("行政处罚", r"^行政处罚"), _col("行政强制", r"^行政强制")),
    ),
    Section2Block(
        item="第二十条第（八）项",
        columns=(_col("本年收费金额（单位：万元）", r"收费金额"),),
        rows=(_col("行政事业性收费", r"行政事业性收费"),),
    ),
)

_S2_2019_PROJECT_COLUMNS = (
    _col("上一年项目数量", r"上一?年.*项目数"),
    _col("本年增/减", r"本年增.?减", r"增[/／、]?减"),
    _col("处理决定数量", r"处理决定数"),
)
# Public alias: 上一年项目数量 and 本年增/减 are compared across years by core.checks.
SECTION2_PROJECT_COLUMNS = _S2_2019_PROJECT_COLUMNS

_S2_2019 = (
    Section2Block(
        item="第二十条第（一）项",
        columns=(
            _col("本年新制作数量", r"新制作"),
            _col("本年新公开数量", r"新公开"),
            _col("对外公开总数量", r"对外公开总"),
        ),
        rows=(
            _col("规章", r"^规章$", r"^规章[（(]"),
            _col("规范性文件", r"规范性文件"),
        ),
    ),
    Section2Block(
        item="第二十条第（五）项",
        columns=_S2_2019_PROJECT_COLUMNS,
        rows=(
            _col("行政许可", r"^行政许可"),
            _col("其他对外管理服务事项", r"其他对外管理服务"),
        ),
    ),
    Section2Block(
        item="第二十条第（六）项",
        columns=_S2_2019_PROJECT_COLUMNS,
        rows=(_col("行政处罚", r"^行政处罚"), _col("行政强制", r"^行政强制")),
    ),
    Section2Block(
        item="第二十条第（八）项",
        columns=_S2_2019_PROJECT_COLUMNS[:2],
        rows=(_col("行政事业性收费", r"行政事业性收费"),),
    ),
    Section2Block(
        item="第二十条第（九）项",
        columns=(
            _col("采购项目数量", r"采购项目数"),
            _col("采购总金额", r"采购总金额", r"采购金额"),
        ),
        rows=(_col("政府集中采购", r"政府集中采购", r"集中采购"),),
    ),
)


# ---------------------------------------------------------------- section 三

APPLICANT_COLUMNS = (
    Label("自然人", "自然人", (r"自然人",)),
    Label("商业企业", "商业企业", (r"商业企业",), short="商业企业"),
    Label("科研机构", "科研机构", (r"科研机构",)),
    Label("社会公益组织", "社会公益组织", (r"社会公益",)),
    Label("法律服务机构", "法律服务机构", (r"法律服务",)),
    Label("其他", "其他", (r"^其他$",)),
    Label("总计", "总计", (r"^总计$", r"^合计$")),
)
TOTAL_COLUMN = "总计"
APPLICANT_KEYS = tuple(c.key for c in APPLICANT_COLUMNS)
# The six columns that add up to 总计.
APPLICANT_PARTS = APPLICANT_KEYS[:-1]


@dataclass(frozen=True)
class Section3Row(Label):
    group: str = ""  # "三.三" for the sub-rows of (三) 不予公开; "" otherwise


def _r3(key: str, label: str, *variants: str, group: str = "") -> Section3Row:
    return Section3Row(key=key, label=label, variants=variants, group=group)


_S3_HEAD = (
    _r3("一", "一、本年新收政府信息公开申请数量", r"本年新收"),
    _r3("二", "二、上年结转政府信息公开申请数量", r"上年结转"),
    _r3("三.一", "（一）予以公开", r"予以公开"),
    _r3("三.二", "（二）部分公开", r"部分公开"),
    _r3("三.三.1", "1.属于国家秘密", r"国家秘密", group="三.三"),
    _r3("三.三.2", "2.其他法律行政法规禁止公开", r"法规禁止公开", r"法律.*禁止公开", group="三.三"),
    _r3("三.三.3", "3.危及“三安全一稳定”", r"三安全一稳定", r"危及", group="三.三"),
    _r3("三.三.4", "4.保护第三方合法权益", r"第三方合法权益", r"保护第三方", group="三.三"),
    _r3("三.三.5", "5.属于三类内部事务信息", r"内部事务", group="三.三"),
    _r3("三.三.6", "6.属于四类过程性信息", r"过程性信息", group="三.三"),
    _r3("三.三.7", "7.属于行政执法案卷", r"执法案卷", group="三.三"),
    _r3("三.三.8", "8.属于行政查询事项", r"行政查询事项", r"查询事项", group="三.三"),
    _r3("三.四.1", "1.本机关不掌握相关政府信息", r"不掌握", group="三.四"),
    _r3("三.四.2", "2.没有现成信息需要另行制作", r"另行制作", r"没有现成信息", group="三.四"),
    _r3("三.四.3", "3.补正后申请内容仍不明确", r"补正后.*不明确", r"仍不明确", group="三.四"),
    _r3("三.五.1", "1.信访举报投诉类申请", r"信访举报投诉", r"信访.*投诉", group="三.五"),
    _r3("三.五.2", "2.重复申请", r"^\d?[.．、]?重复申请", r"重复申请$", group="三.五"),
    _r3("三.五.3", "3.要求提供公开出版物", r"公开出版物", group="三.五"),
    _r3("三.五.4", "4.无正当理由大量反复申请", r"大量反复", group="三.五"),
    _r3(
        "三.五.5",
        "5.要求行政机关确认或重新出具已获取信息",
        r"确认或重新出具",
        r"重新出具",
        group="三.五",
    ),
)
_S3_TAIL = (
    _r3("三.七", "（七）总计", r"[（(]七[)）]总计", r"^总计$", r"^[（(]七[)）]"),
    _r3("四", "四、结转下年度继续办理", r"结转下年度", r"结转下一?年"),
)
_S3_2019 = _S3_HEAD + (_r3("三.六", "（六）其他处理", r"其他处理"),) + _S3_TAIL
_S3_2021 = (
    _S3_HEAD
    + (
        _r3(
            "三.六.1",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            r"逾期不补正",
            group="三.六",
        ),
        _r3(
            "三.六.2",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            r"收费通知",
            r"缴纳费用",
            group="三.六",
        ),
        _r3("三.六.3", "3.其他", r"^\d?[.．、]?其他$", group="三.六"),
    )
    + _S3_TAIL
)

# Group headings of 三 (the merged label cells), for the parser and the layout.
SECTION3_GROUPS = {
    "三": ("三、本年度办理结果", r"本年度办理结果"),
    "三.三": ("（三）不予公开", r"不予公开"),
    "三.四": ("（四）无法提供", r"无法提供"),
    "三.五": ("（五）不予处理", r"不予处理"),
    "三.六": ("（六）其他处理", r"其他处理"),
}


# ---------------------------------------------------------------- section 四

SECTION4_GROUPS = (
    Label("行政复议", "行政复议", (r"行政复议",)),
    Label("未经复议直接起诉", "行政诉讼·未经复议直接起诉", (r"未经复议",)),
    Label("复议后起诉", "行政诉讼·复议后起诉", (r"复议后起诉",)),
)
SECTION4_COLUMNS = (
    Label("结果维持", "结果维持", (r"维持",)),
    Label("结果纠正", "结果纠正", (r"纠正",)),
    Label("其他结果", "其他结果", (r"其他",)),
    Label("尚未审结", "尚未审结", (r"尚未审结", r"未审结")),
    Label("总计", "总计", (r"总计", r"合计")),
)
# The 15 cells in printed order: (group key, column key).
SECTION4_CELLS = tuple((g.key, c.key) for g in SECTION4_GROUPS for c in SECTION4_COLUMNS)


# ---------------------------------------------------------------- editions


@dataclass(frozen=True)
class Edition:
    key: str
    name: str
    document: str
    section2: tuple[Section2Block, ...]
    section3_rows: tuple[Section3Row, ...]
    # Squashed label fragments that only this edition prints; used to detect it.
    markers: tuple[str, ...] = field(default=())

    def section2_cells(self) -> list[tuple[str, str]]:
        """(row, column) pairs of table 二 in printed order."""
        return [(r.key, c.key) for b in self.section2 for r in b.rows for c in b.columns]

    def section3_row_keys(self) -> list[str]:
        return [r.key for r in self.section3_rows]

    def section2_row(self, key: str) -> Section2Block:
        for block in self.section2:
            if any(r.key == key for r in block.rows):
                return block
        raise KeyError(key)


EDITION_DEFS = {
    EDITION_2021: Edition(
        key=EDITION_2021,
        name="2021年版",
        document="国办公开办函〔2021〕30号",
        section2=_S2_2021,
        section3_rows=_S3_2021,
        markers=(
            "本年制发件数",
            "本年废止件数",
            "现行有效件数",
            "本年处理决定数量",
            "本年收费金额",
            "行政规范性文件",
            "逾期不补正",
            "收费通知",
        ),
    ),
    EDITION_2019: Edition(
        key=EDITION_2019,
        name="2019年版",
        document="国办公开办函〔2019〕60号",
        section2=_S2_2019,
        section3_rows=_S3_2019,
        markers=(
            "本年新制作数量",
            "本年新公开数量",
            "对外公开总数量",
            "上一年项目数量",
            "本年增/减",
            "其他对外管理服务事项",
            "政府集中采购",
            "采购总金额",
        ),
    ),
}


def get_edition(key: str) -> Edition:
    return EDITION_DEFS[str(key)]


def detect_edition(text: str) -> tuple[str | None, dict[str, int]]:
    """Return the edition whose table labels the text carries, and the scores.

    The year never decides: 2023 reports still use the 2019 tables.
    """
    s = squash(text)
    scores = {
        key: sum(1 for m in edition.markers if squash(m) in s)
        for key, edition in EDITION_DEFS.items()
    }
    best = max(scores, key=lambda k: scores[k])
    if scores[best] == 0 or list(scores.values()).count(scores[best]) > 1:
        return None, scores
    return best, scores


# ---------------------------------------------------------------- sections

# The six sections: key, canonical title, patterns for the heading text
# (squashed, numeral and punctuation stripped by the parser).
SECTIONS = (
    ("一", "总体情况", (r"^总体情况",)),
    ("二", "主动公开政府信息情况", (r"^主动公开政府信息情况", r"^主动公开政府信息$")),
    (
        "三",
        "收到和处理政府信息公开申请情况",
        (r"^收到和处理政府信息公开申请", r"^收到和处理政府信息公开申请情况"),
    ),
    (
        "四",
        "政府信息公开行政复议、行政诉讼情况",
        (r"行政复议.{0,3}行政诉讼", r"行政复议.{0,6}提起行政诉讼", r"复议.*诉讼情况"),
    ),
    ("五", "存在的主要问题及改进情况", (r"^存在的主要问题", r"^主要问题")),
    ("六", "其他需要报告的事项", (r"^其他需要报告", r"^其他需要说明")),
)
PROSE_SECTIONS = ("一", "五", "六")

# Numbers stated in prose that the checks compare with the tables.
PROSE_KEYS = {
    "主动公开条数": "主动公开政府信息条数",
    "依申请收到": "收到政府信息公开申请件数",
    "依申请处理": "办结政府信息公开申请件数",
    "行政复议": "行政复议案件数",
    "行政诉讼": "行政诉讼案件数",
}
