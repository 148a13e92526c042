# The JSON measures gave way to the columns 0005 filled. A migration of its own: PostgreSQL
# refuses to ALTER a table in the transaction that just updated its rows.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_publication_measure_columns"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="publication",
            name="measures",
        ),
    ]
