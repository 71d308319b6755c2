"""Trigram indexes for researcher search by name and name variants (works.selectors).

The expressions match what search_researchers filters on with `%>`, so the planner finds the
candidates in the index. PostgreSQL only: SQLite searches with containment.
"""

from django.db import migrations

INDEXES = {
    "works_author_name_trgm": "display_name gin_trgm_ops",
    "works_author_variants_trgm": "((name_variants)::text) gin_trgm_ops",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON works_author USING gin ({expression})"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("works", "0002_work_title_search_index")]
    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
