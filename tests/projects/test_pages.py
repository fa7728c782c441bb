"""Page tree rules: HomePage → ProjectIndexPage → ProjectPage, nothing under a project."""

from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from calls.models import CallIndexPage
from home.models import HomePage
from projects.factories import ProjectPageFactory
from projects.models import ProjectIndexPage, ProjectPage
from showcases.models import ShowcaseIndexPage
from tribes.models import TribeIndexPage


class TestPageTree(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePage.objects.get(slug="home")
        cls.index = ProjectIndexPage.objects.get()
        cls.project = ProjectPageFactory(title="Horloge à LED")

    def test_data_migrations_create_home_and_project_index(self):
        self.assertEqual(self.index.get_parent().specific, self.home)
        self.assertEqual(self.index.url, "/projects/")
        self.assertEqual(self.home.url, "/")

    def test_project_index_goes_under_the_home_page_only(self):
        self.assertCanCreateAt(HomePage, ProjectIndexPage)
        self.assertAllowedParentPageTypes(ProjectIndexPage, {HomePage})

    def test_projects_go_under_the_project_index_only(self):
        self.assertCanCreateAt(ProjectIndexPage, ProjectPage)
        self.assertCanNotCreateAt(HomePage, ProjectPage)
        self.assertCanNotCreateAt(Page, ProjectPage)
        self.assertAllowedParentPageTypes(ProjectPage, {ProjectIndexPage})

    def test_allowed_subpages(self):
        self.assertAllowedSubpageTypes(
            HomePage, {ProjectIndexPage, TribeIndexPage, CallIndexPage, ShowcaseIndexPage}
        )
        self.assertAllowedSubpageTypes(ProjectIndexPage, {ProjectPage})

    def test_nothing_goes_under_a_project(self):
        self.assertAllowedSubpageTypes(ProjectPage, {})
        for model in (ProjectPage, ProjectIndexPage, HomePage):
            self.assertCanNotCreateAt(ProjectPage, model)

    def test_only_one_home_and_one_project_index(self):
        self.assertFalse(ProjectIndexPage.can_create_at(self.home))
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))

    def test_project_is_routable_and_renderable(self):
        self.assertPageIsRoutable(self.project)
        self.assertPageIsRenderable(self.project)

    def test_home_and_project_index_are_renderable(self):
        self.assertPageIsRenderable(self.home)
        self.assertPageIsRenderable(self.index)

    def test_unpublished_project_is_not_served(self):
        draft = ProjectPageFactory(title="Brouillon", live=False)
        self.assertPageIsRenderable(draft, accept_404=True)
        self.assertEqual(self.client.get(draft.url or "/projects/brouillon/").status_code, 404)

    def test_reserved_slug_new_is_refused(self):
        project = ProjectPage(title="New", slug="new", summary="s")
        with self.assertRaises(ValidationError) as caught:
            project.full_clean(exclude=["path", "depth"])
        self.assertIn("slug", caught.exception.message_dict)

    def test_project_cannot_be_a_remix_of_itself(self):
        self.project.remixed_from = self.project
        with self.assertRaises(ValidationError) as caught:
            self.project.full_clean()
        self.assertIn("remixed_from", caught.exception.message_dict)
