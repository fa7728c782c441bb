"""A call's changes purge its public pages from the proxy cache (calls/cache.py): closing it
changes its page, the list of calls and the home page's open calls."""

from django.test import TestCase

from calls import services
from calls.factories import CallForProjectsPageFactory, OrganisationMembershipFactory
from tests.frontend_cache import purged_paths


class TestCallPurges(TestCase):
    @classmethod
    def setUpTestData(cls):
        membership = OrganisationMembershipFactory(owner=True)
        cls.user = membership.user
        cls.call = CallForProjectsPageFactory(
            slug="lampes-solaires", organisation=membership.organisation
        )

    def test_closing_a_call_purges_it_the_list_and_home(self):
        with purged_paths() as paths, self.captureOnCommitCallbacks(execute=True):
            services.call_close(user=self.user, call=self.call)
        self.assertEqual(paths, {"/", "/calls/", "/calls/lampes-solaires/"})

    def test_publishing_a_call_purges_the_list_and_home_besides_the_page(self):
        with purged_paths() as paths, self.captureOnCommitCallbacks(execute=True):
            self.call.save_revision().publish()
        self.assertEqual(paths, {"/", "/calls/", "/calls/lampes-solaires/"})
