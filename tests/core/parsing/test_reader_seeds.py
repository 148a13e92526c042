"""The five seed reports, read cell by cell, in every format we accept.

Expected values are the by-eye readings in shared/seeds/expected/*.json.
The same content rendered as DOCX, HTML and PDF must read to the same
figures, and non-zero figures on the same real layouts must read exactly.
"""

from __future__ import annotations

import json
from functools import cache

import pytest

from core.formats import APPLICANT_KEYS as KEYS
from core.parsing import parse_bytes
from tests.core.parsing.variants import nonzero, one_cell_per_line, space_aligned
from tests.support import render

SEEDS = [
    "000_fee9fb758e101f38",
    "001_87b09e6297b9ff4d",
    "002_e0d70f9a3d59d07a",
    "003_4955a9a2799de53e",
    "004_9c14adee0e347d42",
]
CORE_PROSE = ("主动公开条数", "依申请收到", "依申请处理")

pytestmark = pytest.mark.skipif(
    not render.seeds_dir().exists(), reason="shared/seeds is not beside the repository"
)


@cache
def expected(seed: str) -> dict:
    return json.loads((render.seeds_dir() / "expected" / f"{seed}.json").read_text("utf-8"))


@cache
def seed_text(seed: str) -> str:
    return render.seed_text(f"{seed}.txt")


@cache
def rendered(seed: str, kind: str, figures_seed: int | None = None) -> bytes | None:
    text = seed_text(seed)
    if figures_seed is not None:
        text = nonzero(text, expected(seed), seed=figures_seed)[0]
    if kind == "text":
        return text.encode("utf-8")
    if kind == "spaces":
        return space_aligned(text).encode("utf-8")
    if kind == "cells":
        return one_cell_per_line(text).encode("utf-8")
    if kind == "docx":
        return render.text_to_docx(text)
    if kind == "html":
        return render.text_to_html(text)
    if kind == "html-merged":
        return render.text_to_html(text, merged=True)
    if kind == "pdf":
        return render.docx_to_pdf(render.text_to_docx(text))
    raise ValueError(kind)


def read(seed: str, kind: str, figures_seed: int | None = None):
    data = rendered(seed, kind, figures_seed)
    if data is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    result = parse_bytes(data, f"{seed}.{kind}")
    assert result.error is None, result.error
    return result


def assert_section3(result, want: dict) -> None:
    """Every cell as the by-eye reading, or left blank with that reading among its candidates.

    A row printed with fewer figures than its header's columns lost a printed cell (002's
    rows (四)-(六)): which one is for a person to say, so the parser leaves the row blank and
    flags each cell with the readings that fit. A blank is never filled as 0.
    """
    got = result.figures()["section3"]
    assert got.keys() == want.keys()
    flagged = {e["row"] for e in result.ambiguous if e["table"] == "section3"}
    offered = {(v.row, v.column): v.candidates for v in result.values if v.table == "section3"}
    for row, values in want.items():
        for column, expected_value, value in zip(KEYS, values, got[row], strict=True):
            if value == expected_value:
                continue
            assert value is None, (row, column, value, expected_value)
            assert row in flagged, (row, column)
            # A column the header does not print (002's 其他) offers no printed figure.
            choices = offered.get((row, column))
            assert choices is None or expected_value in choices, (row, column)


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_text_reads_every_cell_as_printed(seed):
    want = expected(seed)
    result = read(seed, "text")
    figures = result.figures()
    assert result.organ == want["organ"]
    assert result.year == want["year"]
    assert result.published == want["published"]
    assert result.edition == want["format"]
    assert figures["section2"] == want["section2"]
    assert_section3(result, want["section3"])
    assert figures["section4"] == want["section4"]
    core = {k: v for k, v in want["narrative_numbers"].items() if k in CORE_PROSE}
    assert {k: v for k, v in result.prose_numbers.items() if k in CORE_PROSE} == core


@pytest.mark.parametrize("kind", ["docx", "html", "html-merged", "pdf"])
@pytest.mark.parametrize("seed", SEEDS)
def test_seed_rendered_in_another_format_reads_the_same(seed, kind):
    want = expected(seed)
    result = read(seed, kind)
    figures = result.figures()
    assert (result.organ, result.year, result.edition) == (
        want["organ"],
        want["year"],
        want["format"],
    )
    assert result.published == want["published"]
    assert figures["section2"] == want["section2"]
    assert_section3(result, want["section3"])
    assert figures["section4"] == want["section4"]


# 002's collapsed rows are transposed in print, so its figures are not in row order.
NONZERO_SEEDS = [s for s in SEEDS if not s.startswith("002")]


@pytest.mark.parametrize("kind", ["text", "docx", "html-merged", "pdf"])
@pytest.mark.parametrize("seed", NONZERO_SEEDS)
def test_nonzero_figures_on_real_layouts_read_exactly(seed, kind):
    text, figures = nonzero(seed_text(seed), expected(seed), seed=7)
    result = read(seed, kind, figures_seed=7)
    got = result.figures()
    assert got["section2"] == figures["section2"]
    assert got["section3"] == figures["section3"]
    assert got["section4"] == figures["section4"]


@pytest.mark.parametrize("seed", [s for s in NONZERO_SEEDS if not s.startswith("004")])
def test_space_aligned_text_reads_like_tab_separated(seed):
    _, figures = nonzero(seed_text(seed), expected(seed), seed=3)
    got = read(seed, "spaces", figures_seed=3).figures()
    assert got == figures


@pytest.mark.parametrize("seed", NONZERO_SEEDS)
def test_tables_flattened_to_one_cell_per_line_read_as_a_stream(seed):
    _, figures = nonzero(seed_text(seed), expected(seed), seed=5)
    result = read(seed, "cells", figures_seed=5)
    got = result.figures()
    assert got["section2"] == figures["section2"]
    assert got["section3"] == figures["section3"]
    if None not in figures["section4"]:  # blank cells vanish from such text
        assert got["section4"] == figures["section4"]
    assert any("逐格" in w for w in result.warnings)


def test_space_aligned_row_that_lost_its_blank_cells_is_left_blank_not_guessed():
    # 004's 四 row prints 10 figures under 15 columns; without the blank cells
    # nothing says which group is blank, so nothing is placed.
    result = read("004_9c14adee0e347d42", "spaces", figures_seed=3)
    assert result.figures()["section4"] == [None] * 15
    assert any("表四" in w for w in result.warnings)


def test_seed_002_missing_column_is_derived_from_the_total_and_says_so():
    result = read("002_e0d70f9a3d59d07a", "text")
    assert result.figures()["section3"]["一"] == [0] * 7
    assert any("其他" in w and "表头" in w for w in result.warnings)
    derived = [v for v in result.values if v.row == "一" and v.column == "其他"]
    assert derived[0].confidence < 0.9 and derived[0].raw == ""


def test_values_carry_where_they_were_printed():
    result = read("004_9c14adee0e347d42", "text")
    cell = next(v for v in result.values if (v.row, v.column) == ("三.四.1", "自然人"))
    assert (cell.value, cell.raw, cell.location) == (4, "4", "第170行")
    pdf_cell = next(
        v
        for v in read("004_9c14adee0e347d42", "pdf").values
        if (v.row, v.column) == ("三.四.1", "自然人")
    )
    assert pdf_cell.value == 4 and pdf_cell.location.startswith("第")
    assert "页" in pdf_cell.location


def test_blank_review_cells_of_seed_004_are_missing_not_zero():
    result = read("004_9c14adee0e347d42", "text")
    review = [v for v in result.values if v.table == "section4" and v.row == "行政复议"]
    assert [v.value for v in review] == [None] * 5
    assert any("行政复议" in w for w in result.warnings)
