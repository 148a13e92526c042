"""Mangled reports never crash the reader or the checks: they read, or fail as a result."""

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.checks import check_report
from core.parsing import parse_bytes
from tests.support import render

CELLS = [
    "0",
    "12",
    "",
    "—",
    "x",
    "1.5",
    "-3",
    "99999999999",
    "1 2 3",
    "(七) 总计",
    "四、结转下年度",
]


@cache
def seeds() -> list[str]:
    """Five corpus reports (both editions, one faulty) in the text layouts real files show."""
    return [render.corpus_text(key, layout) for key, layout in (
        (render.TOWN_2023, "markdown"), (render.TOWN_2020, "tabbed"),
        (render.TOWN_2022, "cell-per-line"), (render.FAULTY_2022, "rows-run-together"),
        (render.OTHER_TOWN_2023, "markdown-paged"),
    )]  # fmt: skip


edits = st.lists(
    st.tuples(
        st.sampled_from(["untab", "drop", "repeat", "cut", "junk", "pad", "stop"]),
        st.floats(0, 1),
        st.lists(st.sampled_from(CELLS), min_size=1, max_size=18),
    ),
    min_size=1,
    max_size=12,
)


def mangle(text: str, ops) -> str:
    lines = text.split("\n")
    for op, where, cells in ops:
        i = int(where * (len(lines) - 1))
        if op == "untab":
            lines[i] = lines[i].replace("\t", " ")
        elif op == "drop":
            del lines[i]
        elif op == "repeat":
            lines.insert(i, lines[-1 - i])
        elif op == "cut":
            lines[i] = lines[i][: len(lines[i]) // 2]
        elif op == "junk":
            lines[i] = "\t".join(cells)
        elif op == "pad":
            lines[i] += "\t" * len(cells)
        elif op == "stop":
            lines = lines[: max(i, 1)]
        lines = lines or [""]
    return "\n".join(lines)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 4), ops=edits)
def test_mangled_reports_read_or_fail_cleanly(seed, ops):
    result = parse_bytes(mangle(seeds()[seed], ops).encode("utf-8"), "mangled.txt")
    if result.error:
        assert result.error_code
        return
    figures = result.figures()
    assert len(figures["section4"]) == 15
    assert all(len(row) == 7 for row in figures["section3"].values())
    check_report(figures, result.edition, prose_numbers=result.prose_numbers)
