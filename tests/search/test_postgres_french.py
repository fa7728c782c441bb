"""French full-text search on PostgreSQL: stemming without accents (the `carnet_french`
configuration of search/migrations/0002), accent-insensitive autocomplete, and the audiences
filter on this backend too. Data is built through the services and indexed by the signals,
as on the site; every example is checked through the engine and through /search/."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import TestCase
from django.urls import reverse

from projects import services
from projects.models import JournalEntryKind, ProjectVisibility
from search.backends import get_search_engine
from search.engine import SearchRequest
from search.models import SearchDocument
from tests.helpers import published
from users.factories import UserFactory
from visibility.policy import audiences_of

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: run by `make test-postgres` and CI",
)

ELECTRONICS = "Électronique pour débutants"
PHONE_STAND = "Support de téléphone"
SECRET = "Prototype secret de veilleuse"


class FrenchSearchTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory(display_name="Camille")
        cls.outsider = UserFactory(display_name="Sacha")
        cls.staff = UserFactory(staff=True)
        # Indexing runs once the services' transactions commit: run those callbacks here.
        with cls.captureOnCommitCallbacks(execute=True):
            electronics = published(
                services.project_create(
                    owner=cls.owner,
                    title=ELECTRONICS,
                    summary="Souder une première carte avec les élèves du collège.",
                )
            )
            services.journal_entry_create(
                project=electronics,
                author=cls.owner,
                kind=JournalEntryKind.FAILURE,
                title="Boîtier raté",
                body="La découpe du contreplaqué a brûlé les bords : trop de puissance.",
            )
            published(
                services.project_create(
                    owner=cls.owner,
                    title=PHONE_STAND,
                    summary="Imprimé en PLA sur l'imprimante du fablab, sans support.",
                )
            )
            secret = published(
                services.project_create(
                    owner=cls.owner,
                    title=SECRET,
                    summary="Une veilleuse zorglub en découpe laser, pour les élèves de CM2.",
                )
            )
            services.project_update(
                project=secret, user=cls.owner, visibility=ProjectVisibility.PRIVATE
            )

    def engine_titles(self, query: str, user=None) -> list[str]:
        audiences = audiences_of(user) if user else {"public"}
        response = get_search_engine().search(SearchRequest(query), audiences=audiences)
        titles = [hit.document.title for hit in response.hits]
        self.assertEqual(response.total, len(titles), "one page holds every hit here")
        return titles

    def view_titles(self, query: str, user=None) -> list[str]:
        if user:
            self.client.force_login(user)
        response = self.client.get(reverse("search:search"), {"q": query})
        self.client.logout()
        self.assertEqual(response.status_code, 200)
        return [hit.document.title for hit in response.context["response"].hits]

    def assert_found(self, query: str, title: str, user=None) -> None:
        self.assertIn(title, self.engine_titles(query, user), f"engine, {query!r}")
        self.assertIn(title, self.view_titles(query, user), f"/search/?q={query}")

    def autocomplete_titles(self, query: str, user=None) -> list[str]:
        if user:
            self.client.force_login(user)
        response = self.client.get(reverse("search:autocomplete"), {"q": query})
        self.client.logout()
        self.assertEqual(response.status_code, 200)
        return [result["title"] for result in response.json()["results"]]


class TestFrenchConfiguration(FrenchSearchTestCase):
    def test_backend_indexes_and_queries_with_carnet_french(self):
        self.assertEqual(
            settings.WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"], "carnet_french"
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_tsvector('carnet_french', 'Découpe des élèves')::text")
            self.assertEqual(cursor.fetchone()[0], "'decoup':1 'elev':3")

    def test_every_document_has_its_search_columns(self):
        """search/migrations/0003: the French vector is generated, the arrays are copied from
        the terms by search.services; modelsearch's index table is not used on PostgreSQL."""
        documents = SearchDocument.objects.filter(kind__in=["project", "journal_entry"])
        self.assertEqual(documents.count(), 4)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM search_searchdocument WHERE kind IN"
                " ('project', 'journal_entry') AND search_vector @@ to_tsquery('carnet_french',"
                " 'decoupe | souder | imprimante | veilleuse') AND cardinality(audiences) > 0"
                " AND 'type:project' = ANY(facet_terms) = (kind = 'project')"
            )
            self.assertEqual(cursor.fetchone()[0], 4)
        self.assertEqual(documents.filter(index_entries__isnull=False).count(), 0)


class TestStemmingWithoutAccents(FrenchSearchTestCase):
    def test_decoupe_without_accent_finds_decoupe_with_accent(self):
        self.assert_found("decoupe", "Boîtier raté")

    def test_eleves_without_accents_finds_eleves_with_accents(self):
        self.assert_found("eleves", ELECTRONICS)

    def test_singular_without_accents_finds_the_plural_with_accents(self):
        self.assert_found("eleve", ELECTRONICS)

    def test_imprimantes_finds_imprimante(self):
        self.assert_found("imprimantes", PHONE_STAND)

    def test_accented_query_finds_the_same_as_the_plain_one(self):
        for query in ("découpe", "DÉCOUPE", "élèves"):
            with self.subTest(query=query):
                plain = self.engine_titles(query.lower().replace("é", "e").replace("è", "e"))
                self.assertEqual(self.engine_titles(query), plain)
                self.assertTrue(plain)

    def test_elided_article_is_ignored(self):
        self.assert_found("l'imprimante", PHONE_STAND)

    def test_stop_words_alone_find_nothing_without_error(self):
        self.assertEqual(self.view_titles("le la des"), [])

    def test_every_word_must_match(self):
        self.assertEqual(self.view_titles("decoupe contreplaque"), ["Boîtier raté"])
        self.assertEqual(self.view_titles("decoupe imprimante"), [])


class TestAccentInsensitiveAutocomplete(FrenchSearchTestCase):
    def test_elec_with_or_without_accent_suggests_electronique(self):
        for query in ("elec", "élec", "Élec", "ELEC", "electroni"):
            with self.subTest(query=query):
                self.assertIn(ELECTRONICS, self.autocomplete_titles(query))
                documents = get_search_engine().autocomplete(query, audiences={"public"})
                self.assertIn(ELECTRONICS, [document.title for document in documents])

    def test_accented_prefix_finds_a_title_with_the_accent(self):
        self.assertIn(PHONE_STAND, self.autocomplete_titles("télé"))
        self.assertIn(PHONE_STAND, self.autocomplete_titles("tele"))

    def test_autocomplete_completes_the_last_word_only(self):
        self.assertEqual(self.autocomplete_titles("pour deb"), [ELECTRONICS])


class TestPrivateWordsStayPrivate(FrenchSearchTestCase):
    def test_private_project_is_not_in_search_for_outsiders(self):
        for user in (None, self.outsider):
            with self.subTest(user=user):
                self.assertEqual(self.view_titles("zorglub", user), [])
                self.assertNotIn(SECRET, self.view_titles("veilleuse", user))
                self.assertNotIn(SECRET, self.engine_titles("decoupe", user))

    def test_private_project_is_found_by_its_owner_and_staff(self):
        for user in (self.owner, self.staff):
            with self.subTest(user=user):
                self.assertEqual(self.view_titles("zorglub", user), [SECRET])
                self.assertIn(SECRET, self.view_titles("decoupe", user))

    def test_facet_counts_leave_out_private_projects(self):
        self.client.force_login(self.outsider)
        response = self.client.get(reverse("search:search"), {"q": "eleves"})
        facets = response.context["response"].facets
        self.assertEqual(response.context["response"].total, 1)
        self.assertEqual([(f.value, f.count) for f in facets["type"]], [("project", 1)])

    def test_private_title_is_not_suggested_to_outsiders(self):
        self.assertEqual(self.autocomplete_titles("prototype"), [])
        self.assertEqual(self.autocomplete_titles("prototype", self.outsider), [])
        self.assertEqual(self.autocomplete_titles("prototype", self.owner), [SECRET])
