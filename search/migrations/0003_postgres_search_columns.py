"""PostgreSQL only: what lets one SQL statement answer a search (search.postgres).

Three columns of `search_searchdocument`, unknown to the Django model (they exist on PostgreSQL
only, and the ORM never reads them):

- `search_vector`, generated from the title (weight A) and the body (weight B) with the
  `carnet_french` configuration of migration 0002: PostgreSQL keeps it current on every write;
- `autocomplete_vector`, generated from the title and its accent-folded copy with the `simple`
  configuration, for suggestions;
- `audiences` and `facet_terms`, copies of the document's search terms as text arrays
  (`{public,user:12}`, `{type:project,tag:laser}`), written by search.services after the terms;

with GIN indexes on the two vectors and on `facet_terms`. Existing rows get their arrays from
their terms here. On SQLite this migration does nothing: search stays on modelsearch.
"""

from django.db import migrations

DOCUMENTS = "search_searchdocument"
TERMS = "search_searchterm"
# search.engine.FACETS when this migration was written; search.services writes them since.
FACETS = ("type", "entry_kind", "tag", "tribe", "machine", "status", "licence")

CREATE = [
    f"""
    ALTER TABLE {DOCUMENTS}
        ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('carnet_french'::regconfig, title), 'A')
            || setweight(to_tsvector('carnet_french'::regconfig, body), 'B')
        ) STORED,
        ADD COLUMN autocomplete_vector tsvector GENERATED ALWAYS AS (
            to_tsvector('simple'::regconfig, title)
            || to_tsvector('simple'::regconfig, title_folded)
        ) STORED,
        ADD COLUMN audiences text[] NOT NULL DEFAULT '{{}}',
        ADD COLUMN facet_terms text[] NOT NULL DEFAULT '{{}}'
    """,
    f"""
    UPDATE {DOCUMENTS} AS d SET
        audiences = ARRAY(
            SELECT t.value FROM {TERMS} AS t
            WHERE t.document_id = d.id AND t.name = 'audience' ORDER BY t.value
        ),
        facet_terms = ARRAY(
            SELECT t.name || ':' || t.value FROM {TERMS} AS t
            WHERE t.document_id = d.id AND t.name = ANY(%s) ORDER BY t.name, t.value
        )
    """,  # noqa: S608 - constants of this module
    f"CREATE INDEX search_document_vector_gin ON {DOCUMENTS} USING gin (search_vector)",
    f"CREATE INDEX search_document_autocomplete_gin ON {DOCUMENTS}"
    " USING gin (autocomplete_vector)",
    f"CREATE INDEX search_document_facet_terms_gin ON {DOCUMENTS} USING gin (facet_terms)",
]
DROP = [
    f"""
    ALTER TABLE {DOCUMENTS}
        DROP COLUMN IF EXISTS search_vector,
        DROP COLUMN IF EXISTS autocomplete_vector,
        DROP COLUMN IF EXISTS audiences,
        DROP COLUMN IF EXISTS facet_terms
    """,
]


def create_columns(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement, [list(FACETS)] if "%s" in statement else None)


def drop_columns(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:  # the indexes go with their columns
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_french_search_configuration")]

    operations = [migrations.RunPython(create_columns, drop_columns, elidable=False)]
