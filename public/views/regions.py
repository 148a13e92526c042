"""A region's 汇总 for a year: the summed official tables, a cell's breakdown, league tables.

Public pages over current publications only. A supervisor of the region also sees the
outliers on the roll-up page (advice, never a block); that page is then not cached, since
the page cache serves only anonymous visitors.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core import layout
from core.figureset import Cell
from organs.models import Organ
from organs.permissions import supervises
from public import league, rollup_export
from public import rollup as rollups
from public.outliers import region_outliers
from public.pagecache import cache_public_page
from public.selectors import SECTION_TITLES, display_number


@dataclass(frozen=True)
class HeadItem:
    item: layout.Head
    is_head = True


@dataclass(frozen=True)
class SumItem:
    """A summed cell of the grid, with its breakdown link."""

    cell: layout.Slot
    summed: rollups.SumCell
    url: str
    is_head = False

    @property
    def value(self) -> str:
        return display_number(self.summed.value)


@dataclass
class RegionGrid:
    grid: layout.Grid
    head: list[list]
    body: list[list]

    @property
    def title(self) -> str:
        return str(SECTION_TITLES[self.grid.table])


def region_or_404(slug: str) -> Organ:
    organ = get_object_or_404(Organ, slug=slug)
    if not organ.children.exists():
        raise Http404(_("这个机关没有下属机关，没有地区汇总。"))
    return organ


def _cell_url(slug: str, year: int, cell: Cell) -> str:
    return reverse(
        "reports:region_cell",
        kwargs={"slug": slug, "year": year, "table": cell[0], "row": cell[1], "column": cell[2]},
    )


def region_grids(rollup: rollups.Rollup) -> list[RegionGrid]:
    """The 2021 edition's three tables filled with the sums, each cell linked to its breakdown."""
    slug, year = rollup.organ.slug, rollup.year

    def fill(item):
        if item.is_head:
            return HeadItem(item)
        return SumItem(item, rollup.cells[item.key], _cell_url(slug, year, item.key))

    return [
        RegionGrid(
            grid,
            head=[[fill(i) for i in row] for row in grid.head],
            body=[[fill(i) for i in row] for row in grid.body],
        )
        for grid in layout.report_grids(rollups.EDITION)
    ]


def _rollup_context(request, slug: str, year: int) -> dict:
    organ = region_or_404(slug)
    rollup = rollups.region_rollup(organ=organ, year=year)
    is_supervisor = request.user.is_authenticated and supervises(request.user, organ)
    return {
        "organ": organ,
        "year": year,
        "rollup": rollup,
        "grids": region_grids(rollup),
        "note": rollup_export.coverage_note(rollup),
        "is_supervisor": is_supervisor,
        "outliers": region_outliers(organ=organ, year=year) if is_supervisor else [],
        "mapped_2019": sorted(
            (rollups.cell_label(new), old.row, old.column)
            for old, new in rollups.FROM_2019.items()
            if old.table != rollups.S3 and old.table != rollups.S4
        ),
    }


def _public_or_supervisor(view):
    """Cache the anonymous page; a logged-in visitor bypasses the cache anyway."""
    return cache_public_page(view)


@require_safe
def region_rollup(request, slug: str, year: int):
    """The region's summed tables with coverage, checks, downloads (and outliers for supervisors)."""
    return render(
        request, "reports/public/region_rollup.html", _rollup_context(request, slug, year)
    )


@require_safe
def region_cell(request, slug: str, year: int, table: str, row: str, column: str):
    """Which reports make up one summed cell, largest value first."""
    organ = region_or_404(slug)
    cell = Cell(table, row, column)
    if not rollups.is_cell(cell):
        raise Http404(_("没有这个栏目。"))
    rows = rollups.cell_breakdown(organ=organ, year=year, cell=cell)
    for entry in rows:
        entry["url"] = reverse(
            "reports:report_detail", kwargs={"slug": entry["organ__slug"], "year": year}
        )
    filled = [r["value"] for r in rows if r["value"] is not None]
    return render(
        request,
        "reports/public/region_cell.html",
        {
            "organ": organ,
            "year": year,
            "cell": cell,
            "label": rollups.cell_label(cell),
            "rows": rows,
            "total": display_number(sum(filled)) if filled else "",
            "blank": len(rows) - len(filled),
            "mapped_from": rollups.TO_2019.get(cell),
        },
    )


@require_safe
def region_league(request, slug: str, year: int):
    """Each key measure's ranking of the region's organs, with the change from last year."""
    organ = region_or_404(slug)
    kind = request.GET.get("kind", "")
    if kind not in league.KINDS:
        kind = ""
    tables = league.region_league(organ=organ, year=year, kind=kind)
    return render(
        request,
        "reports/public/region_league.html",
        {
            "organ": organ,
            "year": year,
            "kind": kind,
            "kinds": league.KINDS,
            "tables": [(m, tables[m.key]) for m in league.LEAGUE],
        },
    )


def _download(content, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def region_csv(request, slug: str, year: int):
    rollup = rollups.region_rollup(organ=region_or_404(slug), year=year)
    return _download(
        rollup_export.rollup_csv(rollup), "text/csv; charset=utf-8", f"{slug}-{year}-rollup.csv"
    )


@require_safe
def region_xlsx(request, slug: str, year: int):
    rollup = rollups.region_rollup(organ=region_or_404(slug), year=year)
    return _download(
        rollup_export.rollup_xlsx(rollup),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{slug}-{year}-rollup.xlsx",
    )


_prefix = "regions/<slug:slug>/<int:year>/"
urlpatterns = [
    path(_prefix, _public_or_supervisor(region_rollup), name="region_rollup"),
    path(
        _prefix + "cell/<str:table>/<str:row>/<str:column>/",
        cache_public_page(region_cell),
        name="region_cell",
    ),
    path(_prefix + "league/", cache_public_page(region_league), name="region_league"),
    path(_prefix + "rollup.csv", cache_public_page(region_csv), name="region_csv"),
    path(_prefix + "rollup.xlsx", region_xlsx, name="region_xlsx"),
]
