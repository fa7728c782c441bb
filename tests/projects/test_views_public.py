"""What visitors see: the project list with its filters and the project page."""

from decimal import Decimal

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from images.factories import CarnetImageFactory
from machines.factories import MachineFactory
from projects import services
from projects.factories import (
    JournalEntryFactory,
    ProjectDocumentFactory,
    ProjectPageFactory,
    bill_of_materials_row,
    file_block,
    step_block,
)
from projects.selectors import PROJECTS_PER_PAGE
from tests.helpers import EnglishClient
from users.factories import UserFactory

# Listings show published projects with some content (projects.completeness.listed).
TOLD = "Comment tout a commencé."


def _titles(response) -> list[str]:
    return [project.title for project in response.context["projects"]]


class TestProjectIndex(TestCase):
    client_class = EnglishClient
    url = "/projects/"

    @classmethod
    def setUpTestData(cls):
        cls.laser = MachineFactory(name="Trotec Speedy")
        cls.lamp = ProjectPageFactory(
            title="Lampe origami",
            tags=["papier"],
            machines=[cls.laser],
            status="finished",
            licence="CC-BY-4.0",
            presentation=TOLD,
        )
        cls.robot = ProjectPageFactory(
            title="Robot suiveur", tags=["arduino"], status="idea", licence="MIT"
        )
        JournalEntryFactory(project=cls.robot)
        cls.draft = ProjectPageFactory(title="Projet caché", live=False, presentation=TOLD)
        cls.stub = ProjectPageFactory(title="Projet vide")

    def test_lists_live_projects_only(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Lampe origami")
        self.assertContains(response, "Robot suiveur")
        self.assertNotContains(response, "Projet caché")
        self.assertNotContains(response, "Projet vide")  # nothing told yet

    def test_filters_by_tag_status_machine_and_licence(self):
        cases = {
            "tag=papier": ["Lampe origami"],
            "status=idea": ["Robot suiveur"],
            f"machine={self.laser.slug}": ["Lampe origami"],
            "licence=MIT": ["Robot suiveur"],
            "tag=arduino&status=finished": [],
        }
        for query, expected in cases.items():
            with self.subTest(query):
                response = self.client.get(f"{self.url}?{query}")
                self.assertEqual(_titles(response), expected)

    def test_filter_choices_list_used_tags_and_machines(self):
        response = self.client.get(self.url)
        self.assertContains(response, 'value="papier"')
        self.assertContains(response, f'value="{self.laser.slug}"')

    def test_unknown_filter_values_are_ignored_not_an_error(self):
        response = self.client.get(self.url, {"status": "zzz", "tag": "%%%", "licence": "WTFPL"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(_titles(response)), 2)

    def test_paginates_twelve_per_page_and_keeps_filters(self):
        ProjectPageFactory.create_batch(PROJECTS_PER_PAGE, tags=["lot"], presentation=TOLD)
        first = self.client.get(self.url, {"tag": "lot"})
        self.assertEqual(len(_titles(first)), PROJECTS_PER_PAGE)
        self.assertEqual(first.context["projects"].paginator.count, PROJECTS_PER_PAGE)
        everything = self.client.get(self.url)
        self.assertEqual(len(_titles(everything)), PROJECTS_PER_PAGE)
        self.assertContains(everything, "?page=2")
        second = self.client.get(self.url, {"page": 2})
        self.assertEqual(len(_titles(second)), 2)
        self.assertFalse(set(_titles(everything)) & set(_titles(second)))

    def test_page_out_of_range_shows_the_last_page(self):
        ProjectPageFactory.create_batch(PROJECTS_PER_PAGE, presentation=TOLD)
        response = self.client.get(self.url, {"page": 999})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["projects"].number, 2)

    def test_new_project_button_only_for_members(self):
        self.assertNotContains(self.client.get(self.url), 'href="/projects/new/"')
        self.client.force_login(UserFactory())
        self.assertContains(self.client.get(self.url), 'href="/projects/new/"')


class TestProjectPage(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory(display_name="Nora")
        cls.collaborator = UserFactory(display_name="Yann")
        document = ProjectDocumentFactory(title="boitier.svg")
        cls.project = ProjectPageFactory(
            title="Enceinte Bluetooth",
            owner=cls.owner,
            collaborators=[cls.collaborator],
            tags=["audio"],
            presentation="Une **enceinte** <script>alert(1)</script>",
            methodology="On a testé trois épaisseurs.",
            steps=[step_block("Découper les faces", "Contreplaqué 5 mm."), step_block("Coller")],
            bill_of_materials=[
                bill_of_materials_row("Haut-parleur", quantity=2, unit_cost="12.50"),
                bill_of_materials_row("Vis M3", quantity=8, unit_cost="0.10"),
                bill_of_materials_row("Colle", quantity=1),
            ],
            files=[file_block(document, "Plan de découpe")],
        )
        cls.failure = JournalEntryFactory(
            project=cls.project, kind="failure", title="Bois brûlé", body="Trop de puissance."
        )
        cls.lesson = JournalEntryFactory(project=cls.project, kind="lesson", title="Baisser à 40 %")
        cls.trial = JournalEntryFactory(project=cls.project, kind="trial", title="Premier essai")

    def get(self, **query):
        return self.client.get(self.project.url, query)

    def test_shows_summary_people_and_markdown_sections_sanitised(self):
        response = self.get()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Enceinte Bluetooth")
        self.assertContains(response, "Nora")
        self.assertContains(response, "Yann")
        self.assertContains(response, "<strong>enceinte</strong>", html=False)
        self.assertNotContains(response, "<script>alert(1)</script>", html=False)
        self.assertContains(response, "On a testé trois épaisseurs.")

    def test_shows_steps_in_order(self):
        content = self.get().content.decode()
        self.assertLess(content.index("Découper les faces"), content.index("Coller"))
        self.assertIn("Contreplaqué 5 mm.", content)

    def test_shows_bill_of_materials_rows_and_total(self):
        response = self.get()
        self.assertContains(response, "Haut-parleur")
        self.assertEqual(self.project.bill_of_materials_total, Decimal("25.80"))
        self.assertContains(response, "25.80")

    def test_shows_files_with_description(self):
        response = self.get()
        self.assertContains(response, "boitier.svg")
        self.assertContains(response, "Plan de découpe")

    def test_shows_journal_entries_with_failures_and_lessons_marked(self):
        response = self.get()
        content = response.content.decode()
        for entry in (self.failure, self.lesson, self.trial):
            self.assertIn(f'id="journal-{entry.pk}"', content)
        highlighted = {
            entry.pk for entry in response.context["timeline"].entries if entry.is_highlighted
        }
        self.assertEqual(highlighted, {self.failure.pk, self.lesson.pk})
        for entry in (self.failure, self.lesson):
            tag_start = content.rindex("<li", 0, content.index(f'id="journal-{entry.pk}"'))
            self.assertIn("is-highlighted", content[tag_start : content.index(">", tag_start)])

    def test_journal_can_be_filtered_by_kind(self):
        content = self.get(kind="failure").content.decode()
        self.assertIn(f'id="journal-{self.failure.pk}"', content)
        self.assertNotIn(f'id="journal-{self.trial.pk}"', content)
        self.assertNotIn(f'id="journal-{self.lesson.pk}"', content)

    def test_visitor_sees_no_edit_links(self):
        response = self.get()
        self.assertFalse(response.context["can_edit"])
        self.assertNotContains(response, f"/projects/{self.project.slug}/edit/")

    def test_owner_and_collaborator_see_edit_links(self):
        for user in (self.owner, self.collaborator):
            self.client.force_login(user)
            response = self.get()
            self.assertTrue(response.context["can_edit"])
            self.assertContains(response, f"/projects/{self.project.slug}/edit/details/")
            self.assertContains(response, f"/projects/{self.project.slug}/journal/new/")

    def test_other_member_sees_no_edit_links(self):
        self.client.force_login(UserFactory())
        self.assertFalse(self.get().context["can_edit"])

    def test_unknown_project_is_404(self):
        self.assertEqual(self.client.get("/projects/does-not-exist/").status_code, 404)


class TestQueryCounts(TestCase):
    """Pages run a fixed number of queries, however much content they show."""

    client_class = EnglishClient

    def _queries(self, url) -> int:
        self.client.get(url)  # warm caches and create renditions
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def _project(self, tags=("bois",)):
        return ProjectPageFactory(
            cover_image=CarnetImageFactory(), tags=list(tags), presentation=TOLD
        )

    def test_project_list_does_not_grow_with_projects(self):
        for _ in range(2):
            self._project()
        few = self._queries("/projects/")
        for _ in range(5):
            self._project(tags=("bois", "led"))
        self.assertEqual(self._queries("/projects/"), few)

    def test_project_page_does_not_grow_with_journal_entries_and_photos(self):
        project = self._project()
        for _ in range(2):
            JournalEntryFactory(project=project, photos=[CarnetImageFactory()])
        few = self._queries(project.url)
        for _ in range(5):
            JournalEntryFactory(
                project=project, photos=[CarnetImageFactory(), CarnetImageFactory()]
            )
        self.assertEqual(self._queries(project.url), few)

    def test_home_page_does_not_grow_with_projects(self):
        self._project()
        few = self._queries("/")
        for _ in range(4):
            project = self._project()
            services.journal_entry_create(
                project=project, author=project.owner, kind="note", body="x"
            )
        self.assertEqual(self._queries("/"), few)
