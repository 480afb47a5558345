"""On SQLite, an FTS5 index of the pre-stemmed terms, kept in step by triggers.

An external-content FTS5 table (it stores only the index, the text stays in
``search_searchentry``); triggers follow every insert, update and delete,
including Django's bulk and cascade deletes. Where SQLite lacks FTS5 nothing is
created and ``search.query`` falls back to whole-term LIKE matching.
"""

from django.db import DatabaseError, migrations

FTS_TABLE = "search_entry_fts"

CREATE = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        title_terms, body_terms, content='search_searchentry', content_rowid='id',
        tokenize="unicode61 remove_diacritics 0")""",
    f"""CREATE TRIGGER IF NOT EXISTS search_entry_fts_insert AFTER INSERT ON search_searchentry
    BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title_terms, body_terms)
        VALUES (new.id, new.title_terms, new.body_terms);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS search_entry_fts_delete AFTER DELETE ON search_searchentry
    BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS search_entry_fts_update AFTER UPDATE ON search_searchentry
    BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms);
        INSERT INTO {FTS_TABLE}(rowid, title_terms, body_terms)
        VALUES (new.id, new.title_terms, new.body_terms);
    END""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
DROP = [
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def create_fts(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        try:
            cursor.execute("CREATE VIRTUAL TABLE temp.search_fts_probe USING fts5(x)")
            cursor.execute("DROP TABLE temp.search_fts_probe")
        except DatabaseError:
            return  # no FTS5 in this SQLite: search.query uses LIKE matching
    for statement in CREATE:
        schema_editor.execute(statement)


def drop_fts(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_language_not_indexed")]

    operations = [migrations.RunPython(create_fts, drop_fts)]
