"""PostgreSQL's own search path (search.postgres) answers as modelsearch's database backend did:
the same results, totals and facet counts, and the same suggestions, for every reader. Both
engines run here on the same documents: modelsearch's index is filled for the comparison only
(on PostgreSQL, search.services no longer writes it).

Past MATCH_LIMIT matches the answer is capped, and the page says so."""

from unittest import mock

import pytest
from django.db import connection
from django.test import TestCase
from modelsearch.backends import get_search_backend

from search.backends import get_search_engine
from search.engine import DatabaseSearchEngine, SearchRequest
from search.factories import SearchDocumentFactory
from search.models import SearchDocument
from tests.helpers import EnglishClient
from visibility.policy import audiences_of

from .test_engine import SearchTestCase

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: run by `make test-postgres` and CI",
)

READERS = ("anonymous", "outsider", "invited", "tribe_member", "collaborator", "owner", "staff")
# Words of build_world: public, private, tribe-only and draft projects, entries, tribes, members.
QUERIES = (
    "lanterne", "bobine", "hermine", "tisserand", "mandragore", "xylophage", "ornithorynque",
    "quenouille", "projet", "lanterne bois", "garance", "introuvablissime", "le",
)  # fmt: skip
FILTERS = (
    {},
    {"tag": ["laser"]},
    {"tag": ["bois", "confidentiel"]},
    {"type": ["project"], "status": ["finished", "prototype_works"]},
    {"entry_kind": ["failure"]},
    {"tribe": ["0"]},
)
PREFIXES = ("lamp", "projet", "xylo", "mandra", "herm", "bobi", "gasp", "tabou", "electro")


def answer(engine, query, reader_audiences, filters) -> tuple:
    request = SearchRequest(query=query, filters=filters, per_page=100)
    response = engine.search(request, audiences=reader_audiences)
    facets = {
        name: [(f.value, str(f.label), f.count, f.selected) for f in values]
        for name, values in response.facets.items()
    }
    hits = sorted((hit.document.pk, str(hit.title), str(hit.snippet)) for hit in response.hits)
    return response.total, response.capped, hits, facets


class TestSameAnswersAsModelsearch(SearchTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Sixteen tags on two documents: equal counts, so the order by label is compared too.
        tags = [("tag", f"t{n:02}", f"Étiquette {n:02}") for n in range(16)]
        SearchDocumentFactory.create_batch(2, body="lanterne bobine", terms=tags)
        SearchDocumentFactory(body="lanterne cachée", audiences=["user:999999"], terms=tags[:3])
        documents = list(SearchDocument.objects.prefetch_related("terms"))
        get_search_backend().add_bulk(SearchDocument, documents)  # modelsearch's index

    def test_the_engine_on_postgresql_is_the_postgres_engine(self):
        self.assertEqual(type(get_search_engine()).__name__, "PostgresSearchEngine")

    def test_results_totals_and_facets_are_the_same_for_every_reader(self):
        checked = 0
        for reader in READERS:
            tokens = audiences_of(self.reader(reader))
            for query in QUERIES:
                for filters in FILTERS:
                    with self.subTest(reader=reader, query=query, filters=filters):
                        ours = answer(get_search_engine(), query, tokens, filters)
                        theirs = answer(DatabaseSearchEngine(), query, tokens, filters)
                        self.assertEqual(ours, theirs)
                        checked += bool(ours[0])
        self.assertGreater(checked, 60, "most comparisons must have results to mean something")

    def test_readers_see_different_things(self):
        """The comparison above is not between empty answers: totals differ by reader."""
        engine = get_search_engine()
        totals = {
            reader: answer(engine, "lanterne", audiences_of(self.reader(reader)), {})[0]
            for reader in READERS
        }
        self.assertEqual(totals["anonymous"], 4)  # two projects, two factory documents
        self.assertEqual(totals["owner"], 6)
        self.assertEqual(totals["staff"], 7)

    def test_suggestions_are_the_same_for_every_reader(self):
        for reader in READERS:
            tokens = audiences_of(self.reader(reader))
            for prefix in PREFIXES:
                with self.subTest(reader=reader, prefix=prefix):
                    ours = get_search_engine().autocomplete(prefix, audiences=tokens)
                    theirs = DatabaseSearchEngine().autocomplete(prefix, audiences=tokens)
                    self.assertEqual(
                        [document.pk for document in ours], [document.pk for document in theirs]
                    )

    def test_the_page_ranks_a_title_match_first(self):
        response = get_search_engine().search(SearchRequest("mandragore"), audiences=None)
        self.assertEqual(response.hits[0].document.title, "Projet Mandragore")


class TestCappedAnswers(TestCase):
    """Past MATCH_LIMIT matches, the engine stops: the total is the limit, marked `capped`."""

    @classmethod
    def setUpTestData(cls):
        cls.public = SearchDocumentFactory.create_batch(
            5, body="capuchon", terms=[("tag", "laser", "Laser")]
        )
        cls.private = SearchDocumentFactory.create_batch(
            4, body="capuchon", audiences=["user:999999"], terms=[("tag", "secret", "Secret")]
        )

    def search(self, *, limit, audiences=frozenset({"public"}), page=1):
        with mock.patch("search.postgres.MATCH_LIMIT", limit):
            request = SearchRequest("capuchon", page=page, per_page=2)
            return get_search_engine().search(request, audiences=audiences)

    def test_at_the_limit_the_count_is_exact(self):
        response = self.search(limit=5)
        self.assertEqual((response.total, response.capped), (5, False))

    def test_past_the_limit_the_total_is_the_limit_and_says_so(self):
        response = self.search(limit=3)
        self.assertEqual((response.total, response.capped, response.num_pages), (3, True, 2))
        self.assertEqual(len(response.hits), 2)
        self.assertEqual(sum(facet.count for facet in response.facets["type"]), 3)
        self.assertEqual([(f.value, f.count) for f in response.facets["tag"]], [("laser", 3)])

    def test_private_matches_count_toward_nothing(self):
        """Four private matches do not push an outsider's five public ones past a limit of 5."""
        response = self.search(limit=5)
        self.assertFalse(response.capped)
        self.assertNotIn("secret", [facet.value for facet in response.facets["tag"]])
        staff = self.search(limit=5, audiences=None)
        self.assertEqual((staff.total, staff.capped), (5, True))

    def test_the_pages_of_a_capped_answer_do_not_overlap(self):
        pages = [self.search(limit=3, page=page).hits for page in (1, 2)]
        ids = [hit.document.pk for hits in pages for hit in hits]
        self.assertEqual(len(ids), 3)
        self.assertEqual(len(set(ids)), 3)

    def test_the_page_says_more_than_the_limit(self):
        client = EnglishClient()
        with mock.patch("search.postgres.MATCH_LIMIT", 3):
            response = client.get("/search/", {"q": "capuchon"})
        self.assertContains(response, "More than 3 results for “capuchon”")
        self.assertContains(response, "Counted among the first 3 results.")

    def test_below_the_limit_the_page_gives_the_count(self):
        response = EnglishClient().get("/search/", {"q": "capuchon"})
        self.assertContains(response, "5 results for “capuchon”")
        self.assertNotContains(response, "More than")
        self.assertNotContains(response, "Counted among")
