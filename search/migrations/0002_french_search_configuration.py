"""PostgreSQL only: French full text that ignores accents, and what keeps it fast at scale.

- `carnet_french`, a copy of PostgreSQL's `french` whose words pass through `unaccent` before
  the French stemmer, so "decoupe" finds "découpe", "eleves" finds "élèves" and "imprimantes"
  finds "imprimante". docs_platform/settings/base.py names it as the search backend's
  SEARCH_CONFIG when the database is PostgreSQL.
- A GIN index on `title || body` of the search index entries: that is the expression
  modelsearch matches queries against, and without this index every search reads the whole
  index table (modelsearch only indexes `title` and `body` apart).
- Statistics on the pairs (name, value) of search terms, so the planner knows that
  "audience" = "public" holds for most documents and plans the permission filter well.
- A partial index on the index entries not yet normalised (`title_norm` = 1.0): after every
  insert modelsearch updates those rows, and without it that update reads the whole table
  (0.2 s per indexed object at 200,000 entries, in the request that saved it).

On SQLite (FTS5) this migration does nothing. `unaccent` is a trusted extension (PostgreSQL
13+): the database owner may create it without being a superuser.
"""

from django.db import migrations

CONFIGURATION = "carnet_french"
INDEX = "search_indexentry_title_body_gin"
NEW_ENTRIES_INDEX = "search_indexentry_new_title_norm"
STATISTICS = "search_searchterm_name_value_stats"


def _statements(apps) -> tuple[list[str], list[str]]:
    index_entries = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    terms = apps.get_model("search", "SearchTerm")._meta.db_table
    create = [
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        f"""
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIGURATION}') THEN
                CREATE TEXT SEARCH CONFIGURATION {CONFIGURATION} (COPY = pg_catalog.french);
            END IF;
        END
        $$
        """,  # noqa: S608 - constants of this module
        # Words with letters outside ASCII ("découpe", "porte-clés") lose their accents, then
        # are stemmed; plain ASCII words are stemmed as in `french`.
        f"""
        ALTER TEXT SEARCH CONFIGURATION {CONFIGURATION}
            ALTER MAPPING FOR word, hword, hword_part WITH unaccent, french_stem
        """,
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {index_entries} USING gin ((title || body))",
        f"CREATE INDEX IF NOT EXISTS {NEW_ENTRIES_INDEX} ON {index_entries} (id)"
        " WHERE title_norm = 1.0",
        f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} (dependencies, mcv) ON name, value"
        f" FROM {terms}",
    ]
    # The extension stays: other objects may use it, and dropping it needs more rights.
    drop = [
        f"DROP STATISTICS IF EXISTS {STATISTICS}",
        f"DROP INDEX IF EXISTS {NEW_ENTRIES_INDEX}",
        f"DROP INDEX IF EXISTS {INDEX}",
        f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIGURATION}",
    ]
    return create, drop


def create_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in _statements(apps)[0]:
            schema_editor.execute(statement)


def drop_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in _statements(apps)[1]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.RunPython(create_configuration, drop_configuration, elidable=False),
    ]
