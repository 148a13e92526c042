"""Compliance counts kept per region and year: the dashboard's and the roll-up's counts.

Counting a region's organs by their report's standing was a pass over the region (20,000
organs for a province at 200,000 reports). Here every report is counted once under each
organ above it (ComplianceTally: region, year, status, deadline, published late, must-report
organ), and every organ that must report (active, no active organ below it) once under each
organ above it (ComplianceLeafTally). A region's counts are then a few rows, whatever its size;
organs with no report that year (未开始) are those that must report less those that did,
split by deadline with the year's few Deadline rows.

Kept by standing_refresh, called for the reports and organs a change touches (report saves,
workflow transitions through their audit events, organ saves, moves and deletes, Deadline
changes; see review/apps.py). It compares what it stored (ComplianceState, ComplianceLeaf:
the standing and the path each was counted under) with what the tables say now and applies
the difference, so calling it again, or for more than changed, is harmless. Writes behind the
ORM's back (SQL, queryset updates of status or is_active, bulk loads) are mended by
standing_rebuild (manage.py rebuild_compliance_counts).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from filing.models import AnnualReport
from organs.models import Organ
from review.models import (
    ComplianceLeaf,
    ComplianceLeafTally,
    ComplianceState,
    ComplianceTally,
    Deadline,
)

NOT_STARTED = "not_started"
PUBLISHED = "published"


def default_deadline(year: int) -> datetime.date:
    """The national default: reports of year Y are due on 31 January of Y+1."""
    return datetime.date(year + 1, 1, 31)


def path_ids(path: str) -> list[int]:
    """The organs a path runs through, root first: "1/5/27/" -> [1, 5, 27]."""
    return [int(part) for part in path.split("/") if part]


def due_by_path(path: str, dues: list[tuple[str, datetime.date]], year: int) -> datetime.date:
    """The deadline of the organ at ``path``: the longest Deadline path that prefixes it."""
    for prefix, due in dues:  # longest first
        if path.startswith(prefix):
            return due
    return default_deadline(year)


def _dues(years: Iterable[int]) -> dict[int, list[tuple[str, datetime.date]]]:
    rows = Deadline.objects.filter(year__in=set(years)).values_list("year", "organ__path", "due_on")
    found: dict[int, list] = defaultdict(list)
    for year, path, due in rows:
        if path:
            found[year].append((path, due))
    return {year: sorted(d, key=lambda x: (-len(x[0]), x[0])) for year, d in found.items()}


def _must_report():
    """Active organs with no active organ below them."""
    below = Organ.objects.filter(parent_id=OuterRef("pk"), is_active=True)
    return Organ.objects.filter(is_active=True).exclude(Exists(below))


def _apply(tally: Counter, leaves: Counter, *, prune: bool = True) -> None:
    """Add the differences to the kept counts, in key order (concurrent writers wait, never
    deadlock), and drop rows that fell to zero."""
    q = connection.ops.quote_name
    table, leaf_table = q(ComplianceTally._meta.db_table), q(ComplianceLeafTally._meta.db_table)
    changed = sorted((key, n) for key, n in tally.items() if n)
    leaf_changed = sorted((key, n) for key, n in leaves.items() if n)
    with connection.cursor() as cursor:
        for start in range(0, len(changed), 500):
            batch = changed[start : start + 500]
            cursor.execute(
                f"INSERT INTO {table} (node_id, year, status, due_on, late, leaf, n) VALUES "
                + ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(batch))
                + " ON CONFLICT (node_id, year, status, due_on, late, leaf)"
                f" DO UPDATE SET n = {table}.n + EXCLUDED.n",
                [v for key, n in batch for v in (*key, n)],
            )
        for start in range(0, len(leaf_changed), 500):
            batch = leaf_changed[start : start + 500]
            cursor.execute(
                f"INSERT INTO {leaf_table} (node_id, n) VALUES "
                + ", ".join(["(%s, %s)"] * len(batch))
                + f" ON CONFLICT (node_id) DO UPDATE SET n = {leaf_table}.n + EXCLUDED.n",
                [v for key, n in batch for v in (key, n)],
            )
    if changed and prune:
        ComplianceTally.objects.filter(node_id__in={key[0] for key, _n in changed}, n=0).delete()
    if leaf_changed and prune:
        ComplianceLeafTally.objects.filter(node_id__in=[k for k, _n in leaf_changed], n=0).delete()


def _state_key(state) -> tuple:
    return (state.year, state.status, state.due_on, state.late, state.leaf)


def _count(tally: Counter, path: str, key: tuple, sign: int) -> None:
    for node in path_ids(path):
        tally[(node, *key)] += sign


@transaction.atomic
def standing_refresh(
    *, organ_ids: Iterable[int] = (), report_ids: Iterable[int] = (), everything: bool = False
) -> None:
    """Bring the kept counts of these organs (must they report?) and reports up to date.

    The organs' own reports are refreshed too (whether their organ must report is part of
    how a report is counted). Organs or reports that no longer exist are taken back out.
    ``everything``: every organ and report (after the kept rows were emptied: a rebuild).
    """
    organ_ids, report_ids = set(organ_ids), set(report_ids)
    tally: Counter = Counter()
    leaves: Counter = Counter()
    if organ_ids or everything:
        musts = _must_report().exclude(path="")
        kept = ComplianceLeaf.objects.all()
        if not everything:
            musts, kept = musts.filter(pk__in=organ_ids), kept.filter(organ_id__in=organ_ids)
        now = dict(musts.values_list("pk", "path"))
        stored = dict(kept.values_list("organ_id", "path"))
        changed = [pk for pk in set(now) | set(stored) if stored.get(pk) != now.get(pk)]
        for pk in changed:
            if pk in stored:
                for node in path_ids(stored[pk]):
                    leaves[node] -= 1
            if pk in now:
                for node in path_ids(now[pk]):
                    leaves[node] += 1
        ComplianceLeaf.objects.filter(organ_id__in=[pk for pk in changed if pk in stored]).delete()
        ComplianceLeaf.objects.bulk_create(
            [ComplianceLeaf(organ_id=pk, path=now[pk]) for pk in changed if pk in now],
            batch_size=1000,
        )
        if not everything:
            report_ids |= set(
                AnnualReport.objects.filter(organ_id__in=organ_ids).values_list("pk", flat=True)
            )
            report_ids |= set(
                ComplianceState.objects.filter(organ_id__in=organ_ids).values_list(
                    "report_id", flat=True
                )
            )
    if report_ids:
        _reports_refresh(report_ids, tally)
    _apply(tally, leaves, prune=not everything)
    if everything:  # a year at a time: memory stays that of one year's reports
        for year in AnnualReport.objects.order_by("year").values_list("year", flat=True).distinct():
            tally = Counter()
            _reports_refresh(set(), tally, year=year)
            _apply(tally, Counter(), prune=False)


def _reports_refresh(report_ids: set[int], tally: Counter, *, year: int | None = None) -> None:
    """Refresh these reports' counts (``year``: every report of that year instead)."""
    fields = ("pk", "organ_id", "organ__path", "year", "status", "current_publication_id",
              "published_on")  # fmt: skip
    reports, states = AnnualReport.objects.all(), ComplianceState.objects.all()
    musts = ComplianceLeaf.objects.all()
    if year is None:
        reports = reports.filter(pk__in=report_ids)
        states = states.filter(report_id__in=report_ids)
    else:
        reports, states = reports.filter(year=year), states.filter(year=year)
    rows = list(reports.values_list(*fields))
    if year is None:
        musts = musts.filter(organ_id__in={r[1] for r in rows})
    stored = {s.report_id: s for s in states}
    must = set(musts.values_list("organ_id", flat=True))
    report_ids = set(report_ids) | {r[0] for r in rows} | set(stored)
    dues = _dues({r[3] for r in rows})
    fresh = {}
    for pk, organ_id, path, year, status, publication_id, published_on in rows:
        if not path:
            continue  # an organ on a cycle: in no region
        due = due_by_path(path, dues.get(year, []), year)
        public = publication_id is not None
        fresh[pk] = ComplianceState(
            report_id=pk,
            organ_id=organ_id,
            path=path,
            year=year,
            status=PUBLISHED if public else status,
            due_on=due,
            late=bool(public and published_on and published_on > due),
            leaf=organ_id in must,
        )
    gone, changed = [], []
    for pk in report_ids:
        old, new = stored.get(pk), fresh.get(pk)
        if old is not None and new is not None:
            if old.path == new.path and _state_key(old) == _state_key(new):
                continue
        if old is not None:
            _count(tally, old.path, _state_key(old), -1)
            gone.append(pk)
        if new is not None:
            _count(tally, new.path, _state_key(new), +1)
            changed.append(new)
    ComplianceState.objects.filter(report_id__in=gone).delete()
    ComplianceState.objects.bulk_create(changed, batch_size=1000)


def _report_ids_under(year: int | None, paths: Iterable[str]) -> set[int]:
    found: set[int] = set()
    for path in set(paths):
        if path:
            reports = AnnualReport.objects.filter(organ__path__startswith=path)
            if year is not None:
                reports = reports.filter(year=year)
            found |= set(reports.values_list("pk", flat=True))
    return found


def deadline_changed(*, year: int, paths: Iterable[str]) -> None:
    """A Deadline of ``year`` set, moved or removed at these organs: their reports' deadlines."""
    standing_refresh(report_ids=_report_ids_under(year, paths))


def organs_moved_standing(sender, moves, **kwargs) -> None:
    """Moved organs count under their new regions, with their new deadlines; their old and new
    parents may have gained or lost their only active organ below."""
    moved = [pk for pk, _old, _new in moves]
    paths = Organ.objects.filter(pk__in=moved).values_list("path", flat=True)
    subtree = set()
    for path in paths:
        subtree |= set(Organ.objects.filter(path__startswith=path).values_list("pk", flat=True))
    parents = {p for _pk, old, new in moves for p in (old, new) if p is not None}
    standing_refresh(organ_ids=subtree | parents | set(moved))


def standing_rebuild() -> None:
    """Every kept count afresh from the reports, organs and deadlines as stored now."""
    with transaction.atomic():
        for model in (ComplianceTally, ComplianceLeafTally, ComplianceState, ComplianceLeaf):
            model.objects.all().delete()
        standing_refresh(everything=True)


# ---------------------------------------------------------------- reading


def region_counts(
    *,
    year: int,
    roots: dict[int, str],
    dues: list[tuple[str, datetime.date]],
    today: datetime.date,
) -> dict[str, tuple[int, int]]:
    """{status key: (organs, late organs)} of the regions under ``roots`` ({id: path}) for a year.

    ``dues``: the year's Deadline rows that apply to the regions, as (organ path, due date),
    longest path first. Two queries whatever the size of the regions. Nested roots count once.
    """
    paths = sorted(set(roots.values()))
    tops = {pk: p for pk, p in roots.items() if not any(p != o and p.startswith(o) for o in paths)}
    # An organ with a Deadline row inside a region splits its must-report organs by deadline.
    inner = {
        path_ids(p)[-1]: (p, due)
        for p, due in dues
        if any(p.startswith(top) for top in tops.values())
    }
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    reported_musts: Counter = Counter()
    rows = ComplianceTally.objects.filter(node_id__in=list(tops), year=year).values_list(
        "status", "due_on", "late", "leaf", "n"
    )
    for status, due, late, leaf, n in rows:
        counts[status][0] += n
        if late or (status != PUBLISHED and due < today):
            counts[status][1] += n
        if leaf:
            reported_musts[due] += n
    musts = dict(
        ComplianceLeafTally.objects.filter(node_id__in=set(tops) | set(inner)).values_list(
            "node_id", "n"
        )
    )
    # Must-report organs per deadline: each root's and each inner Deadline organ's, less those
    # of the Deadline organs nearest below it.
    nodes = {pk: (path, due_by_path(path, dues, year)) for pk, path in tops.items()}
    nodes.update(inner)
    by_due: Counter = Counter()
    for pk, (path, due) in nodes.items():
        below = [q for q, (p, _d) in inner.items() if q != pk and p.startswith(path) and p != path]
        nearest = [
            q
            for q in below
            if not any(o != q and inner[q][0].startswith(inner[o][0]) for o in below)
        ]
        by_due[due] += musts.get(pk, 0) - sum(musts.get(q, 0) for q in nearest)
    for due in set(by_due) | set(reported_musts):
        missing = by_due[due] - reported_musts[due]
        counts[NOT_STARTED][0] += missing
        if due < today:
            counts[NOT_STARTED][1] += missing
    return {key: (n, late) for key, (n, late) in counts.items() if n}
