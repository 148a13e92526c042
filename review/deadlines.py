"""Publication deadlines and who meets them (the compliance dashboard, the reminders).

Deadlines are 31 January of the following year unless a region sets its own.

A Deadline row applies to its organ and everything below it; the nearest ancestor's row
for the year wins. The bulk version resolves many organs from one Deadline query and the
organ tree held in memory, so callers stay at a constant number of queries.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import connection

from filing.models import AnnualReport, Finding
from filing.workflow import Status
from organs.models import Organ
from review.models import Deadline
from review.standing import NOT_STARTED, default_deadline, path_ids, region_counts


def resolve_deadlines(
    organ_ids: Iterable[int],
    year: int,
    *,
    parents: Mapping[int, int | None],
    due_dates: Mapping[int, datetime.date],
) -> dict[int, datetime.date]:
    """Each organ's deadline from the tree (id -> parent id) and the year's Deadline rows.

    No ORM here: ``due_dates`` maps an organ id to its own Deadline.due_on for the year.
    """
    default = default_deadline(year)
    resolved: dict[int, datetime.date] = {}
    for organ_id in organ_ids:
        seen: set[int] = set()
        node: int | None = organ_id
        due = default
        # Walk up to the first organ that has its own row; the seen-set guards against cycles.
        while node is not None and node not in seen:
            if node in due_dates:
                due = due_dates[node]
                break
            seen.add(node)
            node = parents.get(node)
        resolved[organ_id] = due
    return resolved


def ancestor_parents(organ_ids: Iterable[int]) -> dict[int, int | None]:
    """{pk: parent_id} of these organs and all their ancestors, in one recursive query.

    Loading the whole tree cost a query over every organ of the country for each page that
    shows a deadline; the ancestors of a page's organs are a few dozen rows.
    """
    ids = sorted(set(organ_ids))
    if not ids:
        return {}
    table = connection.ops.quote_name(Organ._meta.db_table)
    sql = (
        f"WITH RECURSIVE up(id, parent_id) AS ("
        f" SELECT id, parent_id FROM {table} WHERE id IN ({', '.join(['%s'] * len(ids))})"
        f" UNION SELECT o.id, o.parent_id FROM {table} o JOIN up ON o.id = up.parent_id"
        f") SELECT id, parent_id FROM up"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        return dict(cursor.fetchall())


def deadlines_for(organ_ids: Iterable[int], year: int) -> dict[int, datetime.date]:
    """Deadlines of many organs for a year in two queries (their ancestors, the year's rows)."""
    organ_ids = list(organ_ids)
    if not organ_ids:
        return {}
    parents = ancestor_parents(organ_ids)
    due_dates = dict(Deadline.objects.filter(year=year).values_list("organ_id", "due_on"))
    return resolve_deadlines(organ_ids, year, parents=parents, due_dates=due_dates)


def deadline_for(organ, year: int) -> datetime.date:
    """The deadline of one organ's report for a year (the nearest ancestor's Deadline wins).

    The organ's path names its ancestors, so one query reads only their rows, whatever the
    number of regions that set their own deadline.
    """
    chain = path_ids(organ.path or "")
    if chain and chain[-1] == organ.pk:
        rows = dict(
            Deadline.objects.filter(year=year, organ_id__in=chain).values_list("organ_id", "due_on")
        )
        nearest = next((rows[pk] for pk in reversed(chain) if pk in rows), None)
        return nearest or default_deadline(year)
    # A path not written yet (an organ saved behind the ORM's back): walk the tree.
    due_dates = dict(Deadline.objects.filter(year=year).values_list("organ_id", "due_on"))
    if not due_dates:
        return default_deadline(year)
    parents = ancestor_parents([organ.pk])
    return resolve_deadlines([organ.pk], year, parents=parents, due_dates=due_dates)[organ.pk]


def deadline_subquery(path_sql: str, year_sql: str) -> str:
    """deadline_for as a scalar SQL subquery, for a page that reads the organ in the same
    statement: the due date of the year's Deadline row whose organ's path is the longest
    prefix of the organ's ``path_sql`` (the rule ComplianceQuery applies), or NULL when the
    default applies. Only for a written path: deadline_for walks the tree otherwise.

    ``path_sql`` and ``year_sql`` are SQL expressions (column references); read at every
    call, never kept, so a Deadline a supervisor changes shows at once in every process.
    """
    q = connection.ops.quote_name
    deadline, organ = q(Deadline._meta.db_table), q(Organ._meta.db_table)
    return (
        f"(SELECT d.due_on FROM {deadline} d INNER JOIN {organ} a ON a.id = d.organ_id"
        f" WHERE d.year = {year_sql} AND a.path <> '' AND {path_sql} LIKE a.path || '%%'"
        f" ORDER BY LENGTH(a.path) DESC LIMIT 1)"
    )


def subquery_deadline(due_on, year: int) -> datetime.date:
    """The deadline from a deadline_subquery column: its date, or the default when NULL."""
    return _parse_date(due_on) or default_deadline(year)


# ---------------------------------------------------------------- compliance per organ

STATUS_KEYS = (NOT_STARTED, "draft", "submitted", "returned", "approved", "published")


def status_labels() -> dict[str, str]:
    """The dashboard's statuses: the report pipeline's, and 未开始 for no report yet."""
    from django.utils.translation import get_language

    return dict(_status_labels(get_language()))


@functools.lru_cache(maxsize=16)
def _status_labels(language: str | None) -> tuple[tuple[str, str], ...]:
    """status_labels in one language, translated once (a dashboard page asks for every row)."""
    from django.utils.translation import gettext, override

    with override(language):
        labels = {NOT_STARTED: gettext("未开始"), **{s.value: str(s.label) for s in Status}}
    return tuple(labels.items())


@dataclass(frozen=True)
class OrganNode:
    pk: int
    parent_id: int | None
    name: str
    short_name: str
    slug: str
    is_active: bool


class OrganTree:
    """Every organ, held in memory from one query, to walk regions without a query per level."""

    def __init__(self, nodes: Iterable[OrganNode]):
        self.nodes = {n.pk: n for n in nodes}
        self.children: dict[int, list[int]] = {}
        for node in self.nodes.values():
            if node.parent_id is not None:
                self.children.setdefault(node.parent_id, []).append(node.pk)

    @classmethod
    def load(cls) -> OrganTree:

        fields = ("pk", "parent_id", "name", "short_name", "slug", "is_active")
        return cls(OrganNode(*row) for row in Organ.objects.values_list(*fields))

    @property
    def parents(self) -> dict[int, int | None]:
        return {pk: n.parent_id for pk, n in self.nodes.items()}

    def region(self, root_ids: Iterable[int] | None) -> set[int]:
        """The roots and everything below them; every organ for None."""
        if root_ids is None:
            return set(self.nodes)
        seen: set[int] = set()
        stack = [pk for pk in root_ids if pk in self.nodes]
        while stack:
            pk = stack.pop()
            if pk not in seen:
                seen.add(pk)
                stack.extend(self.children.get(pk, ()))
        return seen

    def has_active_children(self, pk: int) -> bool:
        return any(self.nodes[c].is_active for c in self.children.get(pk, ()))

    def regions(self, organ_ids: set[int]) -> list[OrganNode]:
        """Organs among the given ones that have organs below them (a region filter's choices)."""
        found = [self.nodes[pk] for pk in organ_ids if self.children.get(pk)]
        return sorted(found, key=lambda n: n.name)


@dataclass(frozen=True)
class ComplianceRow:
    """One organ's standing for a reporting year."""

    organ: OrganNode
    status: str
    correcting: bool
    deadline: datetime.date
    published_on: datetime.date | None
    days_late: int
    errors: int
    report_id: int | None

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    @property
    def status_label(self) -> str:
        from django.utils.translation import get_language

        return dict(_status_labels(get_language()))[self.status]


def days_late(deadline: datetime.date, published_on: datetime.date | None, today) -> int:
    """Days past the deadline: at first publication if published, else as of today."""
    return max(0, ((published_on or today) - deadline).days)


def compliance_rows(
    *, year: int, tree: OrganTree, root_ids: Iterable[int] | None, today: datetime.date
) -> list[ComplianceRow]:
    """Every reporting organ of the region with its report's status, deadline, lateness, errors.

    Two queries whatever the number of organs (the year's reports with their error counts,
    the year's Deadline rows) besides the tree the caller loaded. A reporting organ is an
    active organ with no active organ below it, or any organ that has a report that year.
    """
    from django.db.models import Count, Q

    scope = tree.region(root_ids)
    reports = {
        r["organ_id"]: r
        for r in AnnualReport.objects.filter(year=year, organ_id__in=scope)
        .annotate(errors=Count("findings", filter=Q(findings__severity=Finding.Severity.ERROR)))
        .values("pk", "organ_id", "status", "current_publication_id", "published_on", "errors")
    }
    due_dates = dict(Deadline.objects.filter(year=year).values_list("organ_id", "due_on"))
    organ_ids = [
        pk
        for pk in scope
        if pk in reports or (tree.nodes[pk].is_active and not tree.has_active_children(pk))
    ]
    deadlines = resolve_deadlines(organ_ids, year, parents=tree.parents, due_dates=due_dates)
    rows = []
    for pk in organ_ids:
        report = reports.get(pk)
        public = bool(report and report["current_publication_id"])
        published_on = report["published_on"] if public else None
        rows.append(
            ComplianceRow(
                organ=tree.nodes[pk],
                status="published" if public else (report["status"] if report else NOT_STARTED),
                correcting=public and report["status"] != "published",
                deadline=deadlines[pk],
                published_on=published_on,
                days_late=days_late(deadlines[pk], published_on, today),
                errors=report["errors"] if report else 0,
                report_id=report["pk"] if report else None,
            )
        )
    return sorted(rows, key=lambda r: (r.organ.name, r.organ.pk))


def reporting_year(today: datetime.date) -> int:
    """The year whose reports are due now: last year's (due 31 January of this year)."""
    return today.year - 1


def reminder_rows(*, today: datetime.date, within_days: int = 7) -> list[ComplianceRow]:
    """Unpublished reports of the reporting year due within the given days, or overdue."""
    rows = compliance_rows(
        year=reporting_year(today), tree=OrganTree.load(), root_ids=None, today=today
    )
    return [r for r in rows if not r.is_published and (r.deadline - today).days <= within_days]


# ---------------------------------------------------------------- the dashboard, in the database


def _parse_date(value) -> datetime.date | None:
    """A date column as read by a raw cursor (SQLite hands back ISO text)."""
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


class ComplianceQuery:
    """compliance_rows in the database: the region filtered, counted and paged in SQL.

    The dashboard of a province has thousands of organs; building every row in Python grew
    with the region (180 ms at 2,000 organs), and so did walking the region down the tree
    with a deadline check per organ (439 ms at 20,000 organs). Here the region is a prefix
    of the organs' materialised path and each organ's deadline the year's Deadline row with
    the longest path prefix of its own; the database joins the year's reports and answers a
    page of rows, each with its error count, reading the organs' name index only as far as
    the page. The status counts are kept per region and year (review/standing.py), so they
    cost the same for a town or the country. Rows, statuses, deadlines and lateness are those of compliance_rows
    (tests/review/test_staff_pages_scale.py holds the two to the same answers).

    ``root_ids`` None is every organ.
    Usable as a Paginator's object list: ``count()`` and slices.
    """

    def __init__(
        self,
        *,
        year: int,
        root_ids: Iterable[int] | None,
        today: datetime.date,
        status: str = "",
        late: bool = False,
    ):
        self.year = year
        self.root_ids = None if root_ids is None else sorted(set(root_ids))
        self.today = today
        self.status = status
        self.late = late
        self._summary: dict[str, tuple[int, int]] | None = None
        self._paths: list[str] | None = None
        self._roots: dict[int, str] = {}
        self._pages: dict[int, tuple[int, list[ComplianceRow]]] = {}

    # -- SQL

    def _scope(self) -> tuple[list[str] | None, list[tuple[str, datetime.date]]]:
        """(the roots' paths or None for every organ, the year's deadlines that apply).

        One query, once: the roots' materialised paths (every top organ's for None) and the
        year's Deadline rows with their organs' paths, longest path first (the nearest
        ancestor's row wins). A row applies when its organ is above a root or inside a root's
        region.
        """
        if self._paths is None:
            q = connection.ops.quote_name
            organ, deadline = q(Organ._meta.db_table), q(Deadline._meta.db_table)
            roots = self.root_ids or []
            sql = (
                f"SELECT 1, o.path, d.due_on FROM {deadline} d"
                f" INNER JOIN {organ} o ON o.id = d.organ_id WHERE d.year = %s"
            )
            params: list = [self.year]
            if roots:
                marks = ", ".join(["%s"] * len(roots))
                sql += f" UNION ALL SELECT 0, o.path, NULL FROM {organ} o WHERE o.id IN ({marks})"
                params += roots
            elif self.root_ids is None:
                sql += f" UNION ALL SELECT 0, o.path, NULL FROM {organ} o WHERE o.parent_id IS NULL"
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                fetched = cursor.fetchall()
            paths = sorted({path for kind, path, _due in fetched if kind == 0 and path})
            dues = [(path, _parse_date(due)) for kind, path, due in fetched if kind == 1 and path]
            dues = [
                (path, due)
                for path, due in dues
                if any(root.startswith(path) or path.startswith(root) for root in paths)
            ]
            self._roots = {path_ids(path)[-1]: path for path in paths}
            self._paths = (None if self.root_ids is None else paths, dues)
        paths, dues = self._paths
        return paths, sorted(dues, key=lambda d: (-len(d[0]), d[0]))

    def _rows_sql(self) -> tuple[str, list]:
        """The CTE ``compliance`` of every reporting organ of the scope, with status and deadline.

        The scope is a prefix of the organs' materialised path (no walk of the tree), and an
        organ's deadline the due date of the longest Deadline path that prefixes its own (a
        CASE over the few rows of the year). NOT MATERIALIZED: a page ordered by name then
        walks the organs' name index and stops at its last row instead of sorting the region.
        """
        q = connection.ops.quote_name
        organ, report = q(Organ._meta.db_table), q(AnnualReport._meta.db_table)
        paths, dues = self._scope()
        params: list = []
        due_sql = "%s"
        if dues:
            due_sql = "CASE" + " WHEN o.path LIKE %s THEN %s" * len(dues) + " ELSE %s END"
            for path, due in dues:
                params += [f"{path}%", due]
        params.append(default_deadline(self.year))
        scope = ""
        if paths is not None:
            scope = " AND (" + (" OR ".join(["o.path LIKE %s"] * len(paths)) or "1 = 0") + ")"
        sql = (
            f"WITH compliance AS NOT MATERIALIZED (SELECT o.id AS organ_id, o.parent_id, o.name,"
            f"  o.short_name, o.slug, o.is_active, r.id AS report_id, r.status AS report_status,"
            f"  r.current_publication_id AS publication_id,"
            f"  CASE WHEN r.current_publication_id IS NOT NULL THEN r.published_on END"
            f"   AS published_on,"
            f"  {due_sql} AS due_on,"
            f"  CASE WHEN r.current_publication_id IS NOT NULL THEN %s"
            f"   WHEN r.id IS NULL THEN %s ELSE r.status END AS status_key"
            f" FROM {organ} o"
            f" LEFT JOIN {report} r ON r.organ_id = o.id AND r.year = %s"
            f" WHERE (r.id IS NOT NULL OR (o.is_active AND NOT EXISTS ("
            f"  SELECT 1 FROM {organ} k WHERE k.parent_id = o.id AND k.is_active))){scope})"
        )
        params += [Status.PUBLISHED.value, NOT_STARTED, self.year]
        params += [f"{path}%" for path in paths or ()]
        return sql, params

    def _late_sql(self) -> str:
        return "COALESCE(published_on, %s) > due_on"

    def _where(self) -> tuple[str, list]:
        clauses, params = [], []
        if self.status:
            clauses.append("status_key = %s")
            params.append(self.status)
        if self.late:
            clauses.append(self._late_sql())
            params.append(self.today)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def summary(self) -> dict[str, tuple[int, int]]:
        """{status key: (organs, late organs)} of the filtered rows, from the counts kept per
        region and year (review/standing.py): two queries whatever the size of the region."""
        if self._summary is None:
            _paths, dues = self._scope()  # also sets self._roots
            counts = region_counts(year=self.year, roots=self._roots, dues=dues, today=self.today)
            if self.status:
                counts = {k: v for k, v in counts.items() if k == self.status}
            if self.late:
                counts = {k: (late, late) for k, (_n, late) in counts.items() if late}
            self._summary = counts
        return self._summary

    def prefetch(self, offset: int, limit: int) -> None:
        """The counts, and the rows of the page a view expects to show (the last page when
        ``offset`` is past the end, as Paginator.get_page shows then)."""
        total = self.count()
        if total and offset >= total:
            offset = (total - 1) // limit * limit
        self._pages[offset] = (limit, self._query(offset=offset, limit=limit))

    def count(self) -> int:
        return sum(n for n, _late in self.summary().values())

    def late_count(self) -> int:
        return sum(late for _n, late in self.summary().values())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index) -> list[ComplianceRow]:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("ComplianceQuery takes slices")
        start = index.start or 0
        limit = None if index.stop is None else max(0, index.stop - start)
        if limit is not None and start in self._pages:
            known_limit, rows = self._pages[start]
            if limit <= known_limit or len(rows) < known_limit:
                return rows[:limit]
        return self._query(offset=start, limit=limit)

    def all(self) -> list[ComplianceRow]:
        return self._query(offset=0, limit=None)

    def unpublished_or_late(self) -> list[ComplianceRow]:
        """The rows a coverage note names: not published, or published after the deadline."""
        named = ("(status_key <> %s OR published_on > due_on)", [Status.PUBLISHED.value])
        return self._query(offset=0, limit=None, also=named)

    def _query(
        self, *, offset: int, limit: int | None, also: tuple[str, list] | None = None
    ) -> list[ComplianceRow]:
        """Rows by organ name (then id), each with its report's error count; with a ``limit``,
        one page of them (read off the organs' name index, not sorted). ``also``: one more
        condition (SQL, params) on the rows."""
        cte, params = self._rows_sql()
        where, where_params = self._where()
        if also is not None:
            where += (" AND " if where else " WHERE ") + also[0]
            where_params = [*where_params, *also[1]]
        finding = connection.ops.quote_name(Finding._meta.db_table)
        columns = (
            "organ_id, parent_id, name, short_name, slug, is_active, report_status,"
            " publication_id, published_on, due_on, report_id,"
            f" (SELECT COUNT(*) FROM {finding} f WHERE f.report_id = page.report_id"
            "  AND f.severity = %s) AS errors, status_key"
        )
        ordered = f"SELECT * FROM compliance{where} ORDER BY name, organ_id"
        if limit is not None:
            ordered += " LIMIT %s OFFSET %s"
        sql = f"{cte} SELECT {columns} FROM ({ordered}) page ORDER BY name, organ_id"
        params += [Finding.Severity.ERROR.value, *where_params]
        if limit is not None:
            params += [limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return self._rows(cursor.fetchall())

    def _rows(self, fetched) -> list[ComplianceRow]:
        rows = []
        for (pk, parent_id, name, short_name, slug, is_active, report_status, publication_id,
             published_on, due_on, report_id, errors, status) in fetched:  # fmt: skip
            due = _parse_date(due_on)
            published = _parse_date(published_on)
            rows.append(
                ComplianceRow(
                    organ=OrganNode(pk, parent_id, name, short_name, slug, bool(is_active)),
                    status=status,
                    correcting=publication_id is not None
                    and report_status != Status.PUBLISHED.value,
                    deadline=due,
                    published_on=published,
                    days_late=days_late(due, published, self.today),
                    errors=errors,
                    report_id=report_id,
                )
            )
        return rows
