"""Prose of the six sections from the corpus' own sentence templates.

Numbers stated here are read from the printed figures (``stated``), so the checks that
hold prose against tables apply; a prose fault changes ``stated`` before writing.
"""

from __future__ import annotations

import random

from core import formats

OPENINGS = (
    "{year}年，{who}坚持以人民为中心的发展思想，严格执行《中华人民共和国政府信息公开条例》，把政务公开作为转变政府职能、建设法治政府的重要抓手，各项工作有序推进。",
    "{year}年，{who}在市委、市政府的领导下，围绕年度中心工作，持续完善公开机制、拓展公开渠道，政务公开质量稳步提升。",
    "本年度，{who}认真落实上级政务公开工作要点，以制度建设为基础、平台建设为支撑，推动决策、执行、管理、服务、结果公开。",
)
ACTIVE = (
    "全年通过政府门户网站信息公开专栏主动公开政府信息{n}条，其中机构职能类{a}条、政策文件类{b}条、财政预决算类{c}条。",
    "依托门户网站、政务新媒体和公开栏等载体，全年主动公开各类信息{n}条，及时更新机构职能、规划计划、财政资金等栏目。",
    "全年累计主动公开政府信息{n}条，重点做好规划计划、民生保障、重大项目等领域信息发布。",
)
RECEIVED = (
    "全年共收到政府信息公开申请{new}件，另有上年结转申请{old}件。",
    "本年度新收到政府信息公开申请{new}件，上年结转{old}件。",
    "{year}年共受理政府信息公开申请{new}件，上年度结转{old}件。",
)
NONE_RECEIVED = (
    "全年未收到政府信息公开申请，上年度亦无结转申请。",
    "本年度没有收到政府信息公开申请。",
)
HANDLED = (
    "已按法定时限办结政府信息公开申请{done}件，结转下年度继续办理{left}件。",
    "截至12月31日，共办结申请{done}件，结转下年度{left}件。",
    "全年办结各类申请{done}件，其中予以公开{open}件，结转下年度继续办理{left}件。",
)
CASES = (
    "因政府信息公开被申请行政复议{review}件、被提起行政诉讼{suit}件。",
    "全年发生政府信息公开行政复议案件{review}件，行政诉讼案件{suit}件。",
)
REVIEW_ONLY = ("因政府信息公开被申请行政复议{review}件，未发生行政诉讼。",)
NO_CASES = (
    "全年未发生政府信息公开行政复议、行政诉讼案件。",
    "本年度未发生政府信息公开方面的行政复议和行政诉讼。",
)
MANAGEMENT = (
    "严格落实公文公开属性源头认定，拟公开信息经保密审查后方可发布，全年未发生泄密事件。",
    "建立政府信息动态调整机制，对已公开信息定期清理，确保信息准确、完整、及时。",
    "修订信息发布审核流程，实行“一事一审”，拟公开信息由承办科室、分管领导逐级把关。",
)
PLATFORM = (
    "加强门户网站信息公开专栏和政务新媒体管理，开展常态化自查，栏目内容保持更新。",
    "推进公开栏、便民服务中心查阅点建设，方便群众就近查阅政府信息。",
)
SUPERVISION = (
    "将政务公开纳入年度绩效考评，开展业务培训{k}场次，提升工作人员业务能力。",
    "组织政务公开专题培训{k}次，接受社会评议，主动回应群众关切。",
)
PROBLEMS = (
    "{year}年工作中仍存在一些不足：一是政策解读形式较为单一，图解、视频等解读运用不多；二是部分栏目更新不够及时。{next}年，{who}将丰富解读形式，建立栏目更新提醒机制，定期开展自查。",
    "存在的主要问题是：工作人员多为兼职，业务水平参差不齐；依申请公开答复的规范性有待加强。改进措施：加强业务培训，规范答复文书，完善依申请公开办理台账。",
    "对照上级要求，{who}在重点领域信息公开的深度和广度上仍有差距。下一步将细化公开目录，推动公开内容标准化、规范化，提升群众获得感。",
)
OTHERS = (
    "本年度未收取政府信息公开信息处理费。",
    "{year}年度{who}未收取信息处理费。无其他需要报告的事项。",
    "按照《政府信息公开信息处理费管理办法》，本年度未发出收费通知，未收取信息处理费。{who}落实上年度政务公开工作要点情况良好，无其他需要报告的事项。",
)
NOTES = {
    "二": ("注：收费金额单位为万元。", ""),
    "三": ("", "（本表各列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和。）"),
    "四": ("",),
}


def stated_numbers(figures: dict) -> dict:
    """The numbers a correct prose states, from the printed tables."""
    s3, s4 = figures[formats.SECTION3], figures[formats.SECTION4]

    def total(row: str):
        # A total printed blank: the clerk still knows the sum of its parts.
        values = s3[row]
        if values[-1] is not None or None in values[:-1]:
            return values[-1]
        return sum(values[:-1])

    return {
        "依申请收到": total("一"),
        "上年结转": total("二"),
        "依申请处理": total("三.七"),
        "予以公开": total("三.一"),
        "结转下年度": total("四"),
        "行政复议": s4[4],
        "行政诉讼": (s4[9] or 0) + (s4[14] or 0),
    }


def _fmt(value) -> str:
    return "0" if value is None else str(value)


def write(organ, year: int, stated: dict, rng: random.Random) -> dict[str, str]:
    """The prose of sections 一, 五, 六 plus the short notes of the table sections."""
    who = organ.short if rng.random() < 0.5 else organ.name
    active = rng.randint(15, 60) if organ.kind in ("town", "street") else rng.randint(60, 400)
    a, b = rng.randint(1, active // 5), rng.randint(1, active // 4)
    c = rng.randint(0, active - a - b)
    parts = [
        rng.choice(OPENINGS).format(year=year, who=who),
        "（一）主动公开情况",
        rng.choice(ACTIVE).format(n=active, a=a, b=b, c=c),
        "（二）依申请公开情况",
    ]
    new, old, done = stated["依申请收到"], stated["上年结转"], stated["依申请处理"]
    if new or old or done:
        apply = rng.choice(RECEIVED).format(new=_fmt(new), old=_fmt(old), year=year)
        apply += rng.choice(HANDLED).format(
            done=_fmt(done), left=_fmt(stated["结转下年度"]), open=_fmt(stated["予以公开"])
        )
    else:
        apply = rng.choice(NONE_RECEIVED)
    review, suit = stated["行政复议"], stated["行政诉讼"]
    if suit:
        apply += rng.choice(CASES).format(review=_fmt(review), suit=suit)
    elif review:
        apply += rng.choice(REVIEW_ONLY).format(review=review)
    else:
        apply += rng.choice(NO_CASES)
    parts += [
        apply,
        "（三）政府信息管理",
        rng.choice(MANAGEMENT),
        "（四）平台建设",
        rng.choice(PLATFORM),
        "（五）监督保障",
        rng.choice(SUPERVISION).format(k=rng.randint(1, 6)),
    ]
    return {
        "一": "\n".join(parts),
        "二": rng.choice(NOTES["二"]),
        "三": rng.choice(NOTES["三"]),
        "四": "",
        "五": rng.choice(PROBLEMS).format(year=year, next=year + 1, who=who),
        "六": rng.choice(OTHERS).format(year=year, who=who),
    }
