"""French and English stems on SQLite, the summary and completeness of a document for ranking, and
facet labels that do not depend on the language of whoever indexed (docs/search.md).

- Both databases: `summary` and `completeness` columns (filled by `manage.py reindex`, and by each
  document's next indexing); the labels of choice facets (type, status, licence, entry kind)
  emptied: they were stored translated into the language of the request that indexed, and are now
  translated when shown.
- SQLite: the FTS5 table of search.sqlite, its delete trigger, and a row for every existing
  document, its words as stems: search works at once after migrating.
- PostgreSQL: `search_vector` weighs the summary too (title A, summary B, body C) and reads a
  typographic apostrophe as an apostrophe: the generated column and its GIN index are made again
  (a rewrite of the table, as in migration 0003).
"""

from django.db import migrations, models

DOCUMENTS = "search_searchdocument"
FTS_TABLE = "search_document_fts"
# The facets whose values are choices of the models (search.engine._choice_labels).
CHOICE_FACETS = ["type", "status", "licence", "entry_kind"]

SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, summary, body, autocomplete,"
    " tokenize = 'unicode61 remove_diacritics 2')",
    f"""CREATE TRIGGER search_document_fts_delete AFTER DELETE ON {DOCUMENTS}
    BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_document_fts_delete",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def _vector(summary: bool) -> list[str]:
    if summary:
        # PostgreSQL's parser reads "l’atelier" (typographic apostrophe) as one word: made
        # "l'atelier", whose elision the French configuration drops (search.postgres does the
        # same to the words searched).
        fields = [
            f"setweight(to_tsvector('carnet_french'::regconfig, replace({name}, '’', '''')),"
            f" '{weight}')"
            for name, weight in (("title", "A"), ("summary", "B"), ("body", "C"))
        ]
    else:  # as migration 0003 made it
        fields = [
            "setweight(to_tsvector('carnet_french'::regconfig, title), 'A')",
            "setweight(to_tsvector('carnet_french'::regconfig, body), 'B')",
        ]
    return [
        f"ALTER TABLE {DOCUMENTS} DROP COLUMN search_vector",  # its index goes with it
        f"ALTER TABLE {DOCUMENTS} ADD COLUMN search_vector tsvector"
        f" GENERATED ALWAYS AS ({' || '.join(fields)}) STORED",
        f"CREATE INDEX search_document_vector_gin ON {DOCUMENTS} USING gin (search_vector)",
    ]


def forwards(apps, schema_editor):
    apps.get_model("search", "SearchTerm").objects.filter(name__in=CHOICE_FACETS).update(label="")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in _vector(summary=True):
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        from search.sqlite import fts_row  # the stemming of today's code, as indexing uses it

        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)
        documents = apps.get_model("search", "SearchDocument").objects.values_list(
            "pk", "title", "summary", "body"
        )
        with schema_editor.connection.cursor() as cursor:
            for start in range(0, documents.count(), 2000):
                cursor.executemany(
                    f"INSERT INTO {FTS_TABLE} (rowid, title, summary, body, autocomplete)"  # noqa: S608 - a constant
                    " VALUES (%s, %s, %s, %s, %s)",
                    [fts_row(*row) for row in documents.order_by("pk")[start : start + 2000]],
                )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in _vector(summary=False):
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_call_documents")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="completeness",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="summary",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
