"""Page tree rules: HomePage → ShowcaseIndexPage (/showcases/) → ShowcasePage, nothing below."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from projects.factories import ProjectPageFactory
from projects.models import ProjectIndexPage
from showcases.factories import ShowcasePageFactory
from showcases.models import ShowcaseIndexPage, ShowcasePage


class TestShowcasePageTree(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePage.objects.get()
        cls.index = ShowcaseIndexPage.objects.get()
        cls.showcase = ShowcasePageFactory(
            title="Premiers pas", items=[ProjectPageFactory(title="Boîte laser")]
        )

    def test_data_migration_creates_the_index_at_showcases_under_home(self):
        self.assertEqual(self.index.get_parent().specific, self.home)
        self.assertEqual(self.index.url, "/showcases/")
        self.assertTrue(self.index.live)

    def test_showcase_index_goes_under_the_home_page_only_once(self):
        self.assertCanCreateAt(HomePage, ShowcaseIndexPage)
        self.assertAllowedParentPageTypes(ShowcaseIndexPage, {HomePage})
        self.assertFalse(ShowcaseIndexPage.can_create_at(self.home))

    def test_showcases_go_under_the_showcase_index_only(self):
        self.assertCanCreateAt(ShowcaseIndexPage, ShowcasePage)
        self.assertCanNotCreateAt(HomePage, ShowcasePage)
        self.assertCanNotCreateAt(ProjectIndexPage, ShowcasePage)
        self.assertCanNotCreateAt(Page, ShowcasePage)
        self.assertAllowedParentPageTypes(ShowcasePage, {ShowcaseIndexPage})

    def test_allowed_subpages(self):
        self.assertAllowedSubpageTypes(ShowcaseIndexPage, {ShowcasePage})
        self.assertAllowedSubpageTypes(ShowcasePage, {})

    def test_showcase_and_index_are_routable_and_renderable(self):
        self.assertPageIsRoutable(self.showcase)
        self.assertPageIsRenderable(self.showcase)
        self.assertPageIsRenderable(self.index)

    def test_showcase_page_is_previewable(self):
        self.assertPageIsPreviewable(self.showcase)
