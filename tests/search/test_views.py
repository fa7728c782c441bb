"""/search/ and /search/autocomplete/: the page, the header search box, and bad input.

Whatever is typed or put in the address (search syntax, huge queries, unknown filters, odd page
numbers, broken percent-encodings), the answer is a normal page, with a note when something
was ignored: never a server error."""

import json
from unittest import mock

from django.test import TestCase

from projects.factories import JournalEntryFactory, ProjectPageFactory
from projects.models import JournalEntryKind, ProjectPage
from search.engine import FacetValue, SearchHit, SearchResponse
from search.factories import SearchDocumentFactory
from search.services import search_reindex_all
from tests.helpers import EnglishClient
from tribes.factories import TribePageFactory
from users.factories import UserFactory

NOTHING_WITH_FILTERS = "Nothing matches with these filters"
TYPE_A_WORD = "Type a word or two"
NO_SUCH_PAGE = "That page number does not exist; here is the first page."
TOO_LONG = "Your search was very long: only its first 200 characters were used."
SYNTAX_CHARACTERS = ['"', "*", ":", "&", "|", "!", "-", "(", ")"]


class SearchViewTestCase(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory(username="owner")
        cls.tribe = TribePageFactory(title="Tribu Vermillon")
        cls.lamp = ProjectPageFactory(
            title="Lampe Zéphyrine",
            owner=cls.owner,
            summary="Découpe laser du bois, en aquarelle.",
            tags=["laser", "bois"],
        )
        cls.stool = ProjectPageFactory(
            title="Tabouret laser", owner=cls.owner, summary="Du laser et du bois.", tags=["bois"]
        )
        cls.private = ProjectPageFactory(
            title="Projet Xylophage",
            owner=cls.owner,
            summary="Laser xylophage secret.",
            tags=["laser", "confidentiel"],
        )
        ProjectPage.objects.filter(pk=cls.private.pk).update(visibility="private")
        cls.entry = JournalEntryFactory(
            project=cls.lamp,
            kind=JournalEntryKind.FAILURE,
            title="Bobine cassée",
            body="La bobine a lâché. <script>alert('bobine')</script>",
        )
        with cls.captureOnCommitCallbacks(execute=True):
            search_reindex_all()

    def get(self, path, data=None):
        response = self.client.get(path, data)
        self.assertEqual(response.status_code, 200, path)
        return response


class TestSearchPage(SearchViewTestCase):
    def test_results_and_facets(self):
        response = self.get("/search/", {"q": "laser"})
        self.assertContains(response, "2 results for “laser”")
        self.assertContains(response, f'href="{self.lamp.url}"')
        self.assertContains(response, f'href="{self.stool.url}"')
        self.assertContains(response, "<mark>laser</mark>")
        self.assertContains(response, 'class="facets"')
        self.assertContains(response, "<summary>Tag</summary>")
        self.assertContains(response, "<summary>Type</summary>")
        self.assertContains(response, "Projects")
        self.assertNotContains(response, "Xylophage")
        self.assertNotContains(response, "confidentiel")
        self.assertContains(response, "<title>Search: laser · Carnet</title>", html=False)

    def test_results_say_their_type(self):
        response = self.get("/search/", {"q": "bobine"})
        self.assertContains(response, 'class="result result--journal_entry"')
        self.assertContains(response, '<p class="result__kind">Journal entry</p>', html=True)

    def test_snippets_are_escaped_on_the_page(self):
        response = self.get("/search/", {"q": "bobine"})
        self.assertNotContains(response, "<script>alert")
        self.assertNotContains(response, "<script alert")
        self.assertContains(response, "&lt;script")

    def test_facet_counts_do_not_count_private_projects(self):
        response = self.get("/search/", {"q": "laser"})
        tags = {facet.value: facet.count for facet in response.context["response"].facets["tag"]}
        self.assertEqual(tags, {"laser": 1, "bois": 2})

    def test_private_project_words_find_nothing_for_outsiders(self):
        response = self.get("/search/", {"q": "xylophage"})
        self.assertContains(response, "0 results for “xylophage”")
        self.assertContains(response, "Nothing found")
        self.assertNotContains(response, 'class="facets"')
        self.client.force_login(UserFactory())
        response = self.get("/search/", {"q": "xylophage"})
        self.assertContains(response, "0 results for “xylophage”")

    def test_private_project_is_found_by_its_owner(self):
        self.client.force_login(self.owner)
        response = self.get("/search/", {"q": "xylophage"})
        self.assertContains(response, "1 result for “xylophage”")
        self.assertContains(response, f'href="{self.private.url}"')

    def test_a_facet_link_adds_the_filter_and_drops_the_page(self):
        response = self.get("/search/", {"q": "laser", "page": "1"})
        self.assertContains(response, 'href="?q=laser&amp;tag=bois"')
        self.assertContains(response, 'href="?q=laser&amp;type=project"')

    def test_a_selected_facet_is_marked_and_its_link_removes_it(self):
        response = self.get("/search/", {"q": "laser", "tag": "laser"})
        self.assertContains(response, "1 result for “laser”")
        self.assertContains(response, 'aria-current="true"')
        self.assertContains(response, "✓ laser")
        self.assertContains(response, 'href="?q=laser"')  # the selected tag's link clears it
        self.assertContains(response, '<input type="hidden" name="tag" value="laser">')
        self.assertContains(response, "Clear the filters")

    def test_two_facets_narrow_the_results(self):
        both = self.get("/search/", {"q": "laser", "tag": "bois", "type": "project"})
        self.assertEqual(both.context["response"].total, 2)
        narrower = self.get("/search/", {"q": "laser", "tag": ["bois", "laser"]})
        self.assertEqual(narrower.context["response"].total, 2)  # OR within one facet
        narrowest = self.get("/search/?q=laser&tag=laser&type=project")
        self.assertEqual(narrowest.context["response"].total, 1)

    def test_the_search_page_has_its_own_box_with_autocomplete(self):
        response = self.get("/search/", {"q": "laser"})
        self.assertContains(response, 'id="search-q"')
        self.assertContains(response, 'value="laser"')
        self.assertContains(response, 'data-autocomplete="/search/autocomplete/"', count=2)

    def test_search_is_offered_in_french_too(self):
        response = self.client.get("/search/", {"q": "laser"}, headers={"accept-language": "fr"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="fr">', html=False)


class TestPagination(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        SearchDocumentFactory.create_batch(25, body="pagination commune")

    def test_second_page(self):
        first = self.client.get("/search/", {"q": "pagination"})
        self.assertContains(first, "Page 1 of 2")
        self.assertContains(first, 'rel="next" href="?q=pagination&amp;page=2"')
        self.assertEqual(len(first.context["response"].hits), 20)
        second = self.client.get("/search/", {"q": "pagination", "page": "2"})
        self.assertContains(second, "Page 2 of 2")
        self.assertContains(second, 'rel="prev" href="?q=pagination&amp;page=1"')
        self.assertEqual(len(second.context["response"].hits), 5)
        first_ids = {hit.document.pk for hit in first.context["response"].hits}
        second_ids = {hit.document.pk for hit in second.context["response"].hits}
        self.assertFalse(first_ids & second_ids)

    def test_a_page_past_the_last_shows_the_last_with_a_note(self):
        response = self.client.get("/search/", {"q": "pagination", "page": "7"})
        self.assertContains(response, "There are only 2 pages of results; here is the last one.")
        self.assertContains(response, "Page 2 of 2")
        self.assertEqual(len(response.context["response"].hits), 5)

    def test_a_page_number_without_any_result_gives_no_page_count(self):
        """No result at all: no "There are only 1 pages" note, just the "Nothing found" one."""
        response = self.client.get("/search/", {"q": "introuvablissime", "page": "3"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nothing found")
        self.assertEqual([str(note) for note in response.context["notes"]], [])

    def test_odd_page_numbers_give_the_first_page_with_a_note(self):
        for page in ("999999", "0", "-1", "abc", "1e9", "1.5", "", " ", "99999999999999999999"):
            with self.subTest(page=page):
                response = self.client.get(f"/search/?q=pagination&page={page}")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["response"].page, 1)
                if page.strip():
                    self.assertContains(response, NO_SUCH_PAGE)


class TestCappedCount(TestCase):
    """An engine that stopped counting (search.postgres.MATCH_LIMIT) is shown as "more than":
    checked here with a stand-in engine, so on every database; test_postgres_engine.py checks
    the real one on PostgreSQL."""

    client_class = EnglishClient

    def capped_page(self, *, capped):
        document = SearchDocumentFactory(title="Capuchon", body="capuchon")

        class CappedEngine:
            def search(self, request, *, audiences):
                return SearchResponse(
                    hits=[SearchHit(document, document.title, document.body)],
                    total=1000,
                    page=request.page,
                    per_page=request.per_page,
                    facets={"type": [FacetValue("project", "Projects", 1000)]},
                    capped=capped,
                )

        with mock.patch("search.views.get_search_engine", CappedEngine):
            return self.client.get("/search/", {"q": "capuchon"})

    def test_a_capped_total_reads_more_than(self):
        response = self.capped_page(capped=True)
        self.assertContains(response, "More than 1,000 results for “capuchon”")
        self.assertContains(response, "Counted among the first 1,000 results.")
        self.assertContains(response, "Page 1 of 50")

    def test_an_exact_total_reads_as_it_is(self):
        response = self.capped_page(capped=False)
        self.assertContains(response, "1000 results for “capuchon”")
        self.assertNotContains(response, "More than")
        self.assertNotContains(response, "Counted among")


class TestHeaderSearchBox(SearchViewTestCase):
    BOX = '<form class="header-search" action="/search/" method="get" role="search">'

    def test_every_page_has_the_search_box(self):
        for path in ("/", self.lamp.url, self.tribe.url, "/projects/", "/tribes/", "/search/"):
            with self.subTest(path=path):
                response = self.get(path)
                self.assertContains(response, self.BOX, html=False)
                self.assertContains(response, 'name="q"')
                self.assertContains(response, 'data-autocomplete="/search/autocomplete/"')

    def test_the_not_found_page_has_it_too(self):
        response = self.client.get("/this/does/not/exist/")
        self.assertContains(response, self.BOX, status_code=404, html=False)

    def test_the_box_keeps_the_query_escaped(self):
        response = self.get("/search/", {"q": '"><script>x</script>'})
        self.assertNotContains(response, "<script>x")
        self.assertContains(response, "&quot;&gt;&lt;script&gt;")


class TestAutocomplete(SearchViewTestCase):
    def suggestions(self, query, **kwargs):
        response = self.client.get("/search/autocomplete/", {"q": query}, **kwargs)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        return json.loads(response.content)["results"]

    def test_suggests_visible_titles_as_json(self):
        self.assertEqual(
            self.suggestions("zéph"),
            [{"title": "Lampe Zéphyrine", "url": self.lamp.url, "kind": "Project"}],
        )

    def test_with_and_without_accents(self):
        self.assertEqual([s["title"] for s in self.suggestions("zeph")], ["Lampe Zéphyrine"])
        self.assertEqual([s["title"] for s in self.suggestions("ZÉPH")], ["Lampe Zéphyrine"])

    def test_hides_what_the_reader_may_not_see(self):
        self.assertEqual(self.suggestions("xylo"), [])
        self.client.force_login(self.owner)
        self.assertEqual([s["title"] for s in self.suggestions("xylo")], ["Projet Xylophage"])

    def test_one_letter_suggests_nothing(self):
        self.assertEqual(self.suggestions("z"), [])
        self.assertEqual(self.suggestions(""), [])
        response = self.client.get("/search/autocomplete/")
        self.assertEqual(json.loads(response.content), {"results": []})

    def test_bad_input_gives_an_empty_or_normal_answer(self):
        for query in [*SYNTAX_CHARACTERS, '"zeph*', "zeph:", "(zeph)", "zeph & |", "x" * 5000,
                      "é" * 3000, "\x00zeph"]:  # fmt: skip
            with self.subTest(query=query[:20]):
                self.suggestions(query)
        for raw in ("%E9t%C3", "%ZZ", "%", "%C3", "%00"):
            with self.subTest(raw=raw):
                response = self.client.get(f"/search/autocomplete/?q={raw}")
                self.assertEqual(response.status_code, 200)
                json.loads(response.content)


class TestBadInput(SearchViewTestCase):
    def test_no_query_shows_the_empty_page_without_a_note(self):
        response = self.get("/search/")
        self.assertNotContains(response, TYPE_A_WORD)
        self.assertIsNone(response.context["response"])

    def test_empty_query_gives_a_helpful_message(self):
        for query in ("", "   ", "\t"):
            with self.subTest(query=query):
                self.assertContains(self.get("/search/", {"q": query}), TYPE_A_WORD)

    def test_a_5000_character_query_is_cut_with_a_note(self):
        for query in ("laser " * 833, "a" * 5000, "é" * 5000, "(" * 5000):
            with self.subTest(query=query[:10]):
                response = self.get("/search/", {"q": query})
                self.assertContains(response, TOO_LONG)
                self.assertLessEqual(len(response.context["search"].query), 200)

    def test_a_long_query_still_finds(self):
        response = self.get("/search/", {"q": "laser" + " " * 4995})
        self.assertContains(response, TOO_LONG)
        self.assertEqual(response.context["response"].total, 2)

    def test_each_syntax_character_alone(self):
        for character in SYNTAX_CHARACTERS:
            with self.subTest(character=character):
                self.assertContains(self.get("/search/", {"q": character}), TYPE_A_WORD)
                self.get("/search/", {"q": character * 3})

    def test_syntax_characters_around_words_are_read_as_spaces(self):
        for character in SYNTAX_CHARACTERS:
            for query in (f"{character}laser", f"laser{character}", f"laser {character} bois",
                          f"{character}laser{character}bois{character}"):  # fmt: skip
                with self.subTest(query=query):
                    response = self.get("/search/", {"q": query})
                    # "laser-bois" is one hyphenated word: a phrase on SQLite.
                    expected = 1 if character == "-" and "-bois" in query else 2
                    self.assertGreaterEqual(response.context["response"].total, expected)

    def test_a_mix_of_syntax_and_words(self):
        for query in ('"laser" -bois (test*) a:b & c | d !e', 'laser AND "bois', "laser OR bois",
                      "NOT laser", "laser NEAR(bois)", "laser^2 bois~", "l'atelier d’aujourd’hui",
                      "laser-bois", "-laser", "laser -", "'laser'", "la_ser", "\\laser\\",
                      "laser %", "laser;DROP TABLE search_searchdocument;--", "{laser}", "[bois]",
                      "laser@bois.fr", "#laser", "laser\x00bois", "🔥 laser"):  # fmt: skip
            with self.subTest(query=query):
                self.get("/search/", {"q": query})

    def test_words_found_through_syntax(self):
        self.assertEqual(
            self.get("/search/", {"q": '"laser*" (bois)'}).context["response"].total, 2
        )
        self.assertEqual(self.get("/search/", {"q": "-xylophage"}).context["response"].total, 0)

    def test_unknown_facet_values(self):
        response = self.get("/search/?q=laser&tag=nope&status=zzz&type=bogus")
        self.assertContains(response, NOTHING_WITH_FILTERS)
        self.assertContains(response, "Clear the filters")
        for query in ("q=laser&machine=&licence=", "q=laser&entry_kind=%20", "q=laser&tribe=abc",
                      "q=laser&tribe=-1", "q=laser&tribe=99999999999999999999999",
                      "q=laser&audience=user:1", "q=laser&colour=red"):  # fmt: skip
            with self.subTest(query=query):
                self.get(f"/search/?{query}")

    def test_unknown_facet_names_are_ignored(self):
        response = self.get("/search/?q=laser&audience=public&colour=red")
        self.assertEqual(response.context["response"].total, 2)

    def test_a_facet_value_of_5000_characters(self):
        response = self.get("/search/", {"q": "laser", "tag": "x" * 5000})
        self.assertContains(response, NOTHING_WITH_FILTERS)

    def test_a_facet_repeated_many_times(self):
        response = self.get("/search/?q=laser" + "&tag=bois" * 500)
        self.assertEqual(response.context["response"].total, 2)
        response = self.get("/search/?q=laser" + "".join(f"&tag=t{n}" for n in range(500)))
        self.assertContains(response, NOTHING_WITH_FILTERS)

    def test_more_parameters_than_django_accepts_is_not_a_server_error(self):
        response = self.client.get("/search/?q=laser" + "&tag=bois" * 1500)
        self.assertIn(response.status_code, (200, 400))

    def test_broken_percent_encodings(self):
        for raw in ("q=%E9t%C3", "q=%ZZ", "q=%", "q=%C3", "q=laser%", "q=%%%", "q=laser&tag=%E9",
                    "q=laser&page=%C3", "q=%00", "q=laser&page=%00",
                    "q=%u00e9", "q=%2", "q=+", "%C3=laser", "q=laser&%ZZ=1"):  # fmt: skip
            with self.subTest(raw=raw):
                self.get(f"/search/?{raw}")

    def test_a_nul_character_in_a_facet_value_is_not_a_server_error(self):
        """PostgreSQL refuses NUL in text parameters (DataError, a 500): the form must drop it."""
        for raw in ("tag=%00", "type=%00", "tag=bois%00", "status=%00&licence=%00"):
            with self.subTest(raw=raw):
                self.get(f"/search/?q=laser&{raw}")

    def test_a_lone_broken_byte_is_an_empty_query(self):
        self.assertContains(self.get("/search/?q=%C3"), TYPE_A_WORD)

    def test_the_query_is_repeated(self):
        response = self.get("/search/?q=xylophage&q=laser")
        self.assertEqual(response.context["search"].query, "laser")
