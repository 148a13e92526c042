"""Check findings on a report and the audit trail of what happened to it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from filing.messages import render_message


class Finding(models.Model):
    """A failed check (勾稽关系 and friends) on a report's figures or prose."""

    class Severity(models.TextChoices):
        ERROR = "error", _("错误")
        WARNING = "warning", _("警告")
        INFO = "info", _("提示")

    class Decision(models.TextChoices):
        OPEN = "open", _("待审核")
        CONFIRMED = "confirmed", _("确认有误")
        DISMISSED = "dismissed", _("不成立")

    report = models.ForeignKey(
        "filing.AnnualReport",
        verbose_name=_("报告"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    code = models.CharField(_("代码"), max_length=64)
    severity = models.CharField(
        _("级别"), max_length=16, choices=Severity.choices, default=Severity.ERROR
    )
    message = models.TextField(_("说明"))
    # The cells involved, e.g. [["section3", "一", "总计"], ...].
    cells = models.JSONField(_("涉及单元格"), default=list, blank=True)
    # The clerk's explanation; an explained error no longer blocks submission.
    explanation = models.TextField(_("情况说明"), blank=True)
    # What fills the code's message template (core/checks/messages.py), for any language.
    params = models.JSONField(_("参数"), default=dict, blank=True)
    # The prose sentence a prose finding rests on: {"before", "number", "after"}.
    evidence = models.JSONField(_("正文依据"), null=True, blank=True)
    # Which values the finding is about; a decision holds while they stay the same.
    fingerprint = models.CharField(_("数值指纹"), max_length=64, blank=True)
    decision = models.CharField(
        _("审核结论"), max_length=16, choices=Decision.choices, default=Decision.OPEN
    )
    decision_reason = models.TextField(_("结论理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结论人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("结论时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        db_table = "reports_finding"
        verbose_name = _("校验结果")
        verbose_name_plural = _("校验结果")
        ordering = ["report", "id"]
        indexes = [models.Index(fields=["report", "severity"], name="finding_report_sev_idx")]

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"

    @property
    def is_blocking(self) -> bool:
        return self.severity == self.Severity.ERROR and not self.explanation.strip()

    @property
    def text(self) -> str:
        """The message in the viewer's language; the stored Chinese for older findings."""
        rendered = render_message(self.code, self.params)
        return rendered if rendered is not None else self.message


class AuditEvent(models.Model):
    """One thing that happened to a report: who, when, from which status to which."""

    report = models.ForeignKey(
        "filing.AnnualReport",
        verbose_name=_("报告"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    action = models.CharField(_("操作"), max_length=64)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    data = models.JSONField(_("附加数据"), default=dict, blank=True)

    class Meta:
        db_table = "reports_auditevent"
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action}"
