"""The search engine on PostgreSQL: one SQL statement per search, on columns of the documents.

modelsearch's database backend answers a search with three queries over every match (count,
ranked page, facet counts through the search terms), joined to its own index table: slow when a
common word matches a quarter of a big lab's documents (docs/search.md). On PostgreSQL, migration
search/0003 gives `search_searchdocument` what one statement needs instead: the weighted French
`search_vector` and the `autocomplete_vector` (generated columns, always current), and the
`audiences` and `facet_terms` arrays that search.services copies from the terms. The statement
takes the matches the reader may see once (a MATERIALIZED common table expression), then counts
them, ranks one page and counts the facet values from that same set.

A word in a quarter of the documents still costs PostgreSQL a pass over all of them, so that set
is capped: at most MATCH_LIMIT matches are ranked and counted. Beyond that the response says
`capped` and the page shows "more than 1,000 results" (the total counts MATCH_LIMIT), and the
facet counts are those of the matches taken. Below it, results, totals and facet counts are the
same as modelsearch's (tests/search/test_postgres_engine.py checks it for every reader).

Same interface and result structure as search.engine.DatabaseSearchEngine; SQLite stays there.
"""

import re

from anyascii import anyascii
from django.db import connection

from .engine import (
    AUTOCOMPLETE_LIMIT,
    FACETS,
    FIELD_WEIGHTS,
    RANKED_WORDS,
    DatabaseSearchEngine,
    SearchRequest,
    SearchResponse,
    group_facets,
)
from .models import SearchDocument, SearchTerm

CONFIG = "carnet_french"
AUTOCOMPLETE_CONFIG = "simple"
# The most matches one search ranks and counts (docs/search.md, "How fast").
MATCH_LIMIT = 1000


def quoted_words(query: str) -> list[str]:
    """Each word as `to_tsquery` text ("'découpe'"), quoted as modelsearch quotes them; a
    typographic apostrophe made plain, as in `search_vector` (search/migrations/0005)."""
    words = [word for word in re.split(r"[\s\-]+", query.replace("’", "'")) if word]
    return ["'" + word.replace("'", "''").replace("\\", "\\\\") + "'" for word in words]


def tsquery_text(query: str, *, prefix: bool = False) -> str:
    """The words as `to_tsquery` text, all required ("'découpe' & 'laser'"); the last one a
    prefix (`:*`) for autocomplete."""
    quoted = quoted_words(query)
    if quoted and prefix:
        quoted[-1] += ":*"
    return " & ".join(quoted)


def _conditions(audiences: set[str] | None, filters: dict[str, list[str]]) -> tuple[str, list]:
    """The permission filter (none for staff), then one condition per selected facet: any of
    its values. Names that are not facets match nothing."""
    sql, params = [], []
    if audiences is not None:
        sql.append("d.audiences && %s::text[]")
        params.append(sorted(audiences))
    for name, values in filters.items():
        sql.append("d.facet_terms && %s::text[]")
        params.append([f"{name}:{value}" for value in values] if name in FACETS else [])
    return "".join(f" AND {condition}" for condition in sql), params


def search_sql(
    request: SearchRequest, audiences: set[str] | None, *, limit: int | None = MATCH_LIMIT
) -> tuple[str, list]:
    """One statement: rows ("total", None, count, None), ("hit", id, position, None) for the page,
    ("facet", "name:value", count, label) for every facet value of the matches. Takes at most
    `limit` + 1 matches: a total above `limit` means "more than `limit`", and the page and the
    facet counts then come from the first `limit` of them. No limit (None): every match.
    A facet value's label is read from one of its terms: search.services gives every document
    with that value the same label (renaming a tribe re-indexes its projects).

    The page is ranked by search.engine.FIELD_WEIGHTS' rule, as on SQLite: the fields a word is
    found in are read from `search_vector`'s weights (title A, summary B, body C)."""
    conditions, params = _conditions(audiences, request.filters)
    offset = (request.page - 1) * request.per_page
    table, terms = SearchDocument._meta.db_table, SearchTerm._meta.db_table
    sql = f"""
        WITH query AS (SELECT to_tsquery('{CONFIG}', %s) AS q),
        matches AS MATERIALIZED (
            SELECT d.id, d.search_vector, d.facet_terms, d.completeness FROM {table} AS d, query
            WHERE d.search_vector @@ query.q{conditions}
            LIMIT %s
        ),
        taken AS (SELECT * FROM matches LIMIT %s),
        words AS (
            SELECT q FROM unnest(%s::text[]) AS w, to_tsquery('{CONFIG}', w) AS q
            WHERE numnode(q) > 0
        ),
        scored AS (
            SELECT m.id, m.completeness, (
                SELECT coalesce(sum({FIELD_WEIGHTS["title"]} * (f.title @@ words.q)::int
                    + {FIELD_WEIGHTS["summary"]} * (f.summary @@ words.q)::int
                    + {FIELD_WEIGHTS["body"]} * (f.body @@ words.q)::int), 0) FROM words
            ) AS score
            FROM taken AS m, LATERAL (
                SELECT ts_filter(m.search_vector, '{{a}}') AS title,
                       ts_filter(m.search_vector, '{{b}}') AS summary,
                       ts_filter(m.search_vector, '{{c}}') AS body
            ) AS f
        ),
        page AS (
            SELECT id, row_number() OVER (ORDER BY score DESC, completeness DESC, id DESC) AS n
            FROM scored ORDER BY n LIMIT %s OFFSET %s
        ),
        facets AS (
            SELECT term, split_part(term, ':', 1) AS name,
                   substr(term, strpos(term, ':') + 1) AS value, count(*) AS n
            FROM taken AS m, unnest(m.facet_terms) AS term GROUP BY term
        )
        SELECT 'total', NULL, count(*)::float8, NULL FROM matches
        UNION ALL SELECT 'hit', id::text, n, NULL FROM page
        UNION ALL SELECT 'facet', term, n, (
            SELECT t.label FROM {terms} AS t WHERE t.name = f.name AND t.value = f.value LIMIT 1
        ) FROM facets AS f
    """  # noqa: S608 - table names and constants; every value is a parameter
    taken = None if limit is None else limit + 1  # LIMIT NULL: no limit
    words = quoted_words(request.query)[:RANKED_WORDS]
    params = [tsquery_text(request.query), *params, taken, limit, words, request.per_page, offset]
    return sql, params


class PostgresSearchEngine(DatabaseSearchEngine):
    """PostgreSQL full text on the columns of migration search/0003, in one statement.
    `exact=True` counts and ranks every match, however many (bench/search.py measures both)."""

    @classmethod
    def serves(cls, *, backend: str, vendor: str) -> bool:
        return super().serves(backend=backend, vendor=vendor) and vendor == "postgresql"

    def __init__(self, *, exact: bool = False):
        self.match_limit = None if exact else MATCH_LIMIT

    def search(self, request: SearchRequest, *, audiences: set[str] | None) -> SearchResponse:
        empty = SearchResponse(
            hits=[], total=0, page=request.page, per_page=request.per_page, facets={}
        )
        if not tsquery_text(request.query):
            return empty
        sql, params = search_sql(request, audiences, limit=self.match_limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        total, ranked, facet_rows = 0, [], []
        for kind, key, number, label in rows:
            if kind == "total":
                total = int(number)
            elif kind == "hit":
                ranked.append((number, int(key)))
            else:
                name, _, value = key.partition(":")
                facet_rows.append({"name": name, "value": value, "label": label or "",
                                   "count": int(number)})  # fmt: skip
        if not total:
            return empty
        capped = self.match_limit is not None and total > self.match_limit
        ranked.sort()  # by position in the statement's order
        documents = SearchDocument.objects.in_bulk([pk for _rank, pk in ranked])
        return SearchResponse(
            hits=[
                self._hit(documents[pk], request.query)
                for _rank, pk in ranked
                if pk in documents  # deleted since the statement: skipped
            ],
            total=self.match_limit if capped else total,
            page=request.page,
            per_page=request.per_page,
            facets=group_facets(facet_rows, request.filters),
            capped=capped,
        )

    def autocomplete(self, query: str, *, audiences: set[str] | None) -> list[SearchDocument]:
        text = tsquery_text(anyascii(query), prefix=True)
        if not text:
            return []
        conditions, params = _conditions(audiences, {})
        table = SearchDocument._meta.db_table
        sql = f"""
            SELECT d.id FROM {table} AS d, to_tsquery('{AUTOCOMPLETE_CONFIG}', %s) AS q
            WHERE d.autocomplete_vector @@ q{conditions}
            ORDER BY ts_rank(d.autocomplete_vector, q) DESC, d.id DESC LIMIT %s
        """  # noqa: S608 - table names and constants; every value is a parameter
        with connection.cursor() as cursor:
            cursor.execute(sql, [text, *params, AUTOCOMPLETE_LIMIT])
            ids = [row[0] for row in cursor.fetchall()]
        documents = SearchDocument.objects.in_bulk(ids)
        return [documents[pk] for pk in ids if pk in documents]
