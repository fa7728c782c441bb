"""Publishing a showcase purges the home page, which features the latest one, and the list of
showcases (showcases/cache.py); Wagtail purges the showcase's page."""

from django.test import TestCase

from projects.factories import ProjectPageFactory
from showcases import services
from tests.frontend_cache import purged_paths
from users.factories import UserFactory


class TestShowcasePurges(TestCase):
    def test_publishing_a_showcase_purges_home_the_list_and_its_page(self):
        project = ProjectPageFactory()
        with purged_paths() as paths, self.captureOnCommitCallbacks(execute=True):
            showcase = services.showcase_create(
                user=UserFactory(staff=True), title="Lumières", items=[(project, "Belle.")]
            )
        index = showcase.get_parent().url
        self.assertEqual(paths, {"/", index, showcase.url})
