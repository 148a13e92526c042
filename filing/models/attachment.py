"""Uploaded files, kept as uploaded, and the parse runs made over them."""

import os
import re
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_SAFE_EXT = re.compile(r"^\.[a-z0-9]{1,10}$")


def attachment_upload_to(instance, filename: str) -> str:
    """A non-guessable storage path; the original name is kept on the row, not in the path."""
    ext = os.path.splitext(filename)[1].lower()
    if not _SAFE_EXT.match(ext):
        ext = ""
    return f"attachments/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{ext}"


class Attachment(models.Model):
    """A file exactly as uploaded: hash, size and sniffed kind."""

    class Kind(models.TextChoices):
        TEXT = "text", _("纯文本")
        MARKDOWN = "markdown", "Markdown"
        DOCX = "docx", "Word (DOCX)"
        PDF = "pdf", "PDF"
        HTML = "html", "HTML"
        # Scans and phone photos: read by OCR (core.ocr).
        JPEG = "jpeg", _("图片（JPEG）")
        PNG = "png", _("图片（PNG）")
        TIFF = "tiff", _("图片（TIFF）")
        UNKNOWN = "unknown", _("未知")

    # Null: a file may be ingested before the report it belongs to exists.
    report = models.ForeignKey(
        "filing.AnnualReport",
        verbose_name=_("报告"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    organ = models.ForeignKey(
        "organs.Organ",
        verbose_name=_("机关"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    file = models.FileField(_("文件"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    content_type = models.CharField(
        _("文件类型"), max_length=16, choices=Kind.choices, default=Kind.UNKNOWN
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        db_table = "reports_attachment"
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.original_name


class ParseRun(models.Model):
    """One attempt to read the tables out of an attachment."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("识别中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    attachment = models.ForeignKey(
        Attachment, verbose_name=_("附件"), on_delete=models.CASCADE, related_name="parse_runs"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    task_id = models.CharField(_("任务编号"), max_length=255, blank=True)
    queued_at = models.DateTimeField(_("排队时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # Plain Chinese failure message for the clerk, never a traceback.
    message = models.TextField(_("说明"), blank=True)
    warnings = models.JSONField(_("警告"), default=list, blank=True)
    extracted_text = models.TextField(_("提取的文本"), blank=True)
    result = models.JSONField(_("识别结果"), null=True, blank=True)

    class Meta:
        db_table = "reports_parserun"
        verbose_name = _("识别记录")
        verbose_name_plural = _("识别记录")
        ordering = ["-queued_at", "-id"]
        indexes = [models.Index(fields=["status"], name="parserun_status_idx")]

    def __str__(self) -> str:
        return f"{self.attachment} · {self.get_status_display()}"

    @property
    def duration(self):
        """Wall time of the run as a timedelta, or None while it has not finished."""
        if self.started_at is None or self.finished_at is None:
            return None
        return self.finished_at - self.started_at


class ParsedValue(models.Model):
    """One figure a parse run found, with where it was printed and how sure the parser is."""

    run = models.ForeignKey(
        ParseRun, verbose_name=_("识别记录"), on_delete=models.CASCADE, related_name="values"
    )
    table = models.CharField(_("表"), max_length=16)
    row = models.CharField(_("行"), max_length=64)
    column = models.CharField(_("列"), max_length=64)
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=2, null=True, blank=True)
    raw = models.CharField(_("原文"), max_length=255, blank=True)
    location = models.CharField(_("位置"), max_length=64, blank=True)
    confidence = models.FloatField(_("置信度"), default=1.0)
    # Which parser rule read the cell (core.parsing.result.Value.rule).
    rule = models.CharField(_("识别规则"), max_length=16, default="table", blank=True)
    # Scans only: where on which page the figure was printed, so the review page can show
    # the crop (core.ocr.crop), why it needs a look, and values that would fit the 勾稽 rules.
    page = models.PositiveIntegerField(_("页码"), null=True, blank=True)
    bbox = models.JSONField(_("位置框"), null=True, blank=True)
    flag = models.TextField(_("需核对的原因"), blank=True)
    candidates = models.JSONField(_("候选值"), default=list, blank=True)

    class Meta:
        db_table = "reports_parsedvalue"
        verbose_name = _("识别数值")
        verbose_name_plural = _("识别数值")
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return f"{self.row} · {self.column} = {self.raw}"
