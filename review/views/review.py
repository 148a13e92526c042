"""The supervisor's side: the review queue, the review page and its actions.

Pages and POST-only actions; every action calls a service of reports/services/review.py.
People without a review role get 403; reports outside the reviewer's region are 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.checks.indicators import RULES as INDICATOR_RULES
from core.checks.indicators import report_indicators
from filing.models import Finding
from filing.selectors import report_attachments
from filing.workflow import Status
from review import selectors
from review import services as review_services
from review.forms import (
    ApproveForm,
    CommentForm,
    DecisionForm,
    PublishForm,
    ReopenForm,
    ReturnForm,
)
from review.notifications import submissions_mark_seen
from review.outliers import attach_outliers
from review.queue import QueueRequest, review_queues

# Refusals caused by someone else acting first: the page is out of date, not the input wrong.
CONFLICT_CODES = frozenset({"transition_not_allowed", "stale_status"})
ACTIONS = {
    Status.SUBMITTED: ("return", "approve"),
    Status.APPROVED: ("publish", "return"),
    Status.PUBLISHED: ("reopen",),
}
# Each queue's query parameters: its page number and its cursor.
QUEUE_PARAMS = {
    Status.SUBMITTED: ("page", "cursor"),
    Status.APPROVED: ("approved_page", "approved_cursor"),
}


def _require_reviewer(request) -> None:
    if not selectors.can_review(request.user):
        raise PermissionDenied("no review role")


def _review_report(request, pk: int):
    """The report if the user may review it; 404 outside their region (never reveal it)."""
    _require_reviewer(request)
    reports = selectors.reviewable_reports(request.user).select_related(
        "organ", "current_publication"
    )
    return get_object_or_404(reports, pk=pk)


@login_required
def review_queue(request):
    """Submitted reports of the reviewer's region, oldest submission first; then approved ones."""
    _require_reviewer(request)
    queues = review_queues(
        user=request.user,
        requests={
            status: QueueRequest(request.GET.get(page), request.GET.get(cursor, ""))
            for status, (page, cursor) in QUEUE_PARAMS.items()
        },
    )
    attach_outliers(list(queues[Status.SUBMITTED].object_list))
    submissions_mark_seen(request.user)  # the header's unread count starts again at zero
    context = {"submitted": queues[Status.SUBMITTED], "approved": queues[Status.APPROVED]}
    return render(request, "reports/review/queue.html", context)


def _forms(report, bound=None) -> dict:
    """The action forms the report's status offers, keyed by action; ``bound`` replaces one."""
    cell_choices = selectors.comment_cell_choices(report.edition)
    forms = {
        "return": ReturnForm(),
        "approve": ApproveForm(),
        "publish": PublishForm(correction=report.current_publication_id is not None),
        "reopen": ReopenForm(),
        "comment": CommentForm(cell_choices=cell_choices),
        "decision": DecisionForm(),
    }
    offered = set(ACTIONS.get(report.status, ())) | {"comment", "decision"}
    forms = {key: form for key, form in forms.items() if key in offered}
    if bound:
        forms.update(bound)
    return forms


def _detail(request, report, bound=None, status: int = 200):
    deadline = selectors.report_deadline(report.organ, report.year)
    provenance = selectors.report_provenance(report=report)
    findings = list(report.findings.all())
    comments = selectors.comments_labelled(
        report=report, comments=report.comments.select_related("author")
    )
    context = {
        "report": report,
        "findings": findings,
        "errors": [f for f in findings if f.severity == Finding.Severity.ERROR],
        "comments": comments,
        "grids": selectors.readonly_grids(report=report, findings=findings, comments=comments),
        "comparison": selectors.year_comparison(report=report, findings=findings),
        "provenance": provenance,
        "provenance_changed": [p for p in provenance if not p.matches],
        "attachments": report_attachments(report=report),
        "events": report.audit_events.select_related("actor").order_by("at", "id"),
        "publications": report.publications.order_by("number"),
        "deadline": deadline,
        "days_left": (deadline - timezone.localdate()).days,
        "forms": _forms(report, bound),
        "indicators": report_indicators(report.figures_dict(), report.edition),
        "indicator_rules": INDICATOR_RULES.values(),
    }
    return render(request, "reports/review/detail.html", context, status=status)


@login_required
def review_detail(request, pk: int):
    """The report in the official layout beside its checks, last year and its sources."""
    return _detail(request, _review_report(request, pk))


def review_act(request, pk, key, form_class, perform, done, form_kwargs=None):
    """Bind the action's form, call the service; a refusal re-renders the page with why."""
    report = _review_report(request, pk)
    form = form_class(request.POST, **(form_kwargs(report) if form_kwargs else {}))
    if form.is_valid():
        try:
            perform(report, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            report.refresh_from_db()
            status = 409 if error.code in CONFLICT_CODES else 400
            return _detail(request, report, bound={key: form}, status=status)
        messages.success(request, done)
        return redirect("reports:review_detail", pk=report.pk)
    return _detail(request, report, bound={key: form}, status=400)


@login_required
@require_POST
def review_return(request, pk: int):
    """Send the report back to its clerk; a comment is required."""
    return review_act(
        request,
        pk,
        "return",
        ReturnForm,
        lambda report, data: review_services.report_return(
            report=report, acting_user=request.user, comment=data["comment"]
        ),
        _("报告已退回填报员。"),
    )


@login_required
@require_POST
def review_approve(request, pk: int):
    """Approve a submitted report."""
    return review_act(
        request,
        pk,
        "approve",
        ApproveForm,
        lambda report, data: review_services.report_approve(
            report=report, acting_user=request.user, comment=data["comment"]
        ),
        _("报告已审核通过，可以发布。"),
    )


@login_required
@require_POST
def review_reopen(request, pk: int):
    """Reopen a published report as a correction; a reason is required."""
    return review_act(
        request,
        pk,
        "reopen",
        ReopenForm,
        lambda report, data: review_services.report_reopen(
            report=report, acting_user=request.user, reason=data["reason"]
        ),
        _("报告已重新打开，填报员可以更正；公众仍看到已发布的版本。"),
    )


@login_required
@require_POST
def review_comment(request, pk: int):
    """Add a comment on the report or one of its cells."""
    return review_act(
        request,
        pk,
        "comment",
        CommentForm,
        lambda report, data: review_services.comment_add(
            report=report, author=request.user, body=data["body"], cell=data["cell"]
        ),
        _("意见已添加。"),
        form_kwargs=lambda report: {"cell_choices": selectors.comment_cell_choices(report.edition)},
    )


@login_required
@require_POST
def review_decide(request, pk: int):
    """Mark one finding confirmed or dismissed, with a reason."""

    def perform(report, data):
        finding = get_object_or_404(report.findings, pk=data["finding"])
        review_services.finding_decide(
            finding=finding,
            acting_user=request.user,
            decision=data["decision"],
            reason=data["reason"],
        )

    return review_act(request, pk, "decision", DecisionForm, perform, _("审核结论已记录。"))


@login_required
def review_attachment(request, pk: int, attachment_id: int):
    """An original file of the report, byte for byte, for its reviewer."""
    report = _review_report(request, pk)
    attachment = get_object_or_404(report.attachments, pk=attachment_id)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("找不到上传的文件。")) from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)


urlpatterns = [
    path("review/", review_queue, name="review_queue"),
    path("review/<int:pk>/", review_detail, name="review_detail"),
    path("review/<int:pk>/return/", review_return, name="review_return"),
    path("review/<int:pk>/approve/", review_approve, name="review_approve"),
    path("review/<int:pk>/reopen/", review_reopen, name="review_reopen"),
    path("review/<int:pk>/comment/", review_comment, name="review_comment"),
    path("review/<int:pk>/decide/", review_decide, name="review_decide"),
    path(
        "review/<int:pk>/attachments/<int:attachment_id>/",
        review_attachment,
        name="review_attachment",
    ),
]
