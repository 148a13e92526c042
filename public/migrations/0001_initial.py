"""Publications and published figures, moved from the reports app with their tables."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ["publication", "publishedfigure"]


def content_types_follow(apps, schema_editor):
    """Point the moved models' content types at this app, so permissions and admin logs follow."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label="public", model=model).exists():
            content_type.objects.filter(app_label="reports", model=model).update(app_label="public")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("reports", "0006_remove_publication_measures"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("filing", "0001_initial"),
        ("organs", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist already (built by the reports app's history under these names):
        # only Django's picture of the models changes, the database is not touched.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Publication",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "number",
                            models.PositiveSmallIntegerField(default=1, verbose_name="发布序号"),
                        ),
                        ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                        ("edition", models.CharField(max_length=4, verbose_name="表格版本")),
                        ("published_on", models.DateField(verbose_name="发布日期")),
                        (
                            "published_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="发布时间"),
                        ),
                        ("correction_note", models.TextField(blank=True, verbose_name="更正说明")),
                        ("overview", models.TextField(blank=True, verbose_name="一、总体情况")),
                        (
                            "problems",
                            models.TextField(
                                blank=True, verbose_name="五、存在的主要问题及改进情况"
                            ),
                        ),
                        (
                            "other_matters",
                            models.TextField(blank=True, verbose_name="六、其他需要报告的事项"),
                        ),
                        ("figures", models.JSONField(default=dict, verbose_name="表格数据")),
                        (
                            "error_count",
                            models.PositiveSmallIntegerField(default=0, verbose_name="错误数"),
                        ),
                        (
                            "warning_count",
                            models.PositiveSmallIntegerField(default=0, verbose_name="警告数"),
                        ),
                        (
                            "findings",
                            models.JSONField(blank=True, default=list, verbose_name="校验结果"),
                        ),
                        ("is_current", models.BooleanField(default=True, verbose_name="当前版本")),
                        (
                            "superseded_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="被更正时间"),
                        ),
                        ("search_text", models.TextField(blank=True, verbose_name="检索文本")),
                        (
                            "received",
                            models.BigIntegerField(
                                blank=True,
                                null=True,
                                verbose_name="一、本年新收政府信息公开申请数量",
                            ),
                        ),
                        (
                            "granted_full",
                            models.BigIntegerField(
                                blank=True, null=True, verbose_name="（一）予以公开"
                            ),
                        ),
                        (
                            "granted_partial",
                            models.BigIntegerField(
                                blank=True, null=True, verbose_name="（二）部分公开"
                            ),
                        ),
                        (
                            "refused",
                            models.BigIntegerField(
                                blank=True, null=True, verbose_name="（三）不予公开"
                            ),
                        ),
                        (
                            "unavailable",
                            models.BigIntegerField(
                                blank=True, null=True, verbose_name="（四）无法提供"
                            ),
                        ),
                        (
                            "not_processed",
                            models.BigIntegerField(
                                blank=True, null=True, verbose_name="（五）不予处理"
                            ),
                        ),
                        (
                            "other",
                            models.BigIntegerField(
                                blank=True, null=True, verbose_name="（六）其他处理"
                            ),
                        ),
                        (
                            "handled_total",
                            models.BigIntegerField(
                                blank=True, null=True, verbose_name="（七）总计"
                            ),
                        ),
                        (
                            "review_upheld",
                            models.BigIntegerField(
                                blank=True, null=True, verbose_name="行政复议·结果维持"
                            ),
                        ),
                        (
                            "review_corrected",
                            models.BigIntegerField(
                                blank=True, null=True, verbose_name="行政复议·结果纠正"
                            ),
                        ),
                        (
                            "review_other",
                            models.BigIntegerField(
                                blank=True, null=True, verbose_name="行政复议·其他结果"
                            ),
                        ),
                        (
                            "review_pending",
                            models.BigIntegerField(
                                blank=True, null=True, verbose_name="行政复议·尚未审结"
                            ),
                        ),
                        (
                            "review_total",
                            models.BigIntegerField(
                                blank=True, null=True, verbose_name="行政复议·总计"
                            ),
                        ),
                        (
                            "litigation_upheld",
                            models.BigIntegerField(
                                blank=True,
                                null=True,
                                verbose_name="行政诉讼（未经复议直接起诉＋复议后起诉）·结果维持",
                            ),
                        ),
                        (
                            "litigation_corrected",
                            models.BigIntegerField(
                                blank=True,
                                null=True,
                                verbose_name="行政诉讼（未经复议直接起诉＋复议后起诉）·结果纠正",
                            ),
                        ),
                        (
                            "litigation_other",
                            models.BigIntegerField(
                                blank=True,
                                null=True,
                                verbose_name="行政诉讼（未经复议直接起诉＋复议后起诉）·其他结果",
                            ),
                        ),
                        (
                            "litigation_pending",
                            models.BigIntegerField(
                                blank=True,
                                null=True,
                                verbose_name="行政诉讼（未经复议直接起诉＋复议后起诉）·尚未审结",
                            ),
                        ),
                        (
                            "litigation_total",
                            models.BigIntegerField(
                                blank=True,
                                null=True,
                                verbose_name="行政诉讼（未经复议直接起诉＋复议后起诉）·总计",
                            ),
                        ),
                        (
                            "attachment",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="filing.attachment",
                                verbose_name="原始文件",
                            ),
                        ),
                        (
                            "organ",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="organs.organ",
                                verbose_name="机关",
                            ),
                        ),
                        (
                            "published_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="发布人",
                            ),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="publications",
                                to="filing.annualreport",
                                verbose_name="报告",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "发布版本",
                        "verbose_name_plural": "发布版本",
                        "db_table": "reports_publication",
                        "ordering": ["-year", "organ_id", "-number"],
                    },
                ),
                migrations.CreateModel(
                    name="PublishedFigure",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                        ("edition", models.CharField(max_length=4, verbose_name="表格版本")),
                        ("table", models.CharField(max_length=16, verbose_name="表")),
                        ("row", models.CharField(max_length=64, verbose_name="行")),
                        ("column", models.CharField(max_length=64, verbose_name="列")),
                        (
                            "value",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=16,
                                null=True,
                                verbose_name="数值",
                            ),
                        ),
                        ("is_current", models.BooleanField(default=True, verbose_name="当前版本")),
                        (
                            "organ",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="organs.organ",
                                verbose_name="机关",
                            ),
                        ),
                        (
                            "publication",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="cells",
                                to="public.publication",
                                verbose_name="发布版本",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "已发布数值",
                        "verbose_name_plural": "已发布数值",
                        "db_table": "reports_publishedfigure",
                        "ordering": ["publication", "id"],
                    },
                ),
                migrations.AddIndex(
                    model_name="publication",
                    index=models.Index(
                        fields=["is_current", "year"], name="publication_current_year_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="publication",
                    index=models.Index(
                        fields=["is_current", "organ"], name="publication_current_organ_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="publication",
                    constraint=models.UniqueConstraint(
                        fields=("report", "number"), name="publication_number_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="publication",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("is_current", True)),
                        fields=("report",),
                        name="publication_one_current_per_report",
                    ),
                ),
                migrations.AddIndex(
                    model_name="publishedfigure",
                    index=models.Index(
                        fields=["is_current", "table", "row", "column", "year"],
                        name="pubfigure_stats_idx",
                    ),
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, migrations.RunPython.noop),
    ]
