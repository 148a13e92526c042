"""Organ.path, the materialised path of ids ("1/5/27/"), filled for the organs there are;
an index in the dashboard's order (name, id)."""

from django.db import migrations, models

# The whole tree, top down, in one statement (organs.models.paths_rebuild, as of this migration).
FILL = (
    "WITH RECURSIVE down(id, path) AS ("
    " SELECT id, CAST(id AS TEXT) || '/' FROM reports_organ WHERE parent_id IS NULL"
    " UNION ALL SELECT o.id, down.path || CAST(o.id AS TEXT) || '/'"
    " FROM reports_organ o INNER JOIN down ON o.parent_id = down.id)"
    " UPDATE reports_organ SET path = down.path FROM down WHERE reports_organ.id = down.id"
)


class Migration(migrations.Migration):
    dependencies = [
        ("organs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="organ",
            name="path",
            field=models.CharField(
                blank=True,
                db_index=True,
                default="",
                editable=False,
                max_length=255,
                verbose_name="层级路径",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="organ",
            index=models.Index(fields=["name", "id"], name="organ_name_idx"),
        ),
    ]
