"""Organs and memberships, moved from the reports app with their tables."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ["organ", "membership"]


def content_types_follow(apps, schema_editor):
    """Point the moved models' content types at this app, so permissions and admin logs follow."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label="organs", model=model).exists():
            content_type.objects.filter(app_label="reports", model=model).update(app_label="organs")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("reports", "0006_remove_publication_measures"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist already (built by the reports app's history under these names):
        # only Django's picture of the models changes, the database is not touched.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Organ",
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
                        ("name", models.CharField(max_length=100, verbose_name="名称")),
                        (
                            "short_name",
                            models.CharField(blank=True, max_length=50, verbose_name="简称"),
                        ),
                        ("slug", models.SlugField(max_length=60, unique=True, verbose_name="标识")),
                        (
                            "code",
                            models.CharField(
                                blank=True, max_length=20, verbose_name="行政区划代码"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("city", "市"),
                                    ("county", "县"),
                                    ("district", "区"),
                                    ("town", "镇"),
                                    ("street", "街道"),
                                    ("department", "部门"),
                                    ("other", "其他"),
                                ],
                                default="town",
                                max_length=16,
                                verbose_name="类型",
                            ),
                        ),
                        ("is_active", models.BooleanField(default=True, verbose_name="启用")),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="children",
                                to="organs.organ",
                                verbose_name="上级",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "机关",
                        "verbose_name_plural": "机关",
                        "db_table": "reports_organ",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="Membership",
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
                            "role",
                            models.CharField(
                                choices=[
                                    ("clerk", "填报员"),
                                    ("supervisor", "审核员"),
                                    ("admin", "管理员"),
                                ],
                                max_length=16,
                                verbose_name="角色",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="用户",
                            ),
                        ),
                        (
                            "organ",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to="organs.organ",
                                verbose_name="机关",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "角色",
                        "verbose_name_plural": "角色",
                        "db_table": "reports_membership",
                        "ordering": ["user_id", "role"],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("role", "clerk")),
                                fields=("user",),
                                name="membership_one_organ_per_clerk",
                            ),
                            models.UniqueConstraint(
                                fields=("user", "role", "organ"),
                                name="membership_unique_role_organ",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("role", "admin"), ("organ__isnull", False), _connector="OR"
                                ),
                                name="membership_organ_required_unless_admin",
                            ),
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, migrations.RunPython.noop),
    ]
