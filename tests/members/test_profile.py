"""The public profile page of a member at /members/<username>/."""

from django.test import TestCase

from projects.factories import JournalEntryFactory, ProjectPageFactory
from tests.helpers import EnglishClient
from users.factories import UserFactory


class TestPublicProfile(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory(
            username="lou", display_name="Lou", bio="**Menuisière** <script>x</script>"
        )
        cls.project = ProjectPageFactory(owner=cls.member, title="Tabouret pliant")
        cls.draft = ProjectPageFactory(owner=cls.member, title="Projet secret", live=False)
        cls.entry = JournalEntryFactory(
            project=cls.project, author=cls.member, title="Premier tenon"
        )

    def test_shows_name_bio_live_projects_and_recent_entries(self):
        response = self.client.get("/members/lou/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Lou")
        self.assertContains(response, "<strong>Menuisière</strong>", html=False)
        self.assertNotContains(response, "<script>x</script>", html=False)
        self.assertContains(response, "Tabouret pliant")
        self.assertContains(response, "Premier tenon")

    def test_draft_projects_are_not_listed(self):
        self.assertNotContains(self.client.get("/members/lou/"), "Projet secret")

    def test_unknown_or_deactivated_member_is_404(self):
        UserFactory(username="gone", is_active=False)
        self.assertEqual(self.client.get("/members/nobody/").status_code, 404)
        self.assertEqual(self.client.get("/members/gone/").status_code, 404)
