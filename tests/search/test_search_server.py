"""The search suite on a real Elasticsearch or OpenSearch server (docs/search.md).

Runs when CARNET_SEARCH_URL points at a server, e.g.

    CARNET_SEARCH_URL=http://localhost:9200 make test PYTEST_ARGS=tests/search/test_search_server.py

Every test class of the database suite (SUITES) runs again here on the server, unchanged: same
data, indexed through search.services, same assertions on results, highlights, facet counts,
pagination, autocomplete and what each reader may see. The classes below add what only a server
shows: its mapping, its French analysis, the search page and bad input.

The backend is CARNET_SEARCH_BACKEND if it names a server backend, else it is read from the
server (Elasticsearch 8 or 9, OpenSearch 3). Each class writes to its own indexes, prefixed
"<CARNET_SEARCH_INDEX>test<random>_<class>_", and deletes them at the end. Database rows are
rolled back after each test, the index is not: a test that wrote to it is followed by a rebuild
of the index from the class's data.

Without CARNET_SEARCH_URL the module is skipped, with one line in pytest's summary."""

import base64
import contextlib
import functools
import io
import json
import os
import secrets
from importlib import import_module
from unittest import mock
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

import pytest
from django.core.management import call_command
from django.test import TestCase, override_settings
from modelsearch.backends import get_search_backend

from docs_platform.settings.env import SEARCH_BACKENDS, search_backend
from projects.factories import JournalEntryFactory, ProjectPageFactory
from projects.models import ProjectPage
from search.apps import reindex_if_mapping_changed
from search.backends import get_search_engine
from search.elasticsearch import (
    MAX_RESULT_WINDOW,
    ElasticsearchSearchEngine,
    IndexRebuild,
    index_fields,
    index_is_current,
    mapping_version,
)
from search.engine import SearchRequest
from search.factories import SearchDocumentFactory
from search.models import SearchDocument
from search.tasks import search_index_task
from tests.helpers import EnglishClient

SKIP_REASON = (
    "skipped: no search server (set CARNET_SEARCH_URL to run the Elasticsearch/OpenSearch suite)"
)
SEARCH_URLS = [url.strip() for url in os.environ.get("CARNET_SEARCH_URL", "").split(",")]
SEARCH_URLS = [url for url in SEARCH_URLS if url]
if not SEARCH_URLS:
    pytest.skip(SKIP_REASON, allow_module_level=True)

# The database suite, run again on the server class by class ("module" for each of its
# classes, "module:Class" for one), with the searches of other apps' tests.
SUITES = (
    "tests.search.test_engine",
    "tests.search.test_indexing",
    "tests.search.test_indexing_queue",
    "tests.search.test_views",
    "tests.search.test_audiences",
    "tests.search.test_calls",
    "tests.search.test_expected_results",
    "tests.moderation.test_hidden_everywhere",
    "tests.visibility.test_private_tribe_names:TestSearch",
)
RUN = secrets.token_hex(3)
# One shard: scores (and so the order of hits) do not depend on how documents are spread.
TEST_INDEX_SETTINGS = {"settings": {"index": {"number_of_shards": 1, "number_of_replicas": 0}}}


@functools.cache
def server_backend_name() -> str:
    """CARNET_SEARCH_BACKEND, or the server's own answer to GET /."""
    configured = os.environ.get("CARNET_SEARCH_BACKEND", "database")
    if configured != "database":
        return configured
    url = urlsplit(SEARCH_URLS[0])
    if url.scheme not in {"http", "https"}:
        raise ValueError(f"CARNET_SEARCH_URL must start with http:// or https://: {url.geturl()}")
    request = Request(url._replace(netloc=url.netloc.rpartition("@")[2]).geturl())  # noqa: S310
    if url.username:
        credentials = f"{url.username}:{url.password or ''}".encode()
        request.add_header("Authorization", "Basic " + base64.b64encode(credentials).decode())
    with urlopen(request, timeout=10) as answer:  # noqa: S310 - http(s) only, checked above
        version = json.load(answer)["version"]
    major = version["number"].split(".")[0]
    name = (
        "opensearch" if version.get("distribution") == "opensearch" else "elasticsearch"
    ) + major
    if name not in SEARCH_BACKENDS:
        raise RuntimeError(f"Carnet runs on {', '.join(SEARCH_BACKENDS)}; this server is {name}")
    return name


def server_settings(index_prefix: str) -> override_settings:
    config = search_backend(
        server_backend_name(), urls=SEARCH_URLS, index_prefix=index_prefix, timeout=30
    )
    config["INDEX_SETTINGS"] = {
        "settings": {**config["INDEX_SETTINGS"]["settings"], **TEST_INDEX_SETTINGS["settings"]}
    }
    return override_settings(WAGTAILSEARCH_BACKENDS={"default": config})


def _body(answer):
    return getattr(answer, "body", answer)


def reset_index():
    """An empty index with modelsearch's mapping (in place of the indexes behind the alias
    `manage.py reindex` leaves)."""
    search_index = get_search_backend().get_index_for_model(SearchDocument)
    es = get_search_backend().es
    for name in _body(es.indices.get(index=search_index.name, ignore_unavailable=True)):
        es.indices.delete(index=name)
    search_index.put()
    search_index.add_model(SearchDocument)
    return search_index


def rebuild_index() -> None:
    """The documents of the database, in an empty index with modelsearch's mapping."""
    search_index = reset_index()
    get_search_backend().add_bulk(
        SearchDocument, list(SearchDocument.objects.prefetch_related("terms"))
    )
    search_index.refresh()


def term_list_mapping() -> dict | None:
    backend = get_search_backend()
    name = backend.get_index_for_model(SearchDocument).name
    (index,) = _body(backend.es.indices.get_mapping(index=name)).values()
    terms = index_fields(backend.mapping_class).terms
    return index["mappings"].get("properties", {}).get(terms)


class OnSearchServer:
    """Mixed into a test class: its own indexes on the server, searched through the
    Elasticsearch/OpenSearch engine, refreshed before each search, rebuilt after a test that
    wrote to them, deleted at the end."""

    @classmethod
    def setUpClass(cls):
        cls.index_prefix = f"{os.environ.get('CARNET_SEARCH_INDEX', 'carnet_')}test{RUN}_"
        cls.index_prefix += f"{cls.__name__.lower()}_"
        cls.server_settings = server_settings(cls.index_prefix)
        cls.server_settings.enable()
        try:
            reset_index()
            super().setUpClass()  # the class's data, indexed through search.services
        except Exception:
            with contextlib.suppress(Exception):  # the first error is the one to read
                cls._delete_indexes()
            cls.server_settings.disable()
            raise

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        mapping = term_list_mapping()
        assert mapping == {"type": "keyword"}, (
            f"After indexing, the search index maps term_list as {mapping}, not as modelsearch's "
            "keyword list: something reset the index without putting the mapping back "
            "(search_index.add_model(SearchDocument) after search_index.reset())."
        )

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls._delete_indexes()
            cls.server_settings.disable()

    @classmethod
    def _delete_indexes(cls):
        es = get_search_backend().es
        for name in _body(es.indices.get(index=f"{cls.index_prefix}*")):
            es.indices.delete(index=name)

    def setUp(self):
        super().setUp()
        self.index_writes = 0
        index_class = get_search_backend().index_class
        for name in ("add_item", "add_items", "delete_item", "reset"):
            self._patch(index_class, name, self._counting(getattr(index_class, name)))
        self._patch(
            ElasticsearchSearchEngine, "_send", _refreshing(ElasticsearchSearchEngine._send)
        )

    def _patch(self, owner, name, replacement):
        patcher = mock.patch.object(owner, name, replacement)
        patcher.start()
        self.addCleanup(patcher.stop)

    def _counting(self, method):
        def counted(index, *args, **kwargs):
            self.index_writes += 1
            return method(index, *args, **kwargs)

        return counted

    def _fixture_teardown(self):
        super()._fixture_teardown()  # the database is back to the class's data
        if self.index_writes:
            rebuild_index()


def _refreshing(send):
    """Searches see every write before them, as they do on the database."""

    def refreshed(engine, body):
        engine.backend.get_index_for_model(SearchDocument).refresh()
        return send(engine, body)

    return refreshed


def _server_variants() -> dict[str, type]:
    """TestFacets of test_engine.py becomes TestFacetsOnServerEngine here."""
    variants = {}
    for entry in SUITES:
        module_name, _, only = entry.partition(":")
        module = import_module(module_name)
        suffix = module_name.rpartition(".test_")[2].title().replace("_", "")
        for suite in vars(module).values():
            if (
                isinstance(suite, type)
                and issubclass(suite, TestCase)
                and suite.__module__ == module.__name__
                and suite.__name__.startswith("Test")
                and suite.__name__ == (only or suite.__name__)
            ):
                name = f"{suite.__name__}OnServer{suffix}"
                variants[name] = type(name, (OnSearchServer, suite), {"__module__": __name__})
    return variants


globals().update(_server_variants())


class TestServerSpecifics(OnSearchServer, TestCase):
    @classmethod
    def setUpTestData(cls):
        SearchDocumentFactory(title="Pommes au four", body="Des élèves ont gravé des pommes.")
        SearchDocumentFactory(title="Électronique", body="Soudure à l'étain.")
        SearchDocumentFactory(title="Carnet secret", body="Pommes", audiences=["user:999999"])
        super().setUpTestData()

    def search(self, query, audiences=frozenset({"public"}), **kwargs):
        return get_search_engine().search(SearchRequest(query, **kwargs), audiences=audiences)

    def titles(self, query, audiences=frozenset({"public"})):
        return {hit.document.title for hit in self.search(query, audiences).hits}

    def test_the_engine_is_the_servers(self):
        engine = get_search_engine()
        self.assertIsInstance(engine, ElasticsearchSearchEngine)
        self.assertTrue(engine.index_name.startswith(self.index_prefix))

    def test_french_words_are_found_by_their_stem_and_without_accents(self):
        self.assertEqual(self.titles("pomme"), {"Pommes au four"})
        self.assertEqual(self.titles("eleves"), {"Pommes au four"})
        self.assertEqual(self.titles("élève"), {"Pommes au four"})
        self.assertEqual(self.titles("etain"), {"Électronique"})

    def test_french_highlights_mark_the_words_found(self):
        (hit,) = self.search("pomme").hits
        self.assertEqual(hit.title, "<mark>Pommes</mark> au four")
        self.assertIn("<mark>pommes</mark>", hit.snippet)

    def test_search_syntax_is_only_words(self):
        for query in ("title:pommes OR *", 'pommes" AND (', "pommes~2 ^3 /regex/", "\\"):
            with self.subTest(query=query):
                self.search(query)  # the server answers: no query parser reads it

    def test_a_page_past_the_servers_window_is_the_last_it_can_return(self):
        response = self.search("pommes", page=10_000)
        self.assertEqual(response.page, MAX_RESULT_WINDOW // response.per_page)
        self.assertEqual((response.hits, response.total), ([], 1))

    def test_the_search_page_and_suggestions(self):
        client = EnglishClient()
        page = client.get("/search/", {"q": "pommes", "page": "abc"})
        self.assertContains(page, "<mark>Pommes</mark> au four")
        self.assertContains(page, "1 result for")
        self.assertNotContains(page, "Carnet secret")
        suggestions = client.get("/search/autocomplete/", {"q": "elec"}).json()["results"]
        self.assertEqual([result["title"] for result in suggestions], ["Électronique"])
        self.assertEqual(client.get("/search/autocomplete/", {"q": "carn"}).json(), {"results": []})

    def test_staff_sees_every_document(self):
        self.assertEqual(self.titles("pommes", audiences=None), {"Pommes au four", "Carnet secret"})


class TestReindexOnServer(OnSearchServer, TestCase):
    """`manage.py reindex` fills a new index, versioned by its mapping, then moves the alias."""

    @classmethod
    def setUpTestData(cls):
        for number in range(5):
            ProjectPageFactory(title=f"Girouette {number}", summary="Une girouette en laiton.")
        super().setUpTestData()

    def reindex(self):
        with self.captureOnCommitCallbacks(execute=True):
            call_command("reindex", stdout=io.StringIO())

    def behind_alias(self) -> list[str]:
        backend = get_search_backend()
        name = backend.get_index_for_model(SearchDocument).name
        return sorted(_body(backend.es.indices.get(index=name)))

    def test_the_alias_moves_to_a_new_index_of_this_mapping_version(self):
        self.reindex()
        (first,) = self.behind_alias()
        backend = get_search_backend()
        self.assertIn(f"_{mapping_version(backend)}_", first)
        self.assertTrue(index_is_current(backend))
        with mock.patch("search.elasticsearch.time.strftime", return_value="later"):
            self.reindex()
        (second,) = self.behind_alias()
        self.assertNotEqual(first, second)
        self.assertFalse(backend.es.indices.exists(index=first), "the old index is deleted")
        self.assertEqual(len(self.search("girouette").hits), 5)

    def test_searches_during_the_rebuild_read_the_old_index_whole(self):
        self.reindex()
        ids = dict(SearchDocument.objects.values_list("source_id", "pk"))
        totals = []
        add = IndexRebuild.add

        def add_then_search(rebuild, documents):
            add(rebuild, documents)
            totals.append(self.search("girouette").total)

        with mock.patch.object(IndexRebuild, "add", add_then_search):
            self.reindex()
        self.assertEqual(totals, [5] * len(totals))
        self.assertTrue(totals)
        # The old index's ids stay those of the documents: its hits load until the switch.
        self.assertEqual(dict(SearchDocument.objects.values_list("source_id", "pk")), ids)

    def test_a_failed_rebuild_leaves_the_index_in_use(self):
        self.reindex()
        before = self.behind_alias()
        with (
            mock.patch.object(IndexRebuild, "add", side_effect=RuntimeError("server away")),
            self.assertRaises(RuntimeError),
        ):
            self.reindex()
        self.assertEqual(self.behind_alias(), before)
        self.assertEqual(len(self.search("girouette").hits), 5)
        prefix = get_search_backend().get_index_for_model(SearchDocument).name
        self.assertEqual(len(_body(get_search_backend().es.indices.get(index=f"{prefix}_*"))), 1)

    def test_a_changed_mapping_is_rebuilt_after_migrate(self):
        self.reindex()
        backend = get_search_backend()
        with mock.patch("search.elasticsearch.mapping_version", return_value="changed"):
            self.assertFalse(index_is_current(backend))
            with self.captureOnCommitCallbacks(execute=True):
                reindex_if_mapping_changed()
            (current,) = self.behind_alias()
            self.assertIn("_changed_", current)
            self.assertTrue(index_is_current(backend))
        self.assertEqual(len(self.search("girouette").hits), 5)

    def search(self, query):
        return get_search_engine().search(SearchRequest(query), audiences={"public"})


class TestBulkIndexingOnServer(OnSearchServer, TestCase):
    """What one indexing task writes goes to the server in one bulk request."""

    @classmethod
    def setUpTestData(cls):
        cls.project = ProjectPageFactory(title="Sextant", summary="Un sextant en bois.")
        JournalEntryFactory.create_batch(6, project=cls.project, body="Visée du soleil.")
        super().setUpTestData()

    def test_a_project_and_its_entries_are_sent_in_one_request(self):
        index_class = get_search_backend().index_class
        with (
            mock.patch.object(index_class, "add_items", autospec=True) as add_items,
            mock.patch.object(index_class, "add_item", autospec=True) as add_item,
        ):
            for requests, title in enumerate(("Sextant de marine", "Sextant de poche"), 1):
                # A new title reaches every entry: seven documents written by one task.
                ProjectPage.objects.filter(pk=self.project.pk).update(title=title)
                with self.captureOnCommitCallbacks(execute=True):
                    search_index_task.enqueue("project", self.project.pk)
                self.assertEqual(add_items.call_count, requests)
                self.assertEqual(len(add_items.call_args.args[2]), 7)
        self.assertEqual(add_item.call_count, 0)
