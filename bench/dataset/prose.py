"""Prose of a generated report: overview, problems and other matters, from short templates.

The overview states the table's numbers (applications received and handled, review and
litigation cases), so the prose checks apply; a report with a prose error states one of
them wrong.
"""

from __future__ import annotations

from core import formats

S3, S4 = formats.SECTION3, formats.SECTION4
_INTRO = (
    "{year}年，{name}深入贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，",
    "{year}年，{name}认真落实上级关于政务公开工作的部署要求，围绕中心工作，",
    "{year}年度，{name}持续深化政务公开，健全工作机制，",
)
_ACTIVE = (
    "全年累计主动公开政府信息{n}条。",
    "通过门户网站等平台主动公开信息{n}条。",
    "全年在信息公开平台上主动公开各类信息{n}条。",
)
_RECEIVED = (
    "全年共收到政府信息公开申请{n}件，",
    "本年度共受理政府信息公开申请{n}件，",
    "全年收到政府信息公开申请{n}件，",
)
_NONE = ("全年未收到政府信息公开申请。", "本年度没有收到政府信息公开申请。")
_HANDLED = ("共处理政府信息公开申请{n}件。", "办结政府信息公开申请{n}件。")
_CASES = ("因政府信息公开被申请行政复议{r}件，被提起行政诉讼{l}件。",)
_NO_CASES = ("全年未发生因政府信息公开引起的行政复议、行政诉讼。",)
_PROBLEMS = (
    "一是公开内容的深度和广度仍需拓展；二是工作人员业务能力有待提高。{next}年将加强培训，规范公开流程。",
    "政策解读形式较为单一，公开及时性有待提升。下一步将完善信息发布审核机制，提高公开质量。",
    "部分科室对政务公开重视不够，栏目更新不及时。{next}年将建立定期检查通报制度。",
)
_OTHER = ("无其他需要报告的事项。", "本年度未收取信息处理费。", "{name}无其他需要报告的事项。")


def prose_draw(organ: dict, year: int, figures: dict, rng, wrong: bool = False) -> dict:
    """Overview, problems and other matters, stating the table's numbers (one off if wrong)."""
    received, handled = figures[S3]["一"][-1], figures[S3]["三.七"][-1]
    s4 = figures[S4]
    review, litigation = s4[4], s4[9] + s4[14]
    name = organ["short"]
    parts = [rng.choice(_INTRO).format(year=year, name=name),
             rng.choice(_ACTIVE).format(n=int(organ["scale"] * rng.uniform(5, 40)) + 3)]  # fmt: skip
    if wrong:
        received += 1
    if received or handled:
        parts.append(rng.choice(_RECEIVED).format(n=received))
        parts.append(rng.choice(_HANDLED).format(n=handled))
    else:
        parts.append(rng.choice(_NONE))
    if review or litigation:
        parts.append(rng.choice(_CASES).format(r=review, l=litigation))
    else:
        parts.append(rng.choice(_NO_CASES))
    return {
        "overview": "".join(parts),
        "problems": rng.choice(_PROBLEMS).format(next=year + 1),
        "other_matters": rng.choice(_OTHER).format(name=name),
    }
