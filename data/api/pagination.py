"""The report list's pagination: page numbers for a bounded depth, then cursors.

Same JSON as DRF's page-number pagination (count, next, previous, results), so clients that
follow ``next`` keep working; past ``public.keyset.MAX_PAGE`` the ``next`` link carries a
``cursor=`` instead of ``page=``, which costs the database the same on every page.

``count`` stops at the rows page numbers reach (``MAX_PAGE`` pages of ``page_size``): when
more rows match, ``count`` is that bound and ``count_capped`` is true ("more than count").
An exact count of a broad filter would cost the database the whole table on the first
request of every filter combination, growing with the data; cursors walk on past the bound
regardless. The count is cached per filter and public version.
"""

from __future__ import annotations

from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from data.api.serializers import ReportRow
from organs.models import Organ
from public import keyset


class ReportPagination(BasePagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def _page_size(self, request) -> int:
        try:
            size = int(request.query_params.get(self.page_size_query_param, self.page_size))
        except ValueError:
            return self.page_size
        return min(max(size, 1), self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_number = request.query_params.get("page", "")
        if page_number.isdigit() and int(page_number) > keyset.MAX_PAGE:
            raise NotFound(f"page is limited to {keyset.MAX_PAGE}; follow the next link (cursor)")
        filters = {
            key: value
            for key, value in request.query_params.items()
            if key not in ("page", "cursor", self.page_size_query_param, "format")
        }
        self.page = keyset.bounded_page(
            queryset,
            keyset.SORT_KEYS["api"],
            filters=filters,
            page_size=self._page_size(request),
            cursor=request.query_params.get("cursor", ""),
            page=page_number,
        )
        if page_number.isdigit() and int(page_number) != (self.page.number or 0):
            raise NotFound("no such page")
        return self.rows(self.page.object_list)

    def rows(self, rows: list) -> list:
        """The page's rows with their organs' slugs and names, read by id in one query."""
        ids = {row.organ_id for row in rows}
        organs = (
            {pk: (slug, name) for pk, slug, name in
             Organ.objects.filter(pk__in=ids).order_by().values_list("pk", "slug", "name")}
            if ids
            else {}
        )  # fmt: skip
        return [ReportRow(*row, *organs[row.organ_id]) for row in rows]

    def _link(self, *, cursor: str | None = None, number: int | None = None) -> str | None:
        url = remove_query_param(self.request.build_absolute_uri(), "cursor")
        if cursor:
            return replace_query_param(remove_query_param(url, "page"), "cursor", cursor)
        if number == 1:
            return remove_query_param(url, "page")
        if number:
            return replace_query_param(url, "page", number)
        return None

    def get_paginated_response(self, data):
        page = self.page
        return Response(
            {
                "count": page.count,
                "count_capped": page.count_capped,
                "next": self._link(cursor=page.next_cursor, number=page.next_page_number),
                "previous": self._link(
                    cursor=page.previous_cursor, number=page.previous_page_number
                ),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "properties": {
                "count": {"type": "integer"},
                "count_capped": {"type": "boolean"},
                "next": {"type": "string", "nullable": True},
                "previous": {"type": "string", "nullable": True},
                "results": schema,
            },
        }
