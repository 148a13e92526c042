"""Statistics across organs and years, aggregated in the database from published figures.

Only current publications count (Publication.is_current, summing the measure columns each
publication filled when it was made, see public.measures); live reports, drafts and
superseded versions never do. The sums per region, year and edition are kept at publication
(public/sums.py), so a page costs a few rows per year whatever the number of reports. Results are cached per filter set under a version token that
every publication bumps (see :func:`stats_cache_bump`, connected in ReportsConfig.ready).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from core import formats
from organs.models import Organ
from public.measures import MEASURES
from public.selectors import publication_years, region_ids
from public.sums import region_years
from public.versioning import CACHE_TIMEOUT, cache_version


@dataclass(frozen=True)
class StatsFilters:
    """The public filters of the statistics page; blank means "all"."""

    region: str = ""
    year: int | None = None
    edition: str = ""

    def cache_key(self, version: str) -> str:
        return f"stats:{version}:{self.region}:{self.year or ''}:{self.edition}"

    def as_query(self) -> dict[str, str]:
        query = {"region": self.region, "year": self.year, "edition": self.edition}
        return {k: str(v) for k, v in query.items() if v}


def stats_filters_from(params) -> StatsFilters:
    """Filters from a query dict; values that cannot be valid are dropped, not errors."""
    region = (params.get("region") or "").strip()
    year = (params.get("year") or "").strip()
    edition = (params.get("edition") or "").strip()
    return StatsFilters(
        region=region if region and len(region) <= 60 else "",
        year=int(year) if year.isdigit() and 1990 <= int(year) <= 2200 else None,
        edition=edition if edition in formats.EDITIONS else "",
    )


# Where stats_cache_params keeps its answer on the query dict it read: the page cache asks
# twice a miss (its lookup and the view's wrapper), and a region's check costs two cache
# reads each time.
_PARAMS_ATTRIBUTE = "_stats_cache_params"


def stats_cache_params(params) -> dict[str, str] | None:
    """The statistics page's cache key parameters: only the known filters, valid, and a
    region that exists (None: an unknown region is served fresh, never cached)."""
    known = getattr(params, _PARAMS_ATTRIBUTE, False)
    if known is not False:
        return known
    filters = stats_filters_from(params)
    known = None if filters.region and not region_ids(filters.region) else filters.as_query()
    try:
        setattr(params, _PARAMS_ATTRIBUTE, known)
    except AttributeError:  # a plain dict: asked once
        pass
    return known


def stats_aggregate(*, filters: StatsFilters) -> dict:
    """Sum the measures per year from the sums kept at publication (public/sums.py): the
    region's rows (with no region, the top organs'), a few per year, in one query.

    Returns {"years": [...], "reports": {year: n}, "values": {measure: {year: value}}};
    a value is None when no published report filled any of its cells.
    """
    rows = region_years(region_slug=filters.region, year=filters.year, edition=filters.edition)
    reports: dict[int, int] = {}
    sums: dict[str, dict[int, list[int]]] = {m.key: {} for m in MEASURES}
    for year, _edition, count, *measures in rows:
        reports[year] = reports.get(year, 0) + count
        for measure, total, filled in zip(MEASURES, measures[::2], measures[1::2], strict=True):
            summed = sums[measure.key].setdefault(year, [0, 0])
            summed[0] += total or 0
            summed[1] += filled
    years = sorted(year for year, n in reports.items() if n)
    values = {
        key: {y: (by_year[y][0] if by_year[y][1] else None) for y in years}
        for key, by_year in sums.items()
    }
    return {"years": years, "reports": {y: reports[y] for y in years}, "values": values}


def stats_get(*, filters: StatsFilters) -> dict:
    """The aggregates for these filters, from the cache when nothing was published since."""
    key = filters.cache_key(cache_version())
    data = cache.get(key)
    if data is None:
        data = stats_aggregate(filters=filters)
        cache.set(key, data, CACHE_TIMEOUT)
    return data


def _options_key(version: str) -> str:
    return f"stats:{version}:options:2"


def _filter_options() -> dict:
    parents = Organ.objects.filter(parent__isnull=False).values("parent_id")
    organs = Organ.objects.filter(pk__in=parents).order_by("parent_id", "name")
    return {
        "years": publication_years(),
        "regions": [
            (slug, short or name)
            for slug, name, short in organs.values_list("slug", "name", "short_name")
        ],
    }


def stats_filter_options() -> dict:
    """Years that have current publications and the regions (organs with organs below them)
    for the filter form (cached).

    Only regions are offered: a province's thousands of organs made the select 140 kB of
    every statistics page. One organ's own figures are its reports (its organ page); a
    ``?region=`` naming an organ without organs below it still works and is shown selected
    (:func:`stats_region_choices`).
    """
    key = _options_key(cache_version())
    options = cache.get(key)
    if options is None:
        options = _filter_options()
        cache.set(key, options, CACHE_TIMEOUT)
    return options


def stats_page_data(*, filters: StatsFilters) -> tuple[dict, dict]:
    """The page's aggregates (:func:`stats_get`) and filter options
    (:func:`stats_filter_options`), read from the cache in one round trip and what was
    missing stored in one."""
    version = cache_version()
    data_key, options_key = filters.cache_key(version), _options_key(version)
    found = cache.get_many([data_key, options_key])
    missing = {}
    data = found.get(data_key)
    if data is None:
        data = missing[data_key] = stats_aggregate(filters=filters)
    options = found.get(options_key)
    if options is None:
        options = missing[options_key] = _filter_options()
    if missing:
        cache.set_many(missing, CACHE_TIMEOUT)
    return data, options


def stats_region_choices(options: dict, filters: StatsFilters) -> list[tuple[str, str]]:
    """The region select's choices: the regions, and the chosen organ when it is not one."""
    regions = options["regions"]
    if filters.region and all(slug != filters.region for slug, _name in regions):
        organ = Organ.objects.filter(slug=filters.region).values_list("name", "short_name")
        for name, short in organ[:1]:
            return [(filters.region, short or name), *regions]
    return regions


def stats_rows(data: dict, group: str) -> list[dict]:
    """The measures of one group with their values in year order, for tables and charts."""
    return [
        {
            "measure": m,
            "values": [data["values"][m.key].get(y) for y in data["years"]],
        }
        for m in MEASURES
        if m.group == group
    ]
