"""Outlier badges on the review queue: against the organ's last year and against its siblings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core import formats
from filing.workflow import Status
from organs.models import Organ
from tests.review.test_review_workflow import clean_figures
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db


def refusing(handled: int, refused: int) -> dict:
    """A report that handled ``handled`` applications and refused ``refused`` of them."""
    figures = clean_figures(handled, handled - refused, 0)
    s3 = figures[formats.SECTION3]
    s3["三.三.1"] = [refused, 0, 0, 0, 0, 0, refused]
    s3["三.七"] = [handled, 0, 0, 0, 0, 0, handled]
    return figures


@pytest.fixture
def county(city):
    """A county of seven towns; one refuses far more than its siblings, one grew twentyfold."""
    county = Organ.objects.create(name="某县", slug="mou-county", kind="county", parent=city)
    towns = [
        Organ.objects.create(name=f"某县镇{i}", slug=f"mou-{i}", kind="town", parent=county)
        for i in range(7)
    ]
    for i, town in enumerate(towns[:5]):
        make_report(town, 2023, Status.APPROVED, figures=refusing(40, 4 + i % 2))
    make_report(towns[5], 2023, Status.SUBMITTED, figures=refusing(40, 30))
    make_report(towns[6], 2022, Status.PUBLISHED, figures=clean_figures(10, 10, 0))
    make_report(towns[6], 2023, Status.SUBMITTED, figures=clean_figures(200, 200, 0))
    # A town of another county with the same refusal share has no peers there: no badge.
    other = Organ.objects.create(name="别县", slug="bie-county", kind="county", parent=city)
    lone = Organ.objects.create(name="别县镇", slug="bie-town", kind="town", parent=other)
    make_report(lone, 2023, Status.SUBMITTED, figures=refusing(40, 30))
    return {"towns": towns, "lone": lone}


def test_badges_name_the_sibling_share_and_the_jump_from_last_year(client, supervisor, county):
    client.force_login(supervisor)
    rows = client.get(reverse("reports:review_queue")).context["submitted"]
    badges = {r.organ.slug: r.outliers for r in rows}
    assert badges["bie-town"] == []
    [share] = badges["mou-5"]
    assert "75.0%" in share and "10.0%" in share  # 30/40 against the siblings' median
    [history] = badges["mou-6"]
    assert "200" in history and "10" in history
