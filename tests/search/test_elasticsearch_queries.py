"""Elasticsearch and OpenSearch without a server: the mapping modelsearch gives SearchDocument,
the request bodies the engine sends (the permission filter first), the backend settings, and how
the engine reads a server's answer (with a stand-in client that returns recorded JSON).

The suite against a real server is tests/search/test_search_server.py."""

import json
import logging
from datetime import UTC, datetime
from importlib import import_module
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import TestCase, override_settings
from modelsearch import index
from modelsearch.backends import get_search_backend

from docs_platform.settings.env import SEARCH_BACKENDS, search_backend
from search.backends import get_search_engine
from search.documents import DocumentData
from search.elasticsearch import (
    FACET_BUCKETS,
    MAX_RESULT_WINDOW,
    VERSION_KEY,
    ElasticsearchSearchEngine,
    IndexFields,
    IndexRebuild,
    build_autocomplete_body,
    build_search_body,
    index_fields,
    index_is_current,
    mapping_version,
    marked_fragment,
)
from search.engine import (
    AUTOCOMPLETE_LIMIT,
    FACET_SIZE,
    FACETS,
    SNIPPET_LENGTH,
    FacetValue,
    SearchRequest,
    highlight,
)
from search.models import SearchDocument, SearchDocumentKind
from search.services import search_document_save
from tests.helpers import EnglishClient

# Both clients are in the dev extra (pure Python); the bodies are built with each one's DSL.
es_dsl = pytest.importorskip("elasticsearch.dsl")
opensearchpy = pytest.importorskip("opensearchpy")

from modelsearch.backends.elasticsearch8 import Elasticsearch8Mapping  # noqa: E402
from modelsearch.backends.elasticsearch9 import Elasticsearch9Mapping  # noqa: E402
from modelsearch.backends.opensearch3 import OpenSearch3Mapping  # noqa: E402

DSLS = pytest.mark.parametrize("dsl", [es_dsl, opensearchpy], ids=["elasticsearch", "opensearch"])
MAPPINGS = pytest.mark.parametrize(
    "mapping_class",
    [Elasticsearch8Mapping, Elasticsearch9Mapping, OpenSearch3Mapping],
    ids=["elasticsearch8", "elasticsearch9", "opensearch3"],
)
SERVER_BACKENDS = [name for name in SEARCH_BACKENDS if name != "database"]
URL = "http://search.invalid:9200"
INDEX = "carnet_search_searchdocument"
FIELDS = IndexFields(
    title="title",
    title_boost=3.0,
    body="body",
    terms="term_list_filter",
    autocomplete=("title_edgengrams", "title_folded_edgengrams"),
)
MEMBER = {"public", "user:7", "tribe:3", "tribe-any:3"}


def server_settings(name: str, **kwargs):
    config = search_backend(name, urls=[URL], index_prefix="carnet_", timeout=5, **kwargs)
    return override_settings(WAGTAILSEARCH_BACKENDS={"default": config})


def filters_of(body: dict) -> list[dict]:
    return body["query"].get("bool", {}).get("filter", [])


def audience_filters(body: dict) -> list[list[str]]:
    return [
        clause["terms"]["term_list_filter"]
        for clause in filters_of(body)
        if any(value.startswith("audience:") for value in clause["terms"]["term_list_filter"])
    ]


# The index modelsearch builds ----------------------------------------------------------------


@MAPPINGS
def test_modelsearch_maps_the_term_list_as_keywords_for_terms_filters(mapping_class):
    properties = mapping_class(SearchDocument).get_mapping()["properties"]
    assert properties["term_list_filter"] == {"type": "keyword"}


@MAPPINGS
def test_title_and_body_are_full_text_with_the_title_boosted(mapping_class):
    properties = mapping_class(SearchDocument).get_mapping()["properties"]
    assert properties["title"]["type"] == "text"
    assert properties["body"]["type"] == "text"
    assert "_all_text_boost_3_0" in properties["title"]["copy_to"]
    for name in ("title_edgengrams", "title_folded_edgengrams"):
        assert properties[name]["analyzer"] == "edgengram_analyzer"


@MAPPINGS
def test_the_engine_takes_field_names_from_modelsearchs_mapping(mapping_class):
    assert index_fields(mapping_class) == FIELDS


class TestIndexedDocument(TestCase):
    def test_the_document_sent_to_the_server_carries_every_term_and_the_folded_title(self):
        document = search_document_save(
            DocumentData(
                SearchDocumentKind.PROJECT,
                41,
                "Électronique de découpe",
                "Un laser CO2.",
                "/projets/decoupe/",
                datetime(2025, 3, 1, tzinfo=UTC),
                None,
                [("type", "project", ""), ("tag", "laser", "Laser"), ("audience", "public", "")],
            )
        )
        indexed = Elasticsearch8Mapping(SearchDocument).get_document(
            SearchDocument.objects.prefetch_related("terms").get(pk=document.pk)
        )
        assert sorted(indexed["term_list_filter"]) == [
            "audience:public",
            "tag:laser",
            "type:project",
        ]
        assert indexed["title_folded_edgengrams"] == "Electronique de decoupe"
        assert Elasticsearch8Mapping(SearchDocument).get_document_id(document) == str(document.pk)


# The search request -------------------------------------------------------------------------


@DSLS
def test_an_anonymous_reader_is_limited_to_the_public_audience(dsl):
    body = build_search_body(SearchRequest("laser"), {"public"}, FIELDS, dsl=dsl)
    assert filters_of(body) == [{"terms": {"term_list_filter": ["audience:public"]}}]


@DSLS
def test_a_member_is_limited_to_their_own_audiences(dsl):
    body = build_search_body(SearchRequest("laser"), MEMBER, FIELDS, dsl=dsl)
    assert audience_filters(body) == [
        ["audience:public", "audience:tribe-any:3", "audience:tribe:3", "audience:user:7"]
    ]


@DSLS
def test_staff_searches_without_a_permission_filter(dsl):
    body = build_search_body(SearchRequest("laser"), None, FIELDS, dsl=dsl)
    assert "audience:" not in json.dumps(body)
    assert "multi_match" in body["query"]


@DSLS
def test_a_reader_without_audiences_matches_nothing(dsl):
    body = build_search_body(SearchRequest("laser"), set(), FIELDS, dsl=dsl)
    assert filters_of(body) == [{"terms": {"term_list_filter": []}}]


@DSLS
def test_every_word_must_appear_in_the_title_or_the_body(dsl):
    body = build_search_body(SearchRequest("découpe bois"), None, FIELDS, dsl=dsl)
    assert body["query"] == {
        "multi_match": {
            "query": "découpe bois",
            "fields": ["title^3", "body"],
            "type": "cross_fields",
            "operator": "and",
        }
    }


@DSLS
def test_selected_facets_are_anded_and_their_values_ored(dsl):
    request = SearchRequest("laser", filters={"tag": ["bois", "mdf", "bois"], "machine": ["co2"]})
    body = build_search_body(request, {"public"}, FIELDS, dsl=dsl)
    assert filters_of(body) == [
        {"terms": {"term_list_filter": ["audience:public"]}},
        {"terms": {"term_list_filter": ["tag:bois", "tag:mdf"]}},
        {"terms": {"term_list_filter": ["machine:co2"]}},
    ]
    assert "post_filter" not in body  # the filters also narrow the facet counts


@DSLS
def test_every_facet_is_counted_from_the_term_list(dsl):
    body = build_search_body(SearchRequest("laser"), {"public"}, FIELDS, dsl=dsl)
    assert list(body["aggs"]) == list(FACETS)
    for name in FACETS:
        assert body["aggs"][name] == {
            "terms": {"field": "term_list_filter", "include": f"{name}:.*", "size": FACET_BUCKETS}
        }
    assert FACET_BUCKETS > FACET_SIZE  # ties at the cut are broken by label, as on the database


@DSLS
def test_selected_values_are_always_counted(dsl):
    request = SearchRequest("laser", filters={"tag": ["rare", "bois", "rare"]})
    body = build_search_body(request, {"public"}, FIELDS, dsl=dsl)
    assert body["aggs"]["selected_tag"] == {
        "terms": {"field": "term_list_filter", "include": ["tag:rare", "tag:bois"], "size": 2}
    }
    assert [name for name in body["aggs"] if name.startswith("selected_")] == ["selected_tag"]


@DSLS
def test_equal_scores_are_ordered_by_primary_key(dsl):
    properties = Elasticsearch8Mapping(SearchDocument).get_mapping()["properties"]
    assert properties["pk"]["type"] == "keyword"  # sortable: keywords have doc values
    for body in (
        build_search_body(SearchRequest("laser"), None, FIELDS, dsl=dsl),
        build_autocomplete_body("las", None, FIELDS, dsl=dsl),
    ):
        assert body["sort"] == ["_score", {"pk": "asc"}]


@DSLS
def test_highlights_are_escaped_and_marked(dsl):
    body = build_search_body(SearchRequest("laser"), {"public"}, FIELDS, dsl=dsl)
    assert body["highlight"] == {
        "encoder": "html",
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "fields": {
            "title": {"number_of_fragments": 0},
            "body": {"fragment_size": SNIPPET_LENGTH, "number_of_fragments": 1},
        },
    }


@DSLS
@pytest.mark.parametrize(
    ("page", "per_page", "start"),
    [(1, 20, 0), (3, 10, 20), (10_000, 20, MAX_RESULT_WINDOW - 20)],
)
def test_pages_stay_within_the_servers_result_window(dsl, page, per_page, start):
    request = SearchRequest("laser", page=page, per_page=per_page)
    body = build_search_body(request, {"public"}, FIELDS, dsl=dsl)
    assert (body["from"], body["size"]) == (start, per_page)
    assert body["from"] + body["size"] <= MAX_RESULT_WINDOW
    assert body["track_total_hits"] is True
    assert body["_source"] is False


def test_both_dsls_build_the_same_request():
    request = SearchRequest("laser", filters={"tag": ["bois"]}, page=2)
    assert build_search_body(request, MEMBER, FIELDS, dsl=es_dsl) == build_search_body(
        request, MEMBER, FIELDS, dsl=opensearchpy
    )
    assert build_autocomplete_body("lase", MEMBER, FIELDS, dsl=es_dsl) == (
        build_autocomplete_body("lase", MEMBER, FIELDS, dsl=opensearchpy)
    )


@DSLS
def test_autocomplete_folds_accents_and_filters_by_audience(dsl):
    body = build_autocomplete_body("élec", {"public"}, FIELDS, dsl=dsl)
    assert body == {
        "query": {
            "bool": {
                "must": [
                    {
                        "multi_match": {
                            "query": "elec",
                            "fields": ["title_edgengrams", "title_folded_edgengrams"],
                            "operator": "and",
                        }
                    }
                ],
                "filter": [{"terms": {"term_list_filter": ["audience:public"]}}],
            }
        },
        "sort": ["_score", {"pk": "asc"}],
        "size": AUTOCOMPLETE_LIMIT,
        "_source": False,
    }
    assert "audience:" not in json.dumps(build_autocomplete_body("élec", None, FIELDS, dsl=dsl))


# Settings and backends ------------------------------------------------------------------------


def test_the_database_is_the_default_backend():
    assert search_backend("database", urls=[], index_prefix="carnet_", timeout=10) == {
        "BACKEND": "wagtail.search.backends.database"
    }


@pytest.mark.parametrize("name", SERVER_BACKENDS)
def test_a_server_backend_uses_modelsearchs_module_and_options(name):
    config = search_backend(name, urls=[URL, "http://b:9200"], index_prefix="x_", timeout=3)
    assert config["BACKEND"] == f"modelsearch.backends.{name}"
    assert config["URLS"] == [URL, "http://b:9200"]
    assert (config["INDEX_PREFIX"], config["TIMEOUT"], config["ATOMIC_REBUILD"]) == ("x_", 3, True)
    analyzer = config["INDEX_SETTINGS"]["settings"]["analysis"]["analyzer"]["default"]
    assert "asciifolding" in analyzer["filter"]


def test_an_unknown_backend_or_a_missing_url_is_refused():
    with pytest.raises(ImproperlyConfigured, match="must be one of"):
        search_backend("solr", urls=[URL], index_prefix="", timeout=10)
    with pytest.raises(ImproperlyConfigured, match="CARNET_SEARCH_URL"):
        search_backend("opensearch3", urls=[], index_prefix="", timeout=10)


@pytest.mark.parametrize("name", SERVER_BACKENDS)
def test_each_server_backend_builds_its_index_and_the_engine_without_a_server(name):
    with server_settings(name):
        backend = get_search_backend()
        assert backend.get_index_for_model(SearchDocument).name == INDEX
        analysis = backend.settings["settings"]["analysis"]
        # Carnet's French analyzer is added to modelsearch's own (edge n-grams for autocomplete).
        assert {"default", "edgengram_analyzer"} <= set(analysis["analyzer"])
        engine = get_search_engine()
        assert isinstance(engine, ElasticsearchSearchEngine)
        assert engine.family == ("opensearch" if name.startswith("opensearch") else "elasticsearch")
        assert engine.index_name == INDEX
        assert engine.fields == FIELDS


# Reading the server's answer ------------------------------------------------------------------


class StandInClient:
    """Records the searches and answers with recorded JSON, or raises."""

    def __init__(self, answer=None, error=None):
        self.answer, self.error, self.calls = answer, error, []

    def search(self, **kwargs):
        self.calls.append(kwargs)
        if self.error:
            raise self.error
        return self.answer


def engine_with(name: str, client: StandInClient) -> ElasticsearchSearchEngine:
    with server_settings(name):
        backend = get_search_backend()
    backend.es = client
    return ElasticsearchSearchEngine(backend)


def answer(hits, total, aggregations=None):
    return {
        "hits": {"total": {"value": total, "relation": "eq"}, "hits": hits},
        "aggregations": aggregations or {},
    }


def not_found_error(name):
    if name.startswith("opensearch"):
        return opensearchpy.NotFoundError(404, "index_not_found_exception", {})
    from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig
    from elasticsearch import NotFoundError

    meta = ApiResponseMeta(404, "1.1", HttpHeaders(), 0.0, NodeConfig("http", "localhost", 9200))
    return NotFoundError("index_not_found_exception", meta, {})


def save(kind, source_id, title, body="", terms=()):
    return search_document_save(
        DocumentData(
            kind,
            source_id,
            title,
            body,
            f"/{kind}/{source_id}/",
            datetime(2025, 3, 1, tzinfo=UTC),
            None,
            [("type", kind, ""), *terms, ("audience", "public", "")],
        )
    )


class TestEngineReadsTheServersAnswer(TestCase):
    @classmethod
    def setUpTestData(cls):
        project = SearchDocumentKind.PROJECT
        cls.cutter = save(
            project,
            1,
            "Découpe laser <script>",
            "Réglages.\n\n" + "Un long essai. " * 30 + "Puis le **laser** a coupé le bois.",
            [("tag", "laser", "Laser"), ("tag", "bois", "Bois"), ("status", "finished", "Fini")],
        )
        cls.entry = save(
            SearchDocumentKind.JOURNAL_ENTRY,
            2,
            "Essai de gravure",
            "Gravure au laser sur du bois.",
            [("tag", "laser", "Laser")],
        )

    def recorded(self):
        return answer(
            [
                {
                    "_id": str(self.cutter.pk),
                    "highlight": {
                        "title": ["Découpe <mark>laser</mark> &lt;script&gt;"],
                        "body": ["Puis le **<mark>laser</mark>** a coupé le bois."],
                    },
                },
                {"_id": "987654"},  # in the index, deleted from the database since
                {"_id": str(self.entry.pk)},
            ],
            total=3,
            aggregations={
                "type": {
                    "buckets": [
                        {"key": "type:project", "doc_count": 1},
                        {"key": "type:journal_entry", "doc_count": 1},
                    ]
                },
                "tag": {
                    "buckets": [
                        {"key": "tag:laser", "doc_count": 2},
                        {"key": "tag:bois", "doc_count": 1},
                    ]
                },
                "status": {"buckets": [{"key": "status:finished", "doc_count": 1}]},
            },
        )

    def test_hits_follow_the_servers_order_with_escaped_highlights(self):
        engine = engine_with("elasticsearch8", StandInClient(self.recorded()))
        request = SearchRequest("laser", filters={"tag": ["laser"]})
        with self.assertNumQueries(2):  # the documents, then the facet labels
            response = engine.search(request, audiences={"public"})
        self.assertEqual([hit.document for hit in response.hits], [self.cutter, self.entry])
        cutter, entry = response.hits
        self.assertEqual(cutter.title, "Découpe <mark>laser</mark> &lt;script&gt;")
        self.assertEqual(cutter.snippet, "… Puis le <mark>laser</mark> a coupé le bois.")
        # No highlight from the server: the title as written, the database engine's snippet.
        self.assertEqual(entry.title, "Essai de gravure")
        self.assertEqual(entry.snippet, highlight(self.entry.body, "laser", length=SNIPPET_LENGTH))
        self.assertEqual((response.total, response.page, response.num_pages), (3, 1, 1))

    def test_facets_have_labels_counts_and_the_selection(self):
        engine = engine_with("opensearch3", StandInClient(self.recorded()))
        response = engine.search(
            SearchRequest("laser", filters={"tag": ["laser"]}), audiences={"public"}
        )
        self.assertEqual(list(response.facets), ["type", "tag", "status"])
        self.assertEqual(
            response.facets["tag"],
            [FacetValue("laser", "Laser", 2, selected=True), FacetValue("bois", "Bois", 1)],
        )
        kinds = dict(SearchDocumentKind.choices)
        self.assertEqual(
            [(facet.label, facet.count) for facet in response.facets["type"]],
            [(kinds["journal_entry"], 1), (kinds["project"], 1)],  # equal counts: by value
        )

    def test_a_selected_value_beyond_the_most_frequent_stays_offered(self):
        recorded = self.recorded()
        recorded["aggregations"]["selected_tag"] = {
            "buckets": [{"key": "tag:laser", "doc_count": 2}, {"key": "tag:rare", "doc_count": 1}]
        }
        engine = engine_with("elasticsearch8", StandInClient(recorded))
        response = engine.search(
            SearchRequest("laser", filters={"tag": ["laser", "rare"]}), audiences={"public"}
        )
        self.assertEqual(
            [(facet.value, facet.count, facet.selected) for facet in response.facets["tag"]],
            # Equal counts by the label shown: "rare" has no label, its value is shown.
            [("laser", 2, True), ("bois", 1, False), ("rare", 1, True)],
        )

    def test_elasticsearch_takes_the_body_as_arguments_and_opensearch_as_body(self):
        for name in SERVER_BACKENDS:
            with self.subTest(backend=name):
                client = StandInClient(self.recorded())
                engine_with(name, client).search(SearchRequest("laser"), audiences={"public"})
                (call,) = client.calls
                self.assertEqual(call["index"], INDEX)
                sent = call["body"] if name.startswith("opensearch") else call
                self.assertEqual(
                    sent["query"]["bool"]["filter"],
                    [{"terms": {"term_list_filter": ["audience:public"]}}],
                )

    def test_nothing_is_sent_for_an_empty_query(self):
        client = StandInClient(self.recorded())
        response = engine_with("elasticsearch9", client).search(SearchRequest("  "), audiences=None)
        self.assertEqual((response.hits, response.total, response.facets), ([], 0, {}))
        self.assertEqual(client.calls, [])

    def test_no_hits_means_no_facets(self):
        engine = engine_with("elasticsearch8", StandInClient(answer([], total=0)))
        response = engine.search(SearchRequest("zzz"), audiences={"public"})
        self.assertEqual((response.hits, response.total, response.facets), ([], 0, {}))

    def test_a_missing_index_gives_no_results_and_a_warning(self):
        for name in SERVER_BACKENDS:
            with self.subTest(backend=name):
                engine = engine_with(name, StandInClient(error=not_found_error(name)))
                with self.assertLogs("search.elasticsearch", logging.WARNING) as logs:
                    response = engine.search(SearchRequest("laser"), audiences={"public"})
                    suggestions = engine.autocomplete("las", audiences={"public"})
                self.assertEqual((response.hits, response.total), ([], 0))
                self.assertEqual(suggestions, [])
                self.assertIn("manage.py reindex", logs.output[0])

    def test_autocomplete_returns_documents_in_the_servers_order(self):
        hits = [{"_id": str(self.entry.pk)}, {"_id": "987654"}, {"_id": str(self.cutter.pk)}]
        client = StandInClient(answer(hits, total=3))
        with self.assertNumQueries(1):
            documents = engine_with("elasticsearch8", client).autocomplete("la", audiences=MEMBER)
        self.assertEqual(documents, [self.entry, self.cutter])
        self.assertEqual(client.calls[0]["size"], AUTOCOMPLETE_LIMIT)

    def test_the_search_page_renders_the_servers_hits(self):
        client = StandInClient(self.recorded())
        with server_settings("elasticsearch8"):
            backend = get_search_engine().backend  # the client shared by requests
            real, backend.es = backend.es, client
            try:
                response = EnglishClient().get("/search/", {"q": "laser", "tag": "laser"})
            finally:
                backend.es = real
        self.assertContains(response, "Découpe <mark>laser</mark> &lt;script&gt;")
        self.assertContains(response, "3 results for")
        self.assertEqual(
            client.calls[0]["query"]["bool"]["filter"][0],
            {"terms": {"term_list_filter": ["audience:public"]}},
        )


def test_a_fragment_cannot_smuggle_markup_even_unescaped():
    assert marked_fragment('<mark>x</mark><img src=x onerror="alert(1)"></mark>') == (
        "<mark>x</mark>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    )
    assert marked_fragment("<mark>open") == "<mark>open</mark>"
    assert marked_fragment("a &amp; b &lt;i&gt;") == "a &amp; b &lt;i&gt;"


def test_titles_keep_their_characters_and_bodies_lose_markdown():
    fragment = "<mark>C#</mark> &amp; Arduino &gt; Pi_Zero **gras**"
    assert marked_fragment(fragment) == "<mark>C#</mark> &amp; Arduino &gt; Pi_Zero **gras**"
    assert marked_fragment(fragment, markdown=True) == "<mark>C </mark> &amp; Arduino Pi Zero gras"


# Versioned indexes and the alias -------------------------------------------------------------


def server_backend(name="opensearch3", **index_settings):
    """A modelsearch backend whose client is a stand-in: no request leaves."""
    config = search_backend(name, urls=[URL], index_prefix="x_", timeout=3)
    settings = {**config["INDEX_SETTINGS"]["settings"], **index_settings}
    config["INDEX_SETTINGS"] = {"settings": settings}
    backend = import_module(config["BACKEND"]).SearchBackend(dict(config))
    backend.es = mock.MagicMock()
    return backend


@pytest.mark.parametrize("name", SERVER_BACKENDS)
def test_the_mapping_version_follows_the_mapping_and_the_index_settings(name):
    version = mapping_version(server_backend(name))
    assert version == mapping_version(server_backend(name))
    assert version != mapping_version(server_backend(name, index={"number_of_shards": 3}))
    fields = [*SearchDocument.search_fields, index.FilterField("url")]
    with mock.patch.object(SearchDocument, "search_fields", fields):
        assert version != mapping_version(server_backend(name))


def test_a_rebuild_fills_a_versioned_index_then_moves_the_alias_in_one_request():
    backend = server_backend()
    backend.es.indices.get.return_value = {"x_search_searchdocument_old_1": {}}
    rebuild = IndexRebuild(backend)
    assert rebuild.index.name.startswith(f"x_search_searchdocument_{mapping_version(backend)}_")
    backend.es.indices.put_mapping.assert_called_with(
        index=rebuild.index.name, body={"_meta": {VERSION_KEY: mapping_version(backend)}}
    )
    rebuild.publish()
    backend.es.indices.update_aliases.assert_called_once_with(
        body={
            "actions": [
                {"add": {"index": rebuild.index.name, "alias": "x_search_searchdocument"}},
                {
                    "remove": {
                        "index": "x_search_searchdocument_old_1",
                        "alias": "x_search_searchdocument",
                    }
                },
            ]
        }
    )
    backend.es.indices.delete.assert_called_with(index="x_search_searchdocument_old_1")


def test_an_index_named_as_the_alias_is_replaced_in_the_same_request():
    backend = server_backend()
    backend.es.indices.get.return_value = {"x_search_searchdocument": {}}
    rebuild = IndexRebuild(backend)
    rebuild.publish()
    (call,) = backend.es.indices.update_aliases.call_args_list
    assert call.kwargs["body"]["actions"] == [
        {"remove_index": {"index": "x_search_searchdocument"}},
        {"add": {"index": rebuild.index.name, "alias": "x_search_searchdocument"}},
    ]


def test_the_live_index_is_current_only_with_this_version():
    backend = server_backend()
    meta = {"mappings": {"_meta": {VERSION_KEY: mapping_version(backend)}}}
    backend.es.indices.get_mapping.return_value = {"x_search_searchdocument_v_1": meta}
    assert index_is_current(backend)
    backend.es.indices.get_mapping.return_value = {"x_search_searchdocument": {"mappings": {}}}
    assert not index_is_current(backend)
    backend.es.indices.get_mapping.side_effect = backend.NotFoundError(404, "missing", {})
    assert not index_is_current(backend)
