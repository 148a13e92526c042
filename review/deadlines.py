"""Publication deadlines and who meets them (the compliance dashboard, the reminders).

Deadlines are 31 January of the following year unless a region sets its own.

A Deadline row applies to its organ and everything below it; the nearest ancestor's row
for the year wins. The bulk version resolves many organs from one Deadline query and the
organ tree held in memory, so callers stay at a constant number of queries.
"""

from __future__ import annotations

import datetime
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
    from django.utils.translation import gettext

    return {NOT_STARTED: gettext("未开始"), **{s.value: s.label for s in Status}}


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
        return status_labels()[self.status]


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
