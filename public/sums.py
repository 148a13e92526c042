"""Sums kept at publication: each region's current figures per year, so pages that sum over a
region read a few hundred rows at any size instead of every published cell of the region.

:class:`~public.models.RegionSum` (cells) and :class:`~public.models.RegionYear` (report counts
and the statistics measures) hold, for every organ with organs below it, the sums over the
current publications of the organs *below* it; readers add the region organ's own report
(:func:`region_cells`, :func:`region_years`, one query each). They are kept true by:

- publishing (:func:`region_sums_publish`, in report_publish's transaction): a first
  publication adds its cells to each ancestor of its organ, a correction adds the difference;
- deleting a current publication (:func:`region_sums_withdraw`, on pre_delete);
- moving an organ (:func:`region_sums_move`, on the organ's save): the moved subtree's sums
  leave the old ancestors and join the new ones;
- :func:`region_sums_rebuild` from scratch (set-based SQL), after bulk loads that bypass the
  services (``manage.py rebuild_region_sums``, bench's generate_dataset).

Deltas are applied with ``INSERT … ON CONFLICT DO UPDATE SET total = total + delta`` (both
PostgreSQL and SQLite), in key order so that concurrent publications in one county lock the
shared ancestors' rows in the same order and wait for each other rather than deadlock. A row
whose count falls to zero is deleted, so the kept rows always equal a rebuild's.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence

from django.db import connection, transaction
from django.db.models import IntegerField, Value

from organs.models import Organ
from public.measures import MEASURES
from public.models import Publication, PublishedFigure, RegionSum, RegionYear

CELL = ("edition", "table", "row", "column")


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _tables() -> dict[str, str]:
    return {
        "organ": _q(Organ._meta.db_table),
        "pub": _q(Publication._meta.db_table),
        "fig": _q(PublishedFigure._meta.db_table),
        "sum": _q(RegionSum._meta.db_table),
        "year": _q(RegionYear._meta.db_table),
    }


def _keys() -> tuple[list[str], list[str]]:
    """RegionSum's key columns and RegionYear's, quoted, in lock order."""
    cell = [_q(c) for c in CELL]
    return [_q("region_id"), _q("year"), *cell], [_q("region_id"), _q("year"), _q("edition")]


def _measure_keys(measures: Sequence[str] | None) -> list[str]:
    return list(measures) if measures is not None else [m.key for m in MEASURES]


def _upsert_cells(with_sql: str, select_sql: str) -> str:
    """INSERT the grouped deltas of ``select_sql`` (columns: region_id, year, the cell, total,
    filled) into RegionSum, adding them to the rows already there."""
    t, (key, _year_key) = _tables(), _keys()
    columns = ", ".join([*key, _q("total"), _q("filled")])
    order = ", ".join(str(i) for i in range(1, len(key) + 1))
    return (
        f"{with_sql} INSERT INTO {t['sum']} ({columns}) {select_sql} ORDER BY {order}"
        f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET"
        f" {_q('total')} = {t['sum']}.{_q('total')} + excluded.{_q('total')},"
        f" {_q('filled')} = {t['sum']}.{_q('filled')} + excluded.{_q('filled')}"
    )


def _upsert_years(with_sql: str, select_sql: str, measures: list[str]) -> str:
    """The same for RegionYear (columns: region_id, year, edition, reports, each measure and
    its filled count)."""
    t, (_key, key) = _tables(), _keys()
    added = [_q("reports")] + [_q(c) for m in measures for c in (m, f"{m}_filled")]
    updates = ", ".join(f"{c} = {t['year']}.{c} + excluded.{c}" for c in added)
    return (
        f"{with_sql} INSERT INTO {t['year']} ({', '.join([*key, *added])}) {select_sql}"
        f" ORDER BY 1, 2, 3 ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
    )


def _year_columns(pub: str, sign: str, measures: list[str]) -> str:
    """reports, then each measure's signed sum and signed filled count, of publications
    ``pub`` weighted by ``sign``."""
    parts = [f"SUM({sign})"]
    for m in measures:
        col = f"{pub}.{_q(m)}"
        parts.append(f"SUM({sign} * COALESCE({col}, 0))")
        parts.append(f"SUM(CASE WHEN {col} IS NULL THEN 0 ELSE {sign} END)")
    return ", ".join(parts)


def _ancestors_cte(seed_sql: str) -> str:
    """up(organ_id, region_id): each seed organ (``seed_sql`` selects ids) with every organ
    above it. Each step looks the parent up by primary key (a join let the planner scan the
    whole organ table at every level); UNION stops a cycle."""
    organ = _tables()["organ"]
    return (
        f"chain(organ_id, region_id) AS (SELECT o.id, o.parent_id FROM {organ} o"
        f" WHERE o.id IN ({seed_sql}) UNION SELECT chain.organ_id,"
        f" (SELECT o.parent_id FROM {organ} o WHERE o.id = chain.region_id)"
        f" FROM chain WHERE chain.region_id IS NOT NULL),"
        f" up(organ_id, region_id) AS"
        f" (SELECT organ_id, region_id FROM chain WHERE region_id IS NOT NULL)"
    )


def _execute(cursor, sql: str, params: Sequence, table: str, count: str, *, drop: bool) -> None:
    """Run an upsert; with ``drop``, delete the rows whose ``count`` it brought to zero (a
    blanked cell, a withdrawn report), so the kept rows equal a rebuild's."""
    if not drop:
        cursor.execute(sql, params)
        return
    cursor.execute(f"{sql} RETURNING id, {_q(count)}", params)
    empty = [pk for pk, n in cursor.fetchall() if n == 0]
    if empty:
        marks = ", ".join(["%s"] * len(empty))
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", empty)


def _apply_publications(signs: dict[int, int], measures: list[str] | None = None) -> None:
    """Add each publication's current cells and measures (weighted +1 or -1) to the sums of
    every organ above its organ."""
    t, measures = _tables(), _measure_keys(measures)
    pairs = " UNION ALL ".join(["SELECT %s, %s"] * len(signs))
    params = [v for item in sorted(signs.items()) for v in item]
    with_sql = f"WITH RECURSIVE d(publication_id, sign) AS ({pairs}), " + _ancestors_cte(
        f"SELECT p.organ_id FROM {t['pub']} p JOIN d ON d.publication_id = p.id"
    )
    cell = ", ".join(f"f.{_q(c)}" for c in CELL)
    cells = (
        f"SELECT up.region_id, f.year, {cell}, SUM(d.sign * f.value), SUM(d.sign)"
        f" FROM {t['fig']} f JOIN d ON d.publication_id = f.publication_id"
        f" JOIN up ON up.organ_id = f.organ_id WHERE f.value IS NOT NULL"
        f" GROUP BY up.region_id, f.year, {cell}"
        # A correction that leaves a cell as it was changes nothing there.
        f" HAVING SUM(d.sign) <> 0 OR SUM(d.sign * f.value) <> 0"
    )
    years = (
        f"SELECT up.region_id, p.year, p.edition, {_year_columns('p', 'd.sign', measures)}"
        f" FROM {t['pub']} p JOIN d ON d.publication_id = p.id"
        f" JOIN up ON up.organ_id = p.organ_id GROUP BY up.region_id, p.year, p.edition"
    )
    drop = any(sign < 0 for sign in signs.values())
    with connection.cursor() as cursor:
        _execute(cursor, _upsert_cells(with_sql, cells), params, t["sum"], "filled", drop=drop)
        sql = _upsert_years(with_sql, years, measures)
        _execute(cursor, sql, params, t["year"], "reports", drop=drop)


def region_sums_publish(*, publication: Publication, previous: Publication | None) -> None:
    """Count a new current publication in its regions' sums, replacing ``previous`` (the
    publication it corrects) if any. Call inside the publishing transaction."""
    signs = {publication.pk: 1}
    if previous is not None:
        signs[previous.pk] = -1
    _apply_publications(signs)


def region_sums_withdraw(*, publication: Publication) -> None:
    """Take a current publication out of its regions' sums (before it is deleted)."""
    _apply_publications({publication.pk: -1})


def region_sums_move(*, organ_id: int, old_parent_id: int | None, new_parent_id: int | None):
    """Move an organ's subtree in the sums: what is below it and its own current reports
    leave the old parent and every organ above it, and join the new ones. Ancestors the two
    share see no change. Call in the transaction that saves the move."""
    if old_parent_id == new_parent_id:
        return
    t, measures = _tables(), _measure_keys(None)
    seeds, params = [], []
    for parent, sign in ((old_parent_id, -1), (new_parent_id, 1)):
        if parent is not None:
            # Read from the organ table, so the seed has the id column's type (PostgreSQL).
            seeds.append(f"SELECT s.id, %s FROM {t['organ']} s WHERE s.id = %s")
            params += [sign, parent]
    with_sql = (
        f"WITH RECURSIVE moves(region_id, sign) AS ({' UNION '.join(seeds)}"
        f" UNION SELECT (SELECT o.parent_id FROM {t['organ']} o WHERE o.id = moves.region_id),"
        f" moves.sign FROM moves WHERE moves.region_id IS NOT NULL),"
        f" chain(region_id, sign) AS"
        f" (SELECT region_id, sign FROM moves WHERE region_id IS NOT NULL)"
    )
    cell = ", ".join(_q(c) for c in CELL)
    moved_cells = (
        f"SELECT year, {cell}, total, filled FROM {t['sum']} WHERE region_id = %s UNION ALL"
        f" SELECT year, {cell}, value, 1 FROM {t['fig']}"
        f" WHERE organ_id = %s AND is_current AND value IS NOT NULL"
    )
    cells = (
        f"SELECT chain.region_id, m.year, {', '.join(f'm.{_q(c)}' for c in CELL)},"
        f" SUM(chain.sign * m.total), SUM(chain.sign * m.filled)"
        f" FROM ({moved_cells}) m, chain"
        f" GROUP BY chain.region_id, m.year, {', '.join(f'm.{_q(c)}' for c in CELL)}"
        f" HAVING SUM(chain.sign * m.filled) <> 0 OR SUM(chain.sign * m.total) <> 0"
    )
    own = ", ".join(["1"] + [c for m in measures for c in (_q(m), _filled_sql(m))])
    kept = ", ".join([_q("reports")] + [_q(c) for m in measures for c in (m, f"{m}_filled")])
    moved_years = (
        f"SELECT year, edition, {kept} FROM {t['year']} WHERE region_id = %s UNION ALL"
        f" SELECT year, edition, {own} FROM {t['pub']} WHERE organ_id = %s AND is_current"
    )
    sums = [f"SUM(chain.sign * m.{_q('reports')})"] + [
        f"SUM(chain.sign * COALESCE(m.{_q(c)}, 0))" for m in measures for c in (m, f"{m}_filled")
    ]
    years = (
        f"SELECT chain.region_id, m.year, m.edition, {', '.join(sums)}"
        f" FROM ({moved_years}) m, chain GROUP BY chain.region_id, m.year, m.edition"
    )
    moved = [organ_id, organ_id]
    with transaction.atomic(), connection.cursor() as cursor:
        sql = _upsert_cells(with_sql, cells)
        _execute(cursor, sql, params + moved, t["sum"], "filled", drop=True)
        sql = _upsert_years(with_sql, years, measures)
        _execute(cursor, sql, params + moved, t["year"], "reports", drop=True)


def _filled_sql(measure: str) -> str:
    return f"CASE WHEN {_q(measure)} IS NULL THEN 0 ELSE 1 END"


def region_sums_rebuild(
    *,
    measures: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Recompute every kept sum from the current publications (one transaction; a year at a
    time, reported through ``progress``). Returns the rows written per table.

    ``measures`` names RegionYear's measure columns (a migration passes those of its time).
    """
    t, measures = _tables(), _measure_keys(measures)
    (cell_key, year_key) = _keys()
    with_sql = "WITH RECURSIVE " + _ancestors_cte(f"SELECT id FROM {t['organ']}")
    cell = ", ".join(f"f.{_q(c)}" for c in CELL)
    cells = (
        f"{with_sql} INSERT INTO {t['sum']} ({', '.join(cell_key)}, {_q('total')}, {_q('filled')})"
        f" SELECT up.region_id, f.year, {cell}, SUM(f.value), COUNT(*)"
        f" FROM {t['fig']} f JOIN up ON up.organ_id = f.organ_id"
        f" WHERE f.is_current AND f.year = %s AND f.value IS NOT NULL"
        f" GROUP BY up.region_id, f.year, {cell}"
    )
    added = [_q("reports")] + [_q(c) for m in measures for c in (m, f"{m}_filled")]
    years = (
        f"{with_sql} INSERT INTO {t['year']} ({', '.join([*year_key, *added])})"
        f" SELECT up.region_id, p.year, p.edition, {_year_columns('p', '1', measures)}"
        f" FROM {t['pub']} p JOIN up ON up.organ_id = p.organ_id"
        f" WHERE p.is_current GROUP BY up.region_id, p.year, p.edition"
    )
    counts = {"cells": 0, "years": 0}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Publications wait until the rebuild commits (their deltas then apply to it);
            # readers keep reading the old rows meanwhile.
            cursor.execute(f"LOCK TABLE {t['sum']}, {t['year']} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(f"DELETE FROM {t['sum']}")
        cursor.execute(f"DELETE FROM {t['year']}")
        cursor.execute(f"SELECT DISTINCT year FROM {t['pub']} WHERE is_current ORDER BY year")
        all_years = [row[0] for row in cursor.fetchall()]
        for year in all_years:
            cursor.execute(cells, [year])
            counts["cells"] += cursor.rowcount
            if progress:
                progress(
                    f"{year}: {cursor.rowcount} cell sums ({counts['cells']} in all),"
                    f" {time.perf_counter() - started:.1f} s"
                )
        cursor.execute(years)
        counts["years"] = cursor.rowcount
    if progress:
        progress(
            f"{counts['years']} region-years, {counts['cells']} cell sums"
            f" in {time.perf_counter() - started:.1f} s"
        )
    return counts


# ---------------------------------------------------------------- reading


def region_cells(*, region_id: int, year: int):
    """(edition, table, row, column, total, filled) of the region's current reports for the
    year, blank cells left out: its kept rows and its own report's cells, in one query. A cell
    may come twice (below and own): add them up."""
    below = RegionSum.objects.filter(region_id=region_id, year=year).values_list(
        *CELL, "total", "filled"
    )
    own = PublishedFigure.objects.filter(
        organ_id=region_id, year=year, is_current=True, value__isnull=False
    ).values_list(*CELL, "value", Value(1, output_field=IntegerField()))
    return below.order_by().union(own.order_by(), all=True)


def region_reports(*, region_id: int, year: int) -> dict[str, int]:
    """Edition -> the region's current reports of the year (editions without any left out)."""
    below = RegionYear.objects.filter(region_id=region_id, year=year).values_list(
        "edition", "reports"
    )
    own = Publication.objects.current().filter(organ_id=region_id, year=year)
    own = own.values_list("edition", Value(1, output_field=IntegerField()))
    reports: dict[str, int] = {}
    for edition, n in below.order_by().union(own.order_by(), all=True):
        reports[edition] = reports.get(edition, 0) + n
    return {edition: n for edition, n in reports.items() if n}


def region_years(
    *, region_slug: str = "", year: int | None = None, edition: str = ""
) -> list[tuple]:
    """(year, edition, reports, then each measure's sum and filled count) of the current
    reports of the region named ``region_slug`` (blank: of every top organ's region), per
    year and edition, in one query. A year and edition may come twice (below and own): add
    them up.

    Plain SQL: the ORM took 3 ms of CPU to compile this union of 40 columns, ten times what
    the database needs to answer it."""
    params = [v for v in (region_slug, year, edition) if v]
    sql = _region_years_sql(connection.vendor, bool(region_slug), bool(year), bool(edition))
    with connection.cursor() as cursor:
        cursor.execute(sql, params + params)
        return cursor.fetchall()


@functools.lru_cache(maxsize=32)
def _region_years_sql(vendor: str, by_region: bool, by_year: bool, by_edition: bool) -> str:
    """region_years' statement for the filters given (built once a process: its 80 quoted
    columns cost more than the database's answer)."""
    t = _tables()
    where = ["o.slug = %s" if by_region else "o.parent_id IS NULL"]
    if by_year:
        where.append("x.year = %s")
    if by_edition:
        where.append("x.edition = %s")
    kept = ", ".join(f"x.{_q(c)}" for m in MEASURES for c in (m.key, f"{m.key}_filled"))
    own = ", ".join(
        f"x.{_q(m.key)}, CASE WHEN x.{_q(m.key)} IS NULL THEN 0 ELSE 1 END" for m in MEASURES
    )
    return (
        f"SELECT x.year, x.edition, x.reports, {kept} FROM {t['year']} x"
        f" JOIN {t['organ']} o ON o.id = x.region_id WHERE {' AND '.join(where)}"
        f" UNION ALL SELECT x.year, x.edition, 1, {own} FROM {t['pub']} x"
        f" JOIN {t['organ']} o ON o.id = x.organ_id WHERE x.is_current AND {' AND '.join(where)}"
    )
