"""Staff build showcases in the Wagtail admin: the project chooser offers public projects only,
and a project that is not public gets a clear error on its item, keeping what was typed."""

from django.test import TestCase
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from projects.factories import ProjectPageFactory
from projects.models import ProjectVisibility
from showcases.models import ShowcaseIndexPage, ShowcasePage
from tests.helpers import EnglishClient
from users.factories import UserFactory


class TestShowcaseAdmin(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.staff = UserFactory(staff=True, is_superuser=True)
        cls.index = ShowcaseIndexPage.objects.get()
        cls.public = ProjectPageFactory(title="Lampe publique")
        cls.private = ProjectPageFactory(
            title="Support privé", visibility=ProjectVisibility.PRIVATE
        )
        cls.draft = ProjectPageFactory(title="Brouillon caché", live=False)

    def setUp(self):
        self.client.force_login(self.staff)

    def add_url(self):
        return reverse("wagtailadmin_pages:add", args=("showcases", "showcasepage", self.index.pk))

    def form(self, *projects, action="action-publish"):
        data = nested_form_data(
            {
                "title": "Le meilleur des ratés",
                "slug": "le-meilleur-des-rates",
                "intro": "Des *échecs* qui ont appris quelque chose.",
                "items": inline_formset(
                    [
                        {"project": project.pk, "note": f"Note du curateur {n}"}
                        for n, project in enumerate(projects)
                    ]
                ),
            }
        )
        data[action] = "1"
        return data

    def test_staff_publish_a_showcase_of_public_projects(self):
        response = self.client.post(self.add_url(), self.form(self.public))
        self.assertEqual(response.status_code, 302, response.content[:2000])
        showcase = ShowcasePage.objects.get(slug="le-meilleur-des-rates")
        self.assertTrue(showcase.live)
        self.assertEqual(
            [(i.project, i.note) for i in showcase.items.all()],
            [(self.public, "Note du curateur 0")],
        )
        page = self.client.get(showcase.url)
        self.assertContains(page, "Lampe publique")
        self.assertContains(page, "Note du curateur 0")

    def test_a_private_project_gets_a_clear_error_and_nothing_is_lost(self):
        for project in (self.private, self.draft):
            with self.subTest(project=project.title):
                response = self.client.post(self.add_url(), self.form(self.public, project))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Only public, published projects can be showcased")
                self.assertContains(response, "Le meilleur des ratés")
                self.assertContains(response, "Note du curateur 1")
                self.assertFalse(ShowcasePage.objects.exists())

    def test_the_chooser_offers_public_published_projects_only(self):
        url = reverse("public_project_chooser:choose")
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Lampe publique")
        self.assertNotContains(response, "Support privé")
        self.assertNotContains(response, "Brouillon caché")
        results = self.client.get(reverse("public_project_chooser:choose_results"), {"q": "lampe"})
        self.assertContains(results, "Lampe publique")

    def test_the_add_form_uses_the_public_project_chooser(self):
        response = self.client.get(self.add_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, reverse("public_project_chooser:choose"))

    def test_preview_shows_the_unsaved_showcase(self):
        preview_url = reverse(
            "wagtailadmin_pages:preview_on_add", args=("showcases", "showcasepage", self.index.pk)
        )
        data = self.form(self.public)
        self.assertEqual(self.client.post(preview_url, data).json()["is_valid"], True)
        response = self.client.get(preview_url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Lampe publique")
        self.assertContains(response, "Note du curateur 0")

    def test_members_who_are_not_staff_cannot_reach_the_chooser(self):
        self.client.force_login(UserFactory())
        response = self.client.get(reverse("public_project_chooser:choose"))
        self.assertNotEqual(response.status_code, 200)
