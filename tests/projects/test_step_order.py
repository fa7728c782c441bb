"""Reordering steps from the project page: one place up or down, or straight to any place."""

from django.test import TestCase
from django.urls import reverse

from projects import services
from projects.models import ProjectPage
from tests.helpers import EnglishClient
from users.factories import UserFactory


class TestStepOrder(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory()
        cls.project = services.project_create(
            owner=cls.owner, title="Boîte à bijoux", summary="Une boîte gravée."
        )
        cls.steps = [
            services.project_step_add(project=cls.project, user=cls.owner, title=title)
            for title in ("A", "B", "C", "D")
        ]

    def titles(self) -> str:
        page = ProjectPage.objects.get(pk=self.project.pk).get_latest_revision_as_object()
        return "".join(step.value["title"] for step in page.steps)

    def move(self, step: str, data: dict):
        self.client.force_login(self.owner)
        url = reverse("projects:step_move", kwargs={"slug": self.project.slug, "step_id": step})
        return self.client.post(url, data)

    def test_a_step_moves_to_any_place(self):
        a, b, c, d = self.steps
        for step, place, expected in ((a, 4, "BCDA"), (d, 1, "DBCA"), (c, 2, "DCBA")):
            with self.subTest(step=step, place=place):
                self.move(step, {"position": str(place)})
                self.assertEqual(self.titles(), expected)

    def test_the_arrows_win_over_the_place_list_sent_with_them(self):
        # The ↑/↓ buttons share their form with the list, which still names the step's place.
        self.move(self.steps[2], {"direction": "up", "position": "3"})
        self.assertEqual(self.titles(), "ACBD")

    def test_a_place_beyond_the_steps_or_not_a_number_changes_nothing(self):
        for position in ("0", "5", "99999", "-1", "deux", "²", "1" * 30):
            with self.subTest(position=position):
                response = self.move(self.steps[0], {"position": position, "move": "to"})
                self.assertEqual(response.status_code, 302)
                self.assertEqual(self.titles(), "ABCD")

    def test_the_page_offers_every_place_and_44_px_arrows(self):
        self.client.force_login(self.owner)
        html = self.client.get(self.project.url).content.decode()
        self.assertEqual(html.count('class="step__move"'), 4)
        self.assertEqual(html.count(">Step 4</option>"), 4)
        self.assertIn('class="button button--secondary" name="direction" value="up"', html)
