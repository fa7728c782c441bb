"""The ranking rule of the database engines (search.engine.FIELD_WEIGHTS), the same on SQLite and
PostgreSQL: each word of the query scores the weights of the fields it is found in (title 3,
summary 2, body 1); equal scores put the more complete project first, then the newer document.

Each pair is written better first, so that the newer document (the last tie-breaker) is the
worse one: only the rule can put the better one first."""

from django.test import TestCase

from projects.factories import ProjectPageFactory, bill_of_materials_row, step_block
from search.backends import get_search_engine
from search.engine import SearchRequest
from search.factories import SearchDocumentFactory
from search.models import SearchDocument, SearchDocumentKind
from search.services import search_reindex_all


def ranked(query: str) -> list[str]:
    response = get_search_engine().search(
        SearchRequest(query=query, per_page=50), audiences={"public"}
    )
    return [hit.document.title for hit in response.hits]


class TestTheRule(TestCase):
    # (better, worse) documents for one query: fields of SearchDocument.
    PAIRS = {
        "a title outranks a body": (
            "girandole",
            {"title": "Girandole", "body": "Rien d'autre."},
            {"title": "Autre", "body": "Une girandole, une girandole, encore une girandole."},
        ),
        "a summary outranks a body": (
            "astrolabe",
            {"summary": "Un astrolabe.", "body": "Un astrolabe."},
            {"body": "Un astrolabe, puis un astrolabe encore, astrolabe."},
        ),
        "title and body outrank a title alone": (
            "sextant",
            {"title": "Sextant", "body": "Le sextant en laiton."},
            {"title": "Sextant"},
        ),
        "title, summary and body outrank a title alone, however complete": (
            "gnomon",
            {"title": "Gnomon", "summary": "Un gnomon.", "body": "Un gnomon."},
            {"title": "Gnomon", "completeness": 100},
        ),
        "equal fields: the more complete project": (
            "clepsydre",
            {"title": "Clepsydre", "completeness": 60},
            {"title": "Clepsydre", "completeness": 20},
        ),
        "each word scores: two words in the title outrank one": (
            "horloge comtoise",
            {"title": "Horloge comtoise"},
            {"title": "Horloge", "body": "Une comtoise.", "completeness": 100},
        ),
        "stemmed forms score as the word": (
            "boussoles",
            {"title": "Boussole", "body": "La boussole."},
            {"title": "Boussoles"},
        ),
    }

    @classmethod
    def setUpTestData(cls):
        for case, (_query, better, worse) in cls.PAIRS.items():
            for role, fields in (("better", better), ("worse", worse)):
                fields = {"title": case, **fields}
                SearchDocumentFactory(url=f"/{role}/{case}/", **fields)

    def test_each_pair(self):
        for case, (query, _better, _worse) in self.PAIRS.items():
            with self.subTest(case=case):
                response = get_search_engine().search(
                    SearchRequest(query=query, per_page=50), audiences={"public"}
                )
                urls = [hit.document.url for hit in response.hits]
                self.assertEqual(urls, [f"/better/{case}/", f"/worse/{case}/"])


class TestADocumentedProjectComesFirst(TestCase):
    """Through the real indexing: a documented laser project before the near-empty projects
    that only carry "laser" in their title, written after it."""

    @classmethod
    def setUpTestData(cls):
        cls.documented = ProjectPageFactory(
            title="Boîte à découpe laser",
            summary="Une boîte en contreplaqué découpée au laser, sans colle.",
            presentation="Une boîte à encoches pour ranger les forets, découpée au laser.",
            methodology="Dessin sous Inkscape, puis réglages de puissance sur des chutes.",
            technical_architecture="Assemblage à queues d'aronde, jeu de 0,1 mm.",
            steps=[step_block("Dessiner", "Le plan au laser."), step_block("Découper")],
            bill_of_materials=[bill_of_materials_row("Contreplaqué 3 mm")],
        )
        for title in ("Laser", "Projet laser", "Laser CO2", "Découpe laser"):
            ProjectPageFactory(title=title, summary="À venir.")
        search_reindex_all()

    def test_the_documented_project_is_first(self):
        titles = ranked("laser")
        self.assertEqual(len(titles), 5)
        self.assertEqual(titles[0], "Boîte à découpe laser")

    def test_its_completeness_is_stored(self):
        completeness = dict(
            SearchDocument.objects.filter(kind=SearchDocumentKind.PROJECT).values_list(
                "title", "completeness"
            )
        )
        self.assertGreater(completeness["Boîte à découpe laser"], completeness["Laser"])
        self.assertEqual(SearchDocument.objects.get(title="Laser").summary, "À venir.")
