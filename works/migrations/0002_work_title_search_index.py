"""A GIN index for full-text search on work titles (works.selectors.search_works).

The expression matches what SearchVector("title", config="english") compiles to, so the planner
uses it. PostgreSQL only: SQLite searches with containment and needs no index.
"""

from django.db import migrations

INDEX = "works_work_title_fts"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON works_work "
            "USING gin (to_tsvector('english'::regconfig, COALESCE(title, '')))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("works", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
