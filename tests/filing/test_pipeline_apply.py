"""Parsed values prefill a report without overwriting the clerk; the demo loader uses it all."""

import pytest

from bench import demo
from core import formats
from filing import services
from filing.figures import figures_set
from filing.models import AnnualReport, Attachment, AuditEvent, Figure, ParseRun
from organs import services as organ_services
from tests.support.render import (
    FAULTY_2022,
    TOWN_2020,
    TOWN_2023,
    corpus_bytes,
    corpus_expected,
    needs_seeds,
)

pytestmark = pytest.mark.django_db
RECEIVED = (formats.SECTION3, "一", formats.APPLICANT_KEYS[0])
CARRIED = (formats.SECTION3, "二", formats.APPLICANT_KEYS[0])


def parsed_run(key: str) -> ParseRun:
    """A corpus report uploaded as text and parsed in-process."""
    attachment = services.attachment_add(data=corpus_bytes(key), original_name=f"{key}.txt")
    run = ParseRun.objects.create(attachment=attachment)
    return services.parse_run_execute(run_id=run.pk)


@pytest.fixture
def draft(town, clerk):
    return AnnualReport.objects.create(organ=town, year=2023, edition=formats.EDITION_2021)


def value(report, cell):
    table, row, column = cell
    return report.figures.get(table=table, row=row, column=column)


def test_apply_fills_blank_cells_and_blank_prose_and_bumps_the_version(draft, clerk):
    run = parsed_run(TOWN_2023)
    draft.problems = "书记员写的问题。"
    draft.save()
    outcome = services.report_apply_parsed(report=draft, run=run, acting_user=clerk)
    draft.refresh_from_db()
    assert not outcome.conflicts and len(outcome.filled) == run.values.count() == 200
    assert draft.version == 2
    assert draft.overview.startswith(run.result["sections"]["一"][:20])
    assert draft.problems == "书记员写的问题。"
    assert set(outcome.prose) == {"overview", "other_matters"}
    assert value(draft, RECEIVED).source == Figure.Source.PARSED
    event = AuditEvent.objects.get(action="report.apply_parsed")
    assert (event.report, event.actor, event.data["run"]) == (draft, clerk, run.pk)


def test_a_clerk_value_that_differs_is_a_conflict_until_the_clerk_selects_it(draft, clerk):
    run = parsed_run(TOWN_2023)
    printed = corpus_expected(TOWN_2023)[formats.SECTION3]
    typed = [5, 0, 0, 0, 0, 0, 5]
    figures_set(report=draft, figures={formats.SECTION3: {"一": typed}})
    outcome = services.report_apply_parsed(report=draft, run=run, acting_user=clerk)
    conflicts = {c.cell: (c.current, c.parsed) for c in outcome.conflicts}
    columns = formats.APPLICANT_KEYS
    assert conflicts == {
        (formats.SECTION3, "一", column): (mine, theirs)
        for column, mine, theirs in zip(columns, typed, printed["一"], strict=True)
        if mine != theirs
    }
    assert RECEIVED in conflicts and len(conflicts) > 1
    assert value(draft, RECEIVED).value == 5
    assert value(draft, CARRIED).value == printed["二"][0]
    outcome = services.report_apply_parsed(
        report=draft, run=run, cells=[list(RECEIVED)], acting_user=clerk
    )
    assert outcome.replaced == [RECEIVED] and len(outcome.conflicts) == len(conflicts) - 1
    assert (value(draft, RECEIVED).value, value(draft, RECEIVED).source) == (
        printed["一"][0],
        "parsed",
    )


def test_apply_takes_the_parsed_edition_while_the_report_is_empty(draft):
    outcome = services.report_apply_parsed(report=draft, run=parsed_run(TOWN_2020))
    draft.refresh_from_db()
    assert outcome.edition_set and draft.edition == formats.EDITION_2019
    assert not outcome.unknown


def test_apply_stores_findings_and_keeps_explanations_on_refresh(draft):
    services.report_apply_parsed(report=draft, run=parsed_run(FAULTY_2022))
    codes = set(draft.findings.values_list("code", flat=True))
    count = draft.findings.count()
    assert {"s3_row_total", "s3_results_total"} <= codes
    broken = draft.findings.get(code="s3_results_total")
    broken.explanation = "原表如此，已核实。"
    broken.save()
    services.report_findings_refresh(report=draft)
    assert draft.findings.get(code="s3_results_total").explanation == "原表如此，已核实。"
    assert set(draft.findings.values_list("code", flat=True)) == codes
    assert draft.findings.count() == count


def test_a_failed_run_cannot_be_applied(draft):
    attachment = services.attachment_add(data=b"", original_name="empty.txt")
    run = services.parse_run_execute(run_id=ParseRun.objects.create(attachment=attachment).pk)
    with pytest.raises(
        services.ValidationError if hasattr(services, "ValidationError") else Exception
    ):
        services.report_apply_parsed(report=draft, run=run)


@needs_seeds
def test_the_demo_loader_publishes_the_five_seeds_and_is_idempotent(db):
    demo.load_organs()
    demo.load_accounts()
    first = demo.load_seed_reports()
    second = demo.load_seed_reports()
    assert len(first) == len(second) == 5
    assert AnnualReport.objects.count() == 5 and Attachment.objects.count() == 5
    assert ParseRun.objects.filter(status=ParseRun.Status.DONE).count() == 5
    assert set(AnnualReport.objects.values_list("status", flat=True)) == {"published"}
    assert AuditEvent.objects.filter(action="report.apply_parsed").count() == 5
    xiyuan = AnnualReport.objects.get(organ__name__contains="西园街道")
    assert (xiyuan.year, str(xiyuan.published_on)) == (2023, "2024-01-18")
    assert xiyuan.findings.filter(code="s3_balance").exists()
    assert all(a.report_id for a in Attachment.objects.all())
    # Published through the real services: one current publication each, with its file.
    assert AnnualReport.objects.public().count() == 5
    publication = xiyuan.current_publication
    assert (publication.number, str(publication.published_on)) == (1, "2024-01-18")
    assert publication.attachment.report_id == xiyuan.pk
    assert publication.error_count == xiyuan.findings.filter(severity="error").count() > 0


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("晋江市紫帽镇人民政府", "town"),
        ("晋江市人民政府西园街道办事处", "street"),
        ("晋江市教育局", "department"),
        ("晋江市人民政府办公室", "department"),
        ("某某乡", "town"),
    ],
)
def test_organ_kind_is_guessed_from_the_name(name, kind):
    assert organ_services.organ_kind_guess(name) == kind


def test_a_parsed_organ_name_matches_an_existing_town_or_adds_one_under_the_city(town, city):
    assert organ_services.organ_match_or_create(name="晋江市紫帽镇人民政府", parent=city) == town
    assert organ_services.organ_match_or_create(name="紫帽镇人民政府", parent=city) == town
    added = organ_services.organ_match_or_create(name="晋江市深沪镇人民政府", parent=city)
    again = organ_services.organ_match_or_create(name="晋江市深沪镇人民政府", parent=city)
    assert added == again and added.parent == city and added.kind == "town"
    assert added.slug and added.short_name == "深沪镇"
