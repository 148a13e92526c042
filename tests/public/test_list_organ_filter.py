"""The list's organ filter: an organ with a current publication narrows the list to it; any
other slug is reported and ignored, looked up by index rather than against a list of every
organ (which a national tree would make tens of thousands long)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filing.workflow import Status
from organs.models import Organ
from public import selectors as public_selectors
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db
IGNORED = "部分筛选条件无效，已忽略。"


@pytest.fixture
def published(city, town, other_town):
    make_report(town, 2023, Status.PUBLISHED, overview="全年收到申请。")
    make_report(other_town, 2023, Status.PUBLISHED, overview="全年收到申请。")
    make_report(other_town, 2022, Status.SUBMITTED, overview="未发布。")


def shown(client, **params) -> tuple[set[str], bool]:
    response = client.get(reverse("reports:report_list"), params)
    assert response.status_code == 200
    page = response.content.decode()
    slugs = {o.slug for o in Organ.objects.all() if f"/reports/{o.slug}/" in page}
    return slugs, IGNORED in page


def test_an_organ_with_publications_narrows_the_list(client, published, town, other_town):
    assert shown(client) == ({town.slug, other_town.slug}, False)
    assert shown(client, organ=town.slug) == ({town.slug}, False)


@pytest.mark.parametrize("slug", ["no-such-organ", "city"])
def test_an_unknown_organ_or_one_never_published_is_reported_and_ignored(
    client, published, town, other_town, city, slug
):
    slug = city.slug if slug == "city" else slug
    assert shown(client, organ=slug) == ({town.slug, other_town.slug}, True)


def test_the_options_no_longer_list_every_organ(published):
    options = public_selectors.filter_options()
    assert set(options) == {"years", "regions", "region_paths"}
    # The regions' paths (the region filter reads them), not a list of every organ.
    assert set(options["region_paths"]) == {slug for slug, _ in options["regions"]}
    assert options["years"] == [2023]  # the submitted 2022 report is not published


def test_the_years_are_read_newest_first_one_index_probe_a_year(city):
    for year in (2019, 2021, 2024):
        make_report(city, year, Status.PUBLISHED, overview="全年收到申请。")
    with CaptureQueriesContext(connection) as captured:
        assert public_selectors.publication_years() == [2024, 2021, 2019]
    assert len(captured) == 1 and "DISTINCT" not in captured.captured_queries[0]["sql"]
