"""Synthetic 2021-edition reports built from core.formats labels, figures whose relations hold."""

from __future__ import annotations

import random

from core import formats

EDITION = formats.get_edition(formats.EDITION_2021)
ORGAN = "青山县人民政府石桥镇"
TITLE = f"{ORGAN}2023年政府信息公开工作年度报告"
PUBLISHED = "2024年1月25日"


def figures(seed: int = 1, small: bool = False) -> dict:
    """Figures in the parser's shape; every 勾稽 relation holds."""
    rng = random.Random(seed)

    def draw() -> int:
        return rng.choice([0, 0, 1, 2, 3]) if small else rng.choice([0, 1, 2, 5, 12, 30, 104])

    def row(parts=None) -> list[int]:
        parts = parts or [draw() for _ in formats.APPLICANT_PARTS]
        return [*parts, sum(parts)]

    keys = EDITION.section3_row_keys()
    new, carried_in, *results, results_total, carried_out = keys
    s3 = {key: row() for key in results}
    s3[results_total] = row([sum(s3[k][i] for k in results) for i in range(6)])
    s3[carried_in] = row([rng.choice([0, 1]) for _ in range(6)])
    s3[carried_out] = row([rng.choice([0, 1, 2]) for _ in range(6)])
    s3[new] = row([s3[results_total][i] + s3[carried_out][i] - s3[carried_in][i] for i in range(6)])
    if any(v < 0 for v in s3[new]):
        return figures(seed + 1000, small)
    s3 = {key: s3[key] for key in keys}
    s4 = []
    for _ in formats.SECTION4_GROUPS:
        s4 += _group(draw)
    s2 = {}
    for block in EDITION.section2:
        for r in block.rows:
            s2[r.key] = {c.key: draw() for c in block.columns}
    return {"section2": s2, "section3": s3, "section4": s4}


def _group(draw) -> list[int]:
    parts = [draw() for _ in range(4)]
    return [*parts, sum(parts)]


PROSE_ONE = "本年度，我镇认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政务公开工作。"
PROSE_FIVE = "存在的问题是公开内容不够全面。下一步将加强培训，提升公开质量。"
PROSE_SIX = "本年度未收取信息处理费。无其他需要报告的事项。"


def table_rows(fig: dict) -> dict[str, list[list[str]]]:
    """Rows of 二, 三, 四 as label cells + figure cells (blank figure: "")."""

    def cell(v) -> str:
        return "" if v is None else str(v)

    two: list[list[str]] = []
    for block in EDITION.section2:
        two.append([block.item])
        two.append(["信息内容", *(c.label for c in block.columns)])
        for r in block.rows:
            two.append([r.label, *(cell(fig["section2"][r.key][c.key]) for c in block.columns)])
    three = [
        [
            "申请人情况",
            "",
            "自然人",
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
            "总计",
        ]
    ]
    seen = set()
    for r in EDITION.section3_rows:
        # A sub-row's group label stands in the cell before it, on the group's first row.
        group = formats.SECTION3_GROUPS[r.group][0] if r.group and r.group not in seen else ""
        seen.add(r.group)
        labels = [group, r.label] if r.group else [r.label, ""]
        three.append([*labels, *(cell(v) for v in fig["section3"][r.key])])
    head = [
        f"{g.label} {c.label}" for g in formats.SECTION4_GROUPS for c in formats.SECTION4_COLUMNS
    ]
    four = [head, [cell(v) for v in fig["section4"]]]
    return {"二": two, "三": three, "四": four}


def blocks(fig: dict) -> list[tuple[str, object]]:
    """The report in order: ("p", text) paragraphs and ("table", rows) tables."""
    rows = table_rows(fig)
    out: list[tuple[str, object]] = [("p", TITLE)]
    out.append(("p", "本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。"))
    out += [("p", "一、总体情况"), ("p", PROSE_ONE)]
    out += [("p", "二、主动公开政府信息情况"), ("table", rows["二"])]
    out += [("p", "三、收到和处理政府信息公开申请情况"), ("table", rows["三"])]
    out += [("p", "四、政府信息公开行政复议、行政诉讼情况"), ("table", rows["四"])]
    out += [("p", "五、存在的主要问题及改进情况"), ("p", PROSE_FIVE)]
    out += [("p", "六、其他需要报告的事项"), ("p", PROSE_SIX), ("p", ORGAN), ("p", PUBLISHED)]
    return out


def report(fig: dict, sep: str = "\t", table=None) -> str:
    """A whole report as text; ``table(rows) -> list[str]`` renders a table's rows."""
    table = table or (lambda rows: [sep.join(r) for r in rows])
    lines: list[str] = []
    for kind, item in blocks(fig):
        lines += table(item) if kind == "table" else [item]
    return "\n".join(lines)
