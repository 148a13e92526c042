"""Bulk import and export in the Django admin (django-import-export), over HTTP."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core import formats
from core.checks import check_report
from core.figureset import plain_number
from core.parsing import parse_bytes
from filing.figures import figures_cells, figures_set
from filing.models import AnnualReport, AuditEvent, Figure, Finding
from filing.services.reports import report_prose_numbers
from filing.workflow import Status
from organs.models import Membership, Organ
from tests.support.render import FAULTY_2022, corpus_bytes

pytestmark = pytest.mark.django_db

FORMAT_CSV, FORMAT_XLSX = "0", "1"
FIGURE_HEADER = ["organ", "year", "table", "row", "column", "value"]
# The same columns as the admin names them (the fields' verbose names).
FIGURE_LABELS = ["机关", "年度", "表", "行", "列", "数值"]
TABLE_NAMES = {
    "section2": "二、主动公开政府信息情况",
    "section3": "三、收到和处理政府信息公开申请情况",
    "section4": "四、行政复议、行政诉讼情况",
}


def csv_bytes(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


# The app each imported model lives in (the admin's URL names carry it).
APP_OF = {"organ": "organs", "membership": "organs", "annualreport": "filing", "figure": "filing"}


def preview(client, model: str, data: bytes, name: str = "import.csv", fmt: str = FORMAT_CSV):
    """Upload a file to the admin import page: the dry-run preview."""
    url = reverse(f"admin:{APP_OF[model]}_{model}_import")
    upload = SimpleUploadedFile(name, data)
    return client.post(url, {"format": fmt, "resource": "0", "import_file": upload})


def confirm(client, model: str, response):
    """Press "confirm import" on a preview page."""
    form = response.context["confirm_form"]
    assert form is not None, "the preview offers no confirm step"
    url = reverse(f"admin:{APP_OF[model]}_{model}_process_import")
    return client.post(url, {**form.initial, "resource": form.initial.get("resource") or "0"})


def import_file(client, model: str, data: bytes, **kwargs):
    response = preview(client, model, data, **kwargs)
    assert response.status_code == 200
    assert response.context.get("confirm_form"), page_errors(response)
    return confirm(client, model, response)


def page_errors(response) -> str:
    result = response.context.get("result")
    if result is None:
        return str(response.context.get("form").errors)
    return "; ".join(f"{row.number}: {row.error_dict}" for row in result.invalid_rows) + "; ".join(
        str(e.error) for _, errors in result.row_errors() for e in errors
    )


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def seed():
    """A corpus report of 2022 whose printed figures fail the checks (表三 totals)."""
    result = parse_bytes(corpus_bytes(FAULTY_2022), "faulty.txt")
    assert result.error is None
    return result


@pytest.fixture
def xiyuan(city):
    return Organ.objects.create(
        name="晋江市人民政府西园街道办事处", short_name="西园街道", slug="xiyuan", parent=city
    )


@pytest.fixture
def draft(xiyuan, seed):
    return AnnualReport.objects.create(organ=xiyuan, year=seed.year, edition=seed.edition)


def seed_rows(organ: Organ, seed) -> list[list]:
    cells = figures_cells(seed.figures(), seed.edition)
    return [
        [organ.slug, seed.year, t, r, c, "" if v is None else plain_number(v)]
        for (t, r, c), v in cells.items()
    ]


def test_figures_import_with_one_bad_row_imports_nothing_and_names_the_row(
    admin_client, draft, seed
):
    rows = seed_rows(draft.organ, seed)
    rows[5][5] = "十二"
    response = preview(admin_client, "figure", csv_bytes(FIGURE_HEADER, rows))
    html = response.content.decode()
    assert response.context.get("confirm_form") is None
    assert "“十二”不是有效的数字。" in html
    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 6
    assert Figure.objects.count() == 0
    assert not AuditEvent.objects.filter(action="report.import").exists()


@pytest.mark.parametrize(
    ("cell", "field", "message"),
    [
        (
            ("section3", "三.九", "自然人"),
            "row",
            "2021年版表格中没有“section3 / 三.九 / 自然人”这一格。",
        ),
        (("section2", "规章", "本年新制作数量"), "row", "2021年版表格中没有"),
        (("section5", "一", "总计"), "table", "2021年版表格中没有“section5"),
    ],
)
def test_an_unknown_cell_is_a_row_error_in_chinese(admin_client, draft, cell, field, message):
    rows = [["xiyuan", 2022, "section3", "一", "自然人", 1], ["xiyuan", 2022, *cell, 1]]
    response = preview(admin_client, "figure", csv_bytes(FIGURE_HEADER, rows))
    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 2
    assert message in invalid.error_dict[field][0]
    assert Figure.objects.count() == 0


def test_rows_for_a_submitted_report_are_refused(admin_client, draft):
    AnnualReport.objects.filter(pk=draft.pk).update(status=Status.SUBMITTED)
    rows = [["xiyuan", 2022, "section3", "一", "自然人", 1]]
    response = preview(admin_client, "figure", csv_bytes(FIGURE_HEADER, rows))
    assert "西园街道 2022 的报告状态为“已提交”，不能导入修改。" in response.content.decode()
    assert response.context.get("confirm_form") is None


def test_rows_for_a_missing_report_or_organ_are_refused(admin_client, draft):
    rows = [
        ["xiyuan", 2021, "section3", "一", "自然人", 1],
        ["nowhere", 2023, "section3", "一", "自然人", 1],
        ["xiyuan", 2022, "section3", "一", "自然人", 1],
        ["xiyuan", 2022, "section3", "一", "自然人", 2],
    ]
    response = preview(admin_client, "figure", csv_bytes(FIGURE_HEADER, rows))
    errors = {row.number: row.error_dict for row in response.context["result"].invalid_rows}
    assert "xiyuan 没有 2021 年度报告" in errors[1]["year"][0]
    assert errors[2]["organ"] == ["没有标识为“nowhere”的机关。"]
    assert errors[4]["row"] == ["这一格在第 3 行已经出现过。"]
    assert set(errors) == {1, 2, 4}


def test_a_good_seed_csv_imports_and_the_checks_run_once_per_report(admin_client, draft, seed):
    rows = seed_rows(draft.organ, seed)
    response = preview(admin_client, "figure", csv_bytes(FIGURE_HEADER, rows))
    preview_html = response.content.decode()
    assert "导入后的校验结果" in preview_html
    assert Figure.objects.count() == 0 and Finding.objects.count() == 0, "the preview wrote"

    done = confirm(admin_client, "figure", response)
    assert done.status_code == 302
    draft.refresh_from_db()
    assert Figure.objects.filter(report=draft).count() == len(rows)
    assert set(Figure.objects.values_list("source", flat=True)) == {Figure.Source.IMPORTED}
    assert draft.figures_dict() == figures_from_cells(seed)

    expected = check_report(
        draft.figures_dict(), draft.edition, prose_numbers=report_prose_numbers(draft)
    )
    stored = list(draft.findings.order_by("id"))
    assert [(f.code, f.message) for f in stored] == [(f.code, f.message) for f in expected]
    errors = [f for f in expected if f.severity == "error"]
    assert errors, "the faulty sample should fail checks"
    messages = texts(done)
    for finding in errors:
        assert f"西园街道 2022：{finding.code} {finding.message}" in messages
    [event] = AuditEvent.objects.filter(action="report.import")
    assert event.report == draft and event.data["rows"] == len(rows)
    assert draft.version == 2


def figures_from_cells(seed) -> dict:
    from core.figureset import figures_to_dict

    class StoredRow:
        def __init__(self, key, value):
            self.table, self.row, self.column = key
            self.value = value

    cells = figures_cells(seed.figures(), seed.edition)
    return figures_to_dict([StoredRow(k, v) for k, v in cells.items()], seed.edition)


def test_the_dry_run_preview_writes_nothing(admin_client, draft):
    rows = [["xiyuan", 2022, "section3", "一", "自然人", 3]]
    response = preview(admin_client, "figure", csv_bytes(FIGURE_HEADER, rows))
    assert response.context["confirm_form"] is not None
    assert "西园街道 2022" in response.content.decode()
    assert Figure.objects.count() == 0
    assert Finding.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    draft.refresh_from_db()
    assert draft.version == 1


def test_a_report_submitted_between_preview_and_confirm_makes_the_import_write_nothing(
    admin_client, draft
):
    rows = [
        ["xiyuan", 2022, "section3", "一", "自然人", 3],
        ["xiyuan", 2022, "三", "二", "总计", 1],
    ]
    response = preview(admin_client, "figure", csv_bytes(FIGURE_HEADER, rows))
    AnnualReport.objects.filter(pk=draft.pk).update(status=Status.SUBMITTED)
    done = confirm(admin_client, "figure", response)
    assert done.status_code == 302
    assert Figure.objects.count() == 0
    assert any("导入失败" in m for m in texts(done))


def export(client, model: str, resource: str, fields: list[str], fmt: str) -> bytes:
    data = {"format": fmt, "resource": "0"}
    data.update({f"{resource}_{name}": "on" for name in fields})
    response = client.post(reverse(f"admin:{APP_OF[model]}_{model}_export"), data)
    assert response.status_code == 200, response.content[:500]
    return response.content


def test_xlsx_round_trip_of_figures_is_idempotent(admin_client, draft, seed):
    figures_set(report=draft, figures=seed.figures())
    before = sorted(Figure.objects.values_list("report", "table", "row", "column", "value"))
    data = export(admin_client, "figure", "figureresource", FIGURE_HEADER, FORMAT_XLSX)
    sheet = load_workbook(io.BytesIO(data)).active
    header, *rows = list(sheet.values)
    assert list(header) == FIGURE_LABELS
    assert len(rows) == len(before)
    # The table column holds the table's name, not its code.
    assert {r[2] for r in rows} <= set(TABLE_NAMES.values())

    response = preview(admin_client, "figure", data, name="figures.xlsx", fmt=FORMAT_XLSX)
    result = response.context["result"]
    assert not result.has_validation_errors() and not result.has_errors(), page_errors(response)
    assert result.totals["update"] == 0 and result.totals["new"] == 0
    confirm(admin_client, "figure", response)
    after = sorted(Figure.objects.values_list("report", "table", "row", "column", "value"))
    assert after == before
    again = export(admin_client, "figure", "figureresource", FIGURE_HEADER, FORMAT_XLSX)
    assert list(load_workbook(io.BytesIO(again)).active.values) == [header, *rows]


def test_reports_import_creates_drafts_and_ignores_a_status_column(admin_client, town):
    header = ["organ", "year", "edition", "status", "overview", "problems", "other_matters"]
    rows = [["zimao", 2024, "", "published", "全年主动公开信息 12 条。", "", ""]]
    done = import_file(admin_client, "annualreport", csv_bytes(header, rows))
    assert done.status_code == 302
    report = AnnualReport.objects.get(organ=town, year=2024)
    assert report.status == Status.DRAFT
    assert report.edition == formats.EDITION_2021
    assert report.overview == "全年主动公开信息 12 条。"
    assert AuditEvent.objects.filter(action="report.import", report=report).count() == 1


def test_reports_import_refuses_an_approved_report(admin_client, town):
    AnnualReport.objects.create(organ=town, year=2023, status=Status.APPROVED)
    header = ["organ", "year", "overview"]
    response = preview(admin_client, "annualreport", csv_bytes(header, [["zimao", 2023, "改"]]))
    assert "紫帽镇 2023 的报告状态为“已审核”，不能导入修改。" in response.content.decode()


def test_organs_import_by_parent_slug(admin_client, city):
    header = ["slug", "name", "short_name", "kind", "code", "parent", "is_active"]
    rows = [
        ["anhai", "晋江市安海镇人民政府", "安海镇", "town", "", "jinjiang", "1"],
        ["anhai-office", "安海镇党政办", "", "department", "", "anhai", "1"],
    ]
    import_file(admin_client, "organ", csv_bytes(header, rows))
    office = Organ.objects.get(slug="anhai-office")
    assert office.parent.slug == "anhai" and office.parent.parent == city

    bad = preview(
        admin_client, "organ", csv_bytes(header, [["x", "X", "", "town", "", "nope", "1"]])
    )
    assert "上级机关“nope”不存在" in bad.content.decode()


def test_roles_import_by_username_and_organ_slug(admin_client, town, django_user_model):
    django_user_model.objects.create_user(username="zhang")
    header = ["user", "role", "organ"]
    import_file(admin_client, "membership", csv_bytes(header, [["zhang", "clerk", "zimao"]]))
    assert Membership.objects.get(user__username="zhang").organ == town

    rows = [["zhang", "clerk", "jinjiang"], ["li", "clerk", "zimao"]]
    response = preview(admin_client, "membership", csv_bytes(header, rows))
    html = response.content.decode()
    assert "没有用户名为“li”的用户。" in html
    assert response.context.get("confirm_form") is None
    # A clerk works for one organ: the second clerk role of zhang is refused too.
    assert {row.number for row in response.context["result"].invalid_rows} == {1, 2}
    assert Membership.objects.count() == 1


def test_only_csv_and_xlsx_are_offered(admin_client):
    response = admin_client.get(reverse("admin:filing_figure_import"))
    choices = [label for value, label in response.context["form"].fields["format"].choices]
    assert [c for c in choices if c != "---"] == ["csv", "xlsx"]


def preview_table(response) -> tuple[list[str], list[list[str]]]:
    """The preview table's header texts and cell texts, as an administrator reads them."""
    import re

    html = response.content.decode()
    table = html[html.index('<table class="import-preview">') :]
    table = table[: table.index("</table>")]

    def text(cell: str) -> str:
        return re.sub(r"<[^>]+>", "", cell).strip()

    head = table[: table.index("</thead>")]
    headers = [text(c) for c in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
    body = table[table.index("</thead>") :]
    rows = [
        [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]
    return headers, rows


ORGAN_HEADER = ["slug", "name", "short_name", "kind", "code", "parent", "is_active"]


def test_the_preview_names_columns_and_shows_choice_labels_not_codes(admin_client, city):
    rows = [["anhai", "晋江市安海镇人民政府", "安海镇", "town", "", "jinjiang", "1"]]
    response = preview(admin_client, "organ", csv_bytes(ORGAN_HEADER, rows))
    headers, [row] = preview_table(response)
    assert headers[1:] == ["标识", "名称", "简称", "类型", "行政区划代码", "上级", "启用"]
    assert row[1:] == ["anhai", "晋江市安海镇人民政府", "安海镇", "镇", "", "jinjiang", "是"]


def test_a_report_preview_shows_the_status_and_edition_by_their_labels(admin_client, town):
    header = ["organ", "year", "edition", "status", "overview", "problems", "other_matters"]
    rows = [["zimao", 2024, "2021", "published", "全年主动公开信息 12 条。", "", ""]]
    response = preview(admin_client, "annualreport", csv_bytes(header, rows))
    headers, [row] = preview_table(response)
    assert headers[1:5] == ["机关", "年度", "表格版本", "状态"]
    # A new report is a draft whatever the file says: the status column is read-only.
    assert row[3:5] == ["2021年版", "草稿"]


def test_a_figure_preview_shows_whole_numbers_and_the_table_name(admin_client, draft):
    rows = [["xiyuan", 2022, "section3", "一", "自然人", "12.00"]]
    response = preview(admin_client, "figure", csv_bytes(FIGURE_HEADER, rows))
    headers, [row] = preview_table(response)
    assert headers[1:] == FIGURE_LABELS
    assert row[1:] == ["xiyuan", "2022", TABLE_NAMES["section3"], "一", "自然人", "12"]


def test_labels_in_the_header_and_the_cells_import_like_codes(admin_client, city):
    rows = [
        ["anhai", "晋江市安海镇人民政府", "安海镇", "镇", "", "jinjiang", "是"],
        ["lingyuan", "晋江市灵源街道办事处", "灵源街道", "street", "", "jinjiang", "否"],
    ]
    labels = ["标识", "名称", "简称", "类型", "行政区划代码", "上级", "启用"]
    import_file(admin_client, "organ", csv_bytes(labels, rows))
    anhai, lingyuan = Organ.objects.get(slug="anhai"), Organ.objects.get(slug="lingyuan")
    assert (anhai.kind, anhai.is_active) == (Organ.Kind.TOWN, True)
    assert (lingyuan.kind, lingyuan.is_active) == (Organ.Kind.STREET, False)


def test_english_headers_and_labels_import_too(admin_client, town, django_user_model):
    django_user_model.objects.create_user(username="zhang")
    data = csv_bytes(["User", "Role", "Organ"], [["zhang", "Clerk", "zimao"]])
    import_file(admin_client, "membership", data)
    assert Membership.objects.get(user__username="zhang").role == Membership.Role.CLERK


def test_an_english_viewer_reads_english_headers_and_labels(admin_client, draft):
    rows = [["xiyuan", 2022, "表三", "一", "自然人", "3"]]
    url = reverse("admin:filing_figure_import")
    upload = SimpleUploadedFile("f.csv", csv_bytes(FIGURE_HEADER, rows))
    response = admin_client.post(
        url,
        {"format": FORMAT_CSV, "resource": "0", "import_file": upload},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    headers, [row] = preview_table(response)
    assert headers[1:] == ["Organ", "Year", "Table", "Row", "Column", "Value"]
    assert row[3].startswith("3. ") and row[6] == "3"


def test_an_unknown_choice_is_a_row_error_under_the_column_name(admin_client, city):
    rows = [["anhai", "晋江市安海镇人民政府", "安海镇", "村", "", "jinjiang", "也许"]]
    response = preview(admin_client, "organ", csv_bytes(ORGAN_HEADER, rows))
    html = response.content.decode()
    assert response.context.get("confirm_form") is None
    assert "“村”不是可选的值，可填：市、县、区、镇、街道、部门、其他。" in html
    assert "“也许”应填“是”或“否”。" in html
    headers, _rows = preview_table(response)
    assert "类型" in headers and "kind" not in headers
    assert '<span class="validation-error-field-label">类型</span>' in html
    assert Organ.objects.filter(slug="anhai").count() == 0


def test_the_export_is_headed_by_names_with_labels_and_whole_numbers(admin_client, draft):
    figures_set(
        report=draft,
        figures={formats.SECTION3: {"一": [12, None, None, None, None, None, 12]}},
    )
    AnnualReport.objects.filter(pk=draft.pk).update(status=Status.PUBLISHED)
    data = export(admin_client, "figure", "figureresource", FIGURE_HEADER, FORMAT_CSV)
    header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header == FIGURE_LABELS
    assert ["xiyuan", "2022", TABLE_NAMES["section3"], "一", "自然人", "12"] in rows

    fields = ["organ", "year", "edition", "status"]
    data = export(admin_client, "annualreport", "annualreportresource", fields, FORMAT_CSV)
    header, row = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header == ["机关", "年度", "表格版本", "状态"]
    assert row == ["xiyuan", "2022", "2021年版", "已发布"]


def test_an_exported_report_file_imports_back_unchanged(admin_client, draft):
    fields = ["organ", "year", "edition", "status", "overview", "problems", "other_matters"]
    data = export(admin_client, "annualreport", "annualreportresource", fields, FORMAT_XLSX)
    response = preview(admin_client, "annualreport", data, name="r.xlsx", fmt=FORMAT_XLSX)
    result = response.context["result"]
    assert not result.has_validation_errors() and not result.has_errors(), page_errors(response)
    assert result.totals["skip"] == 1


def test_the_import_page_lists_the_columns_by_name_and_code(admin_client):
    html = admin_client.get(reverse("admin:filing_figure_import")).content.decode()
    assert "机关（organ）, 年度（year）, 表（table）" in html
    export_page = admin_client.get(reverse("admin:filing_figure_export")).content.decode()
    assert '<label for="id_figureresource_value">数值</label>' in export_page
