"""The published dataset downloads: CSV, XLSX and JSON, the views and export_dataset."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.http import StreamingHttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import load_workbook

from core import formats
from core.figureset import plain_number
from core.parsing import parse_bytes
from data import exports
from filing.figures import figures_cells, figures_set
from filing.workflow import Status
from organs.models import Organ
from review import services as review_services
from tests.support.factories import make_report, system_admin
from tests.support.render import TOWN_2020, TOWN_2022, TOWN_2023, corpus_bytes

pytestmark = pytest.mark.django_db


def parsed(key: str):
    result = parse_bytes(corpus_bytes(key), f"{key}.txt")
    assert result.error is None
    return result


def seed_report(organ, name: str, status=Status.PUBLISHED):
    result = parsed(name)
    report = make_report(
        organ,
        year=result.year,
        status=status,
        edition=result.edition,
        figures=result.figures(),
        overview=result.sections.get("一", ""),
        problems=result.sections.get("五", ""),
        other_matters=result.sections.get("六", ""),
    )
    return report, result


@pytest.fixture
def dataset(town, other_town, city):
    """Published reports of 2023, 2022 and 2020 (2019 edition), a draft and a correction."""
    cizao = Organ.objects.create(
        name="晋江市磁灶镇人民政府", short_name="磁灶镇", slug="cizao", parent=city
    )
    anhai = Organ.objects.create(
        name="晋江市安海镇人民政府", short_name="安海镇", slug="anhai", parent=city
    )
    zimao, zimao_seed = seed_report(town, TOWN_2023)
    seed_report(other_town, TOWN_2020)
    seed_report(cizao, TOWN_2022)
    draft, _ = seed_report(anhai, TOWN_2023, status=Status.DRAFT)
    # Reopened as a correction: the draft's new value must not leak; the publication stays.
    review_services.report_reopen(report=zimao, acting_user=system_admin(), reason="更正表三")
    figures_set(report=zimao, figures={"section3": {"一": [99, 0, 0, 0, 0, 0, 99]}})
    return {"zimao_seed": zimao_seed, "draft": draft}


def get_bytes(client, name: str, **params) -> bytes:
    response = client.get(reverse(f"reports:{name}"), params)
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return b"".join(response)


def csv_rows(data: bytes) -> list[dict]:
    assert data.startswith(exports.CSV_BOM)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_holds_the_published_cells_of_a_seed_and_never_drafts(client, dataset):
    rows = csv_rows(get_bytes(client, "dataset_csv"))
    assert {r["organ_slug"] for r in rows} == {"zimao", "yinglin", "cizao"}
    seed = dataset["zimao_seed"]
    expected = {
        (t, r, c): "" if v is None else str(plain_number(v))
        for (t, r, c), v in figures_cells(seed.figures(), seed.edition).items()
    }
    zimao = {
        (r["table"], r["row"], r["column"]): r["value"] for r in rows if r["organ_slug"] == "zimao"
    }
    assert zimao == expected
    assert zimao[("section3", "一", "自然人")] != "99", "the correction draft leaked"
    first = next(r for r in rows if r["organ_slug"] == "zimao")
    assert first["organ"] == "晋江市紫帽镇人民政府"
    assert first["region"] == "晋江市"
    assert first["year"] == "2023" and first["edition"] == formats.EDITION_2021


def test_csv_rows_carry_the_official_row_labels_in_a_stable_order(client, dataset):
    rows = csv_rows(get_bytes(client, "dataset_csv"))
    label = {(r["edition"], r["table"], r["row"]): r["row_label"] for r in rows}
    assert label[("2021", "section3", "一")] == "一、本年新收政府信息公开申请数量"
    assert label[("2019", "section3", "三.六")] == "（六）其他处理"
    assert label[("2021", "section4", "未经复议直接起诉")] == "行政诉讼·未经复议直接起诉"
    assert label[("2019", "section2", "政府集中采购")] == "政府集中采购"
    keys = [(r["year"], r["organ_slug"]) for r in rows]
    assert keys == sorted(keys)
    zimao = [(r["table"], r["row"], r["column"]) for r in rows if r["organ_slug"] == "zimao"]
    edition = formats.get_edition(formats.EDITION_2021)
    assert zimao[:3] == [
        ("section2", "规章", c) for c in ("本年制发件数", "本年废止件数", "现行有效件数")
    ]
    assert zimao[-1] == ("section4", "复议后起诉", "总计")
    assert len(zimao) == len(edition.section2_cells()) + 7 * len(edition.section3_rows) + 15


def test_csv_and_json_are_byte_identical_across_exports(client, dataset):
    for name in ("dataset_csv", "dataset_json"):
        assert get_bytes(client, name) == get_bytes(client, name)


def test_xlsx_is_byte_identical_across_exports_and_matches_the_csv(client, dataset):
    first = get_bytes(client, "dataset_xlsx")
    assert first == get_bytes(client, "dataset_xlsx")
    sheet = load_workbook(io.BytesIO(first)).active
    header, *cells = list(sheet.values)
    assert list(header) == list(exports.HEADER)
    rows = csv_rows(get_bytes(client, "dataset_csv"))
    as_text = [["" if v is None else str(v) for v in row] for row in cells]
    assert as_text == [list(r.values()) for r in rows]


def test_the_csv_is_streamed_with_a_fixed_number_of_queries(
    client, dataset, django_assert_max_num_queries
):
    response = client.get(reverse("reports:dataset_csv"))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == 'attachment; filename="dataset.csv"'
    with django_assert_max_num_queries(3):
        body = b"".join(response.streaming_content)
    assert body.count(b"\r\n") > 300


def test_json_has_organs_and_reports_with_prose_and_figures(client, dataset):
    data = json.loads(get_bytes(client, "dataset_json"))
    assert [o["slug"] for o in data["organs"]] == ["cizao", "yinglin", "zimao"]
    reports = {(r["organ_slug"], r["year"]): r for r in data["reports"]}
    assert set(reports) == {("cizao", 2022), ("yinglin", 2020), ("zimao", 2023)}
    zimao = reports[("zimao", 2023)]
    seed = dataset["zimao_seed"]
    assert zimao["figures"] == json.loads(json.dumps(seed.figures()))
    assert zimao["overview"] == seed.sections["一"]
    assert zimao["publication"] == 1 and zimao["published_on"] == "2024-01-20"
    assert [r["year"] for r in data["reports"]] == [2020, 2022, 2023]


def test_year_filter_and_a_bad_year(client, dataset):
    rows = csv_rows(get_bytes(client, "dataset_csv", year=2022))
    assert {(r["organ_slug"], r["year"]) for r in rows} == {("cizao", "2022")}
    data = json.loads(get_bytes(client, "dataset_json", year=2022))
    assert [r["organ_slug"] for r in data["reports"]] == ["cizao"]
    xlsx = load_workbook(io.BytesIO(get_bytes(client, "dataset_xlsx", year=2021))).active
    assert len(list(xlsx.values)) == 1  # the header: nothing was published for 2021
    response = client.get(reverse("reports:dataset_csv"), {"year": "2023; drop"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("fmt", "view"), [("csv", "dataset_csv"), ("json", "dataset_json"), ("xlsx", "dataset_xlsx")]
)
def test_the_command_writes_the_same_bytes_as_the_view(client, dataset, tmp_path, fmt, view):
    out = tmp_path / f"dataset.{fmt}"
    call_command("export_dataset", "--format", fmt, "-o", str(out), stdout=io.StringIO())
    assert out.read_bytes() == get_bytes(client, view)
    call_command(
        "export_dataset", "--format", fmt, "-o", str(out), "--year", "2022", stdout=io.StringIO()
    )
    assert out.read_bytes() == get_bytes(client, view, year=2022)


def test_an_empty_portal_exports_headers_only(client, db):
    assert csv_rows(get_bytes(client, "dataset_csv")) == []
    assert json.loads(get_bytes(client, "dataset_json")) == {
        "format": exports.JSON_FORMAT,
        "organs": [],
        "reports": [],
    }


def test_download_links_name_the_three_files_and_keep_the_year(db):
    html = render_to_string("reports/exports/_links.html", {"filters": {"year": 2023}})
    for name in ("dataset_csv", "dataset_xlsx", "dataset_json"):
        assert f'href="{reverse(f"reports:{name}")}?year=2023"' in html
    assert "下载 CSV 文件" in html and 'aria-labelledby="dataset-downloads-heading"' in html
    plain = render_to_string("reports/exports/_links.html", {})
    assert f'href="{reverse("reports:dataset_json")}"' in plain


def test_xlsx_rows_beyond_a_sheet_continue_on_further_sheets(client, dataset, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_SHEET_ROWS", 200)
    rows = csv_rows(get_bytes(client, "dataset_csv"))
    book = load_workbook(io.BytesIO(get_bytes(client, "dataset_xlsx")))
    assert book.sheetnames == [
        "dataset",
        *(f"dataset{n}" for n in range(2, (len(rows) - 1) // 200 + 2)),
    ]
    cells = []
    for sheet in book.worksheets:
        header, *values = list(sheet.values)
        assert list(header) == list(exports.HEADER)
        assert len(values) <= 200
        cells += [["" if v is None else str(v) for v in row] for row in values]
    assert cells == [list(r.values()) for r in rows]
