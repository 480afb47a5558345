"""On PostgreSQL, a GIN index on the 'simple' tsvector of the pre-stemmed terms.

The expression is the one ``search.query`` filters on, so the planner uses it.
Other databases match terms without it (see ``search.query``).
"""

from django.db import migrations

INDEX_NAME = "search_entry_terms_gin"


def vector_sql():
    return (
        "to_tsvector('simple'::regconfig, "
        "COALESCE(title_terms, '') || ' ' || COALESCE(body_terms, ''))"
    )


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON search_searchentry USING gin ({vector_sql()})"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
