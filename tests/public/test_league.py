"""League tables of the corpus region: rankings, change from last year, the kind filter."""

from __future__ import annotations

from decimal import Decimal

import pytest

from public.league import LEAGUE, region_league
from public.models import Publication, PublishedFigure
from tests.public.regions_support import YEAR, corpus_region

pytestmark = pytest.mark.django_db
ROOT = "quanning"


@pytest.fixture
def region():
    return corpus_region(old_edition=False, draft=False)


def test_each_measure_ranks_the_organs_largest_first_with_last_years_change(region):
    tables = region_league(organ=region[ROOT], year=YEAR)
    received = tables["received"]
    pubs = {p.organ.slug: p for p in Publication.objects.current().select_related("organ")
            .filter(year__in=(YEAR, YEAR - 1)) if p.year == YEAR}  # fmt: skip
    assert [e.slug for e in received] == sorted(
        pubs, key=lambda s: (-pubs[s].received, region[s].name)
    )
    top = received[0]
    before = Publication.objects.get(organ__slug=top.slug, year=YEAR - 1).received
    assert top.rank == 1 and top.change == Decimal(pubs[top.slug].received - before)


def test_shares_are_computed_from_the_measure_columns(region):
    tables = region_league(organ=region[ROOT], year=YEAR)
    for entry in tables["disclosed_share"]:
        p = Publication.objects.get(organ_id=entry.organ_id, year=YEAR)
        if p.handled_total:
            share = (
                Decimal((p.granted_full or 0) + (p.granted_partial or 0)) * 100 / p.handled_total
            )
            assert entry.value == share.quantize(Decimal("0.1"))
        else:
            assert entry.value is None and entry.rank == 0


def test_carried_over_is_the_row_four_total(region):
    tables = region_league(organ=region[ROOT], year=YEAR)
    for entry in tables["carried_over"]:
        cell = PublishedFigure.objects.get(
            organ_id=entry.organ_id, year=YEAR, table="section3", row="四", column="总计"
        )
        assert entry.value == cell.value


def test_the_kind_filter_keeps_only_that_kind(region, client):
    towns = region_league(organ=region[ROOT], year=YEAR, kind="town")
    assert towns["received"] and {e.kind for e in towns["received"]} == {"town"}
    html = client.get(f"/regions/{ROOT}/{YEAR}/league/?kind=street").content.decode()
    assert "街道办事处" in html and "镇人民政府</a>" not in html
    for measure in LEAGUE:
        assert str(measure.definition) in html
