"""The region roll-up as JSON: the same sums, coverage and checks as the public page."""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_safe

from core.figureset import plain_number
from data.api.throttling import throttled
from public import rollup as rollups
from public.pagecache import cache_public_page
from public.rollup_export import coverage_note
from public.views.regions import region_or_404


def rollup_payload(rollup: rollups.Rollup) -> dict:
    """Sums cell by cell (value, filled, blank, incomplete), coverage, checks, offenders."""
    coverage = rollup.coverage
    return {
        "organ": {"name": rollup.organ.name, "slug": rollup.organ.slug},
        "year": rollup.year,
        "edition": rollups.EDITION,
        "reports": rollup.reports,
        "coverage": {
            "note": coverage_note(rollup),
            "reporting": coverage.total,
            "included": rollup.included_slugs,
            "late": [{"slug": r.organ.slug, "days_late": r.days_late} for r in coverage.late],
            "unpublished": [r.organ.slug for r in coverage.unpublished],
        },
        "cells": [
            {
                "table": c.cell.table,
                "row": c.cell.row,
                "column": c.cell.column,
                "value": plain_number(c.total) if c.total is not None else None,
                "filled": c.filled,
                "blank": c.blank,
                "incomplete": c.incomplete,
            }
            for c in rollup.cells.values()
        ],
        "other_2019": rollup.other_2019,
        "checks": [f.to_dict() for f in rollup.findings],
        "offenders": rollup.offenders,
    }


@require_safe
def region_rollup_json(request, slug: str, year: int):
    rollup = rollups.region_rollup(organ=region_or_404(slug), year=year)
    response = JsonResponse(rollup_payload(rollup), json_dumps_params={"ensure_ascii": False})
    response["X-Content-Type-Options"] = "nosniff"
    response["Access-Control-Allow-Origin"] = "*"
    return response


urlpatterns = [
    path(
        "api/regions/<slug:slug>/<int:year>/",
        throttled(cache_public_page(region_rollup_json)),
        name="api_region",
    ),
]
