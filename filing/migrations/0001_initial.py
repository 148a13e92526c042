"""Reports, figures, attachments, parse runs, findings and audit, moved from the reports app."""

import django.utils.timezone
from django.db import migrations, models

import filing.models.attachment

MODELS = [
    "annualreport",
    "figure",
    "attachment",
    "parserun",
    "parsedvalue",
    "finding",
    "auditevent",
]


def content_types_follow(apps, schema_editor):
    """Point the moved models' content types at this app, so permissions and admin logs follow."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label="filing", model=model).exists():
            content_type.objects.filter(app_label="reports", model=model).update(app_label="filing")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("reports", "0006_remove_publication_measures"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # The tables exist already (built by the reports app's history under these names):
        # only Django's picture of the models changes, the database is not touched.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AnnualReport",
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
                        (
                            "edition",
                            models.CharField(
                                choices=[("2019", "2019年版"), ("2021", "2021年版")],
                                default="2021",
                                max_length=4,
                                verbose_name="表格版本",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "草稿"),
                                    ("submitted", "已提交"),
                                    ("returned", "已退回"),
                                    ("approved", "已审核"),
                                    ("published", "已发布"),
                                ],
                                db_index=True,
                                default="draft",
                                max_length=16,
                                verbose_name="状态",
                            ),
                        ),
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
                        (
                            "published_on",
                            models.DateField(blank=True, null=True, verbose_name="发布日期"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="创建时间"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="更新时间"),
                        ),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="版本号")),
                    ],
                    options={
                        "verbose_name": "年度报告",
                        "verbose_name_plural": "年度报告",
                        "db_table": "reports_annualreport",
                        "ordering": ["-year", "organ__name"],
                    },
                ),
                migrations.CreateModel(
                    name="Attachment",
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
                            "file",
                            models.FileField(
                                max_length=255,
                                upload_to=filing.models.attachment.attachment_upload_to,
                                verbose_name="文件",
                            ),
                        ),
                        (
                            "original_name",
                            models.CharField(max_length=255, verbose_name="原文件名"),
                        ),
                        (
                            "sha256",
                            models.CharField(db_index=True, max_length=64, verbose_name="SHA-256"),
                        ),
                        ("size", models.PositiveBigIntegerField(verbose_name="大小（字节）")),
                        (
                            "content_type",
                            models.CharField(
                                choices=[
                                    ("text", "纯文本"),
                                    ("markdown", "Markdown"),
                                    ("docx", "Word (DOCX)"),
                                    ("pdf", "PDF"),
                                    ("html", "HTML"),
                                    ("unknown", "未知"),
                                ],
                                default="unknown",
                                max_length=16,
                                verbose_name="文件类型",
                            ),
                        ),
                        (
                            "uploaded_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="上传时间"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "附件",
                        "verbose_name_plural": "附件",
                        "db_table": "reports_attachment",
                        "ordering": ["-uploaded_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="AuditEvent",
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
                            "at",
                            models.DateTimeField(
                                auto_now_add=True, db_index=True, verbose_name="时间"
                            ),
                        ),
                        ("action", models.CharField(max_length=64, verbose_name="操作")),
                        (
                            "from_status",
                            models.CharField(blank=True, max_length=16, verbose_name="原状态"),
                        ),
                        (
                            "to_status",
                            models.CharField(blank=True, max_length=16, verbose_name="新状态"),
                        ),
                        ("comment", models.TextField(blank=True, verbose_name="意见")),
                        (
                            "data",
                            models.JSONField(blank=True, default=dict, verbose_name="附加数据"),
                        ),
                    ],
                    options={
                        "verbose_name": "操作记录",
                        "verbose_name_plural": "操作记录",
                        "db_table": "reports_auditevent",
                        "ordering": ["-at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="Figure",
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
                            "table",
                            models.CharField(
                                choices=[
                                    ("section2", "二、主动公开政府信息情况"),
                                    ("section3", "三、收到和处理政府信息公开申请情况"),
                                    ("section4", "四、行政复议、行政诉讼情况"),
                                ],
                                max_length=16,
                                verbose_name="表",
                            ),
                        ),
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
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("manual", "手工填写"),
                                    ("parsed", "文件识别"),
                                    ("imported", "批量导入"),
                                ],
                                default="manual",
                                max_length=16,
                                verbose_name="来源",
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="更新时间"),
                        ),
                    ],
                    options={
                        "verbose_name": "表格数值",
                        "verbose_name_plural": "表格数值",
                        "db_table": "reports_figure",
                        "ordering": ["report", "table", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Finding",
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
                        ("code", models.CharField(max_length=64, verbose_name="代码")),
                        (
                            "severity",
                            models.CharField(
                                choices=[("error", "错误"), ("warning", "警告"), ("info", "提示")],
                                default="error",
                                max_length=16,
                                verbose_name="级别",
                            ),
                        ),
                        ("message", models.TextField(verbose_name="说明")),
                        (
                            "cells",
                            models.JSONField(blank=True, default=list, verbose_name="涉及单元格"),
                        ),
                        ("explanation", models.TextField(blank=True, verbose_name="情况说明")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="创建时间"),
                        ),
                    ],
                    options={
                        "verbose_name": "校验结果",
                        "verbose_name_plural": "校验结果",
                        "db_table": "reports_finding",
                        "ordering": ["report", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="ParsedValue",
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
                        ("raw", models.CharField(blank=True, max_length=255, verbose_name="原文")),
                        (
                            "location",
                            models.CharField(blank=True, max_length=64, verbose_name="位置"),
                        ),
                        ("confidence", models.FloatField(default=1.0, verbose_name="置信度")),
                    ],
                    options={
                        "verbose_name": "识别数值",
                        "verbose_name_plural": "识别数值",
                        "db_table": "reports_parsedvalue",
                        "ordering": ["run", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="ParseRun",
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
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "排队中"),
                                    ("running", "识别中"),
                                    ("done", "已完成"),
                                    ("failed", "失败"),
                                ],
                                default="queued",
                                max_length=16,
                                verbose_name="状态",
                            ),
                        ),
                        (
                            "task_id",
                            models.CharField(blank=True, max_length=255, verbose_name="任务编号"),
                        ),
                        (
                            "queued_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="排队时间"
                            ),
                        ),
                        (
                            "started_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="开始时间"),
                        ),
                        (
                            "finished_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="结束时间"),
                        ),
                        ("message", models.TextField(blank=True, verbose_name="说明")),
                        (
                            "warnings",
                            models.JSONField(blank=True, default=list, verbose_name="警告"),
                        ),
                        ("extracted_text", models.TextField(blank=True, verbose_name="提取的文本")),
                        (
                            "result",
                            models.JSONField(blank=True, null=True, verbose_name="识别结果"),
                        ),
                    ],
                    options={
                        "verbose_name": "识别记录",
                        "verbose_name_plural": "识别记录",
                        "db_table": "reports_parserun",
                        "ordering": ["-queued_at", "-id"],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, migrations.RunPython.noop),
    ]
