"""What the public sees: frozen published versions of reports, and their figures.

A report is public from its first publication on. Reopening it as a correction edits the
live report while the last Publication stays public; publishing the correction adds a new
Publication (with a correction note) and the earlier ones stay reachable.
"""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from public.measures import MEASURES


class PublicationQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)


class Publication(models.Model):
    """One published version of a report: its prose, figures and check summary, frozen."""

    report = models.ForeignKey(
        "filing.AnnualReport",
        verbose_name=_("报告"),
        on_delete=models.CASCADE,
        related_name="publications",
    )
    # 1 for the first publication, 2, 3, ... for published corrections.
    number = models.PositiveSmallIntegerField(_("发布序号"), default=1)
    # Copied from the report so that public queries need no join to filter.
    organ = models.ForeignKey(
        "organs.Organ", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+"
    )
    # Kept equal to organ.name (set at publication, followed on rename: public/signals.py), so
    # the list sorted by name is read in order off an index below instead of joining every
    # current publication to its organ and sorting them all.
    organ_name = models.CharField(_("机关全称"), max_length=100, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    edition = models.CharField(_("表格版本"), max_length=4)
    published_on = models.DateField(_("发布日期"))
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    correction_note = models.TextField(_("更正说明"), blank=True)
    overview = models.TextField(_("一、总体情况"), blank=True)
    problems = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    other_matters = models.TextField(_("六、其他需要报告的事项"), blank=True)
    # The parser's shape (filing.figures.figures_to_dict), for rendering without a query.
    figures = models.JSONField(_("表格数据"), default=dict)
    # One column per statistics measure (received, granted_full, ...) is added below.
    error_count = models.PositiveSmallIntegerField(_("错误数"), default=0)
    warning_count = models.PositiveSmallIntegerField(_("警告数"), default=0)
    # The findings at publication: [{"code", "severity", "message", "params", "explanation"}]
    # ("params" since issue 20: older publications show the stored Chinese message).
    findings = models.JSONField(_("校验结果"), default=list, blank=True)
    attachment = models.ForeignKey(
        "filing.Attachment",
        verbose_name=_("原始文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The checksum of the file whose parse was applied to the report (public/services.py): the
    # public "original file" serves exactly that file, or none if the bytes no longer match.
    attachment_sha256 = models.CharField(_("原始文件 SHA-256"), max_length=64, blank=True)
    is_current = models.BooleanField(_("当前版本"), default=True)
    superseded_at = models.DateTimeField(_("被更正时间"), null=True, blank=True)
    # Organ name and prose, for the public full-text search.
    search_text = models.TextField(_("检索文本"), blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        db_table = "reports_publication"
        verbose_name = _("发布版本")
        verbose_name_plural = _("发布版本")
        ordering = ["-year", "organ_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="publication_number_unique"),
            models.UniqueConstraint(
                fields=["report"],
                condition=models.Q(is_current=True),
                name="publication_one_current_per_report",
            ),
        ]
        indexes = [
            models.Index(fields=["is_current", "year"], name="publication_current_year_idx"),
            models.Index(fields=["is_current", "organ"], name="publication_current_organ_idx"),
            # The public list's and the API's orders (public.keyset.SORT_KEYS), each ending
            # on the primary key: a page (or a cursor's next page) is the next rows of one
            # of these, with a year filter too (an equal first column), whatever the size.
            # The orders by received (NULLS LAST, which SQLite cannot index) are created on
            # PostgreSQL only, by migration public 0007.
            models.Index(
                F("year").desc(), "organ_name", "id",
                condition=models.Q(is_current=True), name="publication_list_year_idx",
            ),
            models.Index(
                "organ_name", F("year").desc(), "id",
                condition=models.Q(is_current=True), name="publication_list_organ_idx",
            ),
            # The edition follows the year (2021's form from 2021 on): a filtered walk of the
            # year order would read every later year's reports before the first 2019 one.
            models.Index(
                "edition", F("year").desc(), "organ_name", "id",
                condition=models.Q(is_current=True), name="publication_list_edition_idx",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.report} #{self.number}"

    def get_absolute_url(self) -> str:
        url = reverse(
            "reports:report_detail", kwargs={"slug": self.report.organ.slug, "year": self.year}
        )
        return url if self.is_current else f"{url}?version={self.number}"

    @property
    def checks_passed(self) -> bool:
        return self.error_count == 0

    @property
    def is_correction(self) -> bool:
        return self.number > 1


# One nullable column per statistics measure (public.measures.MEASURES; null where every
# cell it sums was blank), filled at publication. The statistics page sums these columns,
# one row a report, and the public lists show four of them (received, granted_full,
# review_total, litigation_total) as key figures. A new measure needs a migration.
for _measure in MEASURES:
    Publication.add_to_class(
        _measure.key, models.BigIntegerField(_measure.label, null=True, blank=True)
    )
del _measure


class PublishedFigure(models.Model):
    """One cell of a publication, denormalised so statistics aggregate in one table."""

    publication = models.ForeignKey(
        Publication, verbose_name=_("发布版本"), on_delete=models.CASCADE, related_name="cells"
    )
    organ = models.ForeignKey(
        "organs.Organ", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    edition = models.CharField(_("表格版本"), max_length=4)
    table = models.CharField(_("表"), max_length=16)
    row = models.CharField(_("行"), max_length=64)
    column = models.CharField(_("列"), max_length=64)
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=2, null=True, blank=True)
    # Mirrors publication.is_current; flipped in the same transaction by report_publish.
    is_current = models.BooleanField(_("当前版本"), default=True)

    class Meta:
        db_table = "reports_publishedfigure"
        verbose_name = _("已发布数值")
        verbose_name_plural = _("已发布数值")
        ordering = ["publication", "id"]
        indexes = [
            models.Index(
                fields=["is_current", "table", "row", "column", "year"],
                name="pubfigure_stats_idx",
            ),
            # A region's roll-up (public/rollup.py): the current cells of one year for a set of
            # organs, summed per cell, read from the index alone.
            models.Index(
                fields=["year", "organ"],
                include=["edition", "table", "row", "column", "value"],
                condition=models.Q(is_current=True),
                name="pubfigure_rollup_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.table} {self.row} · {self.column} = {self.value}"


class RegionSum(models.Model):
    """One cell's sum over the current publications of every organ below a region, kept at
    publication (public/sums.py), so a roll-up reads a few hundred rows at any size.

    "Below" excludes the region organ's own reports (one a year, read beside these rows):
    organs without organs below them, most of the tree, have no rows at all. Only cells some
    report filled have a row; ``filled`` counts those reports.
    """

    # Indexed by the unique key, which starts with it.
    region = models.ForeignKey(
        "organs.Organ",
        verbose_name=_("地区"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    edition = models.CharField(_("表格版本"), max_length=4)
    table = models.CharField(_("表"), max_length=16)
    row = models.CharField(_("行"), max_length=64)
    column = models.CharField(_("列"), max_length=64)
    total = models.DecimalField(_("合计"), max_digits=20, decimal_places=2)
    # Plain integers: a delta row (negative for a correction) must pass the column checks
    # before ON CONFLICT adds it to the stored row.
    filled = models.IntegerField(_("填报数"))

    class Meta:
        verbose_name = _("地区合计")
        verbose_name_plural = _("地区合计")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "edition", "table", "row", "column"],
                name="regionsum_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.table} {self.row} · {self.column}"


class RegionYear(models.Model):
    """The statistics measures summed over the current publications of every organ below a
    region, per year and edition, kept at publication like :class:`RegionSum`.

    Each measure has a ``<key>_filled`` count of the reports that filled it: a measure no
    report filled reads as None, not 0.
    """

    # Indexed by the unique key, which starts with it.
    region = models.ForeignKey(
        "organs.Organ",
        verbose_name=_("地区"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    edition = models.CharField(_("表格版本"), max_length=4)
    reports = models.IntegerField(_("已发布报告数"))

    class Meta:
        verbose_name = _("地区年度合计")
        verbose_name_plural = _("地区年度合计")
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "edition"], name="regionyear_key")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.edition}"


for _measure in MEASURES:
    RegionYear.add_to_class(_measure.key, models.BigIntegerField(_measure.label, default=0))
    RegionYear.add_to_class(f"{_measure.key}_filled", models.IntegerField(default=0))
del _measure
