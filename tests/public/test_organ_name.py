"""A publication keeps its organ's name (the list's order, the search): set at publication,
followed when the organ is renamed by save or by a bulk update, carried into corrections."""

from __future__ import annotations

import pytest
from django.urls import reverse

from filing.workflow import Status
from organs.models import Organ
from public.models import Publication
from public.services import report_publish
from review import services as review_services
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db


def kept(organ) -> set[tuple[str, bool]]:
    """(organ_name, whether the search text holds the organ's present name) of each of its
    publications."""
    organ.refresh_from_db()
    return {
        (p.organ_name, organ.name in p.search_text and organ.short_name in p.search_text)
        for p in Publication.objects.filter(organ=organ)
    }


def test_publishing_copies_the_organ_name(town):
    make_report(town, 2023, Status.PUBLISHED)
    assert kept(town) == {("晋江市紫帽镇人民政府", True)}


def test_a_rename_by_save_reaches_every_publication_and_the_search(town, other_town):
    make_report(town, 2022, Status.PUBLISHED, overview="推进政务公开。")
    make_report(town, 2023, Status.PUBLISHED, overview="加强政策解读。")
    make_report(other_town, 2023, Status.PUBLISHED)
    town.name, town.short_name = "晋江市紫帽街道办事处", "紫帽街道"
    town.save()
    assert kept(town) == {("晋江市紫帽街道办事处", True)}
    assert kept(other_town) == {("晋江市英林镇人民政府", True)}
    # The prose after the names is kept as published.
    texts = sorted(Publication.objects.filter(organ=town).values_list("search_text", flat=True))
    assert texts[0].endswith("\n加强政策解读。") and texts[1].endswith("\n推进政务公开。")
    assert not Publication.objects.filter(search_text__contains="紫帽镇").exists()


def test_a_rename_by_bulk_update_reaches_the_publications(town, other_town):
    make_report(town, 2023, Status.PUBLISHED)
    make_report(other_town, 2023, Status.PUBLISHED)
    # Filtered on the old name: the organs are found before the update changes it.
    Organ.objects.filter(name__endswith="镇人民政府").update(name="某镇")
    assert kept(town) == {("某镇", True)}
    assert kept(other_town) == {("某镇", True)}


def test_a_save_that_does_not_write_the_names_changes_no_publication(town):
    make_report(town, 2023, Status.PUBLISHED)
    Publication.objects.update(organ_name="stale")
    town.name = "晋江市紫帽街道办事处"
    town.save(update_fields=["kind"])  # the new name is not written: nothing to follow
    town.is_active = False
    town.save()  # the stored name is the one read: no rename
    assert set(Publication.objects.values_list("organ_name", flat=True)) == {"stale"}


def test_a_correction_published_after_a_rename_carries_the_new_name(town, supervisor):
    report = make_report(town, 2023, Status.PUBLISHED)
    review_services.report_reopen(report=report, acting_user=supervisor, reason="名称变更")
    Organ.objects.filter(pk=town.pk).update(name="晋江市紫帽街道办事处")
    report.refresh_from_db()
    report.status = Status.APPROVED
    report.save(update_fields=["status"])
    report_publish(report=report, acting_user=supervisor, correction_note="机关更名")
    assert kept(town) == {("晋江市紫帽街道办事处", True)}
    assert Publication.objects.filter(organ=town).count() == 2


def test_the_list_sorted_by_organ_follows_a_rename(client, town, other_town):
    make_report(town, 2023, Status.PUBLISHED)
    make_report(other_town, 2023, Status.PUBLISHED)

    def slugs(**params):
        response = client.get(reverse("reports:report_list"), {"sort": "organ", **params})
        return [p.organ.slug for p in response.context["page"].object_list]

    before = slugs()
    assert sorted(before) == ["yinglin", "zimao"]
    # Renamed to sort right after the other organ, whatever the collation.
    first, second = (Organ.objects.get(slug=slug) for slug in before)
    first.name = second.name + "乙"
    first.save()
    assert slugs() == before[::-1]
    assert slugs(q=first.name) == [first.slug]
