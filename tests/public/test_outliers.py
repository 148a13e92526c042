"""Outliers: raised for planted cases, silent on the corpus' ordinary variation; supervisors only."""

from __future__ import annotations

import copy

import pytest

from core import outliers
from filing.workflow import Status
from organs.models import Membership, Organ
from public.models import Publication
from public.outliers import region_outliers
from tests.public.regions_support import YEAR, corpus_region
from tests.support.factories import make_report

ROOT = "quanning"


def test_a_collapse_from_thousands_to_none_is_raised_and_growth_is_not():
    found = outliers.history_outliers({"a": 0, "b": 130, "c": 3}, {"a": 2400, "b": 100, "c": 0})
    assert [(o.key, o.figures) for o in found] == [("a", {"previous": 2400, "current": 0})]


def test_a_refusal_share_far_above_peers_is_raised_but_small_counts_are_not():
    shares = {i: (2 + i % 3, 100) for i in range(8)}
    shares["high"] = (60, 100)
    shares["tiny"] = (5, 5)  # 100 % of five cases: too few to judge
    found = outliers.share_outliers(shares)
    assert [o.key for o in found] == ["high"]
    assert found[0].figures["share"] == 60.0 and found[0].figures["peers"] == 9


def test_too_few_peers_raise_nothing():
    assert outliers.share_outliers({1: (90, 100), 2: (1, 100), 3: (2, 100)}) == []


@pytest.mark.django_db
def test_the_corpus_ordinary_variation_raises_nothing():
    organs = corpus_region(years=(2022, 2023, 2024, 2025), old_edition=False, draft=False)
    for year in (2023, 2024, 2025):
        assert region_outliers(organ=organs[ROOT], year=year) == [], year


def _planted():
    organs = corpus_region(years=(YEAR - 1, YEAR), old_edition=False, draft=False)
    town = Organ.objects.create(name="泉宁市骤降镇", slug="zhoujiang", kind="town",
                                parent=organs[ROOT])  # fmt: skip
    figures = copy.deepcopy(Publication.objects.get(organ__slug="longmei", year=YEAR).figures)
    big = copy.deepcopy(figures)
    big["section3"]["一"] = [3000, 0, 0, 0, 0, 0, 3000]
    make_report(town, YEAR - 1, Status.PUBLISHED, figures=big)
    figures["section3"]["一"] = [0] * 7
    make_report(town, YEAR, Status.PUBLISHED, figures=figures)
    return organs


@pytest.mark.django_db
def test_a_planted_collapse_is_named_with_its_figures():
    organs = _planted()
    found = region_outliers(organ=organs[ROOT], year=YEAR)
    assert [(o["organ"].slug, o["rule"]) for o in found] == [("zhoujiang", "history")]
    assert "3000" in found[0]["text"]


@pytest.mark.django_db
def test_only_a_supervisor_of_the_region_sees_the_outliers(client, django_user_model):
    organs = _planted()
    url = f"/regions/{ROOT}/{YEAR}/"
    assert "异常提示" not in client.get(url).content.decode()
    outsider_root = Organ.objects.create(name="别市", slug="bieshi", kind="city")
    for name, organ, sees in (("sup", organs[ROOT], True), ("other", outsider_root, False),
                              ("clerk", organs["longmei"], False)):  # fmt: skip
        user = django_user_model.objects.create_user(username=name, password="pw")
        role = Membership.Role.CLERK if name == "clerk" else Membership.Role.SUPERVISOR
        Membership.objects.create(user=user, role=role, organ=organ)
        client.force_login(user)
        html = client.get(url).content.decode()
        assert ("泉宁市骤降镇" in html and "异常提示" in html) is sees, name
        client.logout()


@pytest.mark.django_db
def test_the_review_queue_badges_a_submitted_collapse_and_nothing_else(client, supervisor, city):
    figures = copy.deepcopy(corpus_figures())
    towns = [Organ.objects.create(name=f"镇{i}", slug=f"z{i}", kind="town", parent=city)
             for i in range(3)]  # fmt: skip
    big = copy.deepcopy(figures)
    big["section3"]["一"] = [3000, 0, 0, 0, 0, 0, 3000]
    make_report(towns[0], YEAR - 1, Status.PUBLISHED, figures=big)
    collapsed = copy.deepcopy(figures)
    collapsed["section3"]["一"] = [0] * 7
    make_report(towns[0], YEAR, Status.SUBMITTED, figures=collapsed)
    for town in towns[1:]:
        make_report(town, YEAR - 1, Status.PUBLISHED, figures=figures)
        make_report(town, YEAR, Status.SUBMITTED, figures=figures)
    client.force_login(supervisor)
    html = client.get("/review/").content.decode()
    assert html.count('class="badge badge-warning outlier"') == 1
    assert "新收申请 0 件，上年 3000 件" in html


def corpus_figures() -> dict:
    from bench.corpus import samples

    return next(s.figures for s in samples() if s.organ.slug == "longmei" and s.year == YEAR)
