"""The supervisor's side: review comments and reporting deadlines."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewComment(models.Model):
    """A reviewer's (or clerk's) comment on a report, or on one cell of it."""

    report = models.ForeignKey(
        "filing.AnnualReport",
        verbose_name=_("报告"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("意见"))
    # Blank for a comment on the whole report; else the cell, as in core.layout.cell_name.
    table = models.CharField(_("表"), max_length=16, blank=True)
    row = models.CharField(_("行"), max_length=64, blank=True)
    column = models.CharField(_("列"), max_length=64, blank=True)
    # The report's status when the comment was made ("returned" for a return reason).
    status = models.CharField(_("当时状态"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        db_table = "reports_reviewcomment"
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")
        ordering = ["report", "created_at", "id"]

    def __str__(self) -> str:
        return self.body[:40]

    @property
    def cell(self) -> tuple[str, str, str] | None:
        return (self.table, self.row, self.column) if self.table else None


class Deadline(models.Model):
    """The publication deadline for a region's reports of one year (default: 31 January)."""

    organ = models.ForeignKey(
        "organs.Organ",
        verbose_name=_("地区"),
        on_delete=models.CASCADE,
        related_name="deadlines",
        help_text=_("适用于该机关及其下属全部机关。"),
    )
    year = models.PositiveSmallIntegerField(_("报告年度"))
    due_on = models.DateField(_("截止日期"))

    class Meta:
        db_table = "reports_deadline"
        verbose_name = _("截止日期")
        verbose_name_plural = _("截止日期")
        ordering = ["-year", "organ__name"]
        constraints = [
            models.UniqueConstraint(fields=["organ", "year"], name="deadline_one_per_region_year")
        ]

    def __str__(self) -> str:
        return f"{self.organ} {self.year}: {self.due_on}"


class SubmissionNotice(models.Model):
    """A supervisor's notice that a report of their region was submitted.

    One row per supervisor and submission, written when the report is submitted, so the
    header's unread count is a single indexed query; opening the queue marks them seen.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核员"),
        on_delete=models.CASCADE,
        related_name="submission_notices",
    )
    report = models.ForeignKey(
        "filing.AnnualReport",
        verbose_name=_("报告"),
        on_delete=models.CASCADE,
        related_name="submission_notices",
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    seen_at = models.DateTimeField(_("查看时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提交提醒")
        verbose_name_plural = _("提交提醒")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "seen_at"], name="notice_user_unseen_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.report}"


# ---------------------------------------------------------------- compliance counts kept
# review/standing.py keeps them: the dashboard's counts of a region read a few rows of
# ComplianceTally and ComplianceLeafTally instead of passing over the region's organs.


class ComplianceState(models.Model):
    """How one report is counted: its standing and the organ path it was counted under.

    Plain ids, no foreign keys: when a report or an organ is deleted, the row still says what
    to take back from the counts of the regions above it.
    """

    report_id = models.BigIntegerField(primary_key=True)
    organ_id = models.BigIntegerField()
    path = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16)
    due_on = models.DateField()
    # Published after its deadline (by the first publication's date).
    late = models.BooleanField(default=False)
    # Its organ was an active organ with no active organ below it (one that must report).
    leaf = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["organ_id"], name="compliance_state_organ_idx")]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.status}"


class ComplianceLeaf(models.Model):
    """An organ that must report every year (active, no active organ below), as counted."""

    organ_id = models.BigIntegerField(primary_key=True)
    path = models.CharField(max_length=255)

    def __str__(self) -> str:
        return self.path


class ComplianceTally(models.Model):
    """How many reports of a region (the organ ``node`` and everything below) stand so."""

    node_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16)
    due_on = models.DateField()
    late = models.BooleanField()
    leaf = models.BooleanField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["node_id", "year", "status", "due_on", "late", "leaf"],
                name="compliance_tally_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.node_id} {self.year} {self.status}: {self.n}"


class ComplianceLeafTally(models.Model):
    """How many organs that must report a region (``node`` and everything below) has."""

    node_id = models.BigIntegerField(primary_key=True)
    n = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.node_id}: {self.n}"
