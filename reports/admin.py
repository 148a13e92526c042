"""Django admin for organs, reports, attachments, roles and the audit trail."""

from django.contrib import admin

from reports.models import (
    AnnualReport,
    Attachment,
    AuditEvent,
    Figure,
    Finding,
    Membership,
    Organ,
    ParsedValue,
    ParseRun,
)


@admin.register(Organ)
class OrganAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "code", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "slug", "code"]
    autocomplete_fields = ["parent"]


class FigureInline(admin.TabularInline):
    model = Figure
    extra = 0
    fields = ["table", "row", "column", "value", "source"]


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    fields = ["code", "severity", "message", "explanation"]


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    list_display = ["organ", "year", "edition", "status", "published_on", "updated_at"]
    list_filter = ["status", "edition", "year"]
    search_fields = ["organ__name", "organ__short_name", "overview"]
    autocomplete_fields = ["organ"]
    list_select_related = ["organ"]
    readonly_fields = ["created_at", "updated_at", "version"]
    date_hierarchy = "published_on"
    inlines = [FigureInline, FindingInline]


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    list_display = ["report", "table", "row", "column", "value", "source", "updated_at"]
    list_filter = ["table", "source"]
    search_fields = ["report__organ__name", "row", "column"]
    raw_id_fields = ["report"]
    list_select_related = ["report__organ"]


class ParseRunInline(admin.TabularInline):
    model = ParseRun
    extra = 0
    fields = ["status", "queued_at", "started_at", "finished_at", "message"]
    readonly_fields = fields
    show_change_link = True


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
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organ"]
    list_filter = ["role"]
    search_fields = ["user__username", "organ__name"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["organ"]
    list_select_related = ["user", "organ"]
