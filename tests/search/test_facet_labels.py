"""A facet value shows once, labelled in the reader's language, whatever the language of the
request that indexed it: values whose label is a translated choice (type, status, licence, entry
kind) are indexed without a label and translated when shown (search.engine.group_facets)."""

from django.test import TestCase
from django.utils import translation

from projects.factories import JournalEntryFactory, ProjectPageFactory
from projects.models import JournalEntryKind, Licence, ProjectStatus
from search.backends import get_search_engine
from search.engine import SearchRequest, _choice_labels
from search.models import SearchTerm
from search.services import search_index_journal_entry, search_index_project
from tests.helpers import EnglishClient

LANGUAGES = ("fr", "en")


class TestFacetLabels(TestCase):
    @classmethod
    def setUpTestData(cls):
        # Two of each value, one indexed by a French request and one by an English one.
        cls.projects = []
        for language in LANGUAGES:
            project = ProjectPageFactory(
                title=f"Métier à tisser {language}",
                status=ProjectStatus.IN_PROGRESS,
                licence=Licence.CC_BY_SA,
            )
            JournalEntryFactory(
                project=project, kind=JournalEntryKind.FAILURE, title="Navette coincée"
            )
            cls.projects.append((language, project))

    def index_each_in_its_language(self):
        for language, project in self.projects:
            with translation.override(language):
                search_index_project(project_id=project.pk)
                for entry in project.journal_entries.all():
                    search_index_journal_entry(entry_id=entry.pk)

    def facets(self, reader_language: str):
        with translation.override(reader_language):
            response = get_search_engine().search(
                SearchRequest(query="tisser"), audiences={"public"}
            )
            return {
                name: [(facet.value, str(facet.label), facet.count) for facet in values]
                for name, values in response.facets.items()
            }

    def test_each_value_once_in_the_readers_language(self):
        self.index_each_in_its_language()
        choices = _choice_labels()
        for reader_language in LANGUAGES:
            facets = self.facets(reader_language)
            with translation.override(reader_language):
                expected = {
                    name: {value: str(label) for value, label in labels.items()}
                    for name, labels in choices.items()
                }
            for name in ("status", "licence"):
                with self.subTest(reader=reader_language, facet=name):
                    (value,) = facets[name]  # one value, not one per indexing language
                    self.assertEqual(value[1], expected[name][value[0]])
                    self.assertEqual(value[2], 2)
            with self.subTest(reader=reader_language, facet="type"):
                self.assertEqual(facets["type"], [("project", expected["type"]["project"], 2)])
        self.assertNotEqual(self.facets("fr")["status"], self.facets("en")["status"])

    def test_entry_kinds_too(self):
        self.index_each_in_its_language()
        for reader_language in LANGUAGES:
            with translation.override(reader_language):
                response = get_search_engine().search(
                    SearchRequest(query="navette"), audiences={"public"}
                )
                label = str(dict(JournalEntryKind.choices)[JournalEntryKind.FAILURE])
                shown = [(f.value, str(f.label), f.count) for f in response.facets["entry_kind"]]
            with self.subTest(reader=reader_language):
                self.assertEqual(shown, [("failure", label, 2)])

    def test_what_is_stored_does_not_depend_on_the_indexing_language(self):
        stored = {}
        for language in LANGUAGES:
            with translation.override(language):
                for _language, project in self.projects:
                    search_index_project(project_id=project.pk)
            stored[language] = set(
                SearchTerm.objects.exclude(name="audience").values_list("name", "value", "label")
            )
        self.assertEqual(stored["fr"], stored["en"])

    def test_the_page_shows_one_value_in_french_and_in_english(self):
        self.index_each_in_its_language()
        client = EnglishClient()
        english = client.get("/search/", {"q": "tisser"})
        self.assertContains(english, "In progress", count=1)
        self.assertNotContains(english, "En cours")
        french = client.get("/search/", {"q": "tisser"}, headers={"accept-language": "fr"})
        self.assertContains(french, "En cours", count=1)
        self.assertNotContains(french, "In progress")
