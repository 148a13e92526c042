"""Similarity (雷同) of prose: the pure functions, on constructed cases and the real seeds.

The corpus writes its prose from a few shared templates, so the cases that need distinct,
original prose by different hands use the real seed reports and skip without them.
"""

import re

import pytest

from core.parsing import parse_bytes
from review import similarity
from review.similarity import Prose, similarity_findings
from tests.support.render import SEEDS_ABSENT, has_seeds, seed_path

SEEDS = ("000", "001", "002", "003", "004")

# Sentences a city template puts into every town's report of the year.
TEMPLATE = (
    "坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开。"
    "严格落实政府信息公开保密审查制度，做到先审查、后公开，一事一审、全面审查。"
    "进一步规范政府信息公开申请的受理、审查、处理、答复等各个环节。"
    "持续加强政府网站信息公开专栏建设，及时更新各类政府信息，确保信息准确、完整。"
    "认真落实政务公开工作责任制，将政务公开工作纳入年度绩效考评。"
    "下一步，我们将继续深入贯彻落实《中华人民共和国政府信息公开条例》，不断提升政务公开工作水平。"
)


def seed_prose(name: str, label: str | None = None) -> Prose:
    result = parse_bytes(seed_path(name).read_bytes(), seed_path(name).name)
    sections = result.sections
    return Prose.of(
        name,
        label or f"{result.organ} {result.year}年",
        overview=sections["一"],
        problems=sections["五"],
        other_matters=sections["六"],
    )


@pytest.fixture(scope="module")
def seeds() -> dict[str, Prose]:
    if not has_seeds():
        pytest.skip(SEEDS_ABSENT)
    return {name: seed_prose(name) for name in SEEDS}


def renumber(text: str) -> str:
    """The text with every number changed, as a clerk updating last year's report would."""
    return re.sub(r"\d+", lambda m: str(int(m.group()) * 3 + 7), text)


def test_numbers_punctuation_and_enumerators_are_normalised_away():
    assert similarity.normalise("一是2023年收到申请12件，") == similarity.normalise(
        "（二）2022年收到申请 7 件。"
    )


def test_headings_and_stock_lines_are_not_sentences():
    text = "（一）存在问题\n二、改进措施\n无。\n无其他需要报告的事项。\n（此件主动公开）"
    assert similarity.sentences(text) == []


def test_real_seeds_of_different_towns_are_far_apart(seeds):
    # By eye (containment of the row town's prose in the column town's): 3–11 %; the one
    # real overlap is 英林镇 and 紫帽镇 sharing "宣传力度有待加强，公开的覆盖广度不够…" in 五.
    fingerprints = {k: similarity.fingerprint(p) for k, p in seeds.items()}
    scores = {
        (a, b): similarity.compare(fingerprints[a], fingerprints[b].all, seeds[b])
        for a in SEEDS
        for b in SEEDS
        if a != b
    }
    assert max(m.score for m in scores.values()) < 0.2
    shared_problems = scores[("001", "000")].sections["problems"]
    assert 0.1 < shared_problems < 0.3
    assert scores[("002", "000")].sections["problems"] < 0.1


def test_real_seeds_raise_no_similarity_findings(seeds):
    for name, prose in seeds.items():
        others = [p for k, p in seeds.items() if k != name]
        assert similarity_findings(prose, others=others) == []


def test_a_report_copied_from_last_year_with_new_numbers_is_flagged(seeds):
    last_year = seeds["000"]
    this_year = Prose.of(
        "new",
        "紫帽镇 2024年",
        **{name: renumber(text) for name, text in last_year.sections.items()},
    )
    assert this_year.sections["overview"] != last_year.sections["overview"]
    others = [p for k, p in seeds.items() if k != "000"]
    findings = similarity_findings(this_year, previous=last_year, others=others)
    assert [f.code for f in findings] == ["similar_previous_year"]
    finding = findings[0]
    assert finding.severity == "info"
    assert "100%" in finding.message
    assert last_year.label in finding.message


def test_a_report_copied_from_another_town_is_flagged_naming_it(seeds):
    copied = seeds["003"].sections
    # The copy replaces the town's name and changes a few words: still found.
    copy = Prose.of(
        "copy",
        "某镇 2021年",
        overview=copied["overview"].replace("安海", "某某").replace("全年", "本年"),
        problems=copied["problems"],
        other_matters="",
    )
    others = list(seeds.values())
    findings = similarity_findings(copy, others=others)
    assert [f.code for f in findings] == ["similar_other_organ"]
    assert seeds["003"].label in findings[0].message
    match = re.search(r"(\d+)% 的文字", findings[0].message)
    assert int(match.group(1)) >= 90


def test_only_the_copied_section_is_enough_to_flag(seeds):
    own = seeds["000"].sections
    mixed = Prose.of(
        "mixed",
        "紫帽镇 2023年",
        overview=own["overview"],
        problems=seeds["004"].sections["problems"],
    )
    findings = similarity_findings(mixed, others=[seeds["004"]])
    assert [f.code for f in findings] == ["similar_other_organ"]
    assert "第五部分 100%" in findings[0].message


def _town_with_template(key: str, own: str) -> Prose:
    return Prose.of(
        key, f"{key} 2023年", overview=TEMPLATE + own, problems="", other_matters="无。"
    )


def test_two_reports_sharing_only_the_template_are_not_flagged(seeds):
    first = _town_with_template("甲镇", seeds["000"].sections["problems"][:150])
    second = _town_with_template("乙镇", seeds["002"].sections["problems"][:150])
    fillers = [
        _town_with_template(f"镇{i}", f"本镇第{i}季度召开专题会议研究部署政务公开重点工作任务。")
        for i in range(4)
    ]
    # Without the boilerplate filter the template alone makes them look alike ...
    raw = similarity.compare(similarity.fingerprint(first), similarity.fingerprint(second).all,
                             second)  # fmt: skip
    assert raw.score >= similarity.THRESHOLD_OTHER_ORGAN
    # ... with the year's other reports the template is recognised and dropped.
    assert similarity_findings(first, others=[second, *fillers]) == []


def test_too_little_prose_is_never_flagged():
    short = Prose.of("a", "甲镇 2023年", overview="本年度依法依规开展政府信息公开工作。")
    assert similarity_findings(short, previous=short, others=[short]) == []
