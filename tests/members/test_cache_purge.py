"""A member's profile change purges their public pages from the proxy cache (members/cache.py);
a login, which changes nothing shown, purges nothing."""

from django.test import TestCase

from tests.frontend_cache import purged_paths
from users import services
from users.factories import UserFactory


class TestMemberPurges(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory(username="lea")

    def test_a_profile_edit_purges_the_profile_and_the_directory(self):
        with purged_paths() as paths, self.captureOnCommitCallbacks(execute=True):
            services.user_profile_update(user=self.member, bio="Menuisière du dimanche.")
        self.assertEqual(paths, {"/members/lea/", "/members/"})

    def test_a_new_username_purges_the_old_profile_address_too(self):
        with purged_paths() as paths, self.captureOnCommitCallbacks(execute=True):
            services.user_profile_update(user=self.member, username="lea-martin")
        self.assertEqual(paths, {"/members/lea/", "/members/lea-martin/", "/members/"})

    def test_a_login_purges_nothing(self):
        with purged_paths() as paths, self.captureOnCommitCallbacks(execute=True):
            self.client.force_login(self.member)  # stamps last_login, as every login does
        self.assertEqual(paths, set())
