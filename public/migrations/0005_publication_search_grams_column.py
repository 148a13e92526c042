"""Short search terms through a stored column of characters and pairs (PostgreSQL).

0004 indexed ``public_search_grams(UPPER(search_text))``. The planner then either walked the
year index computing that function on each row (about 1 ms a row: 600 ms for a word found in
every report, such as 诉讼) or read every match through the index; it had no statistics on
the expression of a partial index to choose between them. A stored generated column holds
the grams once per publication (PostgreSQL computes it on insert and update: no code writes
it), ANALYZE keeps its most common elements, and the test ``search_grams @> ARRAY[term]`` is
cheap on any row. Also an index for the list sorted by applications received. SQLite has
none of this and needs nothing.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS publication_search_grams")
    schema_editor.execute(
        "ALTER TABLE reports_publication ADD COLUMN IF NOT EXISTS search_grams text[] "
        "GENERATED ALWAYS AS (public_search_grams(UPPER(search_text))) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS publication_search_grams_col ON reports_publication "
        "USING gin (search_grams)"
    )
    # The list sorted by applications received: walked in that order (page 19 of a common
    # word sorted every match before: 390 ms at 20,000 reports).
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS publication_current_received_idx ON reports_publication "
        "(received DESC NULLS LAST, year DESC) WHERE is_current"
    )
    schema_editor.execute("ANALYZE reports_publication")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS publication_current_received_idx")
    schema_editor.execute("DROP INDEX IF EXISTS publication_search_grams_col")
    schema_editor.execute("ALTER TABLE reports_publication DROP COLUMN IF EXISTS search_grams")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS publication_search_grams ON reports_publication "
        "USING gin (public_search_grams(UPPER(search_text))) WHERE is_current"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0004_publication_search_grams"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
