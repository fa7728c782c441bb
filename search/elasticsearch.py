"""The search engine on Elasticsearch 8/9 or OpenSearch 3: the interface, results and permission
filtering of search.engine.DatabaseSearchEngine, for sites that outgrow one database.

modelsearch (Wagtail's search framework) owns the index: its backend creates the index of
SearchDocument with its mapping, and search.services adds the documents. This engine reads it
with requests modelsearch does not build: one request returns a page of hits with highlights,
the total and the count of every facet value, all filtered by the reader's audiences first
(visibility.policy), so neither hits nor counts reveal what the reader may not see.

The request bodies come from pure functions (`build_search_body`, `build_autocomplete_body`)
written with the client's query DSL: `elasticsearch.dsl` (elasticsearch 8.18+ and 9.x) or
opensearch-py's own; tests/search/test_elasticsearch_queries.py checks their JSON without a
server. Neither client is imported until this engine is used: the default install needs none.

The name modelsearch gives the index (`<prefix>search_searchdocument`) is an alias: `IndexRebuild`
fills a new index, named after the version of its mapping, beside the one in use, then moves the
alias to it in one step, so searches never see a partial index (`manage.py reindex`)."""

import functools
import hashlib
import html
import json
import logging
import re
import secrets
import time
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType

from anyascii import anyascii
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from modelsearch import index
from modelsearch.backends import get_search_backend
from modelsearch.backends.elasticsearchbase import ElasticsearchBaseMapping

from visibility.policy import AUDIENCE_TERM

from .engine import (
    AUTOCOMPLETE_LIMIT,
    FACET_SIZE,
    FACETS,
    SNIPPET_LENGTH,
    SearchHit,
    SearchRequest,
    SearchResponse,
    group_facets,
    highlight,
)
from .models import SearchDocument, SearchTerm

logger = logging.getLogger(__name__)

# Values counted per facet: more than the page shows (FACET_SIZE), so that values with equal
# counts are chosen by label, as on the database. Selected values are always counted.
FACET_BUCKETS = 4 * FACET_SIZE
SELECTED = "selected_"
# modelsearch stores each object's primary key as the keyword `pk`: it breaks ties in scores,
# so pages neither overlap nor skip a hit.
TIEBREAK = {"pk": "asc"}
# Both servers refuse to page past index.max_result_window (10,000 hits by default).
MAX_RESULT_WINDOW = 10_000
MARK_START, MARK_END = "<mark>", "</mark>"
# Markdown punctuation, dropped from snippets of bodies as search.engine.highlight does.
_MARKDOWN = re.compile(r"[#*_`>|]+")
_MARK_TAG = re.compile(r"(</?mark>)")


@dataclass(frozen=True)
class IndexFields:
    """Where SearchDocument's fields live in the index, as modelsearch's mapping names them."""

    title: str
    title_boost: float
    body: str
    terms: str  # the keyword list "audience:public", "tag:laser"…
    autocomplete: tuple[str, ...]

    @property
    def searched(self) -> list[str]:
        boost = f"^{self.title_boost:g}" if self.title_boost != 1 else ""
        return [f"{self.title}{boost}", self.body]


@functools.cache
def index_fields(mapping_class=ElasticsearchBaseMapping) -> IndexFields:
    """Read the field names from modelsearch's mapping class of the backend in use."""
    mapping = mapping_class(SearchDocument)

    def declared(kind, name):
        for field in SearchDocument.get_search_fields():
            if type(field) is kind and field.field_name == name:
                return field
        raise LookupError(f"SearchDocument.search_fields lacks {kind.__name__}({name!r})")

    title = declared(index.SearchField, "title")
    return IndexFields(
        title=mapping.get_field_column_name(title),
        title_boost=float(title.boost or 1),
        body=mapping.get_field_column_name(declared(index.SearchField, "body")),
        terms=mapping.get_field_column_name(declared(index.FilterField, "term_list")),
        autocomplete=tuple(
            mapping.get_field_column_name(field)
            for field in SearchDocument.get_autocomplete_search_fields()
        ),
    )


def backend_family(backend) -> str:
    """Which client the modelsearch backend uses: opensearch-py or elasticsearch-py."""
    return "opensearch" if "opensearch" in type(backend).__module__ else "elasticsearch"


def load_dsl(family: str = "elasticsearch") -> ModuleType:
    """The query DSL that ships with the client: both offer Search, Q and A."""
    return import_module("opensearchpy" if family == "opensearch" else "elasticsearch.dsl")


def reachable_page(request: SearchRequest) -> int:
    """The page asked for, or the last one the server can return."""
    return max(min(request.page, MAX_RESULT_WINDOW // request.per_page), 1)


def _term_filters(
    audiences: set[str] | None, filters: dict[str, list[str]], fields: IndexFields
) -> list[dict]:
    """Terms filters on the keyword list, all required: the reader's audiences (none for staff,
    who see everything), then one per selected facet (any of its values)."""
    clauses = []
    if audiences is not None:
        tokens = [f"{AUDIENCE_TERM}:{token}" for token in sorted(audiences)]
        clauses.append({fields.terms: tokens})
    for name, values in filters.items():
        clauses.append({fields.terms: [f"{name}:{value}" for value in dict.fromkeys(values)]})
    return clauses


def build_search_body(
    request: SearchRequest,
    audiences: set[str] | None,
    fields: IndexFields,
    *,
    dsl: ModuleType | None = None,
) -> dict:
    """The request for one page of hits, its total and the facet counts."""
    dsl = dsl or load_dsl()
    # cross_fields with "and": every word somewhere in the title or the body, as on the database.
    search = dsl.Search().query(
        "multi_match",
        query=request.query,
        fields=fields.searched,
        type="cross_fields",
        operator="and",
    )
    for clause in _term_filters(audiences, request.filters, fields):
        search = search.filter("terms", **clause)
    # In the query's filter context, not a post_filter: counts cover only what the reader may see.
    for name in FACETS:
        search.aggs.bucket(
            name, "terms", field=fields.terms, include=f"{name}:.*", size=FACET_BUCKETS
        )
        if selected := list(dict.fromkeys(request.filters.get(name, ()))):
            search.aggs.bucket(
                f"{SELECTED}{name}",
                "terms",
                field=fields.terms,
                include=[f"{name}:{value}" for value in selected],
                size=len(selected),
            )
    search = search.highlight_options(encoder="html", pre_tags=[MARK_START], post_tags=[MARK_END])
    search = search.highlight(fields.title, number_of_fragments=0)
    search = search.highlight(fields.body, fragment_size=SNIPPET_LENGTH, number_of_fragments=1)
    search = search.sort("_score", TIEBREAK)
    start = (reachable_page(request) - 1) * request.per_page
    search = search[start : start + request.per_page]
    return search.extra(track_total_hits=True).source(False).to_dict()


def build_autocomplete_body(
    query: str,
    audiences: set[str] | None,
    fields: IndexFields,
    *,
    dsl: ModuleType | None = None,
) -> dict:
    """Titles starting with the words typed. The edge n-grams are accent-folded, and searched
    with the standard analyzer, so the query is folded here ("élec" finds "Électronique")."""
    dsl = dsl or load_dsl()
    search = dsl.Search().query(
        "multi_match", query=anyascii(query), fields=list(fields.autocomplete), operator="and"
    )
    for clause in _term_filters(audiences, {}, fields):
        search = search.filter("terms", **clause)
    search = search.sort("_score", TIEBREAK)
    return search.extra(size=AUTOCOMPLETE_LIMIT).source(False).to_dict()


def _total(raw: dict) -> int:
    total = raw["hits"]["total"]
    return total["value"] if isinstance(total, dict) else int(total)


def facet_counts(raw: dict) -> list[tuple[str, str, int]]:
    """(facet, value, count) from the aggregations: the most frequent values of each facet in
    the server's order, then the selected values not among them."""
    aggregations = raw.get("aggregations", {})
    counts: dict[tuple[str, str], int] = {}
    for name in FACETS:
        for key in (name, f"{SELECTED}{name}"):
            for bucket in aggregations.get(key, {}).get("buckets", []):
                prefix, _, value = bucket["key"].partition(":")
                if prefix == name:
                    counts.setdefault((name, value), bucket["doc_count"])
    return [(name, value, count) for (name, value), count in counts.items()]


def marked_fragment(fragment: str, *, markdown: bool = False) -> str:
    """A highlighted fragment made safe: everything but <mark> tags escaped again (the server
    was asked to escape with encoder "html"; this does not depend on it), tags balanced, spaces
    collapsed; Markdown punctuation dropped from a `markdown` text (bodies, not titles)."""
    parts, inside = [], False
    for part in _MARK_TAG.split(fragment):
        if part in (MARK_START, MARK_END):
            if (part == MARK_START) != inside:
                parts.append(part)
                inside = not inside
            continue
        text = html.unescape(part)
        text = re.sub(r"\s+", " ", _MARKDOWN.sub(" ", text) if markdown else text)
        parts.append(html.escape(text))
    if inside:
        parts.append(MARK_END)
    return "".join(parts).strip()


def _plain(text: str) -> str:
    return " ".join(_MARKDOWN.sub(" ", text or "").split())


def snippet_from_fragment(fragment: str, body: str) -> SafeString:
    """The body's highlighted fragment, with "…" where it cuts the body."""
    marked = marked_fragment(fragment, markdown=True)
    plain = " ".join(html.unescape(_MARK_TAG.sub("", marked)).split())
    whole = _plain(body)
    prefix = "" if whole.startswith(plain) else "… "
    suffix = "" if whole.endswith(plain) else " …"
    return mark_safe(prefix + marked + suffix)  # noqa: S308 - escaped by marked_fragment


class ElasticsearchSearchEngine:
    """Searches SearchDocument in the index of the configured Elasticsearch/OpenSearch backend.

    `backend` defaults to Wagtail's "default" search backend (one client per configuration,
    reused between requests); tests pass their own."""

    @classmethod
    def serves(cls, *, backend: str, vendor: str) -> bool:
        """modelsearch's Elasticsearch and OpenSearch backends, whatever the database."""
        return "elasticsearch" in backend or "opensearch" in backend

    def __init__(self, backend=None, *, family: str | None = None):
        self.backend = backend if backend is not None else _default_backend()
        self.family = family or backend_family(self.backend)
        self.dsl = load_dsl(self.family)
        self.fields = index_fields(getattr(self.backend, "mapping_class", ElasticsearchBaseMapping))
        self.index_name = self.backend.get_index_for_model(SearchDocument).name

    def _send(self, body: dict) -> dict | None:
        """Run a search on the index; None when the index does not exist yet."""
        not_found = getattr(self.backend, "NotFoundError", ())  # () catches nothing
        try:
            if self.family == "opensearch":
                raw = self.backend.es.search(index=self.index_name, body=body)
            else:  # elasticsearch-py 8/9 take the body's keys as arguments
                raw = self.backend.es.search(index=self.index_name, **body)
        except not_found:
            logger.warning(
                "Search index %s does not exist: run `manage.py reindex`", self.index_name
            )
            return None
        return getattr(raw, "body", raw)

    def search(self, request: SearchRequest, *, audiences: set[str] | None) -> SearchResponse:
        page = reachable_page(request)
        empty = SearchResponse(hits=[], total=0, page=page, per_page=request.per_page, facets={})
        if not request.query.strip():
            return empty
        raw = self._send(build_search_body(request, audiences, self.fields, dsl=self.dsl))
        if raw is None:
            return empty
        found = [(int(hit["_id"]), hit.get("highlight", {})) for hit in raw["hits"]["hits"]]
        documents = SearchDocument.objects.in_bulk([pk for pk, _ in found])
        total = _total(raw)
        return SearchResponse(
            hits=[
                self._hit(documents[pk], highlights, request.query)
                for pk, highlights in found
                if pk in documents  # indexed, but deleted since: skipped
            ],
            total=total,
            page=page,
            per_page=request.per_page,
            facets=self._facets(raw, request.filters) if total else {},
        )

    def _hit(self, document: SearchDocument, highlights: dict, query: str) -> SearchHit:
        titles = highlights.get(self.fields.title)
        bodies = highlights.get(self.fields.body)
        return SearchHit(
            document=document,
            # Titles are shown as written ("C#", "A > B"): escaped, never read as Markdown.
            title=mark_safe(  # noqa: S308 - escaped by marked_fragment
                marked_fragment(titles[0] if titles else html.escape(document.title))
            ),
            snippet=(
                snippet_from_fragment(bodies[0], document.body)
                if bodies
                else highlight(document.body, query, length=SNIPPET_LENGTH)
            ),
        )

    def _facets(self, raw: dict, filters: dict[str, list[str]]):
        counts = facet_counts(raw)
        labels = self._labels({(name, value) for name, value, _ in counts})
        rows = [
            {"name": name, "value": value, "label": labels.get((name, value), ""), "count": n}
            for name, value, n in counts
        ]
        # The database engine's order: most frequent first, then by label and value.
        rows.sort(key=lambda row: (-row["count"], row["label"], row["value"]))
        return group_facets(rows, filters)

    def _labels(self, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """The labels indexed with these facet values (tag names, tribe titles…): one query."""
        if not pairs:
            return {}
        rows = (
            SearchTerm.objects.filter(
                name__in={name for name, _ in pairs}, value__in={value for _, value in pairs}
            )
            .exclude(label="")
            .order_by("name", "value", "label")
            .values_list("name", "value", "label")
            .distinct()
        )
        labels: dict[tuple[str, str], str] = {}
        for name, value, label in rows:
            if (name, value) in pairs:
                labels.setdefault((name, value), label)
        return labels

    def autocomplete(self, query: str, *, audiences: set[str] | None) -> list[SearchDocument]:
        if not query.strip():
            return []
        raw = self._send(build_autocomplete_body(query, audiences, self.fields, dsl=self.dsl))
        if raw is None:
            return []
        ids = [int(hit["_id"]) for hit in raw["hits"]["hits"]]
        documents = SearchDocument.objects.in_bulk(ids)
        return [documents[pk] for pk in ids if pk in documents]


_backends: dict[str, object] = {}


def _default_backend():
    """modelsearch makes a new client on every call: keep one per configuration, so the
    connections to the server are reused between requests."""
    key = json.dumps(settings.WAGTAILSEARCH_BACKENDS["default"], sort_keys=True, default=str)
    if key not in _backends:
        _backends[key] = get_search_backend("default")
    return _backends[key]


# The mapping's version is kept in the index's mapping, under _meta.
VERSION_KEY = "carnet_mapping_version"


def mapping_version(backend) -> str:
    """A digest of what the index is built from: modelsearch's mapping of SearchDocument and the
    index settings (analysis, shards). Any change gives a new version, hence a rebuild."""
    text = json.dumps(
        [backend.mapping_class(SearchDocument).get_mapping(), backend.settings],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _indexes_behind(backend, name: str) -> list[str]:
    """The concrete indexes a name resolves to: the index itself, or those of the alias."""
    try:
        answer = backend.es.indices.get(index=name)
    except backend.NotFoundError:
        return []
    return sorted(getattr(answer, "body", answer))


def live_mapping_version(backend) -> str | None:
    """The version of the index searches read now; None if there is none (or it has none)."""
    name = backend.get_index_for_model(SearchDocument).name
    try:
        answer = backend.es.indices.get_mapping(index=name)
    except backend.NotFoundError:
        return None
    versions = {
        index.get("mappings", {}).get("_meta", {}).get(VERSION_KEY)
        for index in getattr(answer, "body", answer).values()
    }
    return versions.pop() if len(versions) == 1 else None


def index_is_current(backend) -> bool:
    return live_mapping_version(backend) == mapping_version(backend)


class IndexRebuild:
    """A new index for SearchDocument beside the one in use (`add` fills it), then put in its
    place in one step by `publish`: the alias searches and writes go through moves to it, and
    the indexes it leaves are deleted. Until then searches read the old index, whole."""

    def __init__(self, backend):
        self.backend = backend
        self.alias = backend.get_index_for_model(SearchDocument).name
        self.version = mapping_version(backend)
        # Two rebuilds within one second must not share a name: the second would delete the
        # index the alias reads.
        stamp = f"{time.strftime('%Y%m%d%H%M%S', time.gmtime())}_{secrets.token_hex(3)}"
        self.index = backend.index_class(backend, f"{self.alias}_{self.version}_{stamp}")
        self.index.put()
        self.index.add_model(SearchDocument)
        backend.es.indices.put_mapping(
            index=self.index.name, body={"_meta": {VERSION_KEY: self.version}}
        )

    def add(self, documents: list[SearchDocument]) -> None:
        """Documents with their terms prefetched (modelsearch reads `term_list`)."""
        self.index.add_items(SearchDocument, documents)

    def publish(self) -> None:
        self.index.refresh()
        es = self.backend.es
        previous = _indexes_behind(self.backend, self.alias)
        actions = [{"add": {"index": self.index.name, "alias": self.alias}}]
        if previous == [self.alias]:  # an index of that name, from before aliases
            actions.insert(0, {"remove_index": {"index": self.alias}})
            previous = []
        actions += [{"remove": {"index": name, "alias": self.alias}} for name in previous]
        es.indices.update_aliases(body={"actions": actions})
        for name in previous:
            if name != self.index.name:
                es.indices.delete(index=name)
        logger.info("Search index %s now reads %s", self.alias, self.index.name)

    def discard(self) -> None:
        """A rebuild that failed: its index goes, the one in use stays."""
        self.index.delete()
