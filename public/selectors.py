"""Reads for the public pages: published versions only, never the live report being edited.

Every function here starts from Publication rows (the current one, or a numbered earlier
one), so a report reopened for correction keeps showing what was published.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import F, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import formats, layout
from organs.models import Organ
from public import fragments
from public.models import Publication
from public.versioning import CACHE_TIMEOUT, cache_version, tree_version
from review.deadlines import deadline_for

PAGE_SIZE = 50
# Search terms beyond this many are ignored: each one is another LIKE over the prose.
MAX_TERMS = 8
SORTS = {
    "year": ("-year", "organ_name"),
    "organ": ("organ_name", "-year"),
    "received": (F("received").desc(nulls_last=True), "-year", "organ_name"),
}
DEFAULT_SORT = "year"
# What a row of an organ's reports shows (public.fragments.key_figure_cells).
ROW_COLUMNS = (
    "organ_id", "year", "number", "published_on", "error_count", "received", "granted_full",
    "review_total", "litigation_total",
)  # fmt: skip
# The table headings of the national format, translatable for the English interface.
SECTION_TITLES = {
    formats.SECTION2: _("二、主动公开政府信息情况"),
    formats.SECTION3: _("三、收到和处理政府信息公开申请情况"),
    formats.SECTION4: _("四、政府信息公开行政复议、行政诉讼情况"),
}


def search_terms(q: str) -> list[str]:
    """The distinct terms of a query, split on ASCII and ideographic spaces."""
    terms: list[str] = []
    for term in re.split(r"\s+", (q or "").replace("\u3000", " ").strip()):
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def publication_years() -> list[int]:
    """Years that have at least one current publication, newest first.

    A loose index scan: each step asks the (is_current, year) index for the next year down,
    so it reads one index entry a year instead of every current publication (a DISTINCT over
    180,000 rows took 113-146 ms at 200,000 reports).
    """
    table = connection.ops.quote_name(Publication._meta.db_table)
    sql = (
        f"WITH RECURSIVE y(year) AS ("
        f" SELECT MAX(year) FROM {table} WHERE is_current"
        f" UNION ALL SELECT (SELECT MAX(p.year) FROM {table} p WHERE p.is_current"
        f" AND p.year < y.year) FROM y WHERE y.year IS NOT NULL"
        f") SELECT year FROM y WHERE year IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


def organ_has_publications(slug: str) -> bool:
    """Whether the organ of this slug has a current publication (the list's organ filter
    accepts no other): one lookup by index, instead of a list of every such organ."""
    return Publication.objects.current().filter(organ__slug=slug).exists()


# This process's copy of the latest filter options, under their versioned key: a new
# version (any publication) makes it stale as it does the shared cache's entry.
_LOCAL: dict[str, tuple] = {}


def filter_options() -> dict[str, list]:
    """Years and regions for the list's filters, cached until the next publication.

    A province has thousands of organs: building these lists on every request would cost
    more than the page itself.
    """
    key = f"public:{cache_version()}:filter-options:3"
    if _LOCAL.get("filter-options", (None,))[0] == key:
        return _LOCAL["filter-options"][1]
    options = cache.get(key)
    if options is None:
        options = {
            "years": publication_years(),
            "regions": list(regions().values_list("slug", "name")),
        }
        cache.set(key, options, CACHE_TIMEOUT)
    _LOCAL["filter-options"] = (key, options)
    return options


def region_ids(slug: str) -> list[int]:
    """The ids of the organ and every organ below it ([] for an unknown slug)."""
    return _region(slug)[0]


def region_narrows(slug: str) -> list[int] | None:
    """The ids a region filter keeps, or None when the region is the whole tree (a
    province's root): then it narrows nothing and ``organ_id IN (every organ)`` would only
    cost the database a list of thousands of ids to check on each row."""
    ids, whole = _region(slug)
    return None if whole else ids


def _region(slug: str) -> tuple[list[int], bool]:
    """(the region's ids, whether they are the whole tree), cached until organs change.

    Keyed by the tree's version, not the public one: a publication leaves the tree as it
    is, so the region filters need not walk it again after every publication.
    """
    key = f"public:{tree_version()}:region:{slug}"
    found = cache.get(key)
    if found is None:
        ids = _subtree_ids(slug)
        found = (ids, bool(ids) and len(ids) == Organ.objects.count())
        cache.set(key, found, CACHE_TIMEOUT)
    return found


def _subtree_ids(slug: str) -> list[int]:
    """The organ's id and those below it in one recursive query (UNION stops a cycle)."""
    table = connection.ops.quote_name(Organ._meta.db_table)
    sql = (
        f"WITH RECURSIVE tree(id) AS (SELECT id FROM {table} WHERE slug = %s"
        f" UNION SELECT o.id FROM {table} o JOIN tree t ON o.parent_id = t.id"
        f") SELECT id FROM tree"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [slug])
        return sorted(row[0] for row in cursor.fetchall())


def regions() -> QuerySet[Organ]:
    """Organs with organs below them: the choices of the region filter."""
    return Organ.objects.filter(children__isnull=False).distinct().order_by("name")


def publication_for_public(*, slug: str, year: int, version: int | None = None) -> Publication:
    """The current publication of an organ's report for a year, or its number `version`.

    Raises Publication.DoesNotExist when there is none (never published, or no such number).
    """
    # The search column (prose and names again) is read only by the list's search.
    publications = (
        Publication.objects.select_related("organ", "attachment")
        .defer("search_text")
        .filter(organ__slug=slug, year=year)
    )
    if version is None:
        return publications.get(is_current=True)
    return publications.get(number=version)


def publication_with_versions(
    *, slug: str, year: int, version: int | None = None
) -> tuple[Publication, list[Publication]]:
    """The publication (current, or number ``version``) and every published version of the
    same report, first one first, in one query (the report page shows both).

    Raises Publication.DoesNotExist when there is none (never published, or no such number).
    """
    versions = list(
        Publication.objects.select_related("organ", "attachment")
        .defer("search_text")
        .filter(organ__slug=slug, year=year)
        .order_by("number")
    )
    for publication in versions:
        if publication.number == version if version is not None else publication.is_current:
            return publication, versions
    raise Publication.DoesNotExist


def organ_publications(*, organ: Organ) -> list[Publication]:
    """An organ's current publications over the years, newest first."""
    return list(
        Publication.objects.current().filter(organ=organ).only(*ROW_COLUMNS).order_by("-year")
    )


def edition_name(edition_key: str) -> str:
    """The edition as a reader calls it: "2021年版"."""
    return gettext("%(edition)s年版") % {"edition": edition_key}


def deadline(organ: Organ, year: int) -> datetime.date:
    """The publication deadline of the organ's report for the year."""
    return deadline_for(organ, year)


# ---------------------------------------------------------------- figures


def figure_values(figures: dict, edition_key: str) -> dict[tuple[str, str, str], object]:
    """{(table, row, column): value} from the dict shape; unknown or missing cells are left out."""
    values: dict[tuple[str, str, str], object] = {}
    for row, columns in (figures.get(formats.SECTION2) or {}).items():
        for column, value in (columns or {}).items():
            values[(formats.SECTION2, row, column)] = value
    for row, row_values in (figures.get(formats.SECTION3) or {}).items():
        for column, value in zip(formats.APPLICANT_KEYS, row_values or (), strict=False):
            values[(formats.SECTION3, row, column)] = value
    cells = zip(formats.SECTION4_CELLS, figures.get(formats.SECTION4) or (), strict=False)
    for (group, column), value in cells:
        values[(formats.SECTION4, group, column)] = value
    return values


def display_number(value) -> str:
    """A figure as printed: 12, 3.5; a blank cell as an empty string."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# The layout of an edition never changes while the process runs.
_report_grids = functools.lru_cache(maxsize=8)(layout.report_grids)


@dataclass
class PublicGrid:
    """One official table of a publication: its layout and its rows as markup."""

    grid: layout.Grid
    head_html: str
    body_html: str

    @property
    def title(self) -> str:
        return str(SECTION_TITLES.get(self.grid.table, self.grid.caption))


def public_grids(publication: Publication) -> list[PublicGrid]:
    """The edition's three official tables, filled with the publication's figures."""
    values = figure_values(publication.figures or {}, publication.edition)
    edition = publication.edition
    return [
        PublicGrid(
            grid,
            head_html=fragments.grid_html(edition, grid.table, "head", values, display_number)
            if grid.head
            else "",
            body_html=fragments.grid_html(edition, grid.table, "body", values, display_number),
        )
        for grid in _report_grids(edition)
    ]


def figures_long_rows(publication: Publication) -> list[tuple[str, str, str, object]]:
    """(table, row, column, value) for every cell of the edition, in printed order."""
    values = figure_values(publication.figures or {}, publication.edition)
    return [
        (cell.table, cell.row, cell.column, values.get(cell.key))
        for cell in layout.edition_cells(publication.edition)
    ]


def figures_csv(publication: Publication) -> str:
    """The figures in long form (table,row,column,value), with a BOM so Excel reads UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["table", "row", "column", "value"])
    for table, row, column, value in figures_long_rows(publication):
        writer.writerow([table, row, column, display_number(value)])
    return "\ufeff" + buffer.getvalue()


def figures_payload(publication: Publication) -> dict:
    """The publication's figures and what identifies them, for the JSON download."""
    return {
        "organ": {"name": publication.organ.name, "slug": publication.organ.slug},
        "year": publication.year,
        "edition": publication.edition,
        "publication": publication.number,
        "is_current": publication.is_current,
        "published_on": publication.published_on.isoformat(),
        "correction_note": publication.correction_note,
        "key_figures": {
            "received": publication.received,
            "granted_full": publication.granted_full,
            "review_total": publication.review_total,
            "litigation_total": publication.litigation_total,
        },
        "error_count": publication.error_count,
        "warning_count": publication.warning_count,
        "figures": publication.figures,
        "cells": [
            {"table": t, "row": r, "column": c, "value": v}
            for t, r, c, v in figures_long_rows(publication)
        ],
    }
