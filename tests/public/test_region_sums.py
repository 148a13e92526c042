"""Sums kept at publication (public/sums.py) equal the live sums over the published cells.

The oracles are the roll-up's and the statistics page's queries as they were before the sums
were kept (a GROUP BY over PublishedFigure / Publication of the region's organs), run on the
same data after every kind of change: first publications in both editions with blanks, a
correction that changes and blanks cells, organs moved, a report deleted, and a bulk change
mended by the rebuild.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Sum

from core import formats, layout
from core.figureset import Cell, empty_figures, plain_number
from filing.figures import figures_set
from filing.models import AnnualReport
from filing.workflow import Status
from organs.models import Organ
from public import rollup, services, stats
from public.measures import MEASURES
from public.models import Publication, PublishedFigure, RegionSum, RegionYear
from public.sums import CELL, region_sums_rebuild
from tests.support.factories import make_report, system_admin

pytestmark = pytest.mark.django_db
YEAR = 2023
E19, E21 = formats.EDITION_2019, formats.EDITION_2021


def _figures(edition: str, seed: int, blank_every: int = 0) -> dict:
    """Every cell of the edition filled with a value drawn from ``seed`` (every
    ``blank_every``-th cell left blank), one 2019 cell a fraction."""
    figures = empty_figures(edition)
    n = 0

    def draw():
        nonlocal n
        n += 1
        if blank_every and n % blank_every == 0:
            return None
        return (seed * 7 + n * 3) % 23

    for row in figures[formats.SECTION2].values():
        for column in row:
            row[column] = draw()
    for key in figures[formats.SECTION3]:
        figures[formats.SECTION3][key] = [draw() for _ in formats.APPLICANT_KEYS]
    figures[formats.SECTION4] = [draw() for _ in figures[formats.SECTION4]]
    if edition == E19:
        figures[formats.SECTION2]["政府集中采购"]["采购总金额"] = 12.5 + seed
    return figures


def _tree() -> dict[str, Organ]:
    """city (publishes) > county a (publishes) > a1, a2; county b > b1, b2; department d."""
    organs: dict[str, Organ] = {}
    for slug, parent in (("c", None), ("a", "c"), ("a1", "a"), ("a2", "a"), ("b", "c"),
                         ("b1", "b"), ("b2", "b"), ("d", "c")):  # fmt: skip
        organs[slug] = Organ.objects.create(
            name=f"机关{slug}", slug=slug, parent=organs.get(parent) if parent else None
        )
    return organs


def _publish_all(organs: dict[str, Organ]) -> None:
    plan = {
        YEAR: {"c": E21, "a": E21, "a1": E21, "a2": E21, "b1": E19, "b2": E21, "d": E19},
        YEAR - 1: {"a1": E21, "b1": E19, "b2": E19, "c": E21},
    }
    for year, editions in plan.items():
        for seed, (slug, edition) in enumerate(sorted(editions.items())):
            blanks = 5 if slug in ("a2", "b1") else 0
            figures = _figures(edition, seed + year, blanks)
            make_report(organs[slug], year, Status.PUBLISHED, edition=edition, figures=figures)
    # A report not published: never in any sum.
    make_report(organs["b"], YEAR, Status.APPROVED, figures=_figures(E21, 99))


def _correct(report: AnnualReport, figures: dict) -> None:
    figures_set(report=report, figures=figures)
    AnnualReport.objects.filter(pk=report.pk).update(status=Status.APPROVED)
    services.report_publish(
        report=report, acting_user=system_admin(), correction_note="更正表三、表四"
    )


# ---------------------------------------------------------------- the oracles (live sums)


def _live_sums(ids: list[int], year: int, reports: dict[str, int]) -> tuple[dict, dict]:
    """public.rollup._sums before the sums were kept: one GROUP BY over the region's cells."""
    cells = {
        Cell(*slot.key): rollup.SumCell(Cell(*slot.key))
        for slot in layout.edition_cells(rollup.EDITION)
    }
    other_2019: dict[str, object] = {}
    rows = (
        PublishedFigure.objects.filter(
            organ_id__in=ids, is_current=True, year=year, value__isnull=False
        )
        .values("edition", "table", "row", "column")
        .order_by()
        .annotate(total=Sum("value"), filled=Count("value"))
    )
    for row in rows:
        source = Cell(row["table"], row["row"], row["column"])
        if row["edition"] == rollup.OLD and source in rollup.CHECK_FOLD:
            other_2019[source.column] = plain_number(row["total"])
        target = source if row["edition"] == rollup.EDITION else rollup.FROM_2019.get(source)
        if target not in cells:
            continue
        summed = cells[target]
        if row["total"] is not None:
            summed.total = (summed.total or 0) + row["total"]
        summed.filled += row["filled"]
    old = reports.get(rollup.OLD)
    other_2019 = {c: other_2019.get(c) for c in formats.APPLICANT_KEYS} if old else {}
    for key, summed in cells.items():
        editions = [rollup.EDITION] + ([rollup.OLD] if key in rollup.TO_2019 else [])
        summed.blank = sum(reports.get(e, 0) for e in editions) - summed.filled
        if key not in rollup.TO_2019:
            summed.unmapped = reports.get(rollup.OLD, 0)
    return cells, other_2019


def _live_reports(ids: list[int], year: int) -> dict[str, int]:
    return dict(
        Publication.objects.current()
        .filter(organ_id__in=ids, year=year)
        .values_list("edition")
        .order_by()
        .annotate(n=Count("pk"))
    )


def _live_stats(filters: stats.StatsFilters) -> dict:
    """public.stats.stats_aggregate before the sums were kept: sums over the publications."""
    rows = Publication.objects.current()
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.edition:
        rows = rows.filter(edition=filters.edition)
    if filters.region:
        organ = Organ.objects.filter(slug=filters.region).first()
        rows = rows.filter(organ_id__in=organ.region_ids()) if organ else rows.none()
    rows = (
        rows.values("year")
        .annotate(reports=Count("id"), **{m.key: Sum(m.key) for m in MEASURES})
        .order_by("year")
    )
    years = [row["year"] for row in rows]
    return {
        "years": years,
        "reports": {row["year"]: row["reports"] for row in rows},
        "values": {m.key: {row["year"]: row[m.key] for row in rows} for m in MEASURES},
    }


def _shown(cells: dict) -> dict:
    return {key: (c.total, c.filled, c.blank, c.unmapped) for key, c in cells.items()}


def _kept_rows() -> tuple[set, set]:
    cells = RegionSum.objects.values_list("region_id", "year", *CELL, "total", "filled")
    years = RegionYear.objects.values_list(*[f.attname for f in RegionYear._meta.fields][1:])
    return set(cells), set(years)


def assert_sums_are_true() -> None:
    """Every organ's roll-up and every statistics filter equal the live sums, and the kept
    rows equal a rebuild's."""
    organs = list(Organ.objects.all())
    for organ in organs:
        ids = organ.region_ids()
        for year in (YEAR - 1, YEAR, YEAR + 1):
            got = rollup.region_rollup(organ=organ, year=year)
            reports = _live_reports(ids, year)
            cells, other_2019 = _live_sums(ids, year, reports)
            assert got.reports == reports, (organ.slug, year)
            assert _shown(got.cells) == _shown(cells), (organ.slug, year)
            assert got.other_2019 == other_2019, (organ.slug, year)
    for region in ["", "nowhere", *(o.slug for o in organs)]:
        for year in (None, YEAR):
            for edition in ("", E19, E21):
                filters = stats.StatsFilters(region=region, year=year, edition=edition)
                assert stats.stats_aggregate(filters=filters) == _live_stats(filters), filters
    kept = _kept_rows()
    region_sums_rebuild()
    assert _kept_rows() == kept


@pytest.fixture
def organs():
    organs = _tree()
    _publish_all(organs)
    return organs


def test_kept_sums_equal_the_live_sums_after_first_publications(organs):
    assert RegionSum.objects.filter(region=organs["a1"]).count() == 0  # nothing below a town
    assert set(RegionYear.objects.values_list("region__slug", flat=True)) == {"c", "a", "b"}
    assert_sums_are_true()


def test_a_correction_that_changes_and_blanks_cells_keeps_the_sums_true(organs):
    report = AnnualReport.objects.get(organ=organs["a2"], year=YEAR)
    figures = report.figures_dict()
    figures[formats.SECTION3]["一"] = [None] * 7  # "received" left blank in the correction
    figures[formats.SECTION3]["三.一"] = [40, 1, 2, 3, 4, 5, 55]
    figures[formats.SECTION4][0] = None
    _correct(report, figures)
    assert RegionYear.objects.get(region=organs["a"], year=YEAR).received_filled == 1
    assert_sums_are_true()
    # The only 2021 report of county b corrected to blank everything: b's rows for the
    # 2021 cells it alone filled are gone, not zeros.
    report = AnnualReport.objects.get(organ=organs["b2"], year=YEAR)
    _correct(report, empty_figures(E21))
    assert not RegionSum.objects.filter(region=organs["b"], year=YEAR, edition=E21).exists()
    assert not RegionSum.objects.filter(filled=0).exists()
    assert_sums_are_true()


def test_moving_organs_moves_their_sums(organs):
    town = organs["b1"]
    town.parent = organs["a"]  # a 2019-edition town to the other county
    town.save()
    assert_sums_are_true()
    county = organs["b"]
    county.parent = organs["a"]  # a county and its town below another county
    county.save()
    assert_sums_are_true()
    top = organs["a"]
    top.parent = None  # a second tree: "no region" is both top organs
    top.save()
    assert Organ.objects.filter(parent=None).count() == 2
    assert_sums_are_true()
    top.name = "改名"  # a save that moves nothing changes nothing
    top.save()
    assert_sums_are_true()


def test_deleting_a_published_report_takes_it_out_of_the_sums(organs):
    AnnualReport.objects.get(organ=organs["b1"], year=YEAR).delete()
    assert_sums_are_true()


def test_a_bulk_update_of_parents_keeps_the_sums_true(organs):
    # One organ moved by update(): moved like a save; several at once: rebuilt.
    Organ.objects.filter(slug="d").update(parent=organs["a1"])
    assert_sums_are_true()
    Organ.objects.filter(slug__in=["a1", "b1"]).update(parent=organs["c"])
    assert_sums_are_true()


def test_the_rebuild_mends_sums_after_a_change_behind_the_orms_back(organs):
    # SQL (or a fixture load) moves an organ without telling anyone, as bulk loads publish
    # without report_publish.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Organ._meta.db_table} SET parent_id = %s WHERE slug = %s",
            [organs["a1"].pk, "d"],
        )
    with pytest.raises(AssertionError):
        assert_sums_are_true()
    out = io.StringIO()
    call_command("rebuild_region_sums", stdout=out)
    assert f"{YEAR}:" in out.getvalue() and "cell sums" in out.getvalue()
    assert_sums_are_true()


def test_a_roll_up_reads_the_kept_sums_in_the_same_few_queries(
    organs, django_assert_max_num_queries
):
    big = rollup.region_rollup(organ=organs["c"], year=YEAR)
    assert big.report_count == 7 and big.cells[Cell("section3", "一", "总计")].total > Decimal(0)
    with django_assert_max_num_queries(8):
        rollup.region_rollup(organ=organs["c"], year=YEAR)
    with django_assert_max_num_queries(1):
        stats.stats_aggregate(filters=stats.StatsFilters(region="c"))


def test_a_generated_dataset_ends_with_true_sums():
    from bench.dataset import dataset_generate

    dataset_generate(organs=12, years=2, last_year=YEAR, workers=1, progress=False)
    assert RegionYear.objects.exists()
    assert_sums_are_true()
