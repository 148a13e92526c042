"""Publication deadlines: 31 January of the following year unless a region sets its own.

A Deadline row applies to its organ and everything below it; the nearest ancestor's row
for the year wins. The bulk version resolves many organs from one Deadline query and the
organ tree held in memory, so callers stay at a constant number of queries.
"""

import datetime
from collections.abc import Iterable, Mapping


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


def deadlines_for(organ_ids: Iterable[int], year: int) -> dict[int, datetime.date]:
    """Deadlines of many organs for a year in two queries (the organ tree, the year's rows)."""
    from reports.models import Deadline, Organ

    organ_ids = list(organ_ids)
    if not organ_ids:
        return {}
    parents = dict(Organ.objects.values_list("pk", "parent_id"))
    due_dates = dict(Deadline.objects.filter(year=year).values_list("organ_id", "due_on"))
    return resolve_deadlines(organ_ids, year, parents=parents, due_dates=due_dates)


def deadline_for(organ, year: int) -> datetime.date:
    """The deadline of one organ's report for a year (the nearest ancestor's Deadline wins)."""
    from reports.models import Deadline, Organ

    due_dates = dict(Deadline.objects.filter(year=year).values_list("organ_id", "due_on"))
    if not due_dates:
        return default_deadline(year)
    parents = dict(Organ.objects.values_list("pk", "parent_id"))
    return resolve_deadlines([organ.pk], year, parents=parents, due_dates=due_dates)[organ.pk]
