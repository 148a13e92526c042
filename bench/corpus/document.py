"""A sample as an ordered list of blocks (title, headings, paragraphs, tables, signature),
the common skeleton every rendering prints in its own way."""

from __future__ import annotations

from dataclasses import dataclass

from bench.corpus import layout
from bench.corpus.model import Sample
from core import formats

INTRO = (
    "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国务院办公厅政府信息与政务公开办公室有关要求编制。"
    "报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
    "存在的主要问题及改进情况、其他需要报告的事项六部分组成。本报告所列数据的统计期限为{year}年1月1日至{year}年12月31日。"
)


@dataclass(frozen=True)
class Block:
    kind: str  # "title" | "heading" | "para" | "table" | "sign"
    text: str = ""
    rows: tuple = ()  # table rows of layout.Printed
    numeral: str = ""


def chinese_date(iso: str) -> str:
    year, month, day = (int(p) for p in iso.split("-"))
    return f"{year}年{month}月{day}日"


def blocks(sample: Sample) -> list[Block]:
    grids = layout.grids(sample.edition, sample.figures)
    out = [Block("title", sample.title), Block("para", INTRO.format(year=sample.year))]
    for numeral, caption, _ in formats.SECTIONS:
        out.append(Block("heading", f"{numeral}、{caption}", numeral=numeral))
        if numeral in grids:
            out.append(
                Block("table", rows=tuple(tuple(r) for r in grids[numeral]), numeral=numeral)
            )
        out += [
            Block("para", p, numeral=numeral)
            for p in sample.prose.get(numeral, "").split("\n")
            if p
        ]
    out.append(Block("sign", sample.organ.name))
    out.append(Block("sign", chinese_date(sample.published)))
    return out
