"""The clerk's workspace: reports of the clerk's organ, the report form, submit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filing import permissions, services
from filing.forms.report import ReportForm, ReportStartForm, SubmitForm
from filing.models import Finding
from filing.services.workflow import stock_hints
from filing.views.grid import bound_grids
from filing.workflow import EDITABLE_STATUSES, Status
from organs.models import Organ

OPEN_SEVERITIES = (Finding.Severity.ERROR, Finding.Severity.WARNING)


def _clerk_report(request, pk):
    """The report if the user is a clerk of its organ; 404 for anyone else's."""
    return get_object_or_404(permissions.clerk_reports(request.user).select_related("organ"), pk=pk)


def _clerk_organs(user):
    return Organ.objects.filter(pk__in=permissions.clerk_organ_ids(user))


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def workspace(request, start_form=None, status=200):
    """The clerk's organ(s) and their reports by year, and a form to start the next one."""
    organs = _clerk_organs(request.user)
    open_findings = Count(
        "findings",
        filter=Q(findings__severity__in=OPEN_SEVERITIES, findings__explanation=""),
    )
    reports = (
        permissions.clerk_reports(request.user)
        .select_related("organ")
        .annotate(open_findings=open_findings)
        .order_by("organ__name", "-year")
    )
    context = {
        "organs": organs,
        "reports": reports,
        "start_form": start_form or ReportStartForm(organs=organs),
    }
    return render(request, "reports/clerk/workspace.html", context, status=status)


@login_required
@require_POST
def report_start(request):
    """Start the report of one of the clerk's organs for a year."""
    form = ReportStartForm(request.POST, organs=_clerk_organs(request.user))
    if form.is_valid():
        try:
            report = services.report_start(
                organ=form.cleaned_data["organ"],
                year=form.cleaned_data["year"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已创建 %(year)s 年度报告。") % {"year": report.year})
            return redirect("reports:report_edit", pk=report.pk)
    return workspace(request, start_form=form, status=400)


def _edit_page(request, report, form, status=200, error=""):
    findings = list(report.findings.all())
    context = {
        "report": report,
        "form": form,
        "editable": report.status in EDITABLE_STATUSES,
        "edition_switchable": report.status == Status.DRAFT,
        "grids": bound_grids(form, findings, stock_hints(report)),
        "findings": findings,
        "blocking_count": sum(1 for f in findings if f.is_blocking),
        "error": error,
        "returned": report.audit_events.filter(to_status=Status.RETURNED).first()
        if report.status == Status.RETURNED
        else None,
    }
    return render(request, "reports/clerk/report_edit.html", context, status=status)


@login_required
def report_edit(request, pk):
    """The report form in the official layout; saving a draft never fails for findings."""
    report = _clerk_report(request, pk)
    editable = report.status in EDITABLE_STATUSES
    options = {
        "initial": ReportForm.initial_for(report),
        "edition": report.edition,
        "editable": editable,
        "edition_switchable": report.status == Status.DRAFT,
    }
    if request.method != "POST":
        return _edit_page(request, report, ReportForm(**options))
    if not editable:
        error = _("报告当前状态为“%(status)s”，不能再修改。") % {
            "status": report.get_status_display()
        }
        return _edit_page(request, report, ReportForm(**options), status=403, error=error)
    form = ReportForm(request.POST, **options)
    if not form.is_valid():
        return _edit_page(request, report, form, status=400)
    try:
        services.report_save(
            report=report,
            acting_user=request.user,
            expected_version=form.cleaned_data["version"],
            prose=form.prose(),
            figures=form.figures(),
            edition=form.cleaned_data["edition"],
        )
    except ValidationError as error:
        report.refresh_from_db()
        if error.code == "stale_version":
            # Keep what the clerk typed; carrying the current version makes a deliberate
            # second save possible once they have looked at the other person's changes.
            data = request.POST.copy()
            data["version"] = str(report.version)
            form = ReportForm(data, **options)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "此报告已被他人修改，您这次填写的内容没有保存。请核对后再次保存，或刷新页面放弃修改。"
                ),
            )
            return _edit_page(request, report, form, status=409)
        form.add_error(None, error)
        return _edit_page(request, report, form, status=400)
    messages.success(request, _("草稿已保存。"))
    return redirect("reports:report_edit", pk=report.pk)


@login_required
def report_submit(request, pk):
    """Submit the report; every error finding must be fixed or explained first."""
    report = _clerk_report(request, pk)
    errors = report.findings.filter(severity=Finding.Severity.ERROR)
    data = request.POST if request.method == "POST" else None
    form = SubmitForm(data, findings=errors)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_submit(
                    report=report, acting_user=request.user, explanations=form.explanations()
                )
            except ValidationError as error:
                report.refresh_from_db()
                errors = report.findings.filter(severity=Finding.Severity.ERROR)
                form = SubmitForm(request.POST, findings=errors)
                form.is_valid()
                form.add_error(None, _message(error))
                status = 409 if error.code == "report_not_editable" else 400
            else:
                messages.success(request, _("报告已提交，等待审核。"))
                return redirect("reports:workspace")
        else:
            status = 400
    context = {
        "report": report,
        "form": form,
        "editable": report.status in EDITABLE_STATUSES,
        "blocking": [f for f in form.findings if f.is_blocking],
    }
    return render(request, "reports/clerk/report_submit.html", context, status=status)


urlpatterns = [
    path("workspace/", workspace, name="workspace"),
    path("workspace/start/", report_start, name="report_start"),
    path("workspace/reports/<int:pk>/", report_edit, name="report_edit"),
    path("workspace/reports/<int:pk>/submit/", report_submit, name="report_submit"),
]
