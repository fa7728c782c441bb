"""The shared table of expected results (tests/search/expected_results.py), met by the engine in
use: the PostgreSQL engine here under `make test-postgres`, Elasticsearch/OpenSearch through
tests/search/test_search_server.py under `make test-opensearch`. The engine of the SQLite
database backend is left out: it has its own examples (test_engine.py)."""

import unittest

from django.test import TestCase

from search.backends import get_search_engine, search_engine_class
from search.elasticsearch import ElasticsearchSearchEngine
from search.engine import SearchRequest
from search.factories import SearchDocumentFactory
from search.models import SearchDocumentKind
from search.postgres import PostgresSearchEngine
from tests.search.expected_results import DOCUMENTS, READERS, SEARCHES, SUGGESTIONS

ENGINES = (PostgresSearchEngine, ElasticsearchSearchEngine)


class TestExpectedResults(TestCase):
    @classmethod
    def setUpClass(cls):
        if search_engine_class() not in ENGINES:
            raise unittest.SkipTest("the SQLite engine: see test_engine.py")
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for title, body, kind, terms, audiences in DOCUMENTS:
            SearchDocumentFactory(
                title=title,
                body=body,
                kind=SearchDocumentKind(kind),
                terms=terms,
                audiences=audiences,
            )

    def test_searches(self):
        engine = get_search_engine()
        for expected in SEARCHES:
            with self.subTest(str(expected)):
                request = SearchRequest(expected.query, filters=expected.filters, per_page=50)
                response = engine.search(request, audiences=READERS[expected.reader])
                titles = {hit.document.title for hit in response.hits}
                self.assertEqual(titles, expected.titles)
                self.assertEqual(response.total, len(expected.titles))
                for name, counts in expected.facets.items():
                    found = {value.value: value.count for value in response.facets.get(name, [])}
                    self.assertEqual(found, counts, f"facet {name}")

    def test_suggestions(self):
        engine = get_search_engine()
        for reader, prefix, titles in SUGGESTIONS:
            with self.subTest(f"{reader}: {prefix!r}"):
                documents = engine.autocomplete(prefix, audiences=READERS[reader])
                self.assertEqual([document.title for document in documents], titles)
