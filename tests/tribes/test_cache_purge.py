"""A tribe's publish and its membership changes purge its public pages from the proxy cache
(tribes/cache.py); Wagtail purges a published page itself."""

from django.test import TestCase

from tests.frontend_cache import RecordingBackend, purged_paths
from tribes import services
from tribes.factories import TribePageFactory
from tribes.models import JoinPolicy
from users.factories import UserFactory

TRIBE_PATHS = {"/tribes/", "/tribes/fablab/", "/tribes/fablab/feed/", "/tribes/fablab/feed/atom/"}


class TestTribePurges(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = UserFactory(staff=True)
        cls.member = UserFactory()
        cls.tribe = TribePageFactory(slug="fablab", join_policy=JoinPolicy.OPEN)

    def test_an_edit_purges_the_tribe_page_once_and_its_feeds_and_list(self):
        with purged_paths() as paths, self.captureOnCommitCallbacks(execute=True):
            services.tribe_update(tribe=self.tribe, user=self.admin, place="Lille")
            purged = list(RecordingBackend.purged)
        self.assertEqual(paths, TRIBE_PATHS)
        self.assertEqual(purged.count("http://localhost/tribes/fablab/"), 1)

    def test_joining_and_leaving_purge_the_tribe_page(self):
        with purged_paths() as joined, self.captureOnCommitCallbacks(execute=True):
            services.tribe_join(user=self.member, tribe=self.tribe)
        with purged_paths() as left, self.captureOnCommitCallbacks(execute=True):
            services.tribe_leave(user=self.member, tribe=self.tribe)
        self.assertEqual(joined, TRIBE_PATHS)
        self.assertEqual(left, TRIBE_PATHS)
