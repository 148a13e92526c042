"""Attachments on a report: upload, parse progress, review and apply parsed values."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from filing import permissions, selectors, services
from filing.forms.uploads import MAX_FILES, ApplyForm, UploadForm
from filing.messages import run_message_text
from filing.models import AnnualReport, ParsedValue, ParseRun
from filing.services.attachments import attachment_crop

NEXT_STEP = gettext_lazy("可以把报告重新导出为 PDF 或 DOCX 后再上传，或直接在表单中填写。")
OUTCOME_KEY = "parse-apply-outcome-%s"


def _reverse_or(name: str, fallback: str, **kwargs) -> str:
    # The workspace views are built alongside these; keep working before their names exist.
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return fallback


def _report_links(report) -> dict:
    return {
        "workspace_url": _reverse_or("reports:workspace", "/workspace/"),
        "report_url": _reverse_or(
            "reports:report_edit", f"/workspace/reports/{report.pk}/", pk=report.pk
        ),
    }


def _clerk_report(request, pk: int):
    """The report if the user is a clerk of its organ; 404 otherwise (never reveal it exists)."""
    return get_object_or_404(permissions.clerk_reports(request.user).select_related("organ"), pk=pk)


def _attachment(report, attachment_id: int):
    return get_object_or_404(report.attachments, pk=attachment_id)


def _run(attachment, run_id: int) -> ParseRun:
    return get_object_or_404(ParseRun, pk=run_id, attachment_id=attachment.pk)


@login_required
def attachment_list(request, pk: int):
    """The report's attachments with the state of their latest parse run."""
    report = _clerk_report(request, pk)
    context = {
        "report": report,
        "attachments": selectors.report_attachments(report=report),
        "can_attach": permissions.can_attach(request.user, report),
        "next_step": NEXT_STEP,
        **_report_links(report),
    }
    return render(request, "reports/uploads/list.html", context)


class SizeLimitUploadHandler(FileUploadHandler):
    """Drop a file as soon as it passes the upload limit, before it fills the disk."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        request.oversize_uploads = []

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.request.oversize_uploads.append(self.file_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file


# The CSRF check reads the body; the handler must be in place before that, so the view is
# exempt and its body runs under csrf_protect (Django's documented pattern).
@csrf_exempt
@login_required
def attachment_upload(request, pk: int):
    """Store each uploaded file and queue it for parsing."""
    limit = settings.PORTAL_MAX_UPLOAD_BYTES
    if request.method == "POST":
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > MAX_FILES * limit + 1048576:
            _clerk_report(request, pk)
            return render(request, "reports/uploads/too_large.html", {"limit": limit}, status=413)
        request.upload_handlers.insert(0, SizeLimitUploadHandler(request, limit))
    return _attachment_upload(request, pk)


@csrf_protect
def _attachment_upload(request, pk: int):
    report = _clerk_report(request, pk)
    can_attach = permissions.can_attach(request.user, report)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_attach:
            messages.error(request, _("报告已提交，不能再上传文件。"))
            return redirect("reports:attachment_list", pk=report.pk)
        oversize = getattr(request, "oversize_uploads", [])
        if oversize:
            form = UploadForm(request.POST, request.FILES)  # bound even with no file left
            form.is_valid()
            form.errors.pop("files", None)  # "no file chosen": the real reason follows
            form.add_error("files", _oversize_error(oversize))
        elif form.is_valid():
            try:
                for upload in form.cleaned_data["files"]:
                    with transaction.atomic():
                        attachment = services.attachment_add(
                            data=upload,
                            original_name=upload.name,
                            uploaded_by=request.user,
                            report=report,
                        )
                        services.parse_run_queue(attachment=attachment)
            except ValidationError as error:
                form.add_error("files", error)
            else:
                count = len(form.cleaned_data["files"])
                messages.success(
                    request, _("已上传 %(count)d 个文件，正在识别。") % {"count": count}
                )
                return redirect("reports:attachment_list", pk=report.pk)
    context = {"report": report, "form": form, "can_attach": can_attach, **_report_links(report)}
    return render(request, "reports/uploads/upload.html", context)


def _oversize_error(names: list[str]) -> ValidationError:
    limit = settings.PORTAL_MAX_UPLOAD_BYTES
    return ValidationError(
        _("“%(name)s”超过了上传上限 %(limit).1f MB。请压缩图片或只保留年度报告正文后重新上传。"),
        code="too_large",
        params={"name": ", ".join(names), "limit": limit / 1048576},
    )


@never_cache
@login_required
def attachment_status(request, pk: int, attachment_id: int):
    """The latest parse run of an attachment as JSON, for the progress script."""
    attachment = _attachment(_clerk_report(request, pk), attachment_id)
    run = selectors.attachment_latest_run(attachment=attachment)
    if run is None:
        return JsonResponse({"status": "none", "label": _("未识别"), "message": ""})
    payload = {
        "status": run.status,
        "label": run.get_status_display(),
        "message": run_message_text(run),
    }
    if run.status == ParseRun.Status.DONE:
        payload["review_url"] = reverse(
            "reports:parse_run_review",
            kwargs={"pk": pk, "attachment_id": attachment.pk, "run_id": run.pk},
        )
    return JsonResponse(payload)


@login_required
def attachment_download(request, pk: int, attachment_id: int):
    """The original file, byte for byte, under its original name."""
    attachment = _attachment(_clerk_report(request, pk), attachment_id)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("找不到上传的文件。")) from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)


def _reader_report(request, pk: int):
    """The report for its clerk, its region's supervisors and admins; 404 for anyone else."""
    reports = AnnualReport.objects.select_related("organ")
    user = request.user
    if not permissions.is_portal_admin(user):
        ids = permissions.clerk_organ_ids(user) | permissions.supervised_organ_ids(user)
        reports = reports.filter(organ_id__in=ids)
    return get_object_or_404(reports, pk=pk)


@login_required
def parsed_value_crop(request, pk: int, attachment_id: int, run_id: int, value_id: int):
    """The scan's crop around one OCR value (PNG), so the clerk checks it against the image."""
    attachment = _attachment(_reader_report(request, pk), attachment_id)
    value = get_object_or_404(
        ParsedValue, pk=value_id, run_id=run_id, run__attachment_id=attachment.pk
    )
    if value.page is None or not isinstance(value.bbox, list) or len(value.bbox) != 4:
        raise Http404(_("这个数值不是从扫描件中识别的。"))
    try:
        png = attachment_crop(attachment=attachment, page=value.page, bbox=value.bbox)
    except Exception as exc:  # noqa: BLE001 - a missing file or page is "no crop here"
        raise Http404(_("无法截取原图。")) from exc
    response = HttpResponse(png, content_type="image/png")
    # The scan is not public: browsers may keep it, shared caches never.
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def parse_run_review(request, pk: int, attachment_id: int, run_id: int):
    """A done run's values beside the report's, with the apply actions."""
    report = _clerk_report(request, pk)
    attachment = _attachment(report, attachment_id)
    run = _run(attachment, run_id)
    if run.status != ParseRun.Status.DONE:
        messages.info(request, _("这次识别尚未成功完成，还没有可以核对的结果。"))
        return redirect("reports:attachment_list", pk=report.pk)
    review = selectors.parse_run_review(report=report, run=run)
    outcome = request.session.pop(OUTCOME_KEY % run.pk, None)
    context = {
        "report": report,
        "attachment": attachment,
        "run": run,
        "result": run.result or {},
        "review": review,
        "outcome": outcome,
        "can_attach": permissions.can_attach(request.user, report),
        "form": ApplyForm(conflicts=review.conflicts),
        # Only cells that differ or want a look, unless ?all=1 (the page's toggle without JS).
        "show_all": request.GET.get("all") == "1",
        "prose": selectors.prose_choices(report=report, run=run),
        **_report_links(report),
    }
    return render(request, "reports/uploads/review.html", context)


@login_required
def parse_run_apply(request, pk: int, attachment_id: int, run_id: int):
    """Apply all parsed values (blanks only) or the ticked conflicting cells."""
    report = _clerk_report(request, pk)
    run = _run(_attachment(report, attachment_id), run_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    review_url = reverse(
        "reports:parse_run_review",
        kwargs={"pk": report.pk, "attachment_id": attachment_id, "run_id": run.pk},
    )
    if not permissions.can_attach(request.user, report):
        messages.error(request, _("报告已提交，不能再填入识别结果。"))
        return redirect(review_url)
    conflicts = selectors.parse_run_review(report=report, run=run).conflicts
    data = request.POST.copy()
    if data.get("accept_table"):  # a table's "accept all parsed values" applies the rest too
        data["action"] = ApplyForm.ALL
    form = ApplyForm(data, conflicts=conflicts)
    if not form.is_valid():
        for error in form.non_field_errors() or [_("所选单元格已无冲突，请刷新后重试。")]:
            messages.error(request, error)
        return redirect(review_url)
    try:
        outcome = services.report_apply_parsed(
            report=report,
            run=run,
            cells=_chosen_cells(request, form, conflicts) or None,
            acting_user=request.user,
            prose_replace=[
                f
                for f in ("overview", "problems", "other_matters")
                if request.POST.get(f"prose_{f}") == "parsed"
            ],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(review_url)
    request.session[OUTCOME_KEY % run.pk] = selectors.apply_outcome_summary(
        edition_key=report.edition, outcome=outcome
    )
    messages.success(
        request,
        _(
            "已填入 %(filled)d 个单元格，替换 %(replaced)d 个；%(conflicts)d 处与已填数值不同，未改动。"
        )
        % {
            "filled": len(outcome.filled),
            "replaced": len(outcome.replaced),
            "conflicts": len(outcome.conflicts),
        },
    )
    return redirect(review_url)


@login_required
def parse_run_retry(request, pk: int, attachment_id: int, run_id: int):
    """识别失败后重新识别: the kept file gets a fresh run (a timeout or an interruption may pass)."""
    report = _clerk_report(request, pk)
    run = _run(_attachment(report, attachment_id), run_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not permissions.can_attach(request.user, report):
        messages.error(request, _("报告已提交，不能再重新识别。"))
    elif run.status != ParseRun.Status.FAILED:
        messages.info(request, _("这次识别没有失败，无需重新识别。"))
    else:
        with transaction.atomic():
            services.parse_run_retry(run=run, acting_user=request.user)
        messages.success(request, _("已重新开始识别，完成后本页会自动刷新。"))
    return redirect("reports:attachment_list", pk=report.pk)


def _chosen_cells(request, form, conflicts) -> list:
    """Ticked cells, plus every conflict of a table whose "accept all parsed" was pressed."""
    table = request.POST.get("accept_table")
    return form.selected_cells() + [tuple(c) for c in conflicts if table and c[0] == table]


_PREFIX = "workspace/reports/<int:pk>/attachments/"
urlpatterns = [
    path(_PREFIX, attachment_list, name="attachment_list"),
    path(f"{_PREFIX}upload/", attachment_upload, name="attachment_upload"),
    path(f"{_PREFIX}<int:attachment_id>/status.json", attachment_status, name="attachment_status"),
    path(
        f"{_PREFIX}<int:attachment_id>/download/", attachment_download, name="attachment_download"
    ),
    path(
        f"{_PREFIX}<int:attachment_id>/runs/<int:run_id>/",
        parse_run_review,
        name="parse_run_review",
    ),
    path(
        f"{_PREFIX}<int:attachment_id>/runs/<int:run_id>/apply/",
        parse_run_apply,
        name="parse_run_apply",
    ),
    path(
        f"{_PREFIX}<int:attachment_id>/runs/<int:run_id>/cells/<int:value_id>/crop.png",
        parsed_value_crop,
        name="parsed_value_crop",
    ),
    path(
        f"{_PREFIX}<int:attachment_id>/runs/<int:run_id>/retry/",
        parse_run_retry,
        name="parse_run_retry",
    ),
]
