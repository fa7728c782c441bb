"""A three-node OpenSearch cluster, one replica of every shard, loses a node while documents are
indexed and searched: no search fails or answers from part of the index, and every document
indexed before, during and after is found once the cluster has recovered.

Runs under `make test-opensearch` (scripts/with-opensearch.sh starts one node for the other
server tests; this test starts its own cluster). Skipped without CARNET_SEARCH_URL, like
test_search_server.py."""

import os
import secrets

import pytest
from django.test import TestCase, override_settings
from modelsearch.backends import get_search_backend

from docs_platform.settings.env import search_backend
from search.backends import get_search_engine
from search.elasticsearch import ElasticsearchSearchEngine
from search.engine import SearchRequest
from search.factories import SearchDocumentFactory
from search.models import SearchDocument
from tests.search.opensearch import OpenSearchCluster

if not os.environ.get("CARNET_SEARCH_URL"):
    pytest.skip(
        "skipped: no search server (run under scripts/with-opensearch.sh)",
        allow_module_level=True,
    )

pytestmark = pytest.mark.slow

NODES = 3
STOPPED_NODE = 2
DOCUMENTS = 60
STOP_AT = 20  # documents indexed before the node is asked to stop
AFTER_STOP = 20  # documents indexed while it shuts down


class TestClusterLosesANode(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cluster = OpenSearchCluster(NODES)
        cls.cluster.__enter__()
        cls.addClassCleanup(cls.cluster.__exit__, None, None, None)
        config = search_backend(
            "opensearch3",
            urls=cls.cluster.urls,
            index_prefix=f"carnet_cluster{secrets.token_hex(3)}_",
            timeout=60,
        )
        config["INDEX_SETTINGS"]["settings"] = {
            **config["INDEX_SETTINGS"]["settings"],
            "index": {"number_of_shards": NODES, "number_of_replicas": 1},
        }
        cls.enterClassContext(override_settings(WAGTAILSEARCH_BACKENDS={"default": config}))
        search_index = get_search_backend().get_index_for_model(SearchDocument)
        search_index.reset()
        search_index.add_model(SearchDocument)
        super().setUpClass()

    def setUp(self):
        self.answers = []
        send = ElasticsearchSearchEngine._send

        def recording(engine, body):
            raw = send(engine, body)
            self.answers.append(raw)
            return raw

        patcher = pytest.MonkeyPatch()
        patcher.setattr(ElasticsearchSearchEngine, "_send", recording)
        self.addCleanup(patcher.undo)

    def search(self, query):
        return get_search_engine().search(SearchRequest(query, per_page=10), audiences={"public"})

    def index_one(self, number):
        SearchDocumentFactory(title=f"Relevé {number}", body=f"Mesure grappe repere{number}")

    def test_searches_and_indexing_go_on_while_a_node_stops(self):
        backend = get_search_backend()
        number = 0
        while number < STOP_AT:
            self.index_one(number)
            self.search("grappe")
            number += 1
        self.cluster.stop_node(STOPPED_NODE)
        while number < STOP_AT + AFTER_STOP:  # while the node shuts down
            self.index_one(number)
            self.search("grappe")
            number += 1
        self.cluster.wait_stopped(STOPPED_NODE)
        while number < DOCUMENTS:
            self.index_one(number)
            self.search("grappe")
            number += 1

        # The replicas the node held are copied again on the two left (slow on a busy machine).
        health = backend.es.cluster.health(
            wait_for_nodes=NODES - 1, wait_for_status="green", timeout="300s", request_timeout=310
        )
        self.assertEqual(health["number_of_nodes"], NODES - 1)
        backend.get_index_for_model(SearchDocument).refresh()
        self.assertEqual(self.search("grappe").total, DOCUMENTS)
        for number in range(DOCUMENTS):
            with self.subTest(number=number):
                (hit,) = self.search(f"repere{number}").hits
                self.assertEqual(hit.document.title, f"Relevé {number}")
        self.assertEqual(SearchDocument.objects.count(), DOCUMENTS)
        partial = [raw["_shards"] for raw in self.answers if raw["_shards"]["failed"]]
        self.assertEqual(partial, [], "searches answered from part of the index")
        self.assertEqual(len(self.answers), 2 * DOCUMENTS + 1)
