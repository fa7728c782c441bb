"""The database search engine: typed results, highlighted snippets, every section of a project,
facets and their counts, pagination, autocomplete, and above all permissions: nothing the reader
may not see shows up, neither as a result, nor as a facet value, nor in a count.

The words searched are made-up or rare nouns, each written in one place only, so "is it found?"
has one answer on SQLite FTS5 and on PostgreSQL, with or without stemming."""

from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from django.test import TestCase

from machines.factories import MachineFactory, MaterialFactory
from projects.factories import (
    JournalEntryFactory,
    ProjectPageFactory,
    bill_of_materials_row,
    step_block,
)
from projects.models import JournalEntryKind, Licence, ProjectPage, ProjectStatus
from search.backends import get_search_engine
from search.engine import FACET_SIZE, PER_PAGE, SearchRequest, highlight
from search.factories import SearchDocumentFactory
from search.services import search_reindex_all
from tribes.factories import TribeMembershipFactory, TribePageFactory
from users.factories import UserFactory
from visibility.policy import audiences_of


def _project(*, title, owner, visibility="public", tribes=(), **fields):
    project = ProjectPageFactory(title=title, owner=owner, **fields)
    if tribes:
        project.tribes.set(list(tribes))
        project.save()
    if visibility != "public":
        # After the tribes: a tribe-only project without a tribe does not validate.
        ProjectPage.objects.filter(pk=project.pk).update(visibility=visibility)
    return ProjectPage.objects.get(pk=project.pk)


def build_world(test_case) -> SimpleNamespace:
    """Projects of every visibility sharing the word "lanterne", journal entries sharing
    "bobine", two tribes and two members; then the whole index is built."""
    people = SimpleNamespace(
        owner=UserFactory(username="owner"),
        collaborator=UserFactory(username="collaborator"),
        tribe_member=UserFactory(username="tribe-member"),
        invited=UserFactory(username="invited"),
        outsider=UserFactory(username="outsider"),
        staff=UserFactory(username="staff", staff=True),
    )
    tribe = TribePageFactory(title="Tribu Vermillon", description="Atelier textile garance.")
    private_tribe = TribePageFactory(
        title="Cercle Hermine", description="Broderie hermine.", private=True
    )
    TribeMembershipFactory(tribe=tribe, user=people.tribe_member)
    TribeMembershipFactory(tribe=tribe, user=people.owner)
    TribeMembershipFactory(tribe=tribe, user=people.invited, invited=True)
    TribeMembershipFactory(tribe=private_tribe, user=people.invited, invited=True)
    trotec = MachineFactory(name="Trotec Speedy", slug="trotec")
    prusa = MachineFactory(name="Prusa MK4", slug="prusa")
    plywood = MaterialFactory(name="Contreplaqué girouette")

    lamp = _project(
        title="Lampe Zéphyrine",
        owner=people.owner,
        summary="Une lanterne pour le hublot.",
        presentation="Inspirée d'une aquarelle.",
        methodology="Mesurée à la boussole.",
        technical_architecture="Une catapulte de ressorts.",
        steps=[step_block("Tracer le dromadaire", "Poncer l'escarpin.")],
        bill_of_materials=[bill_of_materials_row("Vis flibustier", quantity=4)],
        tags=["laser", "bois"],
        machines=[trotec],
        materials=[plywood],
        status=ProjectStatus.FINISHED,
        licence=Licence.MIT,
        tribes=[tribe],
    )
    stool = _project(
        title="Tabouret électronique",
        owner=people.owner,
        summary="Une lanterne sous le siège.",
        tags=["bois"],
        machines=[prusa],
        status=ProjectStatus.IDEA,
        licence=Licence.CC_BY_SA,
    )
    private = _project(
        title="Projet Xylophage",
        owner=people.owner,
        summary="Une lanterne secrète.",
        presentation="Le xylophage mange le bois.",
        tags=["laser", "confidentiel"],
        machines=[trotec],
        collaborators=[people.collaborator],
        status=ProjectStatus.PROTOTYPE_WORKS,
        licence=Licence.ALL_RIGHTS_RESERVED,
        visibility="private",
    )
    tribe_only = _project(
        title="Projet Mandragore",
        owner=people.owner,
        summary="Une lanterne pour la tribu, mandragore.",
        tags=["tribal"],
        collaborators=[people.collaborator],
        tribes=[tribe],
        visibility="tribe",
    )
    draft = _project(
        title="Projet Ornithorynque",
        owner=people.owner,
        summary="Un brouillon d'ornithorynque.",
        collaborators=[people.collaborator],
        live=False,
    )
    entries = SimpleNamespace(
        failure=JournalEntryFactory(
            project=lamp,
            kind=JournalEntryKind.FAILURE,
            title="La bobine a cassé",
            body="Une bobine trop tendue. <script>alert('x')</script> & fin.",
            machine=trotec,
        ),
        success=JournalEntryFactory(
            project=lamp,
            kind=JournalEntryKind.SUCCESS,
            title="Nouvelle bobine",
            body="Avec une bobine neuve, ça tient.",
            machine=prusa,
        ),
        private=JournalEntryFactory(
            project=private,
            kind=JournalEntryKind.NOTE,
            title="Note quenouille",
            body="Une bobine et une quenouille.",
        ),
    )
    members = SimpleNamespace(
        weaver=UserFactory(
            username="gaspard", display_name="Gaspard Tisserand", bio="Tisserand à Lille."
        ),
    )
    with test_case.captureOnCommitCallbacks(execute=True):
        search_reindex_all()
    return SimpleNamespace(
        people=people,
        tribe=tribe,
        private_tribe=private_tribe,
        machines=SimpleNamespace(trotec=trotec, prusa=prusa),
        projects=SimpleNamespace(
            lamp=lamp, stool=stool, private=private, tribe_only=tribe_only, draft=draft
        ),
        entries=entries,
        members=members,
    )


class SearchTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world(cls)

    def reader(self, name):
        return AnonymousUser() if name == "anonymous" else getattr(self.world.people, name)

    def search(self, query, *, reader="anonymous", page=1, per_page=PER_PAGE, **filters):
        request = SearchRequest(query=query, filters=filters, page=page, per_page=per_page)
        return get_search_engine().search(request, audiences=audiences_of(self.reader(reader)))

    def titles(self, query, **kwargs) -> set[str]:
        return {hit.document.title for hit in self.search(query, **kwargs).hits}

    def facet_counts(self, response, name) -> dict[str, int]:
        return {facet.value: facet.count for facet in response.facets.get(name, [])}


class TestResults(SearchTestCase):
    def test_results_are_typed(self):
        w = self.world
        cases = {
            "aquarelle": ("project", w.projects.lamp.pk),
            "quenouille": ("journal_entry", w.entries.private.pk),
            "garance": ("tribe", w.tribe.pk),
            "tisserand": ("member", w.members.weaver.pk),
        }
        for query, (kind, source_id) in cases.items():
            with self.subTest(query=query):
                hits = self.search(query, reader="staff").hits
                self.assertEqual(
                    [(hit.document.kind, hit.document.source_id) for hit in hits],
                    [(kind, source_id)],
                )

    def test_results_link_to_the_object(self):
        w = self.world
        (project_hit,) = self.search("aquarelle").hits
        self.assertEqual(project_hit.document.url, w.projects.lamp.url)
        (tribe_hit,) = self.search("garance").hits
        self.assertEqual(tribe_hit.document.url, w.tribe.url)
        (member_hit,) = self.search("tisserand").hits
        self.assertEqual(member_hit.document.url, "/members/gaspard/")
        hits = self.search("cassé tendue").hits
        self.assertEqual([hit.document.url for hit in hits], [w.entries.failure.get_absolute_url()])

    def test_every_section_of_a_project_is_searchable(self):
        sections = {
            "title": "zéphyrine",
            "summary": "hublot",
            "presentation": "aquarelle",
            "methodology": "boussole",
            "technical architecture": "catapulte",
            "step title": "dromadaire",
            "step body": "escarpin",
            "bill of materials item": "flibustier",
            "machine": "speedy",
            "material": "girouette",
        }
        for section, word in sections.items():
            with self.subTest(section=section):
                self.assertEqual(self.titles(word), {"Lampe Zéphyrine"})

    def test_every_word_of_the_query_must_match(self):
        self.assertEqual(self.titles("lanterne hublot"), {"Lampe Zéphyrine"})
        self.assertEqual(self.titles("aquarelle dromadaire"), {"Lampe Zéphyrine"})
        self.assertEqual(self.titles("aquarelle garance"), set())

    def test_journal_entries_are_found_by_their_parameters(self):
        with self.captureOnCommitCallbacks(execute=True):  # the save enqueues the indexing
            entry = JournalEntryFactory(
                project=self.world.projects.stool,
                title="Réglages",
                body="",
                parameters={"puissance": "60", "vitesse": "velocirapide"},
            )
        self.assertEqual(
            [hit.document.source_id for hit in self.search("velocirapide").hits], [entry.pk]
        )

    def test_no_match_gives_an_empty_response(self):
        response = self.search("introuvablissime")
        self.assertEqual((response.total, response.hits, response.facets), (0, [], {}))
        self.assertEqual(response.num_pages, 1)


class TestHighlighting(SearchTestCase):
    def test_snippet_marks_the_words_found(self):
        (hit,) = self.search("aquarelle").hits
        self.assertIn("<mark>aquarelle</mark>", hit.snippet)

    def test_title_marks_the_words_found(self):
        (hit,) = self.search("mandragore", reader="owner").hits
        self.assertEqual(hit.title, "Projet <mark>Mandragore</mark>")

    def test_marks_ignore_case_and_accents(self):
        self.assertEqual(highlight("Lampe Zéphyrine", "zephyrine"), "Lampe <mark>Zéphyrine</mark>")
        self.assertEqual(highlight("DÉCOUPE laser", "decoupe"), "<mark>DÉCOUPE</mark> laser")

    def test_body_with_html_is_escaped(self):
        (hit,) = self.search("tendue").hits
        self.assertNotIn("<script", hit.snippet)
        self.assertIn("&lt;script", hit.snippet)
        self.assertIn("&amp; fin", hit.snippet)
        self.assertIn("<mark>tendue</mark>", hit.snippet)

    def test_title_with_html_is_escaped(self):
        title = highlight("Essai <b>gras</b> & co", "gras")
        self.assertNotIn("<b", title)
        self.assertIn("&lt;b", title)
        self.assertIn("<mark>gras</mark>", title)
        self.assertIn("&amp; co", title)

    def test_title_keeps_its_characters(self):
        """Titles are not Markdown: "C#", "snake_case" or "A > B" are shown as written."""
        document = SearchDocumentFactory(title="C# & Arduino > Pi_Zero", body="Un pivert.")
        (hit,) = get_search_engine().search(SearchRequest("pivert"), audiences={"public"}).hits
        self.assertEqual(hit.document, document)
        self.assertEqual(hit.title, "C# &amp; Arduino &gt; Pi_Zero")

    def test_snippet_is_cut_around_the_first_match(self):
        body = "début " + "remplissage " * 60 + "pivert " + "suite " * 60
        snippet = highlight(body, "pivert", length=120)
        self.assertIn("<mark>pivert</mark>", snippet)
        self.assertLessEqual(len(snippet.replace("<mark>", "").replace("</mark>", "")), 130)
        self.assertTrue(snippet.startswith("… ") and snippet.endswith(" …"))

    def test_snippet_of_a_body_without_the_word_starts_at_the_beginning(self):
        body = "début " + "remplissage " * 60
        snippet = highlight(body, "absent", length=100)
        self.assertTrue(snippet.startswith("début"))
        self.assertNotIn("<mark>", snippet)


class TestFacets(SearchTestCase):
    def test_counts_per_facet_for_an_outsider(self):
        response = self.search("lanterne")
        self.assertEqual(response.total, 2)  # the lamp and the stool
        self.assertEqual(self.facet_counts(response, "type"), {"project": 2})
        self.assertEqual(self.facet_counts(response, "tag"), {"bois": 2, "laser": 1})
        self.assertEqual(self.facet_counts(response, "tribe"), {str(self.world.tribe.pk): 1})
        self.assertEqual(self.facet_counts(response, "machine"), {"trotec": 1, "prusa": 1})
        self.assertEqual(self.facet_counts(response, "status"), {"finished": 1, "idea": 1})
        self.assertEqual(self.facet_counts(response, "licence"), {"MIT": 1, "CC-BY-SA-4.0": 1})

    def test_facets_come_in_a_fixed_order_with_readable_labels(self):
        response = self.search("lanterne")
        self.assertEqual(
            list(response.facets), ["type", "tag", "tribe", "machine", "status", "licence"]
        )
        labels = {
            name: {facet.value: str(facet.label) for facet in values}
            for name, values in response.facets.items()
        }
        self.assertEqual(labels["tribe"], {str(self.world.tribe.pk): "Tribu Vermillon"})
        self.assertEqual(labels["machine"]["trotec"], "Trotec Speedy")
        self.assertEqual(labels["licence"]["MIT"], "MIT")
        self.assertEqual(labels["tag"], {"bois": "bois", "laser": "laser"})

    def test_entry_kind_and_machine_facets_of_journal_entries(self):
        response = self.search("bobine")
        self.assertEqual(self.facet_counts(response, "type"), {"journal_entry": 2})
        self.assertEqual(self.facet_counts(response, "entry_kind"), {"failure": 1, "success": 1})
        self.assertEqual(self.facet_counts(response, "machine"), {"trotec": 1, "prusa": 1})
        # An entry carries its project's tags, status and licence.
        self.assertEqual(self.facet_counts(response, "tag"), {"bois": 2, "laser": 2})
        self.assertEqual(self.facet_counts(response, "status"), {"finished": 2})

    def test_one_value_narrows_and_is_marked_selected(self):
        response = self.search("bobine", entry_kind=["failure"])
        self.assertEqual([hit.document.source_id for hit in response.hits],
                         [self.world.entries.failure.pk])  # fmt: skip
        (failure,) = response.facets["entry_kind"]
        self.assertEqual((failure.value, failure.count, failure.selected), ("failure", 1, True))
        self.assertFalse(any(facet.selected for facet in response.facets["tag"]))

    def test_two_facets_combine_as_and(self):
        self.assertEqual(
            self.titles("lanterne", tag=["bois"]), {"Lampe Zéphyrine", "Tabouret électronique"}
        )
        self.assertEqual(self.titles("lanterne", machine=["prusa"]), {"Tabouret électronique"})
        self.assertEqual(
            self.titles("lanterne", tag=["bois"], machine=["trotec"]), {"Lampe Zéphyrine"}
        )
        self.assertEqual(self.titles("lanterne", tag=["laser"], status=["idea"]), set())

    def test_two_values_of_one_facet_combine_as_or(self):
        self.assertEqual(
            self.titles("lanterne", machine=["trotec", "prusa"]),
            {"Lampe Zéphyrine", "Tabouret électronique"},
        )

    def test_counts_follow_the_selected_filters(self):
        response = self.search("lanterne", tag=["laser"])
        self.assertEqual(self.facet_counts(response, "tag"), {"bois": 1, "laser": 1})
        self.assertEqual(self.facet_counts(response, "machine"), {"trotec": 1})

    def test_each_facet_offers_its_most_frequent_values_and_the_selected_ones(self):
        # Sixteen tags, each on both documents: ranked by label, "zzz" comes last.
        tags = [("tag", f"t{n:02}", f"t{n:02}") for n in range(15)] + [("tag", "zzz", "zzz")]
        SearchDocumentFactory.create_batch(2, body="pluriel", terms=tags)
        response = self.search("pluriel")
        self.assertEqual(len(response.facets["tag"]), FACET_SIZE)
        self.assertNotIn("zzz", self.facet_counts(response, "tag"))
        response = self.search("pluriel", tag=["zzz"])
        last = response.facets["tag"][-1]
        self.assertEqual(len(response.facets["tag"]), FACET_SIZE + 1)
        self.assertEqual((last.value, last.count, last.selected), ("zzz", 2, True))

    def test_type_facet_across_kinds(self):
        response = self.search("hermine", reader="invited")
        self.assertEqual(self.facet_counts(response, "type"), {"tribe": 1})
        response = self.search("tisserand")
        self.assertEqual(self.facet_counts(response, "type"), {"member": 1})
        self.assertEqual(self.titles("tisserand", type=["project"]), set())

    def test_unknown_facet_values_match_nothing(self):
        response = self.search("lanterne", tag=["nope"], status=["zzz"])
        self.assertEqual((response.total, response.hits, response.facets), (0, [], {}))

    def test_unknown_facet_names_are_ignored_by_the_form(self):
        from django.http import QueryDict

        from search.forms import SearchForm

        form = SearchForm(QueryDict("q=lanterne&audience=user:1&colour=red&project=3"))
        self.assertEqual(form.search_request().filters, {})


class TestPagination(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.public = SearchDocumentFactory.create_batch(25, body="pagination commune")
        cls.private = SearchDocumentFactory.create_batch(
            3, body="pagination commune", audiences=["user:999999"]
        )

    def search(self, page, *, per_page=10, audiences=frozenset({"public"})):
        request = SearchRequest("pagination", page=page, per_page=per_page)
        return get_search_engine().search(request, audiences=audiences)

    def test_pages_split_the_results_without_overlap(self):
        pages = [self.search(page) for page in (1, 2, 3)]
        self.assertEqual([len(response.hits) for response in pages], [10, 10, 5])
        ids = [hit.document.pk for response in pages for hit in response.hits]
        self.assertEqual(len(ids), 25)
        self.assertEqual(set(ids), {document.pk for document in self.public})
        self.assertEqual({response.total for response in pages}, {25})
        self.assertEqual({response.num_pages for response in pages}, {3})

    def test_previous_and_next(self):
        first, second, last = (self.search(page) for page in (1, 2, 3))
        self.assertEqual((first.has_previous, first.has_next), (False, True))
        self.assertEqual((second.has_previous, second.has_next), (True, True))
        self.assertEqual((last.has_previous, last.has_next), (True, False))

    def test_default_page_size(self):
        response = self.search(1, per_page=PER_PAGE)
        self.assertEqual(len(response.hits), min(PER_PAGE, 25))

    def test_a_page_past_the_end_is_empty_but_counts_stay(self):
        response = self.search(9)
        self.assertEqual((response.hits, response.total), ([], 25))

    def test_private_documents_do_not_count_in_the_total(self):
        self.assertEqual(self.search(1, audiences=None).total, 28)  # staff
        self.assertEqual(self.search(3).total, 25)
        self.assertEqual(self.search(1).facets["type"][0].count, 25)


class TestVisibility(SearchTestCase):
    def test_private_project_words_are_not_found_by_outsiders(self):
        for reader in ("anonymous", "outsider", "tribe_member", "invited"):
            for word in ("xylophage", "quenouille", "confidentiel"):
                with self.subTest(reader=reader, word=word):
                    response = self.search(word, reader=reader)
                    self.assertEqual((response.total, response.hits), (0, []))
                    self.assertEqual(response.facets, {})

    def test_private_project_is_found_by_owner_collaborator_and_staff(self):
        for reader in ("owner", "collaborator", "staff"):
            with self.subTest(reader=reader):
                self.assertEqual(self.titles("xylophage", reader=reader), {"Projet Xylophage"})
                self.assertEqual(self.titles("quenouille", reader=reader), {"Note quenouille"})

    def test_private_project_leaves_no_facet_value_for_outsiders(self):
        for reader in ("anonymous", "outsider", "tribe_member"):
            with self.subTest(reader=reader):
                response = self.search("lanterne", reader=reader)
                values = {facet.value for facets in response.facets.values() for facet in facets}
                self.assertNotIn("confidentiel", values)
                self.assertNotIn("prototype_works", values)
                self.assertNotIn("all-rights-reserved", values)

    def test_a_tag_shared_with_a_private_project_counts_only_the_public_one(self):
        self.assertEqual(self.facet_counts(self.search("lanterne"), "tag")["laser"], 1)
        owner = self.search("lanterne", reader="owner")
        self.assertEqual(self.facet_counts(owner, "tag")["laser"], 2)
        self.assertEqual(self.facet_counts(owner, "tag")["confidentiel"], 1)

    def test_filtering_on_a_private_value_reveals_nothing(self):
        response = self.search("lanterne", tag=["confidentiel"])
        self.assertEqual((response.total, response.facets), (0, {}))
        response = self.search("lanterne", status=["prototype_works"], reader="outsider")
        self.assertEqual((response.total, response.facets), (0, {}))

    def test_totals_per_reader(self):
        expected = {
            "anonymous": 2,
            "outsider": 2,
            "invited": 2,  # invited is not yet a member: no tribe-only project
            "tribe_member": 3,  # + the tribe-only project
            "collaborator": 4,  # + the private and tribe-only ones
            "owner": 4,
            "staff": 4,
        }
        for reader, total in expected.items():
            with self.subTest(reader=reader):
                response = self.search("lanterne", reader=reader)
                self.assertEqual(response.total, total)
                self.assertEqual(sum(f.count for f in response.facets["type"]), total)

    def test_tribe_only_project_is_found_by_the_tribes_active_members_only(self):
        for reader, found in {"anonymous": False, "outsider": False, "invited": False,
                              "tribe_member": True, "owner": True, "collaborator": True,
                              "staff": True}.items():  # fmt: skip
            with self.subTest(reader=reader):
                self.assertEqual(
                    self.titles("mandragore", reader=reader),
                    {"Projet Mandragore"} if found else set(),
                )

    def test_draft_project_is_found_by_its_owner_and_collaborators_only(self):
        for reader, found in {"anonymous": False, "tribe_member": False, "owner": True,
                              "collaborator": True, "staff": True}.items():  # fmt: skip
            with self.subTest(reader=reader):
                self.assertEqual(bool(self.titles("ornithorynque", reader=reader)), found)

    def test_private_tribe_is_found_by_people_with_a_membership_only(self):
        for reader, found in {"anonymous": False, "outsider": False, "tribe_member": False,
                              "invited": True, "staff": True}.items():  # fmt: skip
            with self.subTest(reader=reader):
                self.assertEqual(bool(self.titles("hermine", reader=reader)), found)

    def test_private_facet_values_are_absent_not_zero(self):
        response = self.search("bobine")
        self.assertNotIn("note", self.facet_counts(response, "entry_kind"))
        for facets in response.facets.values():
            self.assertTrue(all(facet.count > 0 for facet in facets))


class TestAutocomplete(SearchTestCase):
    def suggest(self, query, reader="anonymous"):
        documents = get_search_engine().autocomplete(
            query, audiences=audiences_of(self.reader(reader))
        )
        return {document.title for document in documents}

    def test_suggests_titles_from_the_start_of_a_word(self):
        self.assertEqual(self.suggest("zéph"), {"Lampe Zéphyrine"})
        self.assertEqual(self.suggest("tabou"), {"Tabouret électronique"})
        self.assertEqual(self.suggest("lampe zé"), {"Lampe Zéphyrine"})

    def test_works_with_and_without_accents(self):
        for query in ("électro", "electro", "ELECTRO", "zeph", "zéph", "Zéphyrine"):
            with self.subTest(query=query):
                self.assertTrue(self.suggest(query), query)
        self.assertEqual(self.suggest("electro"), {"Tabouret électronique"})
        self.assertEqual(self.suggest("zeph"), {"Lampe Zéphyrine"})

    def test_suggests_only_visible_titles(self):
        self.assertEqual(self.suggest("xylo"), set())
        self.assertEqual(self.suggest("xylo", reader="outsider"), set())
        self.assertEqual(self.suggest("xylo", reader="owner"), {"Projet Xylophage"})
        self.assertEqual(self.suggest("mandra", reader="anonymous"), set())
        self.assertEqual(self.suggest("mandra", reader="tribe_member"), {"Projet Mandragore"})
        self.assertEqual(self.suggest("projet"), set())
        self.assertEqual(
            self.suggest("projet", reader="staff"),
            {"Projet Xylophage", "Projet Mandragore", "Projet Ornithorynque"},
        )

    def test_suggests_tribes_members_and_entries(self):
        self.assertEqual(self.suggest("vermil"), {"Tribu Vermillon"})
        self.assertEqual(self.suggest("gasp"), {"Gaspard Tisserand"})
        self.assertEqual(self.suggest("bobi"), {"La bobine a cassé", "Nouvelle bobine"})
        self.assertEqual(self.suggest("herm"), set())
        self.assertEqual(self.suggest("herm", reader="invited"), {"Cercle Hermine"})

    def test_suggestions_come_from_titles_only(self):
        self.assertEqual(self.suggest("aquarel"), set())

    def test_suggestions_are_limited(self):
        SearchDocumentFactory.create_batch(12, title="Girafe répétée")
        self.assertEqual(len(get_search_engine().autocomplete("gira", audiences={"public"})), 8)
