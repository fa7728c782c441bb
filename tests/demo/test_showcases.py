"""The demo's showcases (demo/loaders/showcases.py): two selections of public demo projects with
notes, the first featured on the home page; nothing made twice."""

from django.test import TestCase

from demo.loaders.showcases import load_showcases, showcases_size
from demo.reader import read_content
from home.models import HomePage
from projects.factories import ProjectPageFactory
from showcases.models import ShowcaseItem, ShowcasePage
from users.factories import UserFactory

CONTENT = read_content()
FIRST_STEPS = next(showcase for showcase in CONTENT.showcases if showcase.featured)


class TestDemoShowcases(TestCase):
    @classmethod
    def setUpTestData(cls):
        UserFactory(username="admin", is_staff=True, is_superuser=True)
        for showcase in CONTENT.showcases:
            for title, _note in showcase.items:
                ProjectPageFactory(title=title)

    def test_loading_twice_creates_everything_once(self):
        first = list(load_showcases(CONTENT))
        self.assertEqual(len(first), showcases_size(CONTENT))
        self.assertTrue(all(created for _, created in first))
        self.assertEqual(ShowcasePage.objects.filter(live=True).count(), 2)
        self.assertEqual(ShowcaseItem.objects.exclude(note="").count(), 6)
        self.assertEqual(HomePage.objects.get().featured_showcase.title, FIRST_STEPS.title)
        second = list(load_showcases(CONTENT))
        self.assertFalse(any(created for _, created in second))
        self.assertEqual(ShowcasePage.objects.count(), 2)
        self.assertContains(self.client.get("/"), FIRST_STEPS.title)
