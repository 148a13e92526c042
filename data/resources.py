"""django-import-export resources: organs, roles, reports and figures in CSV/XLSX.

Files speak the administrator's language: export headers are the model fields' verbose names
in the viewer's language and choice fields hold their labels ("已发布", "镇"). An import takes
either: a header may be the verbose name (in any of the portal's languages) or the field's
code, a choice cell its label or its code.

Imports are all or nothing: every resource runs in one transaction that is rolled back on
any row error, including validation errors (import-export keeps those otherwise). After a
successful figures or reports import each touched report gets its findings refreshed once
and one audit event; the outcome is attached to the import result for the admin to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from core import csvsafe, formats
from core.figureset import plain_number
from filing.figures import to_decimal
from filing.models import AnnualReport, Figure
from filing.services.audit import audit_event_add
from filing.services.reports import report_findings_refresh
from filing.services.workflow import edition_for_year
from filing.workflow import EDITABLE_STATUSES
from organs.models import Membership, Organ

# Table names an administrator may type instead of the keys: "二", "表二".
TABLE_ALIASES = {
    formats.SECTION2: formats.SECTION2,
    formats.SECTION3: formats.SECTION3,
    formats.SECTION4: formats.SECTION4,
    "二": formats.SECTION2,
    "三": formats.SECTION3,
    "四": formats.SECTION4,
    "表二": formats.SECTION2,
    "表三": formats.SECTION3,
    "表四": formats.SECTION4,
}


def edition_cells(edition_key: str) -> frozenset[tuple[str, str, str]]:
    """Every (table, row, column) the edition defines."""
    edition = formats.get_edition(edition_key)
    cells = {(formats.SECTION2, r, c) for r, c in edition.section2_cells()}
    cells |= {
        (formats.SECTION3, r, c)
        for r in edition.section3_row_keys()
        for c in formats.APPLICANT_KEYS
    }
    cells |= {(formats.SECTION4, g, c) for g, c in formats.SECTION4_CELLS}
    return frozenset(cells)


def report_label(report: AnnualReport) -> str:
    """ "紫帽镇 2023": how messages name a report."""
    return f"{report.organ.display_name} {report.year}"


def _text(value) -> str:
    return "" if value is None else str(value).strip()


class FigureValueWidget(widgets.Widget):
    """A cell value: blank, or a number with at most two decimal places."""

    def clean(self, value, row=None, **kwargs):
        try:
            return to_decimal(_text(value))
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from exc

    def render(self, value, obj=None, **kwargs):
        number = plain_number(value)
        if kwargs.get("force_native_type"):
            return number
        return "" if number is None else str(number)


def _match_key(text) -> str:
    """How a header or a label is compared: no spaces, no BOM, case-folded."""
    return "".join(_text(text).replace("\ufeff", "").split()).casefold()


def in_every_language(label) -> list[str]:
    """A lazy label as each of the portal's languages says it."""
    out = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            out.append(str(label))
    return out


class ChoiceWidget(widgets.Widget):
    """A choice field shown by its label in the viewer's language; read from label or code."""

    def __init__(self, choices, aliases: dict[str, str] | None = None):
        self.choices = list(choices)
        self.aliases = dict(aliases or {})
        self._codes: dict[str, str] | None = None  # spelling -> code, built on first use

    def codes(self) -> dict[str, str]:
        """Every spelling a cell may use (code, or label in each language) -> the code."""
        if self._codes is None:
            codes: dict[str, str] = {}
            for code, label in self.choices:
                codes.setdefault(_match_key(code), code)
                for spelling in in_every_language(label):
                    codes.setdefault(_match_key(spelling), code)
            self._codes = codes
        return self._codes

    def code_for(self, value) -> str | None:
        """The code a cell names (its code, its label in any language, or an alias)."""
        text = _text(value)
        if text == "":
            return ""
        return self.codes().get(_match_key(text), self.aliases.get(text))

    def clean(self, value, row=None, **kwargs):
        code = self.code_for(value)
        if code is None:
            raise ValueError(
                _("“%(value)s”不是可选的值，可填：%(options)s。")
                % {
                    "value": _text(value),
                    "options": "、".join(str(label) for _c, label in self.choices),
                }
            )
        return code

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, "" if value is None else value))


class YesNoWidget(widgets.Widget):
    """A yes/no field shown as 是/否; read from 是/否, yes/no, true/false or 1/0."""

    YES = (gettext_lazy("是"), "yes", "y", "true", "1")
    NO = (gettext_lazy("否"), "no", "n", "false", "0")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        key = _match_key(value)
        if key == "":
            return None
        for answer, words in ((True, self.YES), (False, self.NO)):
            if key in {_match_key(w) for word in words for w in in_every_language(word)}:
                return answer
        raise ValueError(_("“%(value)s”应填“是”或“否”。") % {"value": _text(value)})

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return str(self.YES[0] if value else self.NO[0])


class SlugWidget(widgets.ForeignKeyWidget):
    """A foreign key by a natural key, with a Chinese message when nothing matches."""

    def __init__(self, model, field, message):
        super().__init__(model, field)
        self.message = message

    def clean(self, value, row=None, **kwargs):
        value = _text(value)
        if not value:
            return None
        try:
            return self.get_queryset(value, row, **kwargs).get(**{self.field: value})
        except self.model.DoesNotExist:
            raise ValueError(self.message % {"value": value}) from None


def organ_widget() -> SlugWidget:
    return SlugWidget(Organ, "slug", gettext_lazy("没有标识为“%(value)s”的机关。"))


@dataclass
class ImportOutcome:
    """What a successful import did to reports: which ones, and their error findings."""

    reports: list[AnnualReport] = field(default_factory=list)
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (report, code, message)

    @property
    def labels(self) -> list[str]:
        return [report_label(r) for r in self.reports]


class AtomicResource(resources.ModelResource):
    """One transaction for the whole file, rolled back on any invalid row.

    Columns are named by the model fields' verbose names (``column_label``) wherever a person
    reads them: export headers, the preview, the row errors, the admin's field lists.
    """

    # Column -> label, for columns that are not a field of the model (or mean another one).
    column_labels: dict = {}

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        if django_field.choices:
            field.widget = ChoiceWidget(django_field.choices)
        elif django_field.get_internal_type() == "BooleanField":
            field.widget = YesNoWidget()
        elif django_field.get_internal_type() == "TextField" and django_field.blank:
            # A blank XLSX cell reads as None: a blank text field takes "" (not NULL).
            field.widget = widgets.CharWidget(coerce_to_string=True, allow_blank=True)
        return field

    @classmethod
    def column_label(cls, column: str) -> str:
        """A column's name for people: the field's verbose name in the active language."""
        label = cls.column_labels.get(column)
        if label is None:
            try:
                label = cls._meta.model._meta.get_field(column).verbose_name
            except FieldDoesNotExist:
                label = column
        return str(label)

    def header_aliases(self) -> dict[str, str]:
        """Every header an import accepts for a column (code or label, any language)."""
        aliases: dict[str, str] = {}
        for resource_field in self.get_import_fields():
            column = resource_field.column_name
            aliases[_match_key(column)] = column
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    aliases.setdefault(_match_key(self.column_label(column)), column)
        return aliases

    def header_labels(self) -> list[str]:
        """The preview's headers, in the order of import-export's ``diff_headers``."""
        return [self.column_label(column) for column in self.get_diff_headers()]

    def get_export_headers(self, selected_fields=None):
        return [self.column_label(f.column_name) for f in self.get_export_fields(selected_fields)]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        if dataset.headers:
            aliases = self.header_aliases()
            dataset.headers = [aliases.get(_match_key(h), _text(h)) for h in dataset.headers]

    def import_row(self, row, instance_loader, **kwargs):
        # Choice cells may hold a label: the row carries the code from here on, so the checks
        # below and the model see one spelling.
        for resource_field in self.get_import_fields():
            column, widget = resource_field.column_name, resource_field.widget
            if isinstance(widget, ChoiceWidget) and column in row:
                code = widget.code_for(row[column])
                if code is not None:
                    row[column] = code
        return super().import_row(row, instance_loader, **kwargs)

    def import_data_inner(self, dataset, *args, **kwargs):
        result = super().import_data_inner(dataset, *args, **kwargs)
        # Readable headers and error labels for templates/admin/reports/import.html.
        result.header_labels = self.header_labels()
        for row in result.invalid_rows:
            row.labelled_errors = [
                (self.column_label(name), errors)
                for name, errors in row.field_specific_errors.items()
            ]
        return result

    def import_data(self, dataset, **kwargs):
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def export(self, queryset=None, **kwargs):
        """The admin's CSV/XLSX export, with formula-like text neutralised (core.csvsafe)."""
        dataset = super().export(queryset, **kwargs)
        safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
        for row in dataset:
            safe.append(csvsafe.safe_row(row))
        return safe

    def before_import_row(self, row, **kwargs):
        # The instance loader cleans the id columns outside import-export's validation:
        # a foreign key that matches nothing would be a crash there, not a row error.
        errors = {}
        for name in self.get_import_id_fields():
            try:
                self.fields[name].clean(row)
            except ValueError as exc:
                errors[name] = str(exc)
        if errors:
            raise ValidationError(errors)


class ReportImportMixin(AtomicResource):
    """Collects the reports an import changed; refreshes and audits each once at the end."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.touched: dict[int, int] = {}

    def touch(self, report_id: int) -> None:
        self.touched[report_id] = self.touched.get(report_id, 0) + 1

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.outcome = ImportOutcome()
        if result.has_errors() or result.has_validation_errors() or not self.touched:
            return
        dry_run = kwargs.get("dry_run", False)
        if not dry_run:
            AnnualReport.objects.filter(pk__in=self.touched).update(
                version=F("version") + 1, updated_at=timezone.now()
            )
        reports = AnnualReport.objects.filter(pk__in=self.touched).select_related("organ")
        for report in sorted(reports, key=lambda r: (r.organ.name, r.year)):
            # In a dry run this happens inside the transaction that is rolled back: the
            # preview shows what the checks will say.
            findings = report_findings_refresh(report=report)
            result.outcome.reports.append(report)
            result.outcome.errors += [
                (report_label(report), f.code, f.message)
                for f in findings
                if f.severity == f.Severity.ERROR
            ]
            if not dry_run:
                audit_event_add(
                    action="report.import",
                    actor=kwargs.get("user"),
                    report=report,
                    data={
                        "model": self._meta.model._meta.model_name,
                        "rows": self.touched[report.pk],
                        "file": kwargs.get("file_name") or "",
                    },
                )


class OrganResource(AtomicResource):
    parent = fields.Field(
        attribute="parent",
        column_name="parent",
        widget=SlugWidget(
            Organ,
            "slug",
            gettext_lazy("上级机关“%(value)s”不存在（上级须在本文件前面的行或已在系统中）。"),
        ),
    )

    class Meta:
        model = Organ
        fields = ("slug", "name", "short_name", "kind", "code", "parent", "is_active")
        export_order = fields
        import_id_fields = ("slug",)
        skip_unchanged = True
        clean_model_instances = True
        report_skipped = True

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        if _text(row.get("parent")) and _text(row.get("parent")) == _text(row.get("slug")):
            raise ValidationError({"parent": _("机关不能是自己的上级。")})


class MembershipResource(AtomicResource):
    user = fields.Field(
        attribute="user",
        column_name="user",
        widget=SlugWidget(
            get_user_model(), "username", gettext_lazy("没有用户名为“%(value)s”的用户。")
        ),
    )
    organ = fields.Field(attribute="organ", column_name="organ", widget=organ_widget())

    class Meta:
        model = Membership
        fields = ("user", "role", "organ")
        export_order = fields
        import_id_fields = ("user", "role", "organ")
        skip_unchanged = True
        clean_model_instances = True
        report_skipped = True

    def get_queryset(self):
        return Membership.objects.select_related("user", "organ")


def _report_for(row, cache: dict) -> tuple[AnnualReport | None, dict]:
    """The report a row names by organ slug and year, or the errors that prevent finding it."""
    slug, year_text = _text(row.get("organ")), _text(row.get("year"))
    errors: dict[str, str] = {}
    try:
        year = int(year_text)
    except ValueError:
        errors["year"] = _("年度“%(value)s”不是有效的年份。") % {"value": year_text}
        return None, errors
    if (slug, year) not in cache:
        organ = Organ.objects.filter(slug=slug).first()
        report = None
        if organ is not None:
            report = AnnualReport.objects.filter(organ=organ, year=year).first()
        cache[(slug, year)] = (organ, report)
    organ, report = cache[(slug, year)]
    if organ is None:
        errors["organ"] = _("没有标识为“%(value)s”的机关。") % {"value": slug}
    return report, errors


def _not_editable(report: AnnualReport) -> str:
    return _("%(report)s 的报告状态为“%(status)s”，不能导入修改。") % {
        "report": report_label(report),
        "status": report.get_status_display(),
    }


class AnnualReportResource(ReportImportMixin):
    organ = fields.Field(attribute="organ", column_name="organ", widget=organ_widget())
    # Imported reports are drafts: the workflow services alone move a status.
    status = fields.Field(
        attribute="status",
        column_name="status",
        readonly=True,
        widget=ChoiceWidget(AnnualReport._meta.get_field("status").choices),
    )

    class Meta:
        model = AnnualReport
        fields = ("organ", "year", "edition", "status", "overview", "problems", "other_matters")
        export_order = fields
        import_id_fields = ("organ", "year")
        skip_unchanged = True
        clean_model_instances = True
        report_skipped = True

    def get_queryset(self):
        return AnnualReport.objects.select_related("organ").order_by("organ__slug", "year")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.reports_cache: dict = {}

    def before_import_row(self, row, **kwargs):
        report, errors = _report_for(row, self.reports_cache)
        edition = _text(row.get("edition"))
        if report is not None:
            if report.status not in EDITABLE_STATUSES:
                errors["organ"] = _not_editable(report)
            elif edition and edition != report.edition and report.figures.exists():
                errors["edition"] = _("%(report)s 已有表格数值，不能通过导入更改表格版本。") % {
                    "report": report_label(report)
                }
        if edition and edition not in formats.EDITIONS:
            errors["edition"] = _("表格版本“%(value)s”无效，应为 2019 或 2021。") % {
                "value": edition
            }
        if errors:
            raise ValidationError(errors)
        if not edition:
            # A blank edition keeps the report's, or starts a new one in the year's edition.
            row["edition"] = report.edition if report else edition_for_year(int(row["year"]))

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        self.touch(instance.pk)


class FigureResource(ReportImportMixin):
    organ = fields.Field(attribute="report__organ__slug", column_name="organ", readonly=True)
    year = fields.Field(attribute="report__year", column_name="year", readonly=True)
    table = fields.Field(
        attribute="table",
        column_name="table",
        widget=ChoiceWidget(Figure._meta.get_field("table").choices, aliases=TABLE_ALIASES),
    )
    value = fields.Field(attribute="value", column_name="value", widget=FigureValueWidget())

    column_labels = {
        "organ": AnnualReport._meta.get_field("organ").verbose_name,
        "year": AnnualReport._meta.get_field("year").verbose_name,
    }

    class Meta:
        model = Figure
        fields = ("organ", "year", "table", "row", "column", "value")
        export_order = fields
        import_id_fields = ("organ", "year", "table", "row", "column")
        skip_unchanged = True
        clean_model_instances = True
        report_skipped = True

    def get_queryset(self):
        return Figure.objects.select_related("report__organ").order_by(
            "report__organ__slug", "report__year", "table", "id"
        )

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.reports_cache = {}
        self.seen: dict[tuple, int] = {}

    def before_import_row(self, row, **kwargs):
        """Validate the row against its report and the report's edition; name its report."""
        report, errors = _report_for(row, self.reports_cache)
        table = TABLE_ALIASES.get(_text(row.get("table")), _text(row.get("table")))
        cell = (table, _text(row.get("row")), _text(row.get("column")))
        if report is None and not errors:
            errors["year"] = _("%(organ)s 没有 %(year)s 年度报告，请先导入或新建报告。") % {
                "organ": _text(row.get("organ")),
                "year": _text(row.get("year")),
            }
        elif report is not None and report.status not in EDITABLE_STATUSES:
            errors["organ"] = _not_editable(report)
        elif report is not None and cell not in edition_cells(report.edition):
            key = "table" if table not in TABLE_ALIASES.values() else "row"
            errors[key] = _(
                "%(edition)s年版表格中没有“%(table)s / %(row)s / %(column)s”这一格。"
            ) % {
                "edition": report.edition,
                "table": _text(row.get("table")),
                "row": cell[1],
                "column": cell[2],
            }
        elif report is not None:
            first = self.seen.setdefault((report.pk, *cell), kwargs.get("row_number", 0))
            if first != kwargs.get("row_number", 0):
                errors["row"] = _("这一格在第 %(line)s 行已经出现过。") % {"line": first}
        try:
            to_decimal(_text(row.get("value")))
        except ValidationError as exc:
            errors["value"] = exc.messages[0]
        if errors:
            raise ValidationError(errors)
        row["table"], row["row"], row["column"] = cell
        self.row_report = report

    def get_instance(self, instance_loader, row):
        report, (table, row_key, column) = (
            self.row_report,
            (row["table"], row["row"], row["column"]),
        )
        return Figure.objects.filter(report=report, table=table, row=row_key, column=column).first()

    def init_instance(self, row=None):
        return Figure(report=self.row_report, source=Figure.Source.IMPORTED)

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        instance.source = Figure.Source.IMPORTED

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        self.touch(instance.report_id)
