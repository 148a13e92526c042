"""Annual reports and their table figures, one cell a row."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import formats
from core.figureset import figures_to_dict, plain_number
from filing.workflow import Status
from organs import permissions


class AnnualReportQuerySet(models.QuerySet):
    def public(self):
        """Reports with a current publication (also while a correction is being prepared)."""
        return self.filter(current_publication__isnull=False)

    published = public

    def visible_to(self, user):
        """Reports the user may read: the queryset twin of permissions.can_view_report."""
        published = models.Q(current_publication__isnull=False)
        if user is None or not user.is_authenticated:
            return self.filter(published)
        if permissions.is_portal_admin(user):
            return self.all()
        organ_ids = permissions.clerk_organ_ids(user) | permissions.supervised_organ_ids(user)
        return self.filter(published | models.Q(organ_id__in=organ_ids))


class AnnualReport(models.Model):
    """One organ's 政府信息公开工作年度报告 for one year."""

    class Edition(models.TextChoices):
        # The names are catalogue entries (filing/forms/format_labels.py): shown translated.
        E2019 = formats.EDITION_2019, _(formats.EDITION_DEFS[formats.EDITION_2019].name)
        E2021 = formats.EDITION_2021, _(formats.EDITION_DEFS[formats.EDITION_2021].name)

    Status = Status

    organ = models.ForeignKey(
        "organs.Organ", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    edition = models.CharField(
        _("表格版本"), max_length=4, choices=Edition.choices, default=Edition.E2021
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    overview = models.TextField(_("一、总体情况"), blank=True)
    problems = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    other_matters = models.TextField(_("六、其他需要报告的事项"), blank=True)
    # The first publication's date: lateness is judged by it, not by later corrections.
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    current_publication = models.OneToOneField(
        "public.Publication",
        verbose_name=_("当前发布版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The latest submission (kept through return, approval and publication, as the audit
    # trail keeps it): the review queue's order, read from an index instead of the audit events.
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Bumped on every save through the services; a stale form carries an old number.
    version = models.PositiveIntegerField(_("版本号"), default=1)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        db_table = "reports_annualreport"
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["-year", "organ__name"]
        constraints = [
            models.UniqueConstraint(fields=["organ", "year"], name="report_one_per_organ_year"),
        ]
        indexes = [
            # A year's reports by organ with the columns the compliance dashboard reads
            # (review.deadlines.ComplianceQuery): its counts over a region are an index-only
            # scan of the year, not a scan of every year's reports. INCLUDE: PostgreSQL only.
            models.Index(
                fields=["year", "organ"],
                include=["id", "status", "current_publication", "published_on"],
                name="report_year_organ_idx",
            ),
            # The review queue: a status's reports by their latest submission, with the organ
            # to match the region (review.selectors): read from the index alone.
            models.Index(
                fields=["status", "submitted_at", "id"],
                include=["organ"],
                name="report_queue_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organ} {self.year}年"

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", kwargs={"slug": self.organ.slug, "year": self.year})

    @property
    def is_public(self) -> bool:
        return self.current_publication_id is not None

    @property
    def is_correction(self) -> bool:
        """Reopened after publication: the public still sees the current publication."""
        return self.is_public and self.status != Status.PUBLISHED

    def figures_dict(self) -> dict:
        """The figures as a figure set (core.figureset)."""
        return figures_to_dict(self.figures.all(), self.edition)


class Figure(models.Model):
    """One table cell of a report: (table, row, column) -> value."""

    class Table(models.TextChoices):
        SECTION2 = formats.SECTION2, _("二、主动公开政府信息情况")
        SECTION3 = formats.SECTION3, _("三、收到和处理政府信息公开申请情况")
        SECTION4 = formats.SECTION4, _("四、行政复议、行政诉讼情况")

    class Source(models.TextChoices):
        MANUAL = "manual", _("手工填写")
        PARSED = "parsed", _("文件识别")
        IMPORTED = "imported", _("批量导入")

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="figures"
    )
    table = models.CharField(_("表"), max_length=16, choices=Table.choices)
    row = models.CharField(_("行"), max_length=64)
    column = models.CharField(_("列"), max_length=64)
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=2, null=True, blank=True)
    source = models.CharField(
        _("来源"), max_length=16, choices=Source.choices, default=Source.MANUAL
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        db_table = "reports_figure"
        verbose_name = _("表格数值")
        verbose_name_plural = _("表格数值")
        ordering = ["report", "table", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "table", "row", "column"], name="figure_one_per_cell"
            ),
        ]
        indexes = [
            models.Index(fields=["table", "row", "column"], name="figure_cell_idx"),
            # Section 3's 总计 column of many reports (the review queue's outlier badges): the
            # report's few cells from the index alone, not its ~200 rows from the table.
            models.Index(
                fields=["report", "row", "value"],
                condition=models.Q(table="section3", column="总计"),
                name="figure_s3_total_idx",
            ),
        ]

    def __str__(self) -> str:
        value = plain_number(self.value)  # a count of applications: 12, not 12.00
        return f"{self.get_table_display()} {self.row} · {self.column} = {value}"
