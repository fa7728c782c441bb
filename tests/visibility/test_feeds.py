"""RSS/Atom feeds carry public projects only; a non-public project has no journal feed."""

from django.test import TestCase

from projects.factories import JournalEntryFactory
from tests.visibility.world import build_world


class TestProjectFeeds(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        public = cls.world.projects["public"]
        cls.failure = JournalEntryFactory(
            project=public, kind="failure", title="Bois brûlé", body="Trop de **puissance**."
        )

    def test_latest_projects_feed_lists_public_projects_only(self):
        for url, content_type in (
            ("/projects/feed/", "application/rss+xml"),
            ("/projects/feed/atom/", "application/atom+xml"),
        ):
            for viewer in (None, self.world.people.owner, self.world.people.staff):
                with self.subTest(url=url, viewer=str(viewer)):
                    if viewer:
                        self.client.force_login(viewer)
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 200)
                    self.assertTrue(response["Content-Type"].startswith(content_type))
                    self.assertContains(response, "Projet public")
                    self.assertContains(response, self.world.projects["public"].url)
                    for kind in ("tribe", "private", "draft"):
                        self.assertNotContains(response, f"Projet {kind}")
                    self.assertNotContains(response, self.world.people.owner.email)
                    self.assertContains(response, "Nora Owner")

    def test_journal_feed_of_a_public_project(self):
        project = self.world.projects["public"]
        response = self.client.get(f"/projects/{project.slug}/journal/feed/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Bois brûlé")
        self.assertContains(response, "Projet public essai")
        self.assertContains(response, "&lt;strong&gt;puissance&lt;/strong&gt;")
        self.assertContains(response, f"{self.failure.get_absolute_url()}</link>")

    def test_journal_feed_of_a_project_that_is_not_public_is_not_found(self):
        people = self.world.people
        for kind in ("tribe", "private", "draft"):
            for viewer in (None, people.tribe_member, people.owner, people.staff):
                with self.subTest(kind=kind, viewer=str(viewer)):
                    if viewer:
                        self.client.force_login(viewer)
                    slug = self.world.projects[kind].slug
                    response = self.client.get(f"/projects/{slug}/journal/feed/")
                    self.assertEqual(response.status_code, 404)
        self.assertEqual(
            self.client.get("/projects/no-such-project/journal/feed/").status_code, 404
        )
