"""Wagtail API v2 (/api/v2/): public content only, whoever asks."""

from django.test import TestCase

from projects.models import ProjectIndexPage
from tests.visibility.world import build_world, tribe_create

API = "/api/v2"


class APITestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        cls.draft_tribe = tribe_create("Tribu en préparation", live=False)
        cls.public_ids = {
            "projects": {cls.world.projects["public"].pk},
            "images": {
                cls.world.logo.pk,
                cls.world.media["public"].cover.pk,
                cls.world.media["public"].journal_photo.pk,
            },
            "documents": {cls.world.media["public"].document.pk},
        }
        cls.hidden = {
            "pages": [
                cls.world.projects["tribe"],
                cls.world.projects["private"],
                cls.world.projects["draft"],
                cls.world.private_tribe,
                cls.draft_tribe,
            ],
            "images": [
                *(
                    getattr(cls.world.media[kind], photo)
                    for kind in ("tribe", "private", "draft")
                    for photo in ("cover", "journal_photo")
                ),
                cls.world.private_logo,
                cls.world.orphan_photo,
            ],
            "documents": [
                *(cls.world.media[kind].document for kind in ("tribe", "private", "draft")),
                cls.world.orphan_document,
            ],
        }

    def viewers(self):
        """Anonymous, then people who may see everything elsewhere: the API ignores them."""
        yield "anonymous"
        for name in ("owner", "collaborator", "tribe_member", "staff"):
            self.client.force_login(getattr(self.world.people, name))
            yield name
        self.client.logout()

    def listing_ids(self, endpoint: str, **query) -> set[int]:
        response = self.client.get(f"{API}/{endpoint}/", {"limit": 20, **query})
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertLessEqual(body["meta"]["total_count"], 20)
        return {item["id"] for item in body["items"]}


class TestPagesAPI(APITestCase):
    def test_listing_shows_public_projects_and_tribes_only(self):
        for viewer in self.viewers():
            with self.subTest(viewer=viewer):
                ids = self.listing_ids("pages")
                self.assertIn(self.world.projects["public"].pk, ids)
                self.assertIn(self.world.tribe.pk, ids)
                self.assertIn(ProjectIndexPage.objects.get().pk, ids)
                self.assertFalse(ids & {page.pk for page in self.hidden["pages"]})

    def test_listing_by_type_shows_public_projects_only(self):
        for viewer in self.viewers():
            with self.subTest(viewer=viewer):
                ids = self.listing_ids("pages", type="projects.ProjectPage")
                self.assertEqual(ids, self.public_ids["projects"])
                tribes = self.listing_ids("pages", type="tribes.TribePage")
                self.assertEqual(tribes, {self.world.tribe.pk})

    def test_children_of_the_project_index_are_the_public_projects(self):
        index = ProjectIndexPage.objects.get()
        self.assertEqual(self.listing_ids("pages", child_of=index.pk), self.public_ids["projects"])
        self.assertEqual(
            self.listing_ids("pages", descendant_of=index.pk), self.public_ids["projects"]
        )

    def test_search_finds_public_projects_only(self):
        self.assertEqual(
            self.listing_ids("pages", search="Projet", type="projects.ProjectPage"),
            self.public_ids["projects"],
        )

    def test_detail_of_a_restricted_page_is_not_found(self):
        for viewer in self.viewers():
            for page in self.hidden["pages"]:
                with self.subTest(viewer=viewer, page=page.title):
                    response = self.client.get(f"{API}/pages/{page.pk}/")
                    self.assertEqual(response.status_code, 404)
        public = self.world.projects["public"]
        response = self.client.get(f"{API}/pages/{public.pk}/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["title"], public.title)

    def test_find_by_path_does_not_reveal_restricted_projects(self):
        for kind in ("tribe", "private"):
            with self.subTest(kind=kind):
                path = self.world.projects[kind].url
                response = self.client.get(f"{API}/pages/find/", {"html_path": path})
                self.assertEqual(response.status_code, 404)
        public = self.world.projects["public"].url
        response = self.client.get(f"{API}/pages/find/", {"html_path": public})
        self.assertEqual(response.status_code, 302)

    def test_no_email_address_is_served(self):
        public = self.world.projects["public"]
        response = self.client.get(f"{API}/pages/{public.pk}/")
        self.assertNotIn(self.world.people.owner.email, response.content.decode())


class TestImagesAndDocumentsAPI(APITestCase):
    def test_image_listing_shows_photos_of_public_projects_and_tribes_only(self):
        for viewer in self.viewers():
            with self.subTest(viewer=viewer):
                self.assertEqual(self.listing_ids("images"), self.public_ids["images"])

    def test_document_listing_shows_files_of_public_projects_only(self):
        for viewer in self.viewers():
            with self.subTest(viewer=viewer):
                self.assertEqual(self.listing_ids("documents"), self.public_ids["documents"])

    def test_detail_of_a_restricted_image_or_document_is_not_found(self):
        for viewer in self.viewers():
            for endpoint in ("images", "documents"):
                for item in self.hidden[endpoint]:
                    with self.subTest(viewer=viewer, endpoint=endpoint, item=item.title):
                        response = self.client.get(f"{API}/{endpoint}/{item.pk}/")
                        self.assertEqual(response.status_code, 404)

    def test_detail_of_a_public_image_links_to_its_file(self):
        cover = self.world.media["public"].cover
        response = self.client.get(f"{API}/images/{cover.pk}/")
        self.assertEqual(response.status_code, 200)
        download_url = response.json()["meta"]["download_url"]
        self.assertEqual(download_url, cover.file.url)
        self.assertEqual(self.client.get(download_url).status_code, 200)
