"""Trigram search over published prose on PostgreSQL (pg_trgm works for Chinese text).

The index is on UPPER(search_text) because Django's icontains compiles to
UPPER(search_text) LIKE UPPER('%term%'); a plain index on the column would not be used.
SQLite has neither and needs nothing: the migration does nothing there.
"""

from django.db import migrations

INDEX = "publication_search_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON reports_publication "
        "USING gin (UPPER(search_text) gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other objects may use it by now.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_publications_reviews"),
    ]

    operations = [
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
