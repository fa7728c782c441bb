"""Bad input never gives a server error: unknown addresses, odd query strings, missing ids."""

from django.test import TestCase

from projects.factories import JournalEntryFactory, ProjectPageFactory
from tests.helpers import EnglishClient
from users.factories import UserFactory


class TestFriendlyErrorPages(TestCase):
    client_class = EnglishClient

    def test_unknown_url_gives_the_friendly_404_with_site_navigation(self):
        response = self.client.get("/this/does/not/exist/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "We could not find this page", status_code=404)
        self.assertContains(response, "<nav", status_code=404)
        self.assertContains(response, 'href="/projects/"', status_code=404)

    def test_unknown_project_and_extra_path_segments_are_404(self):
        project = ProjectPageFactory()
        self.assertEqual(self.client.get("/projects/nope/").status_code, 404)
        self.assertEqual(self.client.get(f"{project.url}extra/").status_code, 404)

    def test_other_member_gets_the_403_page_with_the_reason(self):
        project = ProjectPageFactory()  # public: they see it, but may not change it
        self.client.force_login(UserFactory())
        response = self.client.get(f"/projects/{project.slug}/edit/details/")
        self.assertContains(response, "Only the project", status_code=403)
        self.assertContains(response, "<nav", status_code=403)

    def test_editing_an_unknown_project_is_404(self):
        self.client.force_login(UserFactory())
        self.assertEqual(self.client.get("/projects/nope/edit/details/").status_code, 404)
        self.assertEqual(self.client.get("/projects/nope/history/").status_code, 404)

    def test_editing_a_project_one_may_not_see_is_the_same_404_as_an_unknown_one(self):
        private = ProjectPageFactory(visibility="private")
        self.client.force_login(UserFactory())
        entry = JournalEntryFactory(project=private)
        for tail in ("edit/details/", "history/", f"journal/{entry.pk}/edit/"):
            with self.subTest(tail=tail):
                response = self.client.get(f"/projects/{private.slug}/{tail}")
                self.assertContains(response, "We could not find this page", status_code=404)
                self.assertNotContains(response, "Only the project", status_code=404)


class TestOddQueryStrings(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.project = ProjectPageFactory()
        JournalEntryFactory.create_batch(2, project=cls.project)

    def test_project_list_with_unknown_filter_values(self):
        response = self.client.get("/projects/?status=zzz&tag=%%%&page=999&machine=&licence=x")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["projects"]), 1)

    def test_project_list_with_odd_page_numbers(self):
        for page in ("abc", "-1", "0", "99999999999999999999", "1.5"):
            with self.subTest(page=page):
                self.assertEqual(self.client.get("/projects/", {"page": page}).status_code, 200)

    def test_journal_timeline_with_unknown_kind_and_page(self):
        response = self.client.get(self.project.url, {"kind": "bogus", "journal": "abc"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["timeline"].entries), 2)

    def test_journal_timeline_with_a_page_past_the_end_or_negative(self):
        for page in ("50", "-5"):
            with self.subTest(page=page):
                self.assertEqual(
                    self.client.get(self.project.url, {"journal": page}).status_code, 200
                )

    def test_journal_timeline_with_a_huge_page_number(self):
        response = self.client.get(self.project.url, {"journal": "99999999999999999999"})
        self.assertEqual(response.status_code, 200)

    def test_journal_entry_id_that_is_not_a_number_is_404(self):
        self.client.force_login(self.project.owner)
        self.assertEqual(
            self.client.get(f"/projects/{self.project.slug}/journal/abc/edit/").status_code, 404
        )
        self.assertEqual(
            self.client.get(f"/projects/{self.project.slug}/journal/999999/edit/").status_code, 404
        )

    def test_markdown_preview_without_text_is_empty(self):
        self.client.force_login(UserFactory())
        response = self.client.post("/markdown/preview/")
        self.assertEqual((response.status_code, response.content), (200, b""))
