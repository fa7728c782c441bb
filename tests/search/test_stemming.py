"""Words find their other forms: plural and singular, verb forms, with or without accents or an
elision, in French on every database engine (SQLite: search.sqlite's stems; PostgreSQL: the
`carnet_french` configuration) and in English on SQLite; while suggestions still complete the
words as written ("imprim" → "Imprimante").

Each group holds forms of one word: a document holding the first form is found by every form,
and by nothing of another group, so a stemmer that conflates too much fails as surely as one
that conflates too little."""

from django.db import connection
from django.test import TestCase

from search.backends import get_search_engine
from search.engine import SearchRequest
from search.factories import SearchDocumentFactory

FRENCH = [
    ("ruche", "ruches", "Ruche", "RUCHES"),
    ("imprimantes", "imprimante", "imprimer", "imprimé"),
    ("découper", "découpe", "découpé", "decoupe", "découpes", "DÉCOUPÉ"),
    ("élèves", "élève", "eleve", "eleves", "ÉLÈVE"),
    ("fraiseuses", "fraiseuse"),
    ("l'atelier", "atelier", "ateliers", "d'atelier", "L’atelier"),
    ("lampe", "lampes"),
    ("lapin", "lapins"),
    ("soudure", "soudures"),
]
ENGLISH = [
    ("soldering", "solder", "soldered", "solders"),
    ("engraved", "engrave", "engraving", "engraves"),
    ("boxes", "box"),
    ("cutting", "cut", "cuts"),
    ("printers", "printer"),
]


class StemmingTestCase(TestCase):
    groups: list[tuple[str, ...]] = []

    @classmethod
    def setUpTestData(cls):
        # Titles without any of the words: the forms are in the body.
        cls.documents = {
            forms: SearchDocumentFactory(title=f"Fiche {n}", body=f"Notes : {forms[0]}.")
            for n, forms in enumerate(cls.groups)
        }

    def found(self, query: str) -> set[int]:
        response = get_search_engine().search(
            SearchRequest(query=query, per_page=50), audiences={"public"}
        )
        return {hit.document.pk for hit in response.hits}

    def check_every_form_finds_its_document_only(self):
        for forms, document in self.documents.items():
            for form in forms:
                with self.subTest(indexed=forms[0], searched=form):
                    self.assertEqual(self.found(form), {document.pk})


class TestFrench(StemmingTestCase):
    groups = FRENCH

    def test_every_form_finds_its_document_only(self):
        self.check_every_form_finds_its_document_only()

    def test_every_word_must_still_match(self):
        both = SearchDocumentFactory(body="Des ruches en bois découpé au laser.")
        self.assertEqual(self.found("ruche découpe"), {both.pk})
        self.assertEqual(self.found("ruches lapins"), set())

    def test_a_title_is_stemmed_too(self):
        titled = SearchDocumentFactory(title="Imprimantes du collège", body="")
        self.assertEqual(self.found("imprimante colleges") & {titled.pk}, {titled.pk})


class TestEnglish(StemmingTestCase):
    """English stems: the embedded engine only (PostgreSQL and the search servers use French)."""

    groups = ENGLISH

    def setUp(self):
        if connection.vendor != "sqlite":
            self.skipTest("English stems are the SQLite engine's (docs/search.md)")

    def test_every_form_finds_its_document_only(self):
        self.check_every_form_finds_its_document_only()


class TestSuggestionsCompleteTheWordsAsWritten(TestCase):
    """Suggestions are not stemmed: every start of a title's words (2 letters and more), with or
    without its accents, suggests it, even past where the stem ends ("imprima")."""

    TITLES = ("Imprimante résine", "Découpeuse vinyle", "Élèves ébénistes")

    @classmethod
    def setUpTestData(cls):
        for title in cls.TITLES:
            SearchDocumentFactory(title=title)

    def suggest(self, query: str) -> set[str]:
        documents = get_search_engine().autocomplete(query, audiences={"public"})
        return {document.title for document in documents}

    def test_every_start_of_every_word(self):
        for title in self.TITLES:
            for word in title.split():
                for end in range(2, len(word) + 1):
                    for prefix in {word[:end], word[:end].lower()}:
                        with self.subTest(title=title, prefix=prefix):
                            self.assertIn(title, self.suggest(prefix))

    def test_without_accents(self):
        self.assertEqual(self.suggest("imprima"), {"Imprimante résine"})
        self.assertEqual(self.suggest("resi"), {"Imprimante résine"})
        self.assertEqual(self.suggest("decoupeu"), {"Découpeuse vinyle"})
        self.assertEqual(self.suggest("eleves eben"), {"Élèves ébénistes"})

    def test_a_stem_alone_is_not_a_suggestion_of_other_words(self):
        self.assertEqual(self.suggest("imprimer"), set())
