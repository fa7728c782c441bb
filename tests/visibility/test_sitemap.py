"""/sitemap.xml lists public pages only."""

from django.test import TestCase

from tests.visibility.world import build_world


class TestSitemap(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_lists_public_projects_and_tribes_only(self):
        for viewer in (None, self.world.people.owner, self.world.people.staff):
            with self.subTest(viewer=str(viewer)):
                if viewer:
                    self.client.force_login(viewer)
                response = self.client.get("/sitemap.xml")
                self.assertEqual(response.status_code, 200)
                body = response.content.decode()
                self.assertIn(self.world.projects["public"].full_url, body)
                self.assertIn(self.world.tribe.full_url, body)
                for kind in ("tribe", "private", "draft"):
                    self.assertNotIn(f"/{self.world.projects[kind].slug}/", body)
                self.assertNotIn(f"/{self.world.private_tribe.slug}/", body)
