"""Layouts and wordings the seeds do not show, from the wider family of reports."""

from __future__ import annotations

import pytest

from core.parsing import parse_bytes
from core.parsing.document import Line
from core.parsing.meta import find_published, find_title
from core.parsing.prose import prose_numbers
from core.parsing.sections import find_headings

S3_2021 = [
    ("一、本年新收政府信息公开申请数量", [120, 30, 2, 1, 5, 2, 160]),
    ("二、上年结转政府信息公开申请数量", [3, 1, 0, 0, 0, 0, 4]),
    ("三、本年度办理结果 （一）予以公开", [50, 10, 1, 0, 2, 1, 64]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [10, 2, 0, 0, 0, 0, 12]),
    ("（三）不予公开 1.属于国家秘密", [1, 0, 0, 0, 0, 0, 1]),
    ("2.其他法律行政法规禁止公开", [0, 0, 0, 0, 0, 0, 0]),
    ("3.危及“三安全一稳定”", [0, 0, 0, 0, 0, 0, 0]),
    ("4.保护第三方合法权益", [2, 1, 0, 0, 0, 0, 3]),
    ("5.属于三类内部事务信息", [0, 0, 0, 0, 0, 0, 0]),
    ("6.属于四类过程性信息", [4, 0, 0, 0, 0, 0, 4]),
    ("7.属于行政执法案卷", [0, 0, 0, 0, 0, 0, 0]),
    ("8.属于行政查询事项", [5, 0, 0, 0, 0, 0, 5]),
    ("（四）无法提供 1.本机关不掌握相关政府信息", [30, 10, 1, 1, 3, 1, 46]),
    ("2.没有现成信息需要另行制作", [2, 0, 0, 0, 0, 0, 2]),
    ("3.补正后申请内容仍不明确", [1, 0, 0, 0, 0, 0, 1]),
    ("（五）不予处理 1.信访举报投诉类申请", [6, 1, 0, 0, 0, 0, 7]),
    ("2.重复申请", [3, 0, 0, 0, 0, 0, 3]),
    ("3.要求提供公开出版物", [0, 0, 0, 0, 0, 0, 0]),
    ("4.无正当理由大量反复申请", [0, 0, 0, 0, 0, 0, 0]),
    ("5.要求行政机关确认或重新出具已获取信息", [0, 0, 0, 0, 0, 0, 0]),
    (
        "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        [3, 1, 0, 0, 0, 0, 4],
    ),
    (
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        [0, 0, 0, 0, 0, 0, 0],
    ),
    ("3.其他", [2, 1, 0, 0, 0, 0, 3]),
    ("（七）总计", [118, 26, 2, 1, 5, 2, 154]),
    ("四、结转下年度继续办理", [5, 5, 0, 0, 0, 0, 10]),
]
S3_KEYS = [
    "一", "二", "三.一", "三.二", *[f"三.三.{i}" for i in range(1, 9)],
    *[f"三.四.{i}" for i in range(1, 4)], *[f"三.五.{i}" for i in range(1, 6)],
    "三.六.1", "三.六.2", "三.六.3", "三.七", "四",
]  # fmt: skip


def department_report(*, sep: str = "\t", title: str | None = None, s4: str | None = None) -> str:
    """A county department's 2021-edition report with non-zero figures."""
    rows = "\n".join(label + sep + sep.join(f"{v:,}" for v in values) for label, values in S3_2021)
    title = title or "2023年度晋江市财政局政府信息公开工作年度报告"
    s4 = s4 or sep.join(["2", "1", "0", "1", "4", "1", "0", "0", "1", "2", "0", "0", "0", "0", "0"])
    return f"""发布时间：2024-01-20 10:11
{title}
本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成。
一、总体情况
2023年，我局主动公开政府信息 2,315 条。全年共受理政府信息公开申请 160 件，办结 154 件，结转下年度 10 件。通过12345热线办理群众诉求 1024 件。全年因政府信息公开被申请行政复议 4 件，被提起行政诉讼 3 件。
二、主动公开政府信息情况
第二十条第（一）项
信息内容{sep}本年制发件数{sep}本年废止件数{sep}现行有效件数
规章{sep}0{sep}0{sep}0
行政规范性文件{sep}12{sep}3{sep}145
第二十条第（五）项
信息内容{sep}本年处理决定数量
行政许可{sep}1,024
第二十条第（六）项
信息内容{sep}本年处理决定数量
行政处罚{sep}356
行政强制{sep}12
第二十条第（八）项
信息内容{sep}本年收费金额（单位：万元）
行政事业性收费{sep}128.56
三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）{sep}申请人情况
自然人{sep}法人或其他组织{sep}总计
商业企业{sep}科研机构{sep}社会公益组织{sep}法律服务机构{sep}其他
{rows}
四、政府信息公开行政复议、行政诉讼情况
行政复议{sep}行政诉讼
结果维持{sep}结果纠正{sep}其他结果{sep}尚未审结{sep}总计{sep}未经复议直接起诉{sep}复议后起诉
{s4}
五、存在的主要问题及改进情况
一是公开内容不够丰富。
六、其他需要报告的事项
本机关2023年未收取信息处理费。
晋江市财政局
二〇二四年一月十九日
"""


def test_department_report_with_large_figures_reads_exactly():
    result = parse_bytes(department_report().encode("utf-8"), "report.txt")
    figures = result.figures()
    assert (result.organ, result.year, result.edition) == ("晋江市财政局", 2023, "2021")
    assert result.published == "2024-01-19"
    assert figures["section2"]["行政规范性文件"] == {
        "本年制发件数": 12,
        "本年废止件数": 3,
        "现行有效件数": 145,
    }
    assert figures["section2"]["行政许可"] == {"本年处理决定数量": 1024}
    assert figures["section2"]["行政事业性收费"] == {"本年收费金额（单位：万元）": 128.56}
    assert figures["section3"] == dict(zip(S3_KEYS, [v for _, v in S3_2021], strict=True))
    assert figures["section4"] == [2, 1, 0, 1, 4, 1, 0, 0, 1, 2, 0, 0, 0, 0, 0]
    assert result.prose_numbers == {
        "主动公开条数": 2315,
        "依申请收到": 160,
        "依申请处理": 154,
        "结转下年度": 10,
        "行政复议": 4,
        "行政诉讼": 3,
    }


def test_space_aligned_department_report_reads_like_tabs():
    tabbed = parse_bytes(department_report().encode("utf-8")).figures()
    spaced = parse_bytes(department_report(sep="   ").encode("utf-8")).figures()
    assert spaced == tabbed


def test_report_in_gb18030_reads_the_same():
    text = department_report()
    assert parse_bytes(text.encode("gb18030")).figures() == parse_bytes(text.encode()).figures()


def test_section4_printed_one_row_per_group():
    s4 = "行政复议\t2\t1\t0\t1\t4\n未经复议直接起诉\t1\t0\t0\t1\t2\n复议后起诉\t0\t0\t0\t0\t0"
    result = parse_bytes(department_report(s4=s4).encode())
    assert result.figures()["section4"] == [2, 1, 0, 1, 4, 1, 0, 0, 1, 2, 0, 0, 0, 0, 0]


def test_section4_row_with_the_wrong_number_of_cells_is_blank_with_a_warning():
    result = parse_bytes(department_report(s4="1\t2\t3\t4\t5\t6\t7").encode())
    assert result.figures()["section4"] == [None] * 15
    assert any("表四" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("lines", "year", "organ"),
    [
        (["晋江市教育局", "2022年政府信息公开工作年度报告"], 2022, "晋江市教育局"),
        (["泉州市人民政府办公室2021年政府信息公开工作年度报告"], 2021, "泉州市人民政府办公室"),
        (["晋江市人民政府二〇二三年政府信息公开工作年度报告"], 2023, "晋江市人民政府"),
        (["晋江市卫生健康局政府信息公开工作年度报告（2023年度）"], 2023, "晋江市卫生健康局"),
        (
            ["关于印发《晋江市龙湖镇人民政府2023年政府信息公开工作年度报告》的通知"],
            2023,
            "晋江市龙湖镇人民政府",
        ),
        (["# 晋江市某某镇人民政府文件", "---", "## 2020年政府信息公开工作年度报告"], 2020, None),
    ],
)
def test_title_wordings(lines, year, organ):
    title = find_title([Line([text]) for text in lines], len(lines))
    assert title is not None
    assert title[2] == year
    assert title[3] == organ


@pytest.mark.parametrize(
    ("tail", "date"),
    [
        (["晋江市财政局", "2024年1月19日"], "2024-01-19"),
        (["晋江市财政局 2024年1月19日"], "2024-01-19"),
        (["二〇二四年一月十九日"], "2024-01-19"),
        (["2024-01-05"], "2024-01-05"),
        (["本机关将于2024年3月1日前完成整改，确保按时公开。"], None),
    ],
)
def test_publication_date_is_the_signature_date(tail, date):
    assert find_published([Line([t]) for t in tail], 0) == date


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        (
            "全年共受理政府信息公开申请25件，均已按时办结25件。",
            {"依申请收到": 25, "依申请处理": 25},
        ),
        ("本年度未收到政府信息公开申请。", {"依申请收到": 0}),
        ("全年未发生政府信息公开行政复议、行政诉讼案件。", {"行政复议": 0, "行政诉讼": 0}),
        ("通过12345便民平台收到群众诉求申请276件，办结271件。", {}),
        ("在政府网站主动公开政府信息1,624条，其中规划计划类7条。", {"主动公开条数": 1624}),
    ],
)
def test_prose_numbers(text, numbers):
    assert prose_numbers(text) == numbers


def test_table_rows_and_intro_are_not_section_headings():
    lines = [
        Line(["本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等组成。"]),
        Line(["一、总体情况"]),
        Line(["三、收到和处理政府信息公开申请情况"]),
        Line(["四、结转下年度继续办理", "0", "0"]),
        Line(["四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"]),
        Line(["#### 五、存在的主要问题及改进情况"]),
        Line(["**六、其他需要报告的事项**"]),
    ]
    headings = find_headings(lines)
    assert {k: h.index for k, h in headings.items()} == {
        "一": 1,
        "三": 2,
        "四": 4,
        "五": 5,
        "六": 6,
    }


def test_dash_cells_are_blank_not_zero():
    text = department_report().replace("规章\t0\t0\t0", "规章\t—\t/\t-")
    result = parse_bytes(text.encode())
    assert result.figures()["section2"]["规章"] == {
        "本年制发件数": None,
        "本年废止件数": None,
        "现行有效件数": None,
    }


def test_short_row_with_two_possible_placements_is_left_blank():
    # Six figures under seven columns: 1+2 could be 其他 or 总计 missing; both add up.
    text = department_report().replace(
        "2.重复申请\t3\t0\t0\t0\t0\t0\t3", "2.重复申请\t1\t2\t0\t0\t0\t3"
    )
    result = parse_bytes(text.encode())
    assert result.figures()["section3"]["三.五.2"] == [None] * 7
    assert any("重复申请" in w for w in result.warnings)


def test_unreadable_bytes_come_back_as_an_error_result():
    result = parse_bytes(b"\x00\xff\xfe" * 5000, "report.pdf")
    assert result.error and result.error_code
    assert result.values == []


def test_figures_printed_with_units_are_read_as_numbers():
    text = department_report().replace("行政许可\t1,024", "行政许可\t1,024件")
    text = text.replace("行政事业性收费\t128.56", "行政事业性收费\t128.56万元")
    figures = parse_bytes(text.encode()).figures()
    assert figures["section2"]["行政许可"] == {"本年处理决定数量": 1024}
    assert figures["section2"]["行政事业性收费"] == {"本年收费金额（单位：万元）": 128.56}


def test_a_subheading_inside_section_one_does_not_open_section_two():
    lines = [
        Line(["一、总体情况"]),
        Line(["（二）主动公开政府信息情况"]),
        Line(["全年主动公开信息 20 条。"]),
        Line(["二、主动公开政府信息情况"]),
        Line(["三、收到和处理政府信息公开申请情况"]),
    ]
    assert {k: h.index for k, h in find_headings(lines).items()} == {"一": 0, "二": 3, "三": 4}


def test_a_title_below_long_site_navigation_is_found():
    navigation = "\n".join(f"栏目{i}" for i in range(80))
    text = navigation + "\n" + department_report()
    result = parse_bytes(text.encode())
    assert (result.organ, result.year, result.published) == ("晋江市财政局", 2023, "2024-01-19")


def test_a_row_cut_by_a_page_break_is_joined_with_its_figures():
    text = department_report().replace(
        "2.没有现成信息需要另行制作\t2\t0\t0", "2.没有现成信息需要另行制作\t2\t0\t0\n\n\t"
    )
    assert "另行制作\t2\t0\t0\n\n\t\t0" in text
    result = parse_bytes(text.encode())
    assert result.figures()["section3"]["三.四.2"] == [2, 0, 0, 0, 0, 0, 2]


def test_2019_edition_reads_negative_changes_and_decimal_amounts():
    from tests.support import render

    if not render.seeds_dir().exists():
        pytest.skip("no shared/seeds")
    text = render.seed_text("001_87b09e6297b9ff4d.txt")
    text = text.replace("行政许可\t0\t0\t0", "行政许可\t120\t-5\t1,234")
    text = text.replace("政府集中采购\t0\t0\t", "政府集中采购\t12\t356.78\t")
    result = parse_bytes(text.encode())
    s2 = result.figures()["section2"]
    assert result.edition == "2019"
    assert s2["行政许可"] == {"上一年项目数量": 120, "本年增/减": -5, "处理决定数量": 1234}
    assert s2["政府集中采购"] == {"采购项目数量": 12, "采购总金额": 356.78}
