"""The move of the models from the single "reports" app to the feature apps loses nothing.

The test database is taken back to the schema of before the move (reports 0006, the new apps
unapplied), filled with one row of every model through that historical state, then migrated
forward. Every row must be found, unchanged, through the models' new apps, in the same tables,
and the content types (permissions, admin log entries) must follow the models.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core import formats
from core.figureset import empty_figures

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [
    ("reports", "0006_remove_publication_measures"),
    ("contenttypes", "0002_remove_content_type_name"),
    ("auth", "0012_alter_user_first_name_max_length"),
    # (app, None): none of the feature apps' migrations applied.
    *((app, None) for app in ("organs", "filing", "review", "public")),
]
NEW_HOME = {
    "organ": "organs",
    "membership": "organs",
    "annualreport": "filing",
    "figure": "filing",
    "attachment": "filing",
    "parserun": "filing",
    "parsedvalue": "filing",
    "finding": "filing",
    "auditevent": "filing",
    "reviewcomment": "review",
    "deadline": "review",
    "publication": "public",
    "publishedfigure": "public",
}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _fill_before_the_move(apps) -> dict[str, int]:
    """One row of every model, written through the pre-move state; their primary keys."""
    model = lambda name: apps.get_model("reports", name)  # noqa: E731
    user = apps.get_model("auth", "User").objects.create(username="clerk-before")
    city = model("Organ").objects.create(name="示例市人民政府", slug="city", kind="city")
    town = model("Organ").objects.create(name="示例镇人民政府", slug="town", parent=city)
    report = model("AnnualReport").objects.create(
        organ=town, year=2023, edition=formats.EDITION_2021, overview="全年共收到申请13件。"
    )
    attachment = model("Attachment").objects.create(
        report=report,
        organ=town,
        file="attachments/2023/town/report.txt",
        original_name="报告.txt",
        sha256="ab" * 32,
        size=1234,
        uploaded_by=user,
    )
    run = model("ParseRun").objects.create(attachment=attachment, status="done")
    figures = empty_figures(formats.EDITION_2021)
    figures[formats.SECTION3]["一"] = [10, 2, 0, 1, 0, 0, 13]
    publication = model("Publication").objects.create(
        report=report,
        organ=town,
        year=2023,
        edition=formats.EDITION_2021,
        published_on=date(2024, 1, 9),
        figures=figures,
        received=13,
        attachment=attachment,
    )
    report.current_publication = publication
    report.save()
    rows = {
        "organ": town.pk,
        "membership": model("Membership").objects.create(user=user, organ=town, role="clerk").pk,
        "annualreport": report.pk,
        "figure": model("Figure")
        .objects.create(report=report, table="section3", row="一", column="总计", value=13)
        .pk,
        "attachment": attachment.pk,
        "parserun": run.pk,
        "parsedvalue": model("ParsedValue")
        .objects.create(run=run, table="section3", row="一", column="总计", value=13, raw="13")
        .pk,
        "finding": model("Finding")
        .objects.create(report=report, code="s3_row_total", message="合计不符")
        .pk,
        "auditevent": model("AuditEvent")
        .objects.create(report=report, actor=user, action="report.created")
        .pk,
        "reviewcomment": model("ReviewComment")
        .objects.create(report=report, author=user, body="请核对表三。")
        .pk,
        "deadline": model("Deadline")
        .objects.create(organ=city, year=2023, due_on=date(2024, 2, 15))
        .pk,
        "publication": publication.pk,
        "publishedfigure": model("PublishedFigure")
        .objects.create(
            publication=publication,
            organ=town,
            year=2023,
            edition=formats.EDITION_2021,
            table="section3",
            row="一",
            column="总计",
            value=13,
        )
        .pk,
    }
    return rows


def _content_types_as_before_the_move(apps) -> int:
    """Content types labelled "reports", as a database from before the move has them."""
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label__in=set(NEW_HOME.values())).delete()
    for name in NEW_HOME:
        content_type.objects.get_or_create(app_label="reports", model=name)
    return content_type.objects.get(app_label="reports", model="annualreport").pk


def test_every_row_of_every_model_survives_the_move_to_the_feature_apps():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    apps = _migrate(BEFORE_THE_MOVE)
    try:
        applied = MigrationExecutor(connection).loader.applied_migrations
        assert not any(app in ("organs", "filing", "review", "public") for app, _ in applied)
        rows = _fill_before_the_move(apps)
        report_type = _content_types_as_before_the_move(apps)

        apps = _migrate(latest)

        for name, pk in rows.items():
            model = apps.get_model(NEW_HOME[name], name)
            assert model._meta.db_table == f"reports_{name}"
            assert model.objects.filter(pk=pk).exists(), f"{name} {pk} was lost"
            assert model.objects.count() == (2 if name == "organ" else 1), name
        report = apps.get_model("filing", "AnnualReport").objects.get(pk=rows["annualreport"])
        assert report.overview == "全年共收到申请13件。"
        assert report.organ.parent.slug == "city"
        assert report.current_publication_id == rows["publication"]
        publication = apps.get_model("public", "Publication").objects.get()
        assert publication.received == 13 and publication.attachment_id == rows["attachment"]
        figure = apps.get_model("filing", "Figure").objects.get()
        assert figure.value == Decimal("13")
        content_type = apps.get_model("contenttypes", "ContentType")
        moved = content_type.objects.get(pk=report_type)
        assert (moved.app_label, moved.model) == ("filing", "annualreport")
        assert not content_type.objects.filter(app_label="reports").exists()
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
