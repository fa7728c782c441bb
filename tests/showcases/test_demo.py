"""The demo's showcases (showcases/demo.py): two selections of public demo projects with notes,
the first featured on the home page; nothing made twice."""

from django.test import TestCase

from home.models import HomePage
from projects.factories import ProjectPageFactory
from showcases import demo
from showcases.models import ShowcaseItem, ShowcasePage
from users.factories import UserFactory


class TestDemoShowcases(TestCase):
    @classmethod
    def setUpTestData(cls):
        UserFactory(username="admin", is_staff=True, is_superuser=True)
        for showcase in demo.SHOWCASES:
            for title, _note in showcase.items:
                ProjectPageFactory(title=title)

    def test_loading_twice_creates_everything_once(self):
        first = list(demo.load_showcases())
        self.assertEqual(len(first), demo.SIZE)
        self.assertTrue(all(created for _, created in first))
        self.assertEqual(ShowcasePage.objects.filter(live=True).count(), 2)
        self.assertEqual(ShowcaseItem.objects.exclude(note="").count(), 6)
        self.assertEqual(HomePage.objects.get().featured_showcase.title, demo.FIRST_STEPS.title)
        second = list(demo.load_showcases())
        self.assertFalse(any(created for _, created in second))
        self.assertEqual(ShowcasePage.objects.count(), 2)
        self.assertContains(self.client.get("/"), demo.FIRST_STEPS.title)
