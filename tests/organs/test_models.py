"""Models: constraints, organ trees, figures round-trip, visibility per persona."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core import formats
from core.figureset import empty_figures
from filing import permissions
from filing.figures import figures_set
from filing.models import AnnualReport, Figure, ParseRun
from filing.workflow import ALLOWED_TRANSITIONS, Status, can_transition
from organs.models import Membership, Organ
from tests.support import factories

pytestmark = pytest.mark.django_db


def make_report(organ, year=2023, status=Status.DRAFT, edition=formats.EDITION_2021):
    return factories.make_report(organ, year, status, edition)


def test_one_report_per_organ_and_year(town):
    make_report(town, 2023)
    make_report(town, 2022)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_report(town, 2023)


def test_one_figure_per_cell(town):
    report = make_report(town)
    Figure.objects.create(report=report, table="section3", row="一", column="自然人", value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Figure.objects.create(report=report, table="section3", row="一", column="自然人", value=2)


def test_a_clerk_belongs_to_one_organ_only(clerk, other_town):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=clerk, role=Membership.Role.CLERK, organ=other_town)


def test_a_supervisor_needs_an_organ(django_user_model):
    user = django_user_model.objects.create_user("nobody")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Membership.Role.SUPERVISOR, organ=None)


def test_region_ids_walk_the_whole_tree_without_recursion(city, town):
    # A chain deeper than Python's recursion limit would matter for a recursive walk.
    parent, chain = town, []
    for i in range(30):
        parent = Organ.objects.create(name=f"村{i}", slug=f"v{i}", parent=parent)
        chain.append(parent.pk)
    sibling = Organ.objects.create(name="另一镇", slug="other", parent=city)
    ids = town.region_ids()
    assert ids[0] == town.pk
    assert set(ids) == {town.pk, *chain}
    assert sibling.pk not in ids
    assert set(city.descendants().values_list("pk", flat=True)) == {
        city.pk,
        town.pk,
        sibling.pk,
        *chain,
    }


def test_region_ids_survive_a_cycle(city, town):
    Organ.objects.filter(pk=city.pk).update(parent=town)
    assert sorted(town.region_ids()) == sorted([city.pk, town.pk])


def test_figures_dict_round_trips_every_cell(town):
    report = make_report(town, edition=formats.EDITION_2019)
    figures = empty_figures(formats.EDITION_2019)
    figures["section2"]["规范性文件"]["本年新制作数量"] = 3
    figures["section2"]["政府集中采购"]["采购总金额"] = 12.5
    figures["section3"]["一"] = [1, 0, 0, 0, 0, 0, 1]
    figures["section3"]["三.六"] = [0, 2, 0, 0, 0, 0, 2]
    figures["section4"] = [None] * 5 + [0, 2, 0, 0, 2] + [0] * 5
    written = figures_set(report=report, figures=figures)
    assert written == report.figures.count()
    got = report.figures_dict()
    assert got == figures
    assert type(got["section3"]["一"][0]) is int
    assert got["section2"]["政府集中采购"]["采购总金额"] == 12.5
    assert set(got["section3"]) == set(formats.get_edition("2019").section3_row_keys())
    assert len(got["section4"]) == len(formats.SECTION4_CELLS)


def test_figures_set_updates_in_place_and_keeps_typed_cells_when_asked(town):
    report = make_report(town)
    figures_set(report=report, figures={"section3": {"一": [1, 0, 0, 0, 0, 0, 1]}})
    figures_set(
        report=report,
        figures={"section3": {"一": [5, 0, 0, 0, 0, 0, 5], "二": [2, 0, 0, 0, 0, 0, 2]}},
        source=Figure.Source.PARSED,
        keep_manual=True,
    )
    got = report.figures_dict()["section3"]
    assert got["一"] == [1, 0, 0, 0, 0, 0, 1]
    assert got["二"] == [2, 0, 0, 0, 0, 0, 2]
    cell = report.figures.get(table="section3", row="二", column="自然人")
    assert (cell.value, cell.source) == (Decimal("2.00"), Figure.Source.PARSED)
    figures_set(report=report, figures={"section3": {"一": [7, 0, 0, 0, 0, 0, 7]}})
    assert report.figures_dict()["section3"]["一"][0] == 7
    assert report.figures.filter(table="section3", row="一").count() == 7


def test_figures_set_refuses_labels_the_edition_does_not_have(town):
    report = make_report(town, edition=formats.EDITION_2021)
    with pytest.raises(ValidationError) as err:
        figures_set(report=report, figures={"section2": {"规范性文件": {"本年新制作数量": 1}}})
    assert err.value.code == "figure_unknown_cell"
    with pytest.raises(ValidationError):
        figures_set(report=report, figures={"section3": {"一": [1, 2]}})
    with pytest.raises(ValidationError) as err:
        figures_set(report=report, figures={"section4": ["x"] * 15})
    assert err.value.code == "figure_not_a_number"
    assert not report.figures.exists()


@pytest.fixture
def reports_by_status(town, other_town, outside_town):
    return {
        "own_draft": make_report(town, 2023),
        "own_published": make_report(town, 2022, Status.PUBLISHED),
        "other_submitted": make_report(other_town, 2023, Status.SUBMITTED),
        "other_published": make_report(other_town, 2022, Status.PUBLISHED),
        "outside_approved": make_report(outside_town, 2023, Status.APPROVED),
    }


VISIBLE = {
    "anonymous": {"own_published", "other_published"},
    "clerk": {"own_draft", "own_published", "other_published"},
    "other_clerk": {"own_published", "other_submitted", "other_published"},
    "supervisor": {"own_draft", "own_published", "other_submitted", "other_published"},
    "portal_admin": {
        "own_draft",
        "own_published",
        "other_submitted",
        "other_published",
        "outside_approved",
    },
}


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_visible_to_matches_the_view_predicate_for_every_persona(
    request, persona, reports_by_status
):
    user = request.getfixturevalue(persona)
    visible = set(AnnualReport.objects.visible_to(user).values_list("pk", flat=True))
    expected = {reports_by_status[name].pk for name in VISIBLE[persona]}
    assert visible == expected
    for report in reports_by_status.values():
        assert permissions.can_view_report(user, report) is (report.pk in expected)


def test_role_predicates(clerk, supervisor, portal_admin, town, outside_town, anonymous):
    assert permissions.is_clerk_of(clerk, town)
    assert not permissions.is_clerk_of(supervisor, town)
    assert permissions.supervises(supervisor, town)
    assert not permissions.supervises(supervisor, outside_town)
    assert not permissions.supervises(clerk, town)
    assert permissions.is_portal_admin(portal_admin)
    assert not permissions.is_portal_admin(supervisor)
    assert not permissions.is_portal_admin(anonymous)


def test_an_inactive_clerk_sees_only_published_reports(clerk, reports_by_status):
    clerk.is_active = False
    clerk.save()
    assert not permissions.is_clerk_of(clerk, reports_by_status["own_draft"].organ)


def test_transitions_follow_the_pipeline():
    assert can_transition(Status.DRAFT, Status.SUBMITTED)
    assert can_transition(Status.SUBMITTED, Status.RETURNED)
    assert can_transition(Status.APPROVED, Status.PUBLISHED)
    assert not can_transition(Status.DRAFT, Status.PUBLISHED)
    assert can_transition(Status.PUBLISHED, Status.DRAFT)  # reopened as a correction
    assert not can_transition(Status.PUBLISHED, Status.SUBMITTED)
    assert set(ALLOWED_TRANSITIONS) == set(Status.values)


def test_parse_run_duration(town):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from filing.models import Attachment

    attachment = Attachment.objects.create(
        file=ContentFile(b"hello", name="报告.pdf"),
        original_name="报告.pdf",
        sha256="0" * 64,
        size=5,
        organ=town,
    )
    assert attachment.file.name.startswith("attachments/")
    assert attachment.file.name.endswith(".pdf")
    assert "报告" not in attachment.file.name
    run = ParseRun.objects.create(attachment=attachment)
    assert run.duration is None
    run.started_at = timezone.now()
    run.finished_at = run.started_at + timedelta(seconds=2)
    assert run.duration == timedelta(seconds=2)
