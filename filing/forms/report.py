"""Forms of the clerk's workspace: start a report, the report form itself, submit."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import derived, formats, layout
from filing.models import AnnualReport
from organs.models import Organ

# 2019 edition 本年增/减 is a change in the number of items, so it may be negative.
SIGNED_COLUMNS = frozenset({formats.SECTION2_PROJECT_COLUMNS[1].key})
TABLE_NAMES = {
    formats.SECTION2: _("表二"),
    formats.SECTION3: _("表三"),
    formats.SECTION4: _("表四"),
}
PROSE_FIELDS = ("overview", "problems", "other_matters")


class ReportStartForm(forms.Form):
    """Which organ and year to start a report for."""

    organ = forms.ModelChoiceField(label=_("机关"), queryset=Organ.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2008)

    def __init__(self, *args, organs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = organs
        self.fields["organ"].empty_label = None
        self.fields["year"].max_value = timezone.localdate().year
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year
        self.fields["year"].initial = timezone.localdate().year - 1


def cell_label(edition_key: str, cell: tuple[str, str, str]) -> str:
    """A readable name of a cell for screen readers and error lists."""
    table, row, column = cell
    if table == formats.SECTION3:
        row = next(r.label for r in formats.get_edition(edition_key).section3_rows if r.key == row)
    elif table == formats.SECTION4:
        row = next(g.label for g in formats.SECTION4_GROUPS if g.key == row)
    return f"{TABLE_NAMES[table]} {row} {column}"


def _number_field(edition_key: str, cell: layout.Slot) -> forms.DecimalField:
    signed = cell.table == formats.SECTION2 and cell.column in SIGNED_COLUMNS
    field = forms.DecimalField(
        label=cell_label(edition_key, cell.key),
        required=False,
        max_digits=16,
        decimal_places=2,
        min_value=None if signed else 0,
        error_messages={
            "invalid": _("请填写数字。"),
            "min_value": _("不能为负数。"),
            "max_decimal_places": _("最多两位小数。"),
        },
        widget=forms.TextInput(
            attrs={
                "inputmode": "decimal",
                "autocomplete": "off",
                "class": "cell-input",
                "data-table": cell.table,
                "data-row": cell.row,
                "data-col": cell.column,
            }
        ),
    )
    field.widget.attrs["aria-label"] = field.label
    if cell.role:
        field.widget.attrs["data-role"] = cell.role
    return field


class ReportForm(forms.Form):
    """The whole report: prose sections, one number field per table cell, and the version."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    edition = forms.ChoiceField(label=_("表格版本"), choices=AnnualReport.Edition.choices)
    overview = forms.CharField(
        label=_("一、总体情况"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    problems = forms.CharField(
        label=_("五、存在的主要问题及改进情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    other_matters = forms.CharField(
        label=_("六、其他需要报告的事项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self, *args, edition: str, editable: bool = True, edition_switchable=True, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.edition_key = edition
        self.grids = layout.report_grids(edition)
        # Which cells the form's script computes, and from what (json_script in the page).
        self.derived = derived.derived_json(edition)
        for grid in self.grids:
            for cell in grid.cells():
                self.fields[cell.name] = _number_field(edition, cell)
        if not editable:
            for field in self.fields.values():
                field.disabled = True
        if not edition_switchable:
            self.fields["edition"].disabled = True

    @staticmethod
    def initial_for(report: AnnualReport) -> dict:
        """Initial data of the form from the report as stored."""
        initial = {"version": report.version, "edition": report.edition}
        initial.update({f: getattr(report, f) for f in PROSE_FIELDS})
        figures = report.figures_dict()
        for cell in layout.edition_cells(report.edition):
            initial[cell.name] = _lookup(figures, cell)
        return initial

    @staticmethod
    def script_messages() -> dict:
        """The words static/js/report-form.js writes, in the viewer's language (json_script)."""
        return {
            "computed": str(_("自动计算")),
            "expected": str(_("按各项相加应为 %(value)s")),
            "balanceOk": str(_("一+二 与 （七）+四 相等")),
            "balanceBad": str(_("不相等：一+二 为 %(left)s，（七）+四 为 %(right)s")),
        }

    def prose(self) -> dict:
        return {f: self.cleaned_data[f] for f in PROSE_FIELDS}

    def figures(self) -> dict:
        """The cleaned cells in the figures dict shape (see filing.figures)."""
        s2: dict[str, dict] = {}
        s3: dict[str, list] = {}
        s4: dict[tuple[str, str], object] = {}
        for cell in layout.edition_cells(self.edition_key):
            value = self.cleaned_data.get(cell.name)
            if cell.table == formats.SECTION2:
                s2.setdefault(cell.row, {})[cell.column] = value
            elif cell.table == formats.SECTION3:
                row = s3.setdefault(cell.row, [None] * len(formats.APPLICANT_KEYS))
                row[formats.APPLICANT_KEYS.index(cell.column)] = value
            else:
                s4[(cell.row, cell.column)] = value
        return {
            formats.SECTION2: s2,
            formats.SECTION3: s3,
            formats.SECTION4: [s4.get(c) for c in formats.SECTION4_CELLS],
        }


def _lookup(figures: dict, cell: layout.Slot):
    if cell.table == formats.SECTION2:
        return figures[formats.SECTION2].get(cell.row, {}).get(cell.column)
    if cell.table == formats.SECTION3:
        return figures[formats.SECTION3][cell.row][formats.APPLICANT_KEYS.index(cell.column)]
    return figures[formats.SECTION4][formats.SECTION4_CELLS.index((cell.row, cell.column))]


class SubmitForm(forms.Form):
    """One explanation box per error finding; an explained error no longer blocks submission."""

    def __init__(self, *args, findings, **kwargs):
        super().__init__(*args, **kwargs)
        self.findings = list(findings)
        for finding in self.findings:
            self.fields[f"explain_{finding.pk}"] = forms.CharField(
                label=_("情况说明"),
                required=False,
                initial=finding.explanation,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def explanations(self) -> dict[int, str]:
        return {f.pk: self.cleaned_data.get(f"explain_{f.pk}", "") for f in self.findings}

    def rows(self):
        """(finding, bound field) pairs for the template."""
        return [(f, self[f"explain_{f.pk}"]) for f in self.findings]
