"""SQLite: the stemmed FTS5 table of search.sqlite holds one row per document, however documents
come and go (indexing, deletion by any path, a full rebuild). A migration that rebuilds
`search_searchdocument` (SQLite copies a table to alter it) drops its delete trigger: these
tests then fail."""

from django.db import connection
from django.test import TestCase

from projects.factories import ProjectPageFactory
from search.factories import SearchDocumentFactory
from search.models import SearchDocument
from search.services import search_documents_index, search_documents_remove, search_reindex_all
from search.sqlite import FTS_TABLE


class TestOneRowPerDocument(TestCase):
    def setUp(self):
        if connection.vendor != "sqlite":
            self.skipTest("the FTS5 table is SQLite's")

    def rows(self) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {FTS_TABLE} ORDER BY rowid")  # noqa: S608
            return [row[0] for row in cursor.fetchall()]

    def documents(self) -> list[int]:
        return list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))

    def test_every_way_of_deleting(self):
        kept, *gone = SearchDocumentFactory.create_batch(4)
        self.assertEqual(self.rows(), self.documents())
        gone[0].delete()
        SearchDocument.objects.filter(pk=gone[1].pk).delete()
        search_documents_remove(kind=gone[2].kind, source_ids=[gone[2].source_id])
        self.assertEqual(self.rows(), [kept.pk])

    def test_indexing_again_replaces_the_row(self):
        document = SearchDocumentFactory(body="Une ruche.")
        document.body = "Un métier à tisser."
        document.save()
        search_documents_index(documents=[document])
        self.assertEqual(self.rows(), [document.pk])
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT body FROM {FTS_TABLE}")  # noqa: S608
            self.assertNotIn("ruch", cursor.fetchone()[0].split())

    def test_a_rebuild(self):
        SearchDocumentFactory.create_batch(2)
        ProjectPageFactory.create_batch(3)
        search_reindex_all()
        self.assertEqual(self.rows(), self.documents())
        self.assertEqual(SearchDocument.objects.filter(kind="project").count(), 3)
