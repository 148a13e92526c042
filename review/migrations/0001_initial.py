"""Review comments and deadlines, moved from the reports app with their tables."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ["reviewcomment", "deadline"]


def content_types_follow(apps, schema_editor):
    """Point the moved models' content types at this app, so permissions and admin logs follow."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label="review", model=model).exists():
            content_type.objects.filter(app_label="reports", model=model).update(app_label="review")


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
                    name="ReviewComment",
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
                        ("body", models.TextField(verbose_name="意见")),
                        ("table", models.CharField(blank=True, max_length=16, verbose_name="表")),
                        ("row", models.CharField(blank=True, max_length=64, verbose_name="行")),
                        ("column", models.CharField(blank=True, max_length=64, verbose_name="列")),
                        (
                            "status",
                            models.CharField(blank=True, max_length=16, verbose_name="当时状态"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="时间"),
                        ),
                        (
                            "author",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="作者",
                            ),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="comments",
                                to="filing.annualreport",
                                verbose_name="报告",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "审核意见",
                        "verbose_name_plural": "审核意见",
                        "db_table": "reports_reviewcomment",
                        "ordering": ["report", "created_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Deadline",
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
                        ("year", models.PositiveSmallIntegerField(verbose_name="报告年度")),
                        ("due_on", models.DateField(verbose_name="截止日期")),
                        (
                            "organ",
                            models.ForeignKey(
                                help_text="适用于该机关及其下属全部机关。",
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="deadlines",
                                to="organs.organ",
                                verbose_name="地区",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "截止日期",
                        "verbose_name_plural": "截止日期",
                        "db_table": "reports_deadline",
                        "ordering": ["-year", "organ__name"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("organ", "year"), name="deadline_one_per_region_year"
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, migrations.RunPython.noop),
    ]
