"""Factories for search documents, for tests of the engine itself (pagination, facets,
permissions) that need many documents and no content behind them.

`SearchDocumentFactory(body="laser", terms=[("tag", "laser", "Laser")])` writes the document,
its terms and its audience ("public" unless `audiences=[…]` says otherwise), then makes it
searchable at once (search.services.search_documents_index): no transaction has to commit
first. Documents of real content come from `search.services` (search_index_project…), as in
production."""

import factory
from anyascii import anyascii
from django.utils import timezone
from factory.django import DjangoModelFactory

from visibility.policy import AUDIENCE_TERM
from visibility.registry import PUBLIC_AUDIENCE

from .models import SearchDocument, SearchDocumentKind, SearchTerm
from .services import search_documents_index


class SearchDocumentFactory(DjangoModelFactory):
    class Meta:
        model = SearchDocument
        skip_postgeneration_save = True

    kind = SearchDocumentKind.PROJECT
    source_id = factory.Sequence(lambda n: 1_000_000 + n)
    title = factory.Sequence(lambda n: f"Document {n}")
    title_folded = factory.LazyAttribute(lambda document: anyascii(document.title))
    body = ""
    url = factory.Sequence(lambda n: f"/documents/{n}/")
    updated_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def terms(self, create, extracted, **kwargs):
        """(name, value, label) triples; the document's type is added."""
        if create:
            rows = [("type", self.kind, ""), *(extracted or ())]
            SearchTerm.objects.bulk_create(
                SearchTerm(document=self, name=name, value=value, label=label)
                for name, value, label in dict.fromkeys(rows)
            )

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if create:
            tokens = [PUBLIC_AUDIENCE] if extracted is None else list(extracted)
            SearchTerm.objects.bulk_create(
                SearchTerm(document=self, name=AUDIENCE_TERM, value=token) for token in tokens
            )

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            search_documents_index(documents=[instance], on_commit=False)
