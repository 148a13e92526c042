"""The filing models' relations, moved from the reports app (state only)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("filing", "0001_initial"),
        ("organs", "0001_initial"),
        ("public", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist already (built by the reports app's history under these names):
        # only Django's picture of the models changes, the database is not touched.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="annualreport",
                    name="current_publication",
                    field=models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="public.publication",
                        verbose_name="当前发布版本",
                    ),
                ),
                migrations.AddField(
                    model_name="annualreport",
                    name="organ",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reports",
                        to="organs.organ",
                        verbose_name="机关",
                    ),
                ),
                migrations.AddField(
                    model_name="attachment",
                    name="organ",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="attachments",
                        to="organs.organ",
                        verbose_name="机关",
                    ),
                ),
                migrations.AddField(
                    model_name="attachment",
                    name="report",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="attachments",
                        to="filing.annualreport",
                        verbose_name="报告",
                    ),
                ),
                migrations.AddField(
                    model_name="attachment",
                    name="uploaded_by",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="attachments",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="上传人",
                    ),
                ),
                migrations.AddField(
                    model_name="auditevent",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="audit_events",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
                migrations.AddField(
                    model_name="auditevent",
                    name="report",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="audit_events",
                        to="filing.annualreport",
                        verbose_name="报告",
                    ),
                ),
                migrations.AddField(
                    model_name="figure",
                    name="report",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="figures",
                        to="filing.annualreport",
                        verbose_name="报告",
                    ),
                ),
                migrations.AddField(
                    model_name="finding",
                    name="report",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="findings",
                        to="filing.annualreport",
                        verbose_name="报告",
                    ),
                ),
                migrations.AddField(
                    model_name="parserun",
                    name="attachment",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="parse_runs",
                        to="filing.attachment",
                        verbose_name="附件",
                    ),
                ),
                migrations.AddField(
                    model_name="parsedvalue",
                    name="run",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="values",
                        to="filing.parserun",
                        verbose_name="识别记录",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="annualreport",
                    constraint=models.UniqueConstraint(
                        fields=("organ", "year"), name="report_one_per_organ_year"
                    ),
                ),
                migrations.AddIndex(
                    model_name="figure",
                    index=models.Index(fields=["table", "row", "column"], name="figure_cell_idx"),
                ),
                migrations.AddConstraint(
                    model_name="figure",
                    constraint=models.UniqueConstraint(
                        fields=("report", "table", "row", "column"), name="figure_one_per_cell"
                    ),
                ),
                migrations.AddIndex(
                    model_name="finding",
                    index=models.Index(
                        fields=["report", "severity"], name="finding_report_sev_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="parserun",
                    index=models.Index(fields=["status"], name="parserun_status_idx"),
                ),
            ],
        ),
    ]
