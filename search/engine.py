"""The search engine behind /search/: one interface, one result structure, whatever the backend.

The database engine below (SQLite FTS5), the PostgreSQL engine (search/postgres.py) and the
Elasticsearch/OpenSearch engine (search/elasticsearch.py) each say which configuration they serve;
search/backends.py picks the one for the settings. All filter by the reader's audiences
(visibility.policy) before counting anything, so neither results nor facet counts reveal what
the reader may not see."""

import html
import math
import re
import unicodedata
from dataclasses import dataclass, field

from anyascii import anyascii
from django.db.models import Count, Max, QuerySet
from django.utils.safestring import SafeString, mark_safe

from visibility.policy import AUDIENCE_TERM

from .models import SearchDocument, SearchTerm

# The facets offered, in the order the page shows them.
FACETS = ("type", "entry_kind", "tag", "tribe", "machine", "status", "licence")
PER_PAGE = 20
MAX_QUERY_LENGTH = 200
SNIPPET_LENGTH = 220
AUTOCOMPLETE_LIMIT = 8
# The most frequent values of each facet are offered (selected ones always stay visible).
FACET_SIZE = 12
# The ranking of the SQLite and PostgreSQL engines (docs/search.md, "Ranking"): each word of the
# query scores the weights of the fields it is found in, so a word in the title, the summary and
# the body (a documented project) outranks a word in a title alone; equal scores put the more
# complete project first (projects.completeness), then the newer document. A project's summary
# is also part of its body. Only the first RANKED_WORDS words are scored; all must match.
FIELD_WEIGHTS = {"title": 3, "summary": 2, "body": 1}
RANKED_WORDS = 8


@dataclass
class SearchRequest:
    query: str
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    per_page: int = PER_PAGE


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchHit:
    document: SearchDocument
    title: SafeString
    snippet: SafeString


@dataclass
class SearchResponse:
    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[FacetValue]]
    # True when the engine stopped counting: there are more than `total` results, and the
    # hits and facet counts come from the first `total` (search.postgres.MATCH_LIMIT).
    capped: bool = False

    @property
    def num_pages(self) -> int:
        return max(math.ceil(self.total / self.per_page), 1)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


def clean_query(text: str) -> str:
    """Words only: search syntax (quotes, *, :, &, |, !, -, parentheses) is read as spaces, so
    no input can break a backend's query parser."""
    text = re.sub(r"[^\w\s'’-]", " ", text or "")
    text = re.sub(r"(^|\s)[-'’]+", " ", text)
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:  # cut on a word, not inside one
        text = text[: MAX_QUERY_LENGTH + 1].rsplit(" ", 1)[0][:MAX_QUERY_LENGTH]
    return text


class _FoldTable(dict):
    """str.translate's table for _fold, filled as characters are met: each becomes the first
    character of its decomposition ("é" → "e")."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = unicodedata.normalize("NFD", chr(code))[0]
        return folded


_FOLD_TABLE = _FoldTable()


def _fold(text: str) -> str:
    """Lower case without accents, one character for one, so positions stay the same."""
    text = text.lower()
    return text if text.isascii() else text.translate(_FOLD_TABLE)


def _stems(query: str) -> list[str]:
    # A rough French stem: "imprimantes" also marks "imprimante", "decoupe" marks "découper".
    words = {_fold(word) for word in re.findall(r"\w+", query) if len(word) > 1}
    return sorted({word[: max(4, len(word) - 2)] for word in words}, key=len, reverse=True)


def highlight(text: str, query: str, *, length: int | None = None) -> SafeString:
    """Escape `text`, cut it around the first match when `length` is given, mark the matches.
    An extract (`length` given) loses its Markdown punctuation; a title keeps every character."""
    text = text or ""
    if length:
        text = re.sub(r"[#*_`>|]+", " ", text)
    text = " ".join(text.split())
    stems = _stems(query)
    pattern = (
        re.compile(r"\b(" + "|".join(re.escape(stem) for stem in stems) + r")\w*")
        if stems
        else None
    )
    folded = _fold(text)
    if length and len(text) > length:
        first = pattern.search(folded) if pattern else None
        start = max((first.start() if first else 0) - length // 3, 0)
        if start:  # begin on a word
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < (first.start() if first else start + 20) else start
        end = min(start + length, len(text))
        prefix, suffix = ("… " if start else ""), (" …" if end < len(text) else "")
        text, folded = text[start:end], folded[start:end]
    else:
        prefix = suffix = ""
    parts, last = [], 0
    for match in pattern.finditer(folded) if pattern else ():
        parts += [html.escape(text[last : match.start()]), "<mark>",
                  html.escape(text[match.start() : match.end()]), "</mark>"]  # fmt: skip
        last = match.end()
    parts.append(html.escape(text[last:]))
    return mark_safe(html.escape(prefix) + "".join(parts) + html.escape(suffix))  # noqa: S308 - escaped above


class DatabaseSearchEngine:
    """Wagtail's database search backend: SQLite FTS5, or PostgreSQL with the French
    accent-folding configuration (search/migrations)."""

    backend_name = "default"

    @classmethod
    def serves(cls, *, backend: str, vendor: str) -> bool:
        """Wagtail's database search backend, whatever the database."""
        return backend.endswith(".database")

    def _visible(self, documents: QuerySet, audiences: set[str] | None) -> QuerySet:
        if audiences is None:  # staff
            return documents
        allowed = SearchTerm.objects.filter(name=AUDIENCE_TERM, value__in=sorted(audiences))
        return documents.filter(pk__in=allowed.values("document_id"))

    def _filtered(self, documents: QuerySet, filters: dict[str, list[str]]) -> QuerySet:
        for name, values in filters.items():
            having = SearchTerm.objects.filter(name=name, value__in=values)
            documents = documents.filter(pk__in=having.values("document_id"))
        return documents

    def search(self, request: SearchRequest, *, audiences: set[str] | None) -> SearchResponse:
        documents = self._filtered(
            self._visible(SearchDocument.objects.all(), audiences), request.filters
        )
        results = documents.search(request.query, operator="and", backend=self.backend_name)
        total = results.count()
        start = (request.page - 1) * request.per_page
        page = list(results[start : start + request.per_page]) if start < total else []
        return SearchResponse(
            hits=[self._hit(document, request.query) for document in page],
            total=total,
            page=request.page,
            per_page=request.per_page,
            facets=self._facets(results, request.filters) if total else {},
        )

    def _facets(self, results, filters) -> dict[str, list[FacetValue]]:
        # The backend's own query of every match (not one page), as a subquery for the counts.
        compiler = results.query_compiler
        matched = compiler.search(compiler.get_config(results.backend), None, None)
        rows = (
            SearchTerm.objects.filter(document__in=matched.values("pk"), name__in=FACETS)
            .values("name", "value")
            .annotate(count=Count("document_id"), label=Max("label"))
        )
        return group_facets(rows, filters)

    def _hit(self, document: SearchDocument, query: str) -> SearchHit:
        return SearchHit(
            document=document,
            title=highlight(document.title, query),
            snippet=highlight(document.body, query, length=SNIPPET_LENGTH),
        )

    def autocomplete(self, query: str, *, audiences: set[str] | None) -> list[SearchDocument]:
        documents = self._visible(SearchDocument.objects.all(), audiences)
        results = documents.autocomplete(anyascii(query), backend=self.backend_name)
        return list(results[:AUTOCOMPLETE_LIMIT])


def _choice_labels() -> dict[str, dict]:
    """Facets whose labels are the models' choices: indexed without a label (search.documents),
    translated when shown, in the reader's language."""
    from projects.models import JournalEntryKind, Licence, ProjectStatus

    from .models import SearchDocumentKind

    return {
        "type": dict(SearchDocumentKind.choices),
        "entry_kind": dict(JournalEntryKind.choices),
        "status": dict(ProjectStatus.choices),
        "licence": dict(Licence.choices),
    }


def group_facets(rows, filters: dict[str, list[str]]) -> dict[str, list[FacetValue]]:
    """Facet rows (name, value, label, count), one per value, grouped by facet: most frequent
    first, then by label in the reader's language; selected values marked and always kept."""
    labels = _choice_labels()
    shown = []
    for row in rows:
        name, value = row["name"], row["value"]
        label = labels.get(name, {}).get(value, row["label"] or value)
        shown.append((name, FacetValue(value, label, row["count"], value in filters.get(name, ()))))
    shown.sort(key=lambda item: (-item[1].count, str(item[1].label).casefold(), item[1].value))
    facets: dict[str, list[FacetValue]] = {name: [] for name in FACETS}
    for name, facet in shown:
        if facet.selected or len(facets[name]) < FACET_SIZE:
            facets[name].append(facet)
    return {name: values for name, values in facets.items() if values}
