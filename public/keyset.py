"""Keyset pagination over current publications: the public list page and the API.

A deep ``OFFSET`` makes PostgreSQL sort and skip every earlier row: at 20,000 reports page
300 of the list cost 120-150 ms in the database. A cursor holds the sort values of the last
(or first) row shown, and the next page is "rows after these values", which an index or a
top-N sort answers at the same cost on any page. Ties are broken by the primary key, so no
row is shown twice or skipped when many rows share a year or an organ name.

Page numbers still work up to ``MAX_PAGE`` (links people bookmarked, the API's ``page=``);
beyond that only cursors go on. The count stops at the rows page numbers reach
(``count_limit``): past it the pages say "more than N", so the first request of a broad
filter costs what a narrow one does at any data size. It is cached per filter and public
version.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Q

from public.versioning import CACHE_TIMEOUT, cache_version

# Page numbers beyond this are not served by OFFSET: a cursor link goes on from there.
MAX_PAGE = 20


@dataclass(frozen=True)
class Key:
    """One sort key: the field, descending or not, and where NULLs sort (only ``received``)."""

    field: str
    desc: bool = False
    nulls_last: bool = False

    def order(self, backwards: bool):
        from django.db.models import F

        desc = self.desc != backwards
        nulls_last = self.nulls_last != backwards
        expr = F(self.field)
        if self.nulls_last:
            return (
                expr.desc(nulls_last=nulls_last) if desc else expr.asc(nulls_first=not nulls_last)
            )
        return expr.desc() if desc else expr.asc()


# The list's sort orders (public.selectors.SORTS) as keys, each ending on the primary key.
# Each is the order of an index over current publications (public.models.Publication):
# the organ's name is the publication's kept copy, so no order needs the organ table.
SORT_KEYS = {
    "year": (Key("year", desc=True), Key("organ_name"), Key("pk")),
    "organ": (Key("organ_name"), Key("year", desc=True), Key("pk")),
    "received": (
        Key("received", desc=True, nulls_last=True),
        Key("year", desc=True),
        Key("organ_name"),
        Key("pk"),
    ),
    # The API's single order.
    "api": (Key("year", desc=True), Key("organ_name"), Key("pk")),
}


def _beyond(key: Key, value, backwards: bool) -> list[Q]:
    """Rows strictly after ``value`` on this key in the walking direction, as ranges of the
    key (none: nothing is after it)."""
    desc = key.desc != backwards
    nulls_last = key.nulls_last != backwards if key.nulls_last else None
    if value is None:
        # NULLs sort last: nothing is after them; sort first: every non-NULL is.
        return [] if nulls_last else [Q(**{f"{key.field}__isnull": False})]
    ranges = [Q(**{f"{key.field}__{'lt' if desc else 'gt'}": value})]
    if nulls_last:
        ranges.append(Q(**{f"{key.field}__isnull": True}))
    return ranges


def _equal(key: Key, value) -> Q:
    if value is None:
        return Q(**{f"{key.field}__isnull": True})
    return Q(**{key.field: value})


def after_ranges(keys: tuple[Key, ...], values: list, backwards: bool = False) -> list[Q]:
    """The rows after (or, backwards, before) the row with these sort values, as disjoint
    conditions in walking order (the cursor's ties first): each holds the earlier keys equal
    and one range of the next, so each is one range of the order's index."""
    ranges, prefix = [], Q()
    for key, value in zip(keys, values, strict=True):
        ranges += [prefix & beyond for beyond in _beyond(key, value, backwards)]
        prefix &= _equal(key, value)
    return ranges[::-1]


def after(keys: tuple[Key, ...], values: list, backwards: bool = False) -> Q:
    """The rows after (or, backwards, before) the row with these sort values."""
    condition = Q(pk__in=[])
    for part in after_ranges(keys, values, backwards):
        condition |= part
    return condition


def rows_after(queryset, keys, values: list, backwards: bool, limit: int) -> list:
    """The first ``limit`` rows after the row with these sort values.

    Filtered by ``after``'s OR, PostgreSQL reads the order's index from its start and drops
    each row before the cursor: a page deep in the list read every row above it. Here each
    range of ``after_ranges`` is read in order from where it starts, at most ``limit`` rows
    each, and the union is cut to the first ``limit``: one query, the same at any depth.
    """
    order = ordering(keys, backwards)
    parts = [
        queryset.filter(part).order_by(*order)[:limit]
        for part in after_ranges(keys, values, backwards)
    ]
    if not parts:
        return []
    if len(parts) == 1:
        return list(parts[0])
    if not connection.features.supports_slicing_ordering_in_compound:  # SQLite
        return list(queryset.filter(after(keys, values, backwards)).order_by(*order)[:limit])
    return list(parts[0].union(*parts[1:], all=True).order_by(*order)[:limit])


def ordering(keys: tuple[Key, ...], backwards: bool = False) -> list:
    return [key.order(backwards) for key in keys]


def _values(row, keys: tuple[Key, ...]) -> list:
    out = []
    for key in keys:
        obj = row
        for part in key.field.split("__"):
            obj = getattr(obj, part)
        out.append(obj)
    return out


def encode(direction: str, values: list) -> str:
    raw = json.dumps([direction, values], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, keys: tuple[Key, ...]) -> tuple[bool, list] | None:
    """(backwards, values) of a cursor, or None for anything that is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        direction, values = json.loads(raw)
    except (ValueError, TypeError):
        return None
    if direction not in ("n", "p") or not isinstance(values, list) or len(values) != len(keys):
        return None
    if not all(v is None or isinstance(v, (int, str)) and not isinstance(v, bool) for v in values):
        return None
    return direction == "p", values


def count_limit(page_size: int) -> int:
    """The rows page numbers reach: counting further could change no link on any page."""
    return MAX_PAGE * page_size


def cached_count(queryset, filters: dict, limit: int | None = None) -> int:
    """The filtered count, computed once per filter combination and public version.

    With ``limit``, counting stops at ``limit + 1`` rows (``count_limit``): counting every
    match of a broad filter grows with the data (ten times the rows at ten times the
    reports), while a page number never goes past ``MAX_PAGE``.

    Counted afresh when the page cache is off (PORTAL_PAGE_CACHE): the version that makes
    a cached count stale is bumped by the same publication signal as the page cache's.
    """
    # Only the ids, without the ordering: a sliced count otherwise reads every selected
    # column and sorts every match (and joins the organ for it).
    counted = queryset.order_by().values("pk")[: limit + 1] if limit is not None else queryset
    if not settings.PORTAL_PAGE_CACHE:
        return counted.count()
    blob = json.dumps(sorted((k, str(v)) for k, v in filters.items() if v not in ("", None)))
    digest = hashlib.sha256(f"{blob}:{limit}".encode()).hexdigest()[:24]
    key = f"public:{cache_version()}:count:{digest}"
    count = cache.get(key)
    if count is None:
        count = counted.count()
        cache.set(key, count, CACHE_TIMEOUT)
    return count


@dataclass
class KeysetPage:
    """One page: its rows, cursors to its neighbours, its number when known, the total."""

    object_list: list
    count: int
    page_size: int
    number: int | None = None
    # The count stopped at a limit: there are more than ``count`` rows.
    count_capped: bool = False
    next_cursor: str | None = None
    previous_cursor: str | None = None
    next_page_number: int | None = None
    previous_page_number: int | None = None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def paginator(self):
        """Itself: templates written for Django's Page read page.paginator.count/num_pages."""
        return self

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor or self.next_page_number)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_cursor or self.previous_page_number)


def paginate(
    queryset, keys, *, count: int, page_size: int, cursor: str = "", page: str = "",
    count_limit: int | None = None,
):  # fmt: skip
    """A page by cursor if one is given, else by a page number up to ``MAX_PAGE``.

    ``count_limit``: the count was stopped there (``cached_count(limit=...)``); a count
    beyond it is shown as "more than".
    """
    page_obj = _paginate(queryset, keys, count=count, page_size=page_size, cursor=cursor,
                         page=page)  # fmt: skip
    if count_limit is not None and count > count_limit:
        page_obj.count, page_obj.count_capped = count_limit, True
    return page_obj


def bounded_page(queryset, keys, *, filters: dict, page_size: int, cursor: str = "",
                 page: str = "", rows=None):  # fmt: skip
    """A page whose count stops at the rows page numbers reach: the list, its search and
    the API share it. ``filters`` (the valid narrowing parameters) key the cached count;
    ``rows(queryset)``, if given, is the queryset the page's rows are read from (the
    columns a row shows, a join for them), while the count reads ``queryset`` as given.

    A first page that holds every match is its own count: no count is asked for (most
    narrow filters and searches). Any other page is counted first, as its number may be
    past the last page.
    """
    limit = count_limit(page_size)
    read = rows(queryset) if rows is not None else queryset
    if _page_number(page) == 1 and (not cursor or decode(cursor, keys) is None):
        found = _rows_at(read, keys, 0, page_size)
        if len(found) <= page_size:
            count = len(found)
        else:
            count = cached_count(queryset, filters, limit=limit)
        page_obj = _numbered(found, keys, count=count, page_size=page_size, number=1)
        if count > limit:
            page_obj.count, page_obj.count_capped = limit, True
        return page_obj
    count = cached_count(queryset, filters, limit=limit)
    return paginate(read, keys, count=count, page_size=page_size, cursor=cursor, page=page,
                    count_limit=limit)  # fmt: skip


def _page_number(page: str) -> int:
    try:
        return max(1, int(page or 1))
    except ValueError:
        return 1


def _rows_at(queryset, keys, offset: int, page_size: int) -> list:
    """The page's rows from ``offset`` and one more (whether a next page exists)."""
    return list(queryset.order_by(*ordering(keys))[offset : offset + page_size + 1])


def _numbered(rows: list, keys, *, count: int, page_size: int, number: int) -> KeysetPage:
    """Page ``number`` of ``rows`` (read by ``_rows_at``): its links to its neighbours."""
    more = len(rows) > page_size
    rows = rows[:page_size]
    result = KeysetPage(rows, count, page_size, number=number)
    if number > 1:
        result.previous_page_number = number - 1
    if more:
        if number < MAX_PAGE:
            result.next_page_number = number + 1
        else:
            result.next_cursor = encode("n", _values(rows[-1], keys))
    return result


def _paginate(queryset, keys, *, count: int, page_size: int, cursor: str, page: str):
    decoded = decode(cursor, keys) if cursor else None
    if decoded is not None:
        backwards, values = decoded
        rows = rows_after(queryset, keys, values, backwards, page_size + 1)
        more = len(rows) > page_size
        rows = rows[:page_size]
        if backwards:
            rows.reverse()
        result = KeysetPage(rows, count, page_size)
        if rows:
            has_next, has_prev = (True, more) if backwards else (more, True)
            if has_next:
                result.next_cursor = encode("n", _values(rows[-1], keys))
            if has_prev:
                result.previous_cursor = encode("p", _values(rows[0], keys))
        return result
    last = min(MAX_PAGE, max(1, -(-count // page_size)))
    number = min(_page_number(page), last)
    rows = _rows_at(queryset, keys, (number - 1) * page_size, page_size)
    return _numbered(rows, keys, count=count, page_size=page_size, number=number)
