"""Every CSV and spreadsheet the portal writes is safe to open in Excel or WPS: a hostile organ
name or prose never becomes a formula (core/csvsafe.py), in each download, over HTTP."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from core import formats
from core.csvsafe import safe_cell
from filing.workflow import Status
from organs.models import Organ
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil.example","点我")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
           "\t=1+1", "\r=1+1"]  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def test_formula_text_gets_an_apostrophe_and_real_numbers_stay_numbers():
    for text in HOSTILE:
        assert safe_cell(text) == "'" + text
    assert safe_cell(-3) == -3
    assert safe_cell("-3") == "-3"
    assert safe_cell("12.5") == "12.5"
    assert safe_cell("晋江市") == "晋江市"
    assert safe_cell(None) is None


@pytest.fixture
def hostile_organs(city):
    organs = []
    for index, name in enumerate(HOSTILE):
        organ = Organ.objects.create(name=name, slug=f"hostile-{index}", parent=city)
        figures = {formats.SECTION3: {"一": [3, 0, 0, 0, 0, 0, 3]}}
        make_report(organ, 2023, Status.PUBLISHED, figures=figures, overview="=1+1 概述")
        organs.append(organ)
    return organs


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def assert_no_formula(values) -> None:
    dangerous = [v for v in values if isinstance(v, str) and v.startswith(FORMULA_STARTS)
                 and not v.lstrip("+-").replace(".", "", 1).isdigit()]  # fmt: skip
    assert dangerous == []


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_the_dataset_csv_neutralises_hostile_organ_names(client, hostile_organs):
    text = streamed(client.get(reverse("reports:dataset_csv")))
    values = cells(text)
    for name in HOSTILE:
        assert "'" + name in values
    assert_no_formula(values)


def test_the_dataset_xlsx_neutralises_hostile_organ_names(client, hostile_organs):
    response = client.get(reverse("reports:dataset_xlsx"))
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "&apos;=HYPERLINK" in sheet or "'=HYPERLINK" in sheet
    assert "<t>=HYPERLINK" not in sheet and "<t>@SUM" not in sheet


def test_the_compliance_csv_neutralises_hostile_organ_names(client, supervisor, hostile_organs):
    client.force_login(supervisor)
    response = client.get(reverse("reports:compliance_csv"), {"year": 2023})
    values = cells(response.content.decode("utf-8"))
    assert "'" + HOSTILE[0] in values
    assert_no_formula(values)


def test_the_statistics_csv_has_no_formula_cells(client, hostile_organs):
    response = client.get(reverse("reports:stats_csv"))
    assert response.status_code == 200
    assert_no_formula(cells(response.content.decode("utf-8")))


def test_the_admin_export_neutralises_hostile_organ_names(admin_client, hostile_organs):
    for fmt in ("0", "1"):  # CSV, XLSX
        data = {"format": fmt, "resource": "0"}
        data.update({f"organresource_{name}": "on" for name in ("slug", "name", "parent")})
        response = admin_client.post(reverse("admin:organs_organ_export"), data)
        assert response.status_code == 200, response.content[:500]
        if fmt == "0":
            values = cells(response.content.decode("utf-8"))
        else:
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(response.content)).active
            values = [c.value for row in sheet.iter_rows() for c in row]
        assert "'" + HOSTILE[0] in values
        assert_no_formula(values)
