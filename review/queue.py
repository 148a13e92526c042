"""The supervisor's review queue, paged by its own order at any size of region.

A queue is a status's reports of the region, oldest latest submission first (NULL first,
then ``submitted_at``, then id). Numbering every queued report to place a page (a window over
the region) grew with the region: ~10,000 reports for a province at 200,000. Here page numbers
go up to ``MAX_PAGE`` (read through the (status, submitted_at, id) index, at most
``MAX_PAGE`` pages of ids); beyond, a cursor holding the last (or first) row's
(submitted_at, id) walks on from there at the same cost on any page. The count stops at the
rows page numbers reach: past it the page says "超过 N 份报告".
"""

from __future__ import annotations

import base64
import datetime
import json
from dataclasses import dataclass, field

from django.db.models import Q

from review import selectors

QUEUE_PAGE_SIZE = 50
# Page numbers served by offset; beyond, cursors go on.
MAX_PAGE = 10


@dataclass(frozen=True)
class QueueKey:
    """A row's place in the queue: (submitted_at, id), NULL submissions first."""

    submitted_at: datetime.datetime | None
    pk: int


@dataclass
class QueuePaginator:
    """What the pager reads of a Django Paginator."""

    count: int
    num_pages: int
    count_capped: bool = False


@dataclass
class QueuePage:
    """One page of a queue: its reports, its number (None for a cursor page) and its links."""

    object_list: list
    number: int | None
    paginator: QueuePaginator
    has_next: bool = False
    has_previous: bool = False
    next_cursor: str = ""
    previous_cursor: str = ""
    keys: list[QueueKey] = field(default_factory=list, repr=False)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    @property
    def count_capped(self) -> bool:
        return self.paginator.count_capped

    def next_page_number(self) -> int:
        return (self.number or 0) + 1

    def previous_page_number(self) -> int:
        return (self.number or 2) - 1


@dataclass(frozen=True)
class QueueRequest:
    """What the request asks of one queue: a page number or a cursor (the cursor wins)."""

    page: object = None
    cursor: str = ""


def encode(backwards: bool, key: QueueKey) -> str:
    at = key.submitted_at.isoformat() if key.submitted_at else None
    raw = json.dumps(["p" if backwards else "n", at, key.pk], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str) -> tuple[bool, QueueKey] | None:
    """(backwards, key) of a cursor, or None for anything that is not one of ours."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        direction, at, pk = json.loads(raw)
        when = None if at is None else datetime.datetime.fromisoformat(at)
    except (ValueError, TypeError):
        return None
    if direction not in ("n", "p") or not isinstance(pk, int) or isinstance(pk, bool):
        return None
    if when is not None and when.tzinfo is None:
        return None
    return direction == "p", QueueKey(when, pk)


def _walk(queryset, *, after: QueueKey | None, backwards: bool, limit: int) -> list[QueueKey]:
    """Up to ``limit`` keys in queue order after ``after`` (backwards: before it, nearest first).

    Two index reads, the NULL submissions and the dated ones, each in the index's own order
    (ASC NULLS FIRST on a plain index would sort the whole queue instead).
    """
    nulls = queryset.filter(submitted_at__isnull=True)
    dated = queryset.filter(submitted_at__isnull=False)
    at = after.submitted_at if after else None
    if after is not None and at is None:
        nulls = nulls.filter(pk__lt=after.pk) if backwards else nulls.filter(pk__gt=after.pk)
        dated = dated if not backwards else None
    elif after is not None:
        op = "lt" if backwards else "gt"
        dated = dated.filter(
            Q(**{f"submitted_at__{op}": at}) | Q(submitted_at=at, **{f"pk__{op}": after.pk})
        )
        nulls = nulls if backwards else None
    sign = "-" if backwards else ""
    # The NULL part ordered by submitted_at too (all NULL): the queue index then gives the
    # order, where "ORDER BY id LIMIT n" made PostgreSQL walk the primary key through the
    # whole table looking for NULL submissions that mostly do not exist.
    order = [f"{sign}submitted_at", f"{sign}pk"]
    parts = [(nulls, order), (dated, order)]
    if backwards:
        parts.reverse()
    keys: list[QueueKey] = []
    for part, order in parts:
        # Both parts read even when the first fills the page: the same queries on any data.
        if part is not None:
            rows = part.order_by(*order).values_list("submitted_at", "pk")[:limit]
            keys += [QueueKey(at, pk) for at, pk in rows]
    return keys[:limit]


def _page_number(page) -> int:
    try:
        number = int(page)
    except (TypeError, ValueError):
        return 1
    return max(1, number)


def _numbered(queryset, number: int, count: int, capped: bool) -> QueuePage:
    """Page ``number`` by offset (past the end: the last page, as Paginator.get_page does)."""
    size = QUEUE_PAGE_SIZE
    pages = max(1, -(-count // size))
    number = min(number, pages, MAX_PAGE)
    start = (number - 1) * size
    keys = _walk(queryset, after=None, backwards=False, limit=start + size + 1)
    shown = keys[start : start + size]
    page = QueuePage(
        shown,
        number,
        QueuePaginator(count, pages, capped),
        has_next=len(keys) > start + size,
        has_previous=number > 1,
        keys=shown,
    )
    if page.has_next and number >= MAX_PAGE:
        page.next_cursor = encode(False, shown[-1])
    return page


def _cursored(queryset, backwards: bool, key: QueueKey, count: int, capped: bool):
    """The page after (or before) ``key``; None when there is none (then page 1 is shown)."""
    size = QUEUE_PAGE_SIZE
    keys = _walk(queryset, after=key, backwards=backwards, limit=size + 1)
    if backwards:
        if len(keys) <= size:  # back at the start: that is page 1
            return None
        shown = list(reversed(keys[:size]))
        has_next, has_previous = True, True
    else:
        if not keys:
            return None
        shown = keys[:size]
        has_next, has_previous = len(keys) > size, True
    page = QueuePage(
        shown,
        None,
        QueuePaginator(count, max(1, -(-count // size)), capped),
        has_next=has_next,
        has_previous=has_previous,
        keys=shown,
    )
    page.previous_cursor = encode(True, shown[0])
    if has_next:
        page.next_cursor = encode(False, shown[-1])
    return page


def queue_page(queryset, request: QueueRequest) -> QueuePage:
    """One page of ids (as QueueKeys) of a status's queue: a bounded count and one index walk."""
    limit = MAX_PAGE * QUEUE_PAGE_SIZE
    count = queryset.order_by().values("pk")[: limit + 1].count()
    capped = count > limit
    count = min(count, limit)
    decoded = decode(request.cursor)
    if decoded is not None:
        page = _cursored(queryset, *decoded, count=count, capped=capped)
        if page is not None:
            return page
        return _numbered(queryset, 1, count, capped)
    return _numbered(queryset, _page_number(request.page), count, capped)


def review_queues(*, user, requests: dict[str, QueueRequest]) -> dict[str, QueuePage]:
    """A page of each status's queue (``requests``: status -> QueueRequest), oldest first.

    Each report carries ``submitted_at`` (its latest submission), ``error_count``,
    ``warning_count``, ``deadline``, ``days_left`` and ``days_overdue``.

    Per queue a count that stops at ``MAX_PAGE`` pages and two index reads of ids; then one
    query for the rows of every page (organ, finding counts) and one lookup for their
    deadlines: what a page costs does not depend on how many reports wait.
    """
    reports = selectors.reviewable_reports(user)
    queues = {
        status: queue_page(reports.filter(status=status), request)
        for status, request in requests.items()
    }
    wanted = [key.pk for queue in queues.values() for key in queue.keys]
    rows = selectors.queue_rows(wanted)
    for queue in queues.values():
        queue.object_list = [rows[key.pk] for key in queue.keys if key.pk in rows]
    selectors.attach_deadlines([r for queue in queues.values() for r in queue.object_list])
    return queues
