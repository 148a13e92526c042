"""The region roll-up on the corpus region: sums, blanks, editions, breakdown, checks, downloads."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.corpus import samples
from core import formats
from core.figureset import Cell
from filing.workflow import Status
from organs.models import Organ
from public import rollup as rollups
from public import rollup_export
from public.models import Publication
from public.selectors import figure_values
from tests.public.regions_support import DRAFT_SLUG, OLD_EDITION_SLUG, YEAR, corpus_region
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db
ROOT = "quanning"

# Expectations derived from the corpus, so they follow the region as it grows.
CORPUS = samples()
ORGANS = len({s.organ.slug for s in CORPUS})  # every organ of the region owes a report
# Published reports of YEAR in the region fixture: all but the draft, one in the 2019 edition.
INCLUDED = sum(1 for s in CORPUS if s.year == YEAR and s.published and s.organ.slug != DRAFT_SLUG)
# Faults that leave a 表三/表四 sum broken or with a blank cell (the roll-up's 勾稽 rules).
SUM_FAULTS = {"blank_total", "row_total_off", "results_total_off", "balance_off", "s4_total_off"}
BLANK = next(s for s in CORPUS if "blank_total" in s.faults and s.edition == formats.EDITION_2021)
BROKEN_YEAR = max(s.year for s in CORPUS if SUM_FAULTS & set(s.faults))
OFFENDERS = {s.organ.slug for s in CORPUS if s.year == BROKEN_YEAR and SUM_FAULTS & set(s.faults)}
CLEAN_YEAR = max(
    y for y in {s.year for s in CORPUS}
    if not any(SUM_FAULTS & set(s.faults) or "decimal" in s.faults
               for s in CORPUS if s.year == y)
)  # fmt: skip


@pytest.fixture
def region():
    return corpus_region()


@pytest.fixture
def fault_region():
    """The region in a year of deliberate sum faults and in a clean year, all published."""
    years = tuple(sorted({BLANK.year, BROKEN_YEAR, CLEAN_YEAR}))
    return corpus_region(years=years, old_edition=False, draft=False)


def _expected_sums(year: int) -> dict[Cell, tuple[Decimal | None, int]]:
    """Cell -> (sum, reports with a value), computed report by report from the frozen figures."""
    expected: dict[Cell, tuple[Decimal | None, int]] = {}
    for pub in Publication.objects.current().filter(year=year):
        for key, value in figure_values(pub.figures, pub.edition).items():
            cell = Cell(*key)
            if pub.edition == formats.EDITION_2019:
                cell = rollups.FROM_2019.get(cell)
                if cell is None:
                    continue
            total, filled = expected.get(cell, (None, 0))
            if value is not None:
                total, filled = (total or 0) + Decimal(str(value)), filled + 1
            expected[cell] = (total, filled)
    return expected


def test_every_summed_cell_equals_the_sum_of_the_published_reports(region):
    rollup = rollups.region_rollup(organ=region[ROOT], year=YEAR)
    expected = _expected_sums(YEAR)
    assert rollup.reports == {"2021": INCLUDED - 1, "2019": 1}
    for cell, summed in rollup.cells.items():
        total, filled = expected.get(cell, (None, 0))
        assert (summed.total, summed.filled) == (total, filled), cell
        assert summed.blank == (INCLUDED if cell in rollups.TO_2019 else INCLUDED - 1) - filled


def test_a_blank_cell_is_skipped_not_counted_as_zero_and_the_page_says_so(fault_region, client):
    # The corpus blanks the 总计 of one 表三 row in BLANK's report (fault "blank_total").
    year = BLANK.year
    rollup = rollups.region_rollup(organ=fault_region[ROOT], year=year)
    blanks = [c for c in rollup.cells.values() if c.cell.table == formats.SECTION3 and c.blank]
    assert blanks
    cell = blanks[0].cell
    page = client.get(f"/regions/{ROOT}/{year}/cell/{cell.table}/{cell.row}/{cell.column}/")
    assert "空白（未计入）" in page.content.decode()
    assert "份报告此格空白" in client.get(f"/regions/{ROOT}/{year}/").content.decode()


def test_a_2019_edition_report_counts_only_where_its_cells_mean_the_same(region, client):
    rollup = rollups.region_rollup(organ=region[ROOT], year=YEAR)
    old = Publication.objects.get(organ__slug=OLD_EDITION_SLUG, year=YEAR)
    assert old.edition == formats.EDITION_2019
    assert not rollup.cells[Cell("section3", "三.一", "总计")].incomplete
    assert rollup.cells[Cell("section3", "三.六.1", "总计")].incomplete
    assert rollup.cells[Cell("section2", "规章", "本年废止件数")].incomplete
    assert not rollup.cells[Cell("section2", "行政许可", "本年处理决定数量")].incomplete
    # 2019's single (六) 其他处理 row is reported beside the table, not spread over 1-3.
    assert rollup.other_2019["总计"] == old.figures["section3"]["三.六"][6]
    html = client.get(f"/regions/{ROOT}/{YEAR}/").content.decode()
    assert "cell-incomplete" in html and "2019年版表格" in html


def test_the_public_roll_up_shows_no_unpublished_figure(region, client):
    assert not Publication.objects.filter(organ__slug=DRAFT_SLUG, year=YEAR).exists()
    for url in (
        f"/regions/{ROOT}/{YEAR}/",
        f"/api/regions/{ROOT}/{YEAR}/",
        f"/regions/{ROOT}/{YEAR}/rollup.csv",
        f"/regions/{ROOT}/{YEAR}/cell/section3/一/总计/",
        f"/regions/{ROOT}/{YEAR}/league/",
    ):
        body = client.get(url).content.decode()
        assert "987654" not in body, url
    coverage = client.get(f"/api/regions/{ROOT}/{YEAR}/").json()["coverage"]
    assert coverage["unpublished"] == [DRAFT_SLUG]
    assert len(coverage["included"]) == INCLUDED and coverage["reporting"] == ORGANS


def test_the_breakdown_lists_contributing_organs_largest_first_with_links(region, client):
    rows = rollups.cell_breakdown(
        organ=region[ROOT], year=YEAR, cell=Cell("section3", "一", "总计")
    )
    values = [r["value"] for r in rows]
    assert values == sorted(values, reverse=True) and len(rows) == INCLUDED
    rollup = rollups.region_rollup(organ=region[ROOT], year=YEAR)
    assert sum(values) == rollup.cells[Cell("section3", "一", "总计")].total
    html = client.get(f"/regions/{ROOT}/{YEAR}/cell/section3/一/总计/").content.decode()
    assert f'href="/reports/{rows[0]["organ__slug"]}/{YEAR}/"' in html
    assert client.get(f"/regions/{ROOT}/{YEAR}/cell/section3/nope/总计/").status_code == 404


def test_the_sums_checks_fail_only_with_named_offending_reports(fault_region):
    clean = rollups.region_rollup(organ=fault_region[ROOT], year=CLEAN_YEAR)
    assert clean.findings == [] and clean.offenders == []
    broken = rollups.region_rollup(organ=fault_region[ROOT], year=BROKEN_YEAR)
    assert broken.findings
    # The corpus's faulty reports of that year break a 勾稽 rule or leave a 总计 blank.
    assert {o["slug"] for o in broken.offenders} == OFFENDERS


def test_offenders_are_found_by_rerunning_the_rules_when_no_finding_was_stored(fault_region):
    # Reports published without checks (or imported) carry no findings: the sums still fail,
    # and the rules run again on each contributing report name the same reports.
    stored = rollups.region_rollup(organ=fault_region[ROOT], year=BROKEN_YEAR)
    assert any(o["findings"] for o in stored.offenders)
    Publication.objects.filter(year=BROKEN_YEAR).update(findings=[])
    rerun = rollups.region_rollup(organ=fault_region[ROOT], year=BROKEN_YEAR)
    assert rerun.findings
    assert {o["slug"] for o in rerun.offenders} == OFFENDERS


def test_downloads_carry_the_coverage_note_and_neutralise_formulas(region, client):
    response = client.get(f"/regions/{ROOT}/{YEAR}/rollup.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert f"应报机关 {ORGANS} 个" in rows[0][0]
    assert rows[1][:3] == ["table", "row", "column"]
    total = next(r for r in rows if r[:3] == ["section3", "一", "总计"])
    rollup = rollups.region_rollup(organ=region[ROOT], year=YEAR)
    summed = rollup.cells[Cell("section3", "一", "总计")]
    assert total[4] == str(summed.value) and Decimal(total[4]) == summed.total
    from openpyxl import load_workbook

    xlsx = client.get(f"/regions/{ROOT}/{YEAR}/rollup.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert f"应报机关 {ORGANS} 个" in sheet["A1"].value
    # Sums stay numbers a spreadsheet can add up (never text behind an apostrophe).
    row = next(r for r in sheet.iter_rows(values_only=True) if r[:3] == ("section3", "一", "总计"))
    assert isinstance(row[4], int) and row[4] == summed.total


def test_spreadsheet_cells_neutralise_formulas_and_keep_numbers(region, monkeypatch):
    # One guard for every CSV/XLSX of the portal (core.csvsafe): formula-like text gets an
    # apostrophe; numbers, and text that is only a number such as "-3", stay numbers.
    rollup = rollups.region_rollup(organ=region[ROOT], year=YEAR)
    formula = '=HYPERLINK("http://x.invalid","点此")'
    monkeypatch.setattr(rollup_export, "coverage_note", lambda r: formula)
    monkeypatch.setattr(
        rollup_export,
        "rollup_rows",
        lambda r: [["-3", -3, "-3+A1", "@SUM(A1)", "+1", Decimal("12.5"), "ok", "12.5"]],
    )
    rows = list(csv.reader(io.StringIO(rollup_export.rollup_csv(rollup).lstrip("\ufeff"))))
    assert rows[0] == ["'" + formula]
    assert rows[1] == ["-3", "-3", "'-3+A1", "'@SUM(A1)", "+1", "12.5", "ok", "12.5"]
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(rollup_export.rollup_xlsx(rollup))).active
    assert sheet["A1"].value == "'" + formula and sheet["A1"].data_type == "s"
    values = [c.value for c in sheet[2]]
    assert values[1] == -3 and values[2] == "'-3+A1" and values[3] == "'@SUM(A1)"
    assert float(values[5]) == 12.5


def test_an_organ_without_organs_below_has_no_roll_up(region, client):
    assert client.get(f"/regions/longmei/{YEAR}/").status_code == 404


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


URLS = (
    f"/regions/{ROOT}/{YEAR}/",
    f"/regions/{ROOT}/{YEAR}/league/",
    f"/regions/{ROOT}/{YEAR}/cell/section3/一/总计/",
    f"/api/regions/{ROOT}/{YEAR}/",
)


def test_query_count_does_not_grow_with_the_region(settings, client):
    settings.PORTAL_PAGE_CACHE = False
    organs = corpus_region(years=(YEAR,))
    small = [_count(client, url) for url in URLS]
    figures = Publication.objects.get(organ__slug="longmei", year=YEAR).figures
    for i in range(12):
        town = Organ.objects.create(
            name=f"新增镇{i}", slug=f"extra-{i}", kind=Organ.Kind.TOWN, parent=organs[ROOT]
        )
        make_report(town, YEAR, Status.PUBLISHED, figures=figures)
    large = [_count(client, url) for url in URLS]
    print("query counts small/large", small, large)
    assert small == large
    assert max(large) <= 12


def test_the_organ_page_of_a_region_links_to_its_roll_up(region, client):
    html = client.get(f"/organs/{ROOT}/").content.decode()
    assert f'href="/regions/{ROOT}/{YEAR}/"' in html


def test_the_breakdown_and_offenders_keep_to_the_region_by_path_or_by_the_tree(fault_region):
    # A report outside the region (another root) with the same broken sums is never named.
    outside = Organ.objects.create(name="外省某镇", slug="outside-town")
    broken = Publication.objects.filter(year=BROKEN_YEAR, organ__slug__in=OFFENDERS).first()
    make_report(outside, BROKEN_YEAR, Status.PUBLISHED, figures=broken.figures)
    root = fault_region[ROOT]
    cell = Cell("section3", "一", "总计")
    by_path = rollups.region_rollup(organ=root, year=BROKEN_YEAR)
    breakdown = rollups.cell_breakdown(organ=root, year=BROKEN_YEAR, cell=cell)
    assert {o["slug"] for o in by_path.offenders} == OFFENDERS
    assert "outside-town" not in {r["organ__slug"] for r in breakdown}
    # An organ whose path is not written yet (a load behind the ORM) is walked in the tree.
    Organ.objects.filter(pk=root.pk).update(path="")
    root.refresh_from_db()
    by_tree = rollups.region_rollup(organ=root, year=BROKEN_YEAR)
    assert {o["slug"] for o in by_tree.offenders} == OFFENDERS
    assert rollups.cell_breakdown(organ=root, year=BROKEN_YEAR, cell=cell) == breakdown
