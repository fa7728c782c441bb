"""The completeness score: each criterion weighs what docs/statistics.md says, the checklist
links to where to fix it, only the project's editors see it, and it costs the page no query."""

from django.test import TestCase
from django.urls import reverse

from images.factories import CarnetImageFactory
from projects.completeness import CRITERIA, is_listed, listed, project_completeness
from projects.factories import (
    JournalEntryFactory,
    ProjectPageFactory,
    bill_of_materials_row,
    step_block,
)
from projects.models import JournalEntryKind, Licence
from projects.selectors import project_get_for_viewer
from tests.helpers import EnglishClient, login
from users.factories import UserFactory

WEIGHTS = {criterion.key: criterion.weight for criterion in CRITERIA}


def complete_fields(photo) -> dict:
    """Everything a complete project has (the journal's failure is added separately)."""
    return {
        "presentation": "Une lampe **pliée**.",
        "methodology": "Prototyper vite.",
        "technical_architecture": "Une LED, un interrupteur.",
        "steps": [
            step_block("Découper", photos=[photo], block_id="s1"),
            step_block("Plier", photos=[photo], block_id="s2"),
        ],
        "bill_of_materials": [bill_of_materials_row("Papier", quantity="2", unit_cost="0.50")],
        "licence": Licence.CC_BY_SA,
        "cover_image": photo,
    }


class TestCompletenessScore(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.photo = CarnetImageFactory()

    def project(self, *, failure=True, **overrides):
        project = ProjectPageFactory(**{**complete_fields(self.photo), **overrides})
        if failure:
            JournalEntryFactory(project=project, kind=JournalEntryKind.FAILURE)
        return project

    def test_weights_add_up_to_one_hundred(self):
        self.assertEqual(sum(WEIGHTS.values()), 100)

    def test_a_complete_project_scores_one_hundred_with_nothing_missing(self):
        completeness = project_completeness(self.project())
        self.assertEqual(completeness.score, 100)
        self.assertEqual(completeness.missing, [])

    def test_each_missing_criterion_costs_its_weight(self):
        cases = {
            "presentation": {"presentation": "  \n "},
            "methodology": {"methodology": ""},
            "technical_architecture": {"technical_architecture": ""},
            "steps": {"steps": []},
            "bill_of_materials": {"bill_of_materials": []},
            "licence": {"licence": Licence.ALL_RIGHTS_RESERVED},
            "cover": {"cover_image": None},
            "journal": {"failure": False},
        }
        self.assertEqual(set(cases), set(WEIGHTS))
        for key, overrides in cases.items():
            with self.subTest(key):
                completeness = project_completeness(self.project(**overrides))
                self.assertEqual(completeness.score, 100 - WEIGHTS[key])
                self.assertEqual([item.criterion.key for item in completeness.missing], [key])

    def test_a_lesson_counts_like_a_failure_but_a_trial_does_not(self):
        lesson = self.project(failure=False)
        JournalEntryFactory(project=lesson, kind=JournalEntryKind.LESSON)
        trial = self.project(failure=False)
        JournalEntryFactory(project=trial, kind=JournalEntryKind.TRIAL)
        self.assertEqual(project_completeness(lesson).score, 100)
        self.assertEqual(project_completeness(trial).score, 100 - WEIGHTS["journal"])

    def test_every_step_needs_a_photo_and_the_link_opens_the_first_without(self):
        steps = [
            step_block("Découper", photos=[self.photo], block_id="s1"),
            step_block("Plier", block_id="s2"),
            step_block("Coller", block_id="s3"),
        ]
        project = self.project(steps=steps)
        completeness = project_completeness(project)
        self.assertEqual(completeness.score, 100 - WEIGHTS["steps"])
        self.assertEqual(
            completeness.missing[0].fix_url,
            reverse("projects:step_edit", kwargs={"slug": project.slug, "step_id": "s2"}),
        )

    def test_each_missing_item_links_to_its_edit_form(self):
        project = ProjectPageFactory(licence=Licence.ALL_RIGHTS_RESERVED)
        urls = {item.criterion.key: item.fix_url for item in project_completeness(project).items}
        slug = project.slug

        def section(name):
            return reverse("projects:edit_section", kwargs={"slug": slug, "section": name})

        self.assertEqual(
            urls,
            {
                "presentation": section("presentation"),
                "methodology": section("methodology"),
                "technical_architecture": section("technical_architecture"),
                "steps": reverse("projects:step_add", kwargs={"slug": slug}),
                "bill_of_materials": reverse("projects:bill_of_materials", kwargs={"slug": slug}),
                "licence": section("details"),
                "cover": section("cover"),
                "journal": reverse("projects:journal_entry_add", kwargs={"slug": slug})
                + "?kind=failure",
            },
        )

    def test_scoring_the_project_the_page_loads_costs_no_query(self):
        project = self.project(failure=False)
        JournalEntryFactory(project=project, kind=JournalEntryKind.LESSON)
        loaded = project_get_for_viewer(user=project.owner, slug=project.slug)
        with self.assertNumQueries(0):
            score = project_completeness(loaded).score
        self.assertEqual(score, 100)


class TestCompletenessChecklist(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.collaborator = UserFactory()
        cls.staff = UserFactory(staff=True)
        cls.stranger = UserFactory()
        cls.project = ProjectPageFactory(
            title="Lampe origami",
            presentation="Une lampe.",
            collaborators=[cls.collaborator],
        )
        cls.url = reverse("projects:detail", kwargs={"slug": cls.project.slug})

    def test_the_owner_sees_the_score_and_links_to_what_is_missing(self):
        response = login(self.client, self.project.owner).get(self.url)
        score = 100 - sum(w for key, w in WEIGHTS.items() if key not in {"presentation", "licence"})
        self.assertContains(response, f"Documentation: {score} % complete")
        methodology = reverse(
            "projects:edit_section", kwargs={"slug": self.project.slug, "section": "methodology"}
        )
        self.assertContains(response, f'<a href="{methodology}">A methodology</a>', html=True)
        self.assertNotContains(response, "A presentation</a>")

    def test_collaborators_and_staff_see_the_checklist(self):
        for user in (self.collaborator, self.staff):
            with self.subTest(user=user.username):
                response = login(self.client, user).get(self.url)
                self.assertContains(response, "complete</h2>")

    def test_visitors_and_other_members_do_not(self):
        self.assertNotContains(self.client.get(self.url), "complete</h2>")
        response = login(self.client, self.stranger).get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "complete</h2>")
        self.assertNotContains(response, 'class="completeness')

    def test_a_complete_project_says_so_instead_of_a_list(self):
        photo = CarnetImageFactory()
        project = ProjectPageFactory(**complete_fields(photo))
        JournalEntryFactory(project=project, kind=JournalEntryKind.FAILURE)
        response = login(self.client, project.owner).get(
            reverse("projects:detail", kwargs={"slug": project.slug})
        )
        self.assertContains(response, "Documentation: 100 % complete")
        self.assertContains(response, "Everything is there")


class TestListingMinimum(TestCase):
    """The listings' minimum (completeness.listed): a presentation or a journal entry anyone may
    read; the queryset filter and the one-project check agree on every shape of project."""

    def test_the_filter_and_the_check_agree(self):
        photo = CarnetImageFactory()
        shapes = {
            "bare": ({}, None, False),
            "cover only": ({"cover_image": photo}, None, False),
            "everything but a presentation or an entry": (
                {**complete_fields(photo), "presentation": ""},
                None,
                False,
            ),
            "a presentation": ({"presentation": "Une lampe."}, None, True),
            "a journal entry": ({}, False, True),
            "only an entry hidden by the moderators": ({}, True, False),
        }
        for name, (fields, entry_hidden, expected) in shapes.items():
            with self.subTest(name):
                project = ProjectPageFactory(**fields)
                if entry_hidden is not None:
                    JournalEntryFactory(project=project, hidden=entry_hidden)
                self.assertEqual(is_listed(project), expected)
                queryset = type(project).objects.filter(pk=project.pk).filter(listed())
                self.assertEqual(queryset.exists(), expected)
