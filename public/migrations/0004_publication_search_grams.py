"""Search terms of one or two characters served by an index on PostgreSQL.

The trigram index (reports 0003) serves terms of three or more characters; a shorter term
has no trigram, so PostgreSQL read every publication's search text (170 ms at 20,000 reports
for a two-character organ name such as 紫帽). This GIN index holds each current
publication's distinct characters and character pairs, and public.filters adds
``public_search_grams(UPPER(search_text)) @> ARRAY[term]`` beside the LIKE for such terms.
SQLite has neither and needs nothing: the migration does nothing there.
"""

from django.db import migrations

INDEX = "publication_search_grams"
FUNCTION = "public_search_grams"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # IMMUTABLE: the same text always gives the same grams, so it may be indexed.
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}(text) RETURNS text[] "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ "
        "SELECT coalesce(array_agg(DISTINCT g), '{}') FROM ("
        " SELECT substr($1, i, 1) AS g FROM generate_series(1, length($1)) AS i"
        " UNION ALL"
        " SELECT substr($1, i, 2) FROM generate_series(1, length($1) - 1) AS i"
        ") grams $$"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON reports_publication "
        f"USING gin ({FUNCTION}(UPPER(search_text))) WHERE is_current"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0003_pubfigure_rollup_idx"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
