"""Similarity findings through the clerk's views: computed on submit, not on every save."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import layout
from core.parsing import parse_bytes
from filing import services
from filing.models import AnnualReport
from filing.workflow import Status
from organs.models import Organ
from tests.support.render import (
    OTHER_TOWN_2023,
    TOWN_2020,
    TOWN_2023,
    corpus_bytes,
    needs_seeds,
    seed_path,
)

pytestmark = pytest.mark.django_db


def seed_sections(name: str) -> dict[str, str]:
    """Prose of a real seed, or of a corpus sample when ``name`` is a corpus key."""
    data = corpus_bytes(name) if "-" in name else seed_path(name).read_bytes()
    sections = parse_bytes(data, f"{name}.txt").sections
    return {"overview": sections["一"], "problems": sections["五"], "other_matters": sections["六"]}


def renumber(text: str) -> str:
    return re.sub(r"\d+", lambda m: str(int(m.group()) + 1), text)


def form_data(report, **prose):
    data = {cell.name: "0" for cell in layout.edition_cells(report.edition)}
    data.update(version=report.version, edition=report.edition)
    data.update({"overview": "", "problems": "", "other_matters": ""}, **prose)
    return data


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def copied_report(clerk_client, clerk, town):
    """紫帽镇's 2024 report: last year's prose (seed 000) with every number changed, saved."""
    last_year = seed_sections(TOWN_2023)
    AnnualReport.objects.create(organ=town, year=2023, status=Status.APPROVED, **last_year)
    report = services.report_start(organ=town, year=2024, acting_user=clerk)
    data = form_data(report, **{k: renumber(v) for k, v in last_year.items()})
    response = clerk_client.post(reverse("reports:report_edit", kwargs={"pk": report.pk}), data)
    assert response.status_code == 302
    report.refresh_from_db()
    return report


def similarity_codes(report):
    return sorted(
        report.findings.filter(code__startswith="similar_").values_list("code", flat=True)
    )


def test_saving_a_draft_does_not_run_the_similarity_check(copied_report):
    assert similarity_codes(copied_report) == []


def test_submitting_a_copy_of_last_year_adds_an_info_finding(clerk_client, copied_report):
    url = reverse("reports:report_submit", kwargs={"pk": copied_report.pk})
    response = clerk_client.post(url, {})
    assert response.status_code == 302, response.content.decode()[:2000]
    copied_report.refresh_from_db()
    assert copied_report.status == Status.SUBMITTED
    finding = copied_report.findings.get(code="similar_previous_year")
    assert finding.severity == "info"
    assert "紫帽镇 2023年" in finding.message
    assert "100%" in finding.message


def test_submitting_a_copy_of_another_town_names_it(clerk_client, clerk, town, other_town):
    AnnualReport.objects.create(organ=other_town, year=2023, **seed_sections(OTHER_TOWN_2023))
    report = services.report_start(organ=town, year=2023, acting_user=clerk)
    copied = {k: v.replace("白林", "紫帽") for k, v in seed_sections(OTHER_TOWN_2023).items()}
    edit = reverse("reports:report_edit", kwargs={"pk": report.pk})
    assert clerk_client.post(edit, form_data(report, **copied)).status_code == 302
    submit = reverse("reports:report_submit", kwargs={"pk": report.pk})
    assert clerk_client.post(submit, {}).status_code == 302
    finding = report.findings.get(code="similar_other_organ")
    assert "英林镇 2023年" in finding.message


# The corpus writes its prose from a few templates, so only real reports are "original".
@needs_seeds
def test_an_original_report_gets_no_similarity_finding(clerk_client, clerk, town, other_town):
    AnnualReport.objects.create(organ=other_town, year=2023, **seed_sections("001"))
    AnnualReport.objects.create(organ=town, year=2022, **seed_sections("002"))
    report = services.report_start(organ=town, year=2023, acting_user=clerk)
    edit = reverse("reports:report_edit", kwargs={"pk": report.pk})
    assert clerk_client.post(edit, form_data(report, **seed_sections("000"))).status_code == 302
    submit = reverse("reports:report_submit", kwargs={"pk": report.pk})
    assert clerk_client.post(submit, {}).status_code == 302
    assert similarity_codes(report) == []


def _refresh_queries(report) -> int:
    with CaptureQueriesContext(connection) as captured:
        services.report_findings_refresh(report=report, similarity=True)
    return len(captured.captured_queries)


def test_the_similarity_check_takes_the_same_queries_for_3_or_30_reports(city, town):
    prose = seed_sections(TOWN_2020)
    report = AnnualReport.objects.create(organ=town, year=2021, **prose)
    report = AnnualReport.objects.select_related("organ").get(pk=report.pk)

    def add_towns(start, count):
        for i in range(start, start + count):
            organ = Organ.objects.create(name=f"镇{i}", slug=f"town-{i}", parent=city)
            AnnualReport.objects.create(organ=organ, year=2021, overview=f"第{i}号镇的概述。")

    add_towns(0, 3)
    few = _refresh_queries(report)
    add_towns(3, 27)
    assert _refresh_queries(report) == few
