"""Django admin for organs, reports, attachments, roles and the audit trail."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm

from data import resources
from filing.messages import run_message_text
from filing.models import (
    AnnualReport,
    Attachment,
    AuditEvent,
    Figure,
    Finding,
    ParsedValue,
    ParseRun,
)
from organs.models import Membership, Organ
from review.models import Deadline

# How many check errors an import lists as messages before it summarises the rest.
IMPORT_MESSAGES_MAX = 30


class PortalExportForm(SelectableFieldsExportForm):
    """The export's column checkboxes, named as the file's headers are (data/resources.py)."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return resource.column_label(field.column_name if field else field_name)


def readable_fields_list(resource_classes) -> list[tuple[str, list[str]]]:
    """The import/export pages' "these fields" line: each column's label and its code."""
    out = []
    for resource_class in resource_classes:
        resource = resource_class()
        columns = [f.column_name for f in resource.get_user_visible_fields()]
        out.append(
            (
                resource.get_display_name(),
                [f"{resource.column_label(c)}（{c}）" for c in columns],
            )
        )
    return out


class PortalImportExportMixin(ImportExportMixin):
    """CSV/XLSX import with a preview and export; after an import, the check errors found."""

    formats = [CSV, XLSX]
    import_template_name = "admin/reports/import.html"
    export_form_class = PortalExportForm

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context and "fields_list" in context:
            context["fields_list"] = readable_fields_list(self.get_import_resource_classes(request))
        return response

    def export_action(self, request):
        response = super().export_action(request)
        context = getattr(response, "context_data", None)
        if context and "fields_list" in context:
            context["fields_list"] = readable_fields_list(self.get_export_resource_classes(request))
        return response

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # Changed between preview and confirm: the transaction was rolled back.
            messages.error(
                request, _("导入失败，没有写入任何数据。请重新上传文件并查看预览中的错误。")
            )
            return self._changelist_redirect()
        response = super().process_result(result, request)
        outcome = getattr(result, "outcome", None)
        if outcome is None:
            return response
        for label, code, message in outcome.errors[:IMPORT_MESSAGES_MAX]:
            messages.warning(request, f"{label}：{code} {message}")
        if len(outcome.errors) > IMPORT_MESSAGES_MAX:
            rest = len(outcome.errors) - IMPORT_MESSAGES_MAX
            messages.warning(request, _("另有 %(count)s 条校验错误未列出。") % {"count": rest})
        if outcome.reports and not outcome.errors:
            messages.info(
                request,
                _("已重新校验 %(count)s 份报告，未发现错误。") % {"count": len(outcome.reports)},
            )
        return response

    def _changelist_redirect(self):
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))


@admin.register(Organ)
class OrganAdmin(PortalImportExportMixin, admin.ModelAdmin):
    resource_classes = [resources.OrganResource]
    list_display = ["name", "short_name", "kind", "code", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "slug", "code"]
    autocomplete_fields = ["parent"]


class WholeNumberInput(forms.NumberInput):
    """12.00 shown as 12: figures count applications, so decimals only when there are some."""

    def format_value(self, value):
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = value.quantize(Decimal(1))
        return super().format_value(value)


WHOLE_NUMBERS = {models.DecimalField: {"widget": WholeNumberInput}}


@admin.display(description=gettext_lazy("数值"), ordering="value")
def value_plain(obj):
    """The list column: a whole number without ".00", a fraction as stored."""
    value = obj.value
    if value is None:
        return "—"
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class FigureInline(admin.TabularInline):
    model = Figure
    extra = 0
    formfield_overrides = WHOLE_NUMBERS
    fields = ["table", "row", "column", "value", "source"]


class FindingInline(admin.TabularInline):
    """A report's check results: written by the checks, so only the explanation is edited
    here, in a box that fits the row (a full-width textarea pushed the page sideways)."""

    model = Finding
    extra = 0
    fields = ["code", "severity", "finding_text", "explanation"]
    readonly_fields = ["code", "severity", "finding_text"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 36})}
    }

    @admin.display(description=gettext_lazy("说明"))
    def finding_text(self, obj):
        """The message in the viewer's language (rendered from code and params)."""
        return obj.text


@admin.register(AnnualReport)
class AnnualReportAdmin(PortalImportExportMixin, admin.ModelAdmin):
    resource_classes = [resources.AnnualReportResource]
    list_display = ["organ", "year", "edition", "status", "published_on", "updated_at"]
    list_filter = ["status", "edition", "year"]
    search_fields = ["organ__name", "organ__short_name", "overview"]
    autocomplete_fields = ["organ"]
    list_select_related = ["organ"]
    # The status moves only through the workflow's services (the actions below), which check
    # roles and write the audit trail; publication state comes from publishing alone.
    readonly_fields = [
        "status",
        "published_on",
        "current_publication",
        "created_at",
        "updated_at",
        "version",
    ]
    date_hierarchy = "published_on"
    inlines = [FigureInline, FindingInline]


@admin.register(Figure)
class FigureAdmin(PortalImportExportMixin, admin.ModelAdmin):
    resource_classes = [resources.FigureResource]
    list_display = ["report", "table", "row", "column", value_plain, "source", "updated_at"]
    formfield_overrides = WHOLE_NUMBERS
    list_filter = ["table", "source"]
    search_fields = ["report__organ__name", "row", "column"]
    raw_id_fields = ["report"]
    list_select_related = ["report__organ"]


class ParseRunInline(admin.TabularInline):
    model = ParseRun
    extra = 0
    fields = ["status", "queued_at", "started_at", "finished_at", "message_text"]
    readonly_fields = fields
    show_change_link = True

    @admin.display(description=gettext_lazy("说明"))
    def message_text(self, obj):
        """Why the run failed, in the viewer's language (ParseRun.message keeps the Chinese)."""
        return run_message_text(obj)


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "organ", "report", "content_type", "size", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "sha256", "organ__name"]
    raw_id_fields = ["report", "uploaded_by"]
    autocomplete_fields = ["organ"]
    list_select_related = ["organ", "report__organ"]
    readonly_fields = ["sha256", "size", "content_type", "uploaded_at"]
    inlines = [ParseRunInline]


class ParsedValueInline(admin.TabularInline):
    model = ParsedValue
    extra = 0
    formfield_overrides = WHOLE_NUMBERS
    fields = ["table", "row", "column", "value", "raw", "location", "confidence"]


@admin.register(ParseRun)
class ParseRunAdmin(admin.ModelAdmin):
    list_display = ["attachment", "status", "queued_at", "started_at", "finished_at", "duration"]
    list_filter = ["status"]
    search_fields = ["attachment__original_name", "task_id", "message"]
    raw_id_fields = ["attachment"]
    list_select_related = ["attachment"]
    inlines = [ParsedValueInline]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["report", "code", "severity", "message", "created_at"]
    list_filter = ["severity", "code"]
    search_fields = ["report__organ__name", "code", "message"]
    raw_id_fields = ["report"]
    list_select_related = ["report__organ"]


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    """Per-region deadlines; an organ without one inherits its nearest ancestor's (or 31 Jan)."""

    list_display = ["organ", "year", "due_on"]
    list_filter = ["year"]
    search_fields = ["organ__name", "organ__short_name"]
    autocomplete_fields = ["organ"]
    list_select_related = ["organ"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "report", "from_status", "to_status"]
    list_filter = ["action", "to_status"]
    search_fields = ["report__organ__name", "actor__username", "comment"]
    raw_id_fields = ["report", "actor"]
    list_select_related = ["actor", "report__organ"]
    date_hierarchy = "at"

    # The audit trail is append-only: it is written by the workflow services.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(PortalImportExportMixin, admin.ModelAdmin):
    resource_classes = [resources.MembershipResource]
    list_display = ["user", "role", "organ"]
    list_filter = ["role"]
    search_fields = ["user__username", "organ__name"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["organ"]
    list_select_related = ["user", "organ"]


# Review actions: the same services as the review pages, so roles, pipeline and audit apply.
from django.core.exceptions import PermissionDenied, ValidationError  # noqa: E402

from public import services as public_services  # noqa: E402
from review import services as review_services  # noqa: E402


def _review_action(modeladmin, request, queryset, perform, done):
    count = 0
    for report in queryset.select_related("organ"):
        try:
            perform(report=report, acting_user=request.user)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        except PermissionDenied:
            refusal = gettext_lazy("无权审核此报告。")
        else:
            count += 1
            continue
        modeladmin.message_user(request, f"{report}：{refusal}", "error")
    if count:
        modeladmin.message_user(request, done % {"count": count}, "success")


@admin.action(description=gettext_lazy("审核通过所选报告"))
def approve_reports(modeladmin, request, queryset):
    done = gettext_lazy("已审核通过 %(count)d 份报告。")
    _review_action(modeladmin, request, queryset, review_services.report_approve, done)


@admin.action(description=gettext_lazy("发布所选报告（发布日期为今天）"))
def publish_reports(modeladmin, request, queryset):
    done = gettext_lazy("已发布 %(count)d 份报告。")
    _review_action(modeladmin, request, queryset, public_services.report_publish, done)


AnnualReportAdmin.actions = [*(AnnualReportAdmin.actions or ()), approve_reports, publish_reports]
