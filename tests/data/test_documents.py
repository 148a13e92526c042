"""The official document (DOCX, PDF) generated from a report's data and read back by our parser."""

from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from core import formats
from core.figureset import empty_figures
from core.parsing import parse_bytes
from data import documents, ingest
from data.documents import service as document_service
from data.tasks import generate_document
from filing import services
from filing.figures import figures_set
from filing.models import AnnualReport
from filing.workflow import Status
from public import services as public_services
from public.models import Publication
from review import services as review_services
from tests.support.factories import make_report, system_admin
from tests.support.render import TOWN_2020, TOWN_2023, corpus_path, needs_seeds, seed_path

pytestmark = pytest.mark.django_db
PROSE = {
    "overview": "本机关认真贯彻落实《中华人民共和国政府信息公开条例》。\n全年主动公开信息若干条。",
    "problems": "一是公开内容不够全面。\n二是解读形式较为单一。",
    "other_matters": "本年度未收取信息处理费。",
}


def distinct_figures(edition: str) -> dict:
    """Every cell a different non-zero number; decimals, a negative and blanks where they fit."""
    figures = empty_figures(edition)
    counter = iter(range(1, 1000))
    for columns in figures[formats.SECTION2].values():
        for column in columns:
            columns[column] = next(counter)
    figures[formats.SECTION3] = {
        row: [next(counter) for _ in formats.APPLICANT_KEYS] for row in figures[formats.SECTION3]
    }
    figures[formats.SECTION4] = [next(counter) for _ in formats.SECTION4_CELLS]
    if edition == formats.EDITION_2019:
        figures[formats.SECTION2]["行政许可"]["本年增/减"] = -3
        figures[formats.SECTION2]["政府集中采购"]["采购总金额"] = 1234.56
    else:
        figures[formats.SECTION2]["行政事业性收费"]["本年收费金额（单位：万元）"] = 12.5
    figures[formats.SECTION2]["规章"] = dict.fromkeys(figures[formats.SECTION2]["规章"])
    return figures


def read_back(content: bytes, name: str):
    result = parse_bytes(content, name)
    assert result.error is None, result.error
    return result


def assert_same_report(result, report: AnnualReport, figures: dict, prose: dict) -> None:
    assert (result.organ, result.year, result.edition) == (
        report.organ.name,
        report.year,
        report.edition,
    )
    assert result.figures() == figures
    # Compared without whitespace: a PDF wraps long lines where the page ends.
    for numeral, field in (("一", "overview"), ("五", "problems"), ("六", "other_matters")):
        for line in prose[field].splitlines():
            assert formats.squash(line) in formats.squash(result.sections[numeral])


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("edition", formats.EDITIONS)
def test_the_clerks_docx_reads_back_with_every_cell_organ_year_and_edition(
    client, clerk, town, edition
):
    report = make_report(
        town, year=2022, edition=edition, figures=distinct_figures(edition), **PROSE
    )
    client.force_login(clerk)
    content = download(client, reverse("reports:report_draft_docx", kwargs={"pk": report.pk}))
    assert_same_report(read_back(content, "report.docx"), report, report.figures_dict(), PROSE)


def _round_trip(client, clerk, town, path, edition):
    ingest.ingest_path(path, organ=town)
    report = AnnualReport.objects.get()
    assert report.edition == edition
    client.force_login(clerk)
    content = download(client, reverse("reports:report_draft_docx", kwargs={"pk": report.pk}))
    prose = {f: getattr(report, f) for f in PROSE}
    assert_same_report(read_back(content, "seed.docx"), report, report.figures_dict(), prose)


@pytest.mark.parametrize(
    ("key", "form", "layout", "edition"),
    [
        (TOWN_2023, "text", "markdown", "2021"),
        (TOWN_2020, "text", "tabbed", "2019"),
        ("2019-jinsha", "docx", "official", "2019"),
    ],
)
def test_an_ingested_report_round_trips_through_its_generated_docx(
    client, clerk, town, key, form, layout, edition
):
    _round_trip(client, clerk, town, corpus_path(key, form, layout), edition)


@needs_seeds
@pytest.mark.parametrize(("seed", "edition"), [("000", "2021"), ("001", "2019"), ("003", "2019")])
def test_a_real_seed_report_round_trips_through_its_generated_docx(
    client, clerk, town, seed, edition
):
    _round_trip(client, clerk, town, seed_path(seed), edition)


def test_the_public_docx_is_the_published_version_never_the_live_correction(client, town):
    figures = distinct_figures(formats.EDITION_2021)
    report = make_report(
        town, year=2023, status=Status.PUBLISHED, figures=figures, published_on=date(2024, 1, 20),
        **PROSE,
    )  # fmt: skip
    review_services.report_reopen(
        report=report, acting_user=system_admin(), reason="更正错填的数字"
    )
    report.refresh_from_db()
    figures_set(report=report, figures={formats.SECTION4: [0] * len(formats.SECTION4_CELLS)})
    AnnualReport.objects.filter(pk=report.pk).update(overview="更正中的草稿文字。")
    url = reverse("reports:report_document_docx", kwargs={"slug": "zimao", "year": 2023})
    result = read_back(download(client, url), "public.docx")
    publication = report.current_publication
    assert result.figures() == publication.figures != report.figures_dict()
    assert "更正中的草稿文字" not in result.text and result.published == "2024-01-20"


def test_an_earlier_publication_is_served_by_its_version_number(client, town):
    report = make_report(town, year=2023, status=Status.PUBLISHED, overview="第一版。")
    admin = system_admin()
    review_services.report_reopen(report=report, acting_user=admin, reason="更正")
    AnnualReport.objects.filter(pk=report.pk).update(overview="第二版。", status=Status.APPROVED)
    report.refresh_from_db()
    public_services.report_publish(
        report=report, acting_user=admin, published_on=date(2024, 2, 1), correction_note="更正"
    )
    url = reverse("reports:report_document_docx", kwargs={"slug": "zimao", "year": 2023})
    assert "第二版" in read_back(download(client, url), "a.docx").text
    assert "第一版" in read_back(download(client, url + "?version=1"), "b.docx").text
    assert client.get(url + "?version=3").status_code == 404
    assert client.get(url + "?version=x").status_code == 404


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.APPROVED])
def test_an_unpublished_report_has_no_public_document(client, town, status):
    make_report(town, year=2023, status=status)
    for name in ("reports:report_document_docx", "reports:report_document_pdf"):
        assert client.get(reverse(name, kwargs={"slug": "zimao", "year": 2023})).status_code == 404


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.PUBLISHED])
def test_the_clerk_gets_their_own_report_in_any_status(client, clerk, town, status):
    report = make_report(town, year=2023, status=status)
    client.force_login(clerk)
    response = client.get(reverse("reports:report_draft_docx", kwargs={"pk": report.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == documents.CONTENT_TYPES["docx"]
    assert "attachment" in response["Content-Disposition"]
    assert "2023" in response["Content-Disposition"]


def test_nobody_else_gets_a_clerks_draft(client, other_clerk, supervisor, town):
    report = make_report(town, year=2023)
    url = reverse("reports:report_draft_docx", kwargs={"pk": report.pk})
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    for user in (other_clerk, supervisor):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(url.replace(".docx", ".pdf")).status_code == 404


def test_the_docx_is_cached_by_version_and_replaced_after_a_save(client, clerk, town, monkeypatch):
    report = make_report(town, year=2023, overview="初稿。")
    client.force_login(clerk)
    url = reverse("reports:report_draft_docx", kwargs={"pk": report.pk})
    built = []
    real = document_service.build_docx
    monkeypatch.setattr(document_service, "build_docx", lambda data: built.append(1) or real(data))
    first = download(client, url)
    assert download(client, url) == first and len(built) == 1
    services.report_save(
        report=report,
        acting_user=clerk,
        expected_version=report.version,
        prose={"overview": "修改后的稿子。"},
        figures={},
    )
    assert "修改后的稿子" in read_back(download(client, url), "c.docx").text and len(built) == 2
    report.refresh_from_db()
    _, files = default_storage.listdir(f"documents/{report.pk}")
    assert report.version > 1 and len(files) == 1 and files[0].startswith(f"v{report.version}-")


def test_the_links_point_the_clerk_to_the_draft_and_the_public_to_the_publication(
    client, clerk, town
):
    report = make_report(town, year=2023, status=Status.PUBLISHED)
    client.force_login(clerk)
    page = client.get(reverse("reports:report_edit", kwargs={"pk": report.pk})).content.decode()
    assert reverse("reports:report_draft_docx", kwargs={"pk": report.pk}) in page
    public_url = reverse("reports:report_document_docx", kwargs={"slug": "zimao", "year": 2023})
    client.logout()
    html = client.get(report.get_absolute_url()).content.decode()
    assert f'href="{public_url}"' in html and "/workspace/" not in html
    # An earlier version's page links to that version's document.
    Publication.objects.filter(pk=report.current_publication_id).update(is_current=False)
    html = client.get(f"{report.get_absolute_url()}?version=1").content.decode()
    assert f'href="{public_url}?version=1"' in html


def test_the_task_generates_and_stores_the_document_and_skips_a_missing_report(town):
    report = make_report(town, year=2023, overview="任务生成。")
    name = generate_document.delay(report.pk, None, "docx").get()
    assert name and default_storage.exists(name)
    with default_storage.open(name) as handle:
        assert "任务生成" in read_back(handle.read(), "t.docx").text
    assert generate_document.delay(987654, None, "docx").get() is None
