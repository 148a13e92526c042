"""Reads for the public pages: published versions only, never the live report being edited.

Every function here starts from Publication rows (the current one, or a numbered earlier
one), so a report reopened for correction keeps showing what was published.
"""

from __future__ import annotations

import collections
import csv
import datetime
import functools
import io
import re

from django.core.cache import cache
from django.db import connection
from django.db.models import F, QuerySet
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import formats, layout
from organs.models import Organ
from public import fragments
from public.models import Publication
from public.versioning import CACHE_TIMEOUT, cache_version, tree_version
from review.deadlines import deadline_for, deadline_subquery, subquery_deadline
from review.standing import path_ids

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
    with connection.cursor() as cursor:
        cursor.execute(f"{_years_cte()} SELECT year FROM y WHERE year IS NOT NULL")
        return [row[0] for row in cursor.fetchall()]


def _years_cte() -> str:
    """``WITH RECURSIVE y(year)``: publication_years' loose index scan (NULL ends it)."""
    table = connection.ops.quote_name(Publication._meta.db_table)
    return (
        f"WITH RECURSIVE y(year) AS ("
        f" SELECT MAX(year) FROM {table} WHERE is_current"
        f" UNION ALL SELECT (SELECT MAX(p.year) FROM {table} p WHERE p.is_current"
        f" AND p.year < y.year) FROM y WHERE y.year IS NOT NULL)"
    )


def _filter_option_rows() -> tuple[list[int], list[tuple]]:
    """(publication_years(), the regions: (slug, name, path, parent_id) of each organ with
    organs below it, by name), in one statement. The list's filter options are read again
    after every publication by the first list page each process serves, and two round
    trips cost more than the statements. Raw SQL: the ORM cannot put a recursive CTE and a
    query in one statement. EXISTS, not a join made DISTINCT: the join read and sorted
    every organ (2.4 ms for 2,000 organs against 0.7)."""
    quote = connection.ops.quote_name
    organs = quote(Organ._meta.db_table)
    parent = quote(Organ._meta.get_field("parent").column)
    sql = (
        f"{_years_cte()}"
        f" SELECT 0, year, NULL, NULL, NULL, NULL FROM y WHERE year IS NOT NULL"
        f" UNION ALL SELECT 1, NULL, o.slug, o.name, o.path, o.{parent} FROM {organs} o"
        f" WHERE EXISTS (SELECT 1 FROM {organs} c WHERE c.{parent} = o.id)"
        f" ORDER BY 1, 2 DESC, 4"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    years = [row[1] for row in rows if row[0] == 0]
    return years, [row[2:] for row in rows if row[0] == 1]


def organ_has_publications(slug: str) -> bool:
    """Whether the organ of this slug has a current publication (the list's organ filter
    accepts no other): one lookup by index, instead of a list of every such organ."""
    return Publication.objects.current().filter(organ__slug=slug).exists()


# This process's copy of the latest filter options, under their versioned key: a new
# version (any publication) makes it stale as it does the shared cache's entry.
_LOCAL: dict[str, tuple] = {}


def filter_options() -> dict[str, list]:
    """Years and regions for the list's filters, cached until the next publication.

    ``regions``: (slug, name) pairs, the region select's options; ``region_paths``: each
    region's (materialised path, whether it is a root), so the list filters by region
    without walking the tree (``region_organs``).
    A province has thousands of organs: building these lists on every request would cost
    more than the page itself.
    """
    key = f"public:{cache_version()}:filter-options:4"
    if _LOCAL.get("filter-options", (None,))[0] == key:
        return _LOCAL["filter-options"][1]
    options = cache.get(key)
    if options is None:
        years, rows = _filter_option_rows()
        options = {
            "years": years,
            "regions": [(slug, name) for slug, name, _, _ in rows],
            "region_paths": {slug: (path, parent is None) for slug, _, path, parent in rows},
        }
        cache.set(key, options, CACHE_TIMEOUT)
    _LOCAL["filter-options"] = (key, options)
    return options


def region_organs(path: str, root: bool) -> QuerySet[Organ] | None:
    """The organs a region filter keeps (the region at ``path``, a root or not) as an id
    subquery, or None when the region is the whole tree (as ``region_narrows``).

    The database reads the ids off the path's index inside the filtered query: no walk of
    the tree, no cached id list sent back with every query.
    """
    if root and not Organ.objects.filter(parent__isnull=True).exclude(path=path).exists():
        return None
    return Organ.objects.within([path]).values("pk")


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


# What the report page reads of the publication it shows, and of its other versions (the
# list of versions); any other field is deferred (loaded if something reads it).
PAGE_FIELDS = (
    "id", "organ_id", "number", "year", "edition", "published_on", "correction_note",
    "overview", "problems", "other_matters", "figures", "error_count", "warning_count",
    "findings", "attachment_id", "is_current",
)  # fmt: skip
VERSION_FIELDS = (
    "id", "organ_id", "number", "year", "published_on", "correction_note", "is_current",
)  # fmt: skip
PAGE_ORGAN_FIELDS = ("id", "name", "slug", "path")


@functools.cache
def _attnames(model, names: tuple[str, ...]) -> tuple[str, ...]:
    """These fields' attnames in the model's field order, the order Model.from_db takes."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)


@functools.cache
def _versions_sql() -> str:
    """The report page's statement: PAGE_FIELDS, PAGE_ORGAN_FIELDS, the deadline's row."""
    q = connection.ops.quote_name
    columns = [
        f"p.{q(Publication._meta.get_field(a).column)}" for a in _attnames(Publication, PAGE_FIELDS)
    ] + [f"o.{q(Organ._meta.get_field(a).column)}" for a in _attnames(Organ, PAGE_ORGAN_FIELDS)]
    return (
        f"SELECT {', '.join(columns)}, {deadline_subquery('o.path', 'p.year')}"
        f" FROM {q(Publication._meta.db_table)} p"
        f" INNER JOIN {q(Organ._meta.db_table)} o ON o.id = p.organ_id"
        f" WHERE o.slug = %s AND p.year = %s ORDER BY p.number"
    )


def publication_with_versions(
    *, slug: str, year: int, version: int | None = None
) -> tuple[Publication, list[Publication], datetime.date]:
    """The publication (current, or number ``version``), every published version of the
    same report (first one first) and the report's deadline, in one query.

    Raw SQL, because the ORM spent longer compiling this statement (a join, its columns and
    the deadline subquery) than the database took to answer it, on the most visited public
    page. The other versions carry only what the list of versions shows (VERSION_FIELDS).
    Raises Publication.DoesNotExist when there is none (never published, or no such number).
    """
    with connection.cursor() as cursor:
        cursor.execute(_versions_sql(), [slug, year])
        rows = cursor.fetchall()
    if not rows:
        raise Publication.DoesNotExist
    page_names = _attnames(Publication, PAGE_FIELDS)
    width = len(page_names)
    organ_names = _attnames(Organ, PAGE_ORGAN_FIELDS)
    organ = Organ.from_db(connection.alias, organ_names, rows[0][width:-1])
    if organ.path and path_ids(organ.path)[-1] == organ.pk:
        due = subquery_deadline(rows[0][-1], year)
    else:  # a path not written yet: deadline_for walks the tree
        due = deadline_for(organ, year)
    at = {name: i for i, name in enumerate(page_names)}
    version_names = _attnames(Publication, VERSION_FIELDS)
    versions, shown = [], None
    for row in rows:
        values = list(row[:width])
        values[at["is_current"]] = bool(values[at["is_current"]])  # SQLite reads 0 and 1
        if values[at["number"]] == version if version is not None else values[at["is_current"]]:
            for name in ("figures", "findings"):
                field = Publication._meta.get_field(name)
                values[at[name]] = field.from_db_value(values[at[name]], None, connection)
            shown = Publication.from_db(connection.alias, page_names, values)
            publication = shown
        else:
            publication = Publication.from_db(
                connection.alias, version_names, [values[at[n]] for n in version_names]
            )
        publication.organ = organ
        versions.append(publication)
    if shown is None:
        raise Publication.DoesNotExist
    return shown, versions, due


# A row of an organ's page: ROW_COLUMNS of a current publication, as a named tuple (a model
# instance with 40 deferred fields cost more to build than the row to print).
PublicationRow = collections.namedtuple("PublicationRow", ("id", *ROW_COLUMNS))


@functools.cache
def _organ_page_sql() -> str:
    """The organ page's statement: the organ with each current publication (ROW_COLUMNS;
    one row of NULLs when there is none), then the organs below it by name."""
    q = connection.ops.quote_name
    organ, publication = q(Organ._meta.db_table), q(Publication._meta.db_table)
    row_columns = PublicationRow._fields
    columns = ", ".join(f"p.{q(Publication._meta.get_field(a).column)}" for a in row_columns)
    blanks = ", ".join(["NULL"] * len(row_columns))
    return (
        f"SELECT 0, o.id, o.name, o.slug, {columns}, NULL, NULL, NULL FROM {organ} o"
        f" LEFT JOIN {publication} p ON p.organ_id = o.id AND p.is_current WHERE o.slug = %s"
        f" UNION ALL SELECT 1, o.id, o.name, o.slug, {blanks}, c.id, c.name, c.slug"
        f" FROM {organ} o INNER JOIN {organ} c ON c.parent_id = o.id WHERE o.slug = %s"
        # Column numbers: the kind, the year, the child's name and id (two organs may share
        # a name).
        f" ORDER BY 1, {5 + row_columns.index('year')} DESC, {6 + len(row_columns)},"
        f" {5 + len(row_columns)}"
    )


def organ_page(*, slug: str) -> tuple[Organ, list[PublicationRow], list[Organ]]:
    """The organ, its current publications over the years (newest first) and the organs
    below it (by name), in one query.

    Raw SQL for the organ page (a tenth of the public traffic): three ORM queries cost it
    more in compiling than the database took to answer them. The organs carry their id,
    name and slug; the publications are PublicationRow, all a row shows.
    Raises Organ.DoesNotExist for an unknown slug.
    """
    with connection.cursor() as cursor:
        cursor.execute(_organ_page_sql(), [slug, slug])
        rows = cursor.fetchall()
    if not rows:
        raise Organ.DoesNotExist
    names = ("id", "name", "slug")
    organ = Organ.from_db(connection.alias, names, rows[0][1:4])
    publications, children = [], []
    for row in rows:
        if row[0] == 1:
            children.append(Organ.from_db(connection.alias, names, row[-3:]))
        elif row[4] is not None:  # the NULLs of an organ with no publication
            publications.append(PublicationRow(*row[4:-3]))
    return organ, publications, children


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


def public_grids(publication: Publication) -> SafeString:
    """The edition's three official tables, filled with the publication's figures: the
    report page's sections, one after the other."""
    values = figure_values(publication.figures or {}, publication.edition)
    edition = publication.edition
    return mark_safe(  # noqa: S308 - grid_html escapes
        "".join(
            fragments.grid_html(
                edition,
                grid.table,
                str(SECTION_TITLES.get(grid.table, grid.caption)),
                values,
                display_number,
            )
            for grid in _report_grids(edition)
        )
    )


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
