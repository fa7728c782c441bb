"""The search engine on SQLite: French and English stems in an FTS5 table of the documents.

SQLite's FTS5 folds accents but does not stem, so "ruches" would not find "ruche". Here every word
is written to the table `search_document_fts` (search/migrations/0005) as its stems, and a word
searched is turned into the same stems:

- the document's language is unknown, so each word gets its French stem (the lab's language) and
  its English one; a word searched finds the words sharing either (docs/search.md weighs the
  cost: one or two more tokens per word, and the rare word of the other language that stems
  alike);
- stems are taken of the word as written and of its accent-folded form, then folded: "élèves",
  "eleve" and "élève" meet, as "imprimé" and "imprimer" do;
- French elisions are dropped ("l'imprimante" is "imprimante").

The table's rowid is the document's id. search.services writes a document's row once its terms
are written; a trigger deletes it with the document. Suggestions search the accent-folded title
as written (not stemmed), the last word as a prefix: "imprim" suggests "Imprimante".

Ranking: search.engine.FIELD_WEIGHTS, as on PostgreSQL.
"""

import re
import threading
from functools import lru_cache

import snowballstemmer
from anyascii import anyascii
from django.db.models import Count, Max, QuerySet
from django.db.models.expressions import RawSQL

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

FTS_TABLE = "search_document_fts"

_ELISION = re.compile(r"\b(?:qu|[cdjlmnst])['’]")
# A stemmer keeps its word in itself while it works: one per thread.
_stemmers = threading.local()


def _stem(language: str, word: str) -> str:
    if not hasattr(_stemmers, language):
        setattr(_stemmers, language, snowballstemmer.stemmer(language))
    return getattr(_stemmers, language).stemWord(word)


def _folded_pieces(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", anyascii(text).lower())


@lru_cache(maxsize=50_000)
def word_stems(word: str) -> tuple[str, ...]:
    """The tokens one lower-case word is indexed and searched as: its French and English stems,
    accent-folded, without duplicates."""
    folded = _folded_pieces(word)
    if len(folded) != 1:  # a word that folds into several ("½" → "1/2"): each piece on its own
        return tuple(dict.fromkeys(stem for piece in folded for stem in word_stems(piece)))
    (piece,) = folded
    stems = (
        _folded_pieces(_stem("french", word)) if word != piece else [],
        [_stem("french", piece)],
        [_stem("english", piece)],
    )
    return tuple(dict.fromkeys(stem for group in stems for stem in group))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", _ELISION.sub(" ", (text or "").lower()))


def indexed_text(text: str) -> str:
    """What the FTS table holds for a field: every stem of its words, once."""
    return " ".join(dict.fromkeys(stem for word in _words(text) for stem in word_stems(word)))


def autocomplete_text(title: str) -> str:
    return " ".join(_folded_pieces(title))


def fts_row(document_id: int, title: str, summary: str, body: str) -> tuple:
    """One row of the FTS table: (rowid, title, summary, body, autocomplete)."""
    return (document_id, indexed_text(title), indexed_text(summary), indexed_text(body),
            autocomplete_text(title))  # fmt: skip


def _alternatives(word: str) -> str:
    # Stems are [a-z0-9]+: quoted, nothing in them is FTS5 syntax.
    return "(" + " OR ".join(f'"{stem}"' for stem in word_stems(word)) + ")"


def match_expression(query: str) -> tuple[str, list[str]]:
    """The FTS5 query of every word in the title, summary or body, and one query per word
    (for the ranking). Empty when the query has no word."""
    words = [word for word in dict.fromkeys(_words(query)) if word_stems(word)]
    if not words:
        return "", []
    per_word = [_alternatives(word) for word in words]
    return "{title summary body} : (" + " AND ".join(per_word) + ")", per_word


# Table names only: every value is a parameter.
_MATCHING = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608


def _matching(expression: str) -> RawSQL:
    return RawSQL(_MATCHING, [expression])  # noqa: S611 - the expression is a parameter


def _score(per_word: list[str]) -> RawSQL:
    """Σ over the words, Σ over the fields holding the word: the field's weight."""
    table = SearchDocument._meta.db_table
    terms, params = [], []
    for alternatives in per_word[:RANKED_WORDS]:
        for field_name, weight in FIELD_WEIGHTS.items():
            terms.append(f"{weight} * ({table}.id IN ({_MATCHING}))")
            params.append(f"{{{field_name}}} : {alternatives}")
    return RawSQL(" + ".join(terms), params)  # noqa: S611 - constants; the queries are parameters


class SqliteSearchEngine(DatabaseSearchEngine):
    """The database backend on SQLite: the stemmed FTS5 table of search/migrations/0005."""

    @classmethod
    def serves(cls, *, backend: str, vendor: str) -> bool:
        return super().serves(backend=backend, vendor=vendor) and vendor == "sqlite"

    def search(self, request: SearchRequest, *, audiences: set[str] | None) -> SearchResponse:
        empty = SearchResponse(
            hits=[], total=0, page=request.page, per_page=request.per_page, facets={}
        )
        expression, per_word = match_expression(request.query)
        if not expression:
            return empty
        documents = self._filtered(
            self._visible(SearchDocument.objects.all(), audiences), request.filters
        )
        matched = documents.filter(pk__in=_matching(expression))
        total = matched.count()
        if not total:
            return empty
        start = (request.page - 1) * request.per_page
        ranked = matched.annotate(score=_score(per_word)).order_by("-score", "-completeness", "-pk")
        page = list(ranked[start : start + request.per_page]) if start < total else []
        return SearchResponse(
            hits=[self._hit(document, request.query) for document in page],
            total=total,
            page=request.page,
            per_page=request.per_page,
            facets=self._matched_facets(matched, request.filters),
        )

    def _matched_facets(self, matched: QuerySet, filters):
        rows = (
            SearchTerm.objects.filter(document__in=matched.values("pk"), name__in=FACETS)
            .values("name", "value")
            .annotate(count=Count("document_id"), label=Max("label"))
        )
        return group_facets(rows, filters)

    def autocomplete(self, query: str, *, audiences: set[str] | None) -> list[SearchDocument]:
        words = _folded_pieces(query)
        if not words:
            return []
        quoted = [f'"{word}"' for word in words]
        quoted[-1] += "*"
        expression = "{autocomplete} : (" + " AND ".join(quoted) + ")"
        table = SearchDocument._meta.db_table
        rank = RawSQL(  # noqa: S611 - constants; the query is a parameter
            f"SELECT rank FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
            f" AND {FTS_TABLE}.rowid = {table}.id",
            [expression],
        )
        documents = self._visible(SearchDocument.objects.all(), audiences)
        results = (
            documents.filter(pk__in=_matching(expression))
            .annotate(rank=rank)
            .order_by("rank", "-pk")
        )
        return list(results[:AUTOCOMPLETE_LIMIT])
