"""Checks on report figures: hand-made figure sets for every rule, corpus reports, real seeds."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from core import checks, formats
from tests.support.render import (
    FAULTY_2022,
    OTHER_TOWN_2023,
    SEEDS_ABSENT,
    TOWN_2020,
    TOWN_2022,
    TOWN_2023,
    corpus_expected,
    seeds_dir,
)

# The real seeds' ground truth, beside the repository or in $PORTAL_SEEDS_DIR.
EXPECTED = sorted((seeds_dir() / "expected").glob("*.json"))
needs_seeds = pytest.mark.skipif(not EXPECTED, reason=SEEDS_ABSENT)

# Section 三 of a busy year, consistent by hand: every row total, every column's
# 一 + 二 = (七) + 四 and (七) = sum of results. "六" is the edition's (六) row.
S3_ROWS = {
    "一": [7, 2, 0, 1, 0, 0, 10],
    "二": [1, 0, 0, 0, 0, 0, 1],
    "三.一": [2, 1, 0, 0, 0, 0, 3],
    "三.二": [1, 0, 0, 0, 0, 0, 1],
    "三.三.4": [1, 0, 0, 0, 0, 0, 1],
    "三.四.1": [1, 0, 0, 1, 0, 0, 2],
    "三.五.2": [0, 1, 0, 0, 0, 0, 1],
    "六": [1, 0, 0, 0, 0, 0, 1],
    "三.七": [6, 2, 0, 1, 0, 0, 9],
    "四": [2, 0, 0, 0, 0, 0, 2],
}
SIX_ROW = {"2019": "三.六", "2021": "三.六.2"}
S4 = [1, 2, 0, 1, 4, 0, 1, 1, 0, 2, 1, 0, 0, 0, 1]
S2 = {
    "2021": {
        "规章": {"本年制发件数": 1, "本年废止件数": 0, "现行有效件数": 4},
        "行政规范性文件": {"本年制发件数": 3, "本年废止件数": 1, "现行有效件数": 12},
        "行政许可": {"本年处理决定数量": 120},
        "行政处罚": {"本年处理决定数量": 8},
        "行政强制": {"本年处理决定数量": 0},
        "行政事业性收费": {"本年收费金额（单位：万元）": 1.5},
    },
    "2019": {
        "规章": {"本年新制作数量": 1, "本年新公开数量": 1, "对外公开总数量": 4},
        "规范性文件": {"本年新制作数量": 3, "本年新公开数量": 3, "对外公开总数量": 12},
        "行政许可": {"上一年项目数量": 10, "本年增/减": 2, "处理决定数量": 300},
        "其他对外管理服务事项": {"上一年项目数量": 5, "本年增/减": -1, "处理决定数量": 40},
        "行政处罚": {"上一年项目数量": 3, "本年增/减": 0, "处理决定数量": 8},
        "行政强制": {"上一年项目数量": 1, "本年增/减": 0, "处理决定数量": 0},
        "行政事业性收费": {"上一年项目数量": 2, "本年增/减": 0},
        "政府集中采购": {"采购项目数量": 3, "采购总金额": 45.6},
    },
}
BOTH = pytest.mark.parametrize("edition", formats.EDITIONS)


def busy(edition: str) -> dict:
    """A consistent, mostly non-zero report of the given edition."""
    rows = {key: [0] * 7 for key in formats.get_edition(edition).section3_row_keys()}
    for key, values in S3_ROWS.items():
        rows[SIX_ROW[edition] if key == "六" else key] = list(values)
    return {"section2": copy.deepcopy(S2[edition]), "section3": rows, "section4": list(S4)}


def row_cells(row: str) -> tuple:
    return tuple(("section3", row, column) for column in formats.APPLICANT_KEYS)


def codes(findings) -> list[str]:
    return [f.code for f in findings]


# ---------------------------------------------------------------- whole report


@BOTH
def test_consistent_busy_report_has_no_findings(edition):
    prose = {"依申请收到": 10, "依申请处理": 9, "行政复议": 4, "行政诉讼": 3, "主动公开条数": 77}
    assert checks.check_report(busy(edition), edition, prose_numbers=prose) == []


def test_decimal_and_float_figures_are_read_exactly():
    figures = busy("2021")
    figures["section3"]["一"] = [Decimal("7"), 2.0, 0, 1, 0, 0, Decimal("10.0")]
    assert checks.check_report(figures, "2021") == []


def test_findings_come_errors_first_and_serialise_to_json():
    figures = busy("2021")
    figures["section3"]["三.一"][6] = 4
    figures["section4"][0] = None
    findings = checks.check_report(figures, "2021", prose_numbers={"依申请收到": 13})
    severities = [f.severity for f in findings]
    assert severities == sorted(severities, key=checks.SEVERITIES.index)
    assert {"error", "warning", "info"} <= set(severities)
    data = json.loads(json.dumps([f.to_dict() for f in findings], ensure_ascii=False))
    assert data[0]["cells"][0] == ["section3", "三.一", "自然人"]
    assert checks.blocking(findings) == [f for f in findings if f.severity == "error"]


def test_unknown_edition_is_refused():
    with pytest.raises(ValueError, match="edition"):
        checks.check_report(busy("2021"), "2020")


# ---------------------------------------------------------------- 表三 arithmetic


@BOTH
def test_row_total_flags_each_row_whose_total_is_not_the_sum(edition):
    figures = busy(edition)
    figures["section3"]["三.三.4"][6] = 2
    figures["section3"][SIX_ROW[edition]][0] = 3
    findings = checks.check_s3_row_total(figures, edition)
    assert codes(findings) == ["s3_row_total", "s3_row_total"]
    assert [f.cells for f in findings] == [row_cells("三.三.4"), row_cells(SIX_ROW[edition])]
    assert findings[0].severity == "error"
    assert findings[0].message == (
        "表三“（三）不予公开 4.保护第三方合法权益”行：总计列为 2，六类申请人之和为 1。"
    )
    assert "总计列为 1，六类申请人之和为 3" in findings[1].message


def test_row_total_with_a_blank_cell_is_reported_as_unchecked_not_as_error():
    figures = busy("2021")
    figures["section3"]["三.二"][6] = None
    findings = checks.check_s3_row_total(figures, "2021")
    assert codes(findings) == ["s3_row_total_unchecked"]
    assert findings[0].severity == "info"
    assert findings[0].cells == (("section3", "三.二", "总计"),)


@BOTH
def test_balance_flags_the_columns_where_received_and_carried_in_do_not_match_outcome(edition):
    figures = busy(edition)
    figures["section3"]["二"] = [1, 1, 0, 0, 0, 0, 2]
    findings = checks.check_s3_balance(figures, edition)
    assert codes(findings) == ["s3_balance", "s3_balance"]
    assert [f.cells[0][2] for f in findings] == ["商业企业", "总计"]
    assert findings[0].cells == tuple(
        ("section3", row, "商业企业") for row in ("一", "二", "三.七", "四")
    )
    assert "之和（2 + 1）为 3" in findings[0].message
    assert "之和（2 + 0）为 2" in findings[0].message


@BOTH
def test_results_total_sums_every_result_row_of_the_edition(edition):
    figures = busy(edition)
    # The last (六) sub-row of 2021 and the single (六) row of 2019 both count.
    last_six = "三.六.3" if edition == "2021" else "三.六"
    figures["section3"][last_six][4] += 2
    figures["section3"][last_six][6] += 2
    findings = checks.check_s3_results_total(figures, edition)
    assert [f.cells[0] for f in findings] == [
        ("section3", "三.七", "法律服务机构"),
        ("section3", "三.七", "总计"),
    ]
    assert ("section3", last_six, "总计") in findings[1].cells
    assert "“（七）总计”为 9，（一）至（六）各项办理结果之和为 11" in findings[1].message


def test_results_total_ignores_rows_of_the_other_edition():
    figures = busy("2019")
    figures["section3"]["三.六.1"] = [5, 0, 0, 0, 0, 0, 5]
    assert checks.check_s3_results_total(figures, "2019") == []


# ---------------------------------------------------------------- 表四


@BOTH
def test_group_total_flags_the_group_whose_total_is_not_the_sum(edition):
    figures = busy(edition)
    figures["section4"][9] = 3
    findings = checks.check_s4_group_total(figures, edition)
    assert codes(findings) == ["s4_group_total"]
    assert findings[0].cells == tuple(
        ("section4", "未经复议直接起诉", c.key) for c in formats.SECTION4_COLUMNS
    )
    assert "总计为 3" in findings[0].message and "之和为 2" in findings[0].message


# ---------------------------------------------------------------- single cells


def test_negative_and_fractional_counts_are_errors_but_not_in_table_two():
    figures = busy("2019")  # 其他对外管理服务事项 本年增/减 is -1: a legitimate decrease
    figures["section3"]["三.二"][1] = -1
    figures["section4"][5] = Decimal("0.5")
    assert codes(checks.check_negative(figures, "2019")) == ["negative"]
    assert checks.check_negative(figures, "2019")[0].cells == (("section3", "三.二", "商业企业"),)
    fractional = checks.check_non_integer(figures, "2019")
    assert codes(fractional) == ["non_integer"]
    assert fractional[0].cells == (("section4", "未经复议直接起诉", "结果维持"),)
    assert "0.5" in fractional[0].message


def test_missing_lists_blank_cells_once_per_table():
    figures = busy("2021")
    del figures["section2"]["行政强制"]
    figures["section3"]["四"][0] = None
    figures["section4"][:5] = [None] * 5
    findings = checks.check_missing(figures, "2021")
    assert [(f.code, f.severity, f.cells[0][0]) for f in findings] == [
        ("missing", "info", "section2"),
        ("missing", "info", "section3"),
        ("missing", "info", "section4"),
    ]
    assert findings[0].cells == (("section2", "行政强制", "本年处理决定数量"),)
    assert len(findings[2].cells) == 5


def test_wholly_blank_report_raises_no_error():
    findings = checks.check_report({}, "2019", prose_numbers={"依申请收到": 3})
    assert checks.blocking(findings) == []
    assert "missing" in codes(findings) and "prose_received_unchecked" in codes(findings)


# ---------------------------------------------------------------- prose


def test_prose_received_warns_when_the_table_says_otherwise():
    figures = busy("2021")
    assert checks.check_prose_received(figures, "2021", {"依申请收到": 10}) == []
    findings = checks.check_prose_received(figures, "2021", {"依申请收到": 12})
    assert codes(findings) == ["prose_received"] and findings[0].severity == "warning"
    assert findings[0].cells == row_cells("一")
    assert "为 12" in findings[0].message and "总计列为 10" in findings[0].message


def test_prose_handled_accepts_the_row_sum_when_the_printed_total_is_wrong():
    figures = busy("2021")
    figures["section3"]["三.七"][6] = 0
    assert checks.check_prose_handled(figures, "2021", {"依申请处理": 9}) == []
    findings = checks.check_prose_handled(figures, "2021", {"依申请处理": 8})
    assert "总计列为 0，六类申请人之和为 9，均不相符" in findings[0].message


def test_prose_handled_with_blank_total_compares_with_the_row_sum_and_says_so():
    figures = busy("2019")
    figures["section3"]["三.七"][6] = None
    findings = checks.check_prose_handled(figures, "2019", {"依申请处理": 7})
    assert "总计列空白，六类申请人之和为 9" in findings[0].message


def test_prose_review_and_litigation_compare_with_table_four():
    figures = busy("2021")
    prose = {"行政复议": 4, "行政诉讼": 3}
    assert checks.check_prose_review(figures, "2021", prose) == []
    assert checks.check_prose_litigation(figures, "2021", prose) == []
    prose = {"行政复议": 5, "行政诉讼": 2}
    review = checks.check_prose_review(figures, "2021", prose)
    litigation = checks.check_prose_litigation(figures, "2021", prose)
    assert codes(review) == ["prose_review"] and "总计为 4" in review[0].message
    assert codes(litigation) == ["prose_litigation"] and "之和为 3" in litigation[0].message
    assert {c[1] for c in litigation[0].cells} == {"未经复议直接起诉", "复议后起诉"}


def test_prose_numbers_not_given_are_not_checked():
    figures = busy("2021")
    assert checks.check_report(figures, "2021", prose_numbers={"主动公开条数": 1}) == []
    assert checks.check_prose_received(figures, "2021", None) == []


# ---------------------------------------------------------------- across years


def test_carryover_matches_last_years_carried_forward_row_across_editions():
    last = busy("2019")  # 四 = [2, 0, 0, 0, 0, 0, 2]
    this = busy("2021")
    this["section3"]["二"] = [2, 0, 0, 0, 0, 0, 2]
    this["section3"]["一"] = [6, 2, 0, 1, 0, 0, 9]  # keep this year balanced
    previous = {"edition": "2019", "figures": last}
    assert checks.check_carryover(this, "2021", previous) == []
    assert checks.blocking(checks.check_report(this, "2021", previous=previous)) == []


def test_carryover_warns_per_column_that_differs_from_last_year():
    previous = {"edition": "2021", "figures": busy("2021")}
    findings = checks.check_carryover(busy("2021"), "2021", previous)
    assert codes(findings) == ["carryover", "carryover"]
    assert [f.cells for f in findings] == [
        (("section3", "二", "自然人"),),
        (("section3", "二", "总计"),),
    ]
    assert findings[0].severity == "warning"
    assert "为 1，而上一年度报告“四、结转下年度继续办理”为 2" in findings[0].message


def test_previous_year_of_unknown_edition_is_not_compared():
    previous = {"edition": None, "figures": busy("2021")}
    assert checks.check_report(busy("2021"), "2021", previous=previous) == []


def test_stock_of_rules_in_force_carries_over_between_2021_reports():
    last = busy("2021")
    last["section2"]["规章"]["现行有效件数"] = 3
    last["section2"]["行政规范性文件"]["现行有效件数"] = 10
    previous = {"edition": "2021", "figures": last}
    assert checks.check_s2_stock(busy("2021"), "2021", previous) == []
    last["section2"]["行政规范性文件"]["现行有效件数"] = 11
    findings = checks.check_s2_stock(busy("2021"), "2021", previous)
    assert codes(findings) == ["s2_stock"] and findings[0].severity == "warning"
    assert findings[0].cells[-1] == ("section2", "行政规范性文件", "现行有效件数")
    assert "应为 13，而本年现行有效件数为 12" in findings[0].message


def test_stock_against_a_2019_report_is_only_informative():
    last = busy("2019")  # 对外公开总数量: 规章 4, 规范性文件 12
    findings = checks.check_s2_stock(busy("2021"), "2021", {"edition": "2019", "figures": last})
    assert [(f.code, f.severity) for f in findings] == [("s2_stock", "info")] * 2


def test_project_counts_follow_last_years_count_plus_change_in_2019_reports():
    last = busy("2019")
    last["section2"]["行政许可"].update({"上一年项目数量": 8, "本年增/减": 2})
    last["section2"]["其他对外管理服务事项"].update({"上一年项目数量": 6, "本年增/减": -1})
    last["section2"]["行政处罚"].update({"上一年项目数量": 2, "本年增/减": 1})
    last["section2"]["行政强制"].update({"上一年项目数量": 1, "本年增/减": 0})
    last["section2"]["行政事业性收费"].update({"上一年项目数量": 3, "本年增/减": 0})
    previous = {"edition": "2019", "figures": last}
    findings = checks.check_s2_projects(busy("2019"), "2019", previous)
    assert codes(findings) == ["s2_projects"] and findings[0].severity == "info"
    assert findings[0].cells == (("section2", "行政事业性收费", "上一年项目数量"),)
    assert checks.check_s2_projects(busy("2021"), "2021", previous) == []


# ---------------------------------------------------------------- corpus reports


@pytest.mark.parametrize("key", [TOWN_2023, OTHER_TOWN_2023, TOWN_2022, TOWN_2020])
def test_consistent_corpus_reports_raise_no_error_or_warning(key):
    truth = corpus_expected(key)
    findings = checks.check_report(truth, truth["edition"])
    assert [f for f in findings if f.severity != "info"] == []


def test_a_corpus_report_with_a_wrong_row_total_fails_that_row_and_the_results_total():
    # The corpus moves one 表三 row's 总计 by one (fault "row_total_off", row 三.四.1).
    truth = corpus_expected(FAULTY_2022)
    s3 = truth["section3"]
    findings = checks.check_report(truth, truth["edition"])
    flagged = [(f.code, f.severity) for f in findings if f.severity != "info"]
    assert flagged == [("s3_row_total", "error"), ("s3_results_total", "error")]
    row = findings[0]
    assert row.cells == row_cells("三.四.1")
    printed, summed = s3["三.四.1"][6], sum(s3["三.四.1"][:6])
    assert row.message == (
        f"表三“（四）无法提供 1.本机关不掌握相关政府信息”行：总计列为 {printed}，"
        f"六类申请人之和为 {summed}。"
    )
    assert ("section3", "三.七", "总计") == findings[1].cells[0]


# ---------------------------------------------------------------- the real seeds


def load_seed(path: Path):
    data = json.loads(path.read_text(encoding="utf-8"))
    findings = checks.check_report(
        data, data["format"], prose_numbers=data.get("narrative_numbers")
    )
    return data, findings


@needs_seeds
@pytest.mark.parametrize("index", range(4))
def test_consistent_seeds_raise_no_error_or_warning(index):
    _, findings = load_seed(EXPECTED[index])
    assert [f for f in findings if f.severity != "info"] == []


@needs_seeds
def test_seed_004_fails_row_totals_balance_and_prose_received():
    data, findings = load_seed(next(p for p in EXPECTED if p.name.startswith("004_")))
    assert data["format"] == "2021"
    flagged = [(f.code, f.cells) for f in findings if f.severity != "info"]
    assert flagged == [
        ("s3_row_total", row_cells("三.一")),
        ("s3_row_total", row_cells("三.三.4")),
        ("s3_row_total", row_cells("三.四.1")),
        ("s3_row_total", row_cells("三.七")),
        ("s3_balance", tuple(("section3", r, "自然人") for r in ("一", "二", "三.七", "四"))),
        ("prose_received", row_cells("一")),
    ]
    assert [f.severity for f in findings[:5]] == ["error"] * 5
    assert findings[3].message == "表三“（七）总计”行：总计列为 0，六类申请人之和为 6。"
    # 行政复议 is blank in the source: listed as missing, its group total left unchecked.
    blank = tuple(("section4", "行政复议", c.key) for c in formats.SECTION4_COLUMNS)
    info = {f.code: f.cells for f in findings if f.severity == "info"}
    assert info == {"s4_group_total_unchecked": blank, "missing": blank}
