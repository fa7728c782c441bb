"""A moderation decision purges from the proxy cache the public pages that showed the hidden
thing, and those that show it again (projects/cache.py, calls/cache.py)."""

from django.test import TestCase

from calls.factories import CallForProjectsPageFactory
from moderation import services
from projects.factories import JournalEntryFactory, ProjectPageFactory
from tests.frontend_cache import purged_paths
from users.factories import UserFactory


class TestModerationPurges(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.staff = UserFactory(staff=True, is_superuser=True)
        cls.reporter = UserFactory()
        cls.owner = UserFactory(username="alice")
        cls.project = ProjectPageFactory(slug="lampe", owner=cls.owner)
        cls.entry = JournalEntryFactory(project=cls.project)

    def _hide_then_show(self, target) -> tuple[set[str], set[str]]:
        report = services.report_create(reporter=self.reporter, target=target, reason="spam")
        with purged_paths() as hidden, self.captureOnCommitCallbacks(execute=True):
            services.report_hide(user=self.staff, report=report, message="Hors sujet.")
        with purged_paths() as shown, self.captureOnCommitCallbacks(execute=True):
            services.content_show_again(user=self.staff, report=report)
        return hidden, shown

    def test_hiding_a_project_purges_it_its_journal_and_listings(self):
        hidden, shown = self._hide_then_show(self.project)
        expected = {"/", "/projects/", "/projects/lampe/", "/members/alice/"}
        self.assertTrue(expected | {f"/projects/lampe/journal/{self.entry.pk}/"} <= hidden)
        self.assertTrue(expected <= shown)

    def test_hiding_a_journal_entry_purges_its_page_and_project(self):
        hidden, shown = self._hide_then_show(self.entry)
        for paths in (hidden, shown):
            self.assertIn(f"/projects/lampe/journal/{self.entry.pk}/", paths)
            self.assertIn("/projects/lampe/", paths)

    def test_hiding_a_call_purges_it_and_the_list_of_calls(self):
        call = CallForProjectsPageFactory(slug="lampes-solaires")
        hidden, shown = self._hide_then_show(call)
        self.assertEqual(hidden, {"/", "/calls/", "/calls/lampes-solaires/"})
        self.assertEqual(shown, hidden)

    def test_hiding_a_member_purges_their_profile(self):
        hidden, shown = self._hide_then_show(self.owner)
        self.assertEqual(hidden, {"/members/alice/"})
        self.assertEqual(shown, hidden)
