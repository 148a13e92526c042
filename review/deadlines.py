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


def default_deadline(year: int) -> datetime.date:
    """The national default: reports of year Y are due on 31 January of Y+1."""
    return datetime.date(year + 1, 1, 31)


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
    """The deadline of one organ's report for a year (the nearest ancestor's Deadline wins)."""
    due_dates = dict(Deadline.objects.filter(year=year).values_list("organ_id", "due_on"))
    if not due_dates:
        return default_deadline(year)
    parents = ancestor_parents([organ.pk])
    return resolve_deadlines([organ.pk], year, parents=parents, due_dates=due_dates)[organ.pk]


# ---------------------------------------------------------------- compliance per organ

NOT_STARTED = "not_started"
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


def _deadline_owners(root_ids: list[int], year: int) -> dict[int, int | None]:
    """For each root, the organ whose Deadline row of the year it follows (None: the default).

    Two queries (the roots' ancestors, the organs with a row that year), like deadlines_for.
    """
    owners = set(Deadline.objects.filter(year=year).values_list("organ_id", flat=True))
    parents = ancestor_parents(root_ids)
    found: dict[int, int | None] = {}
    for root in root_ids:
        seen: set[int] = set()
        node: int | None = root
        found[root] = None
        while node is not None and node not in seen:
            if node in owners:
                found[root] = node
                break
            seen.add(node)
            node = parents.get(node)
    return found


def _parse_date(value) -> datetime.date | None:
    """A date column as read by a raw cursor (SQLite hands back ISO text)."""
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


class ComplianceQuery:
    """compliance_rows in the database: the region walked, filtered, counted and paged in SQL.

    The dashboard of a province has thousands of organs; building every row in Python grew
    with the region (180 ms at 2,000 organs). Here the database walks the region down from
    its roots (one recursive CTE that carries, for each organ, the organ whose Deadline row
    it follows), joins the year's reports, and answers the status counts in one query and a
    page of rows in another, each page row with its error count. Rows, statuses, deadlines
    and lateness are those of compliance_rows (tests/review/test_compliance_sql.py holds the
    two to the same answers).

    ``root_ids`` None is every organ (the walk starts at the organs without a parent).
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
        self._owners: dict[int, int | None] | None = None
        self._pages: dict[int, tuple[int, list[ComplianceRow]]] = {}

    # -- SQL

    def _rows_sql(self) -> tuple[str, list]:
        """The CTE ``compliance`` of every reporting organ of the scope, with status and deadline."""
        q = connection.ops.quote_name
        organ, report = q(Organ._meta.db_table), q(AnnualReport._meta.db_table)
        deadline = q(Deadline._meta.db_table)
        params: list = []
        if self.root_ids is None:
            seed = (
                f"SELECT o.id, CASE WHEN EXISTS (SELECT 1 FROM {deadline} d"
                f" WHERE d.organ_id = o.id AND d.year = %s) THEN o.id END"
                f" FROM {organ} o WHERE o.parent_id IS NULL"
            )
            params.append(self.year)
        elif not self.root_ids:
            seed = f"SELECT o.id, o.id FROM {organ} o WHERE 1 = 0"
        else:
            if self._owners is None:
                self._owners = _deadline_owners(self.root_ids, self.year)
            owners = self._owners
            seed = " UNION ALL ".join(
                f"SELECT o.id, CAST(%s AS BIGINT) FROM {organ} o WHERE o.id = %s"
                for _ in self.root_ids
            )
            for root in self.root_ids:
                params += [owners[root], root]
        sql = (
            f"WITH RECURSIVE scope(id, due_organ) AS ({seed}"
            f" UNION SELECT c.id, CASE WHEN EXISTS (SELECT 1 FROM {deadline} d"
            f"  WHERE d.organ_id = c.id AND d.year = %s) THEN c.id ELSE s.due_organ END"
            f" FROM {organ} c INNER JOIN scope s ON c.parent_id = s.id),"
            f" region(id, due_organ) AS (SELECT id, MIN(due_organ) FROM scope GROUP BY id),"
            f" compliance AS (SELECT o.id AS organ_id, o.parent_id, o.name, o.short_name, o.slug,"
            f"  o.is_active, r.id AS report_id, r.status AS report_status,"
            f"  r.current_publication_id AS publication_id,"
            f"  CASE WHEN r.current_publication_id IS NOT NULL THEN r.published_on END"
            f"   AS published_on,"
            f"  COALESCE(dd.due_on, %s) AS due_on,"
            f"  CASE WHEN r.current_publication_id IS NOT NULL THEN %s"
            f"   WHEN r.id IS NULL THEN %s ELSE r.status END AS status_key"
            f" FROM region g INNER JOIN {organ} o ON o.id = g.id"
            f" LEFT JOIN {report} r ON r.organ_id = o.id AND r.year = %s"
            f" LEFT JOIN {deadline} dd ON dd.organ_id = g.due_organ AND dd.year = %s"
            f" WHERE r.id IS NOT NULL OR (o.is_active AND NOT EXISTS ("
            f"  SELECT 1 FROM {organ} k WHERE k.parent_id = o.id AND k.is_active)))"
        )
        params += [
            self.year,
            default_deadline(self.year),
            Status.PUBLISHED.value,
            NOT_STARTED,
            self.year,
            self.year,
        ]
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
        """{status key: (organs, late organs)} of the filtered rows (one query, or none after
        prefetch)."""
        if self._summary is None:
            self._query(summary=True, offset=0, limit=0)
        return self._summary

    def prefetch(self, offset: int, limit: int) -> None:
        """The counts and the rows of one page in a single query (the page a view expects to
        show; a Paginator asking for another slice costs one more query)."""
        self._query(summary=True, offset=offset, limit=limit)

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
        return self._query(summary=False, offset=start, limit=limit)

    def all(self) -> list[ComplianceRow]:
        return self._query(summary=False, offset=0, limit=None)

    def _query(self, *, summary: bool, offset: int, limit: int | None) -> list[ComplianceRow]:
        """Rows by organ name (then id), each with its report's error count.

        With a ``limit``, the rows of that page and of the last page come back (a page number
        past the end shows the last page); with ``summary``, the status counts too, in the same
        query (rows of kind 0; the rows of kind 1).
        """
        cte, params = self._rows_sql()
        where, where_params = self._where()
        finding = connection.ops.quote_name(Finding._meta.db_table)
        sql = (
            f"{cte}, filtered AS (SELECT compliance.*,"
            f" ROW_NUMBER() OVER (ORDER BY name, organ_id) AS position,"
            f" COUNT(*) OVER () AS total FROM compliance{where})"
            f" SELECT 1 AS kind, status_key, CAST(NULL AS BIGINT) AS n,"
            f" CAST(NULL AS BIGINT) AS late, organ_id, parent_id, name, short_name, slug,"
            f" is_active, report_status, publication_id, published_on, due_on, report_id,"
            f" (SELECT COUNT(*) FROM {finding} f WHERE f.report_id = filtered.report_id"
            f"  AND f.severity = %s) AS errors, position"
            f" FROM filtered"
        )
        params = [*params, *where_params, Finding.Severity.ERROR.value]
        if limit is not None:
            sql += (
                " WHERE (position > %s AND position <= %s)"
                " OR (%s > 0 AND position > (total - 1) / %s * %s)"
            )
            params += [offset, offset + limit, limit, max(limit, 1), limit]
        elif offset:
            raise ValueError("an offset needs a limit")
        if summary:
            sql += (
                f" UNION ALL SELECT 0, status_key, COUNT(*),"
                f" SUM(CASE WHEN {self._late_sql()} THEN 1 ELSE 0 END), NULL, NULL, NULL, NULL,"
                f" NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
                f" FROM filtered GROUP BY status_key"
            )
            params.append(self.today)
        sql += " ORDER BY 1, 17"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        if summary:
            self._summary = {row[1]: (row[2], row[3] or 0) for row in fetched if row[0] == 0}
        found = [row for row in fetched if row[0] == 1]
        if limit is None:
            return self._rows([row[4:16] + row[1:2] for row in found])
        pages: dict[int, list] = {}
        for row in found:
            start = (row[16] - 1 - offset) // limit * limit + offset if limit else offset
            pages.setdefault(start, []).append(row[4:16] + row[1:2])
        for start, page in pages.items():
            self._pages[start] = (limit, self._rows(page))
        self._pages.setdefault(offset, (limit, []))
        return self._pages[offset][1]

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
