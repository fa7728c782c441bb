"""Photos and files by URL: /media/<path> and /documents/<id>/<name> follow their project."""

import mimetypes

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client, TestCase, override_settings

from images.factories import CarnetImageFactory
from tests.visibility.world import KINDS, MAY_SEE, VIEWERS, build_world

FILES = ("cover", "rendition", "journal_photo", "document")
PUBLIC_CACHE = "public, max-age=86400"


def _media_url(world, kind: str, file: str) -> str:
    return getattr(world.media[kind], file).file.url


class MediaTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        self.clients = {"anonymous": Client()}
        for name in VIEWERS[1:]:
            self.clients[name] = Client()
            self.clients[name].force_login(getattr(self.world.people, name))


class TestMediaFilesFollowTheirProject(MediaTestCase):
    def test_who_gets_each_file_of_each_project(self):
        for kind in KINDS:
            for file in FILES:
                url = _media_url(self.world, kind, file)
                for viewer, client in self.clients.items():
                    with self.subTest(kind=kind, file=file, viewer=viewer):
                        response = client.get(url)
                        expected = 200 if viewer in MAY_SEE[kind] else 404
                        self.assertEqual(response.status_code, expected)
                        if expected == 200:
                            self.assertTrue(b"".join(response.streaming_content))

    def test_wagtail_document_links_follow_the_project(self):
        for kind in KINDS:
            url = self.world.media[kind].document.url
            self.assertTrue(url.startswith("/documents/"))
            for viewer, client in self.clients.items():
                with self.subTest(kind=kind, viewer=viewer):
                    expected = 200 if viewer in MAY_SEE[kind] else 404
                    self.assertEqual(client.get(url).status_code, expected)

    def test_refusal_looks_like_a_missing_file(self):
        private_url = _media_url(self.world, "private", "cover")
        missing_url = "/media/original_images/nothing-here.png"
        private = self.clients["anonymous"].get(private_url)
        missing = self.clients["anonymous"].get(missing_url)
        self.assertEqual(private.status_code, 404)
        self.assertEqual(private.status_code, missing.status_code)
        self.assertEqual(
            [template.name for template in private.templates],
            [template.name for template in missing.templates],
        )
        self.assertEqual(sorted(private.headers), sorted(missing.headers))

    def test_a_public_tribe_logo_is_public(self):
        response = self.clients["anonymous"].get(self.world.logo.file.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], PUBLIC_CACHE)

    def test_photos_and_files_nothing_uses_are_private_to_staff_and_their_uploader(self):
        for item in (self.world.orphan_photo, self.world.orphan_document):
            for viewer, client in self.clients.items():
                with self.subTest(item=item.title, viewer=viewer):
                    response = client.get(item.file.url)
                    expected = 200 if viewer in ("other", "staff") else 404
                    self.assertEqual(response.status_code, expected)
                    if expected == 200:
                        self.assertEqual(response["Cache-Control"], "private, no-store")


class TestMediaCacheHeaders(MediaTestCase):
    def test_public_files_may_be_cached_by_anyone(self):
        for file in FILES:
            with self.subTest(file=file):
                response = self.clients["owner"].get(_media_url(self.world, "public", file))
                self.assertEqual(response["Cache-Control"], PUBLIC_CACHE)
                self.assertNotIn("Cookie", response.get("Vary", ""))

    def test_restricted_files_are_never_stored(self):
        for kind in ("tribe", "private", "draft"):
            for file in FILES:
                with self.subTest(kind=kind, file=file):
                    response = self.clients["owner"].get(_media_url(self.world, kind, file))
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(response["Cache-Control"], "private, no-store")

    def test_document_links_carry_the_same_cache_headers(self):
        public = self.clients["anonymous"].get(self.world.media["public"].document.url)
        self.assertEqual(public["Cache-Control"], PUBLIC_CACHE)
        private = self.clients["owner"].get(self.world.media["private"].document.url)
        self.assertEqual(private["Cache-Control"], "private, no-store")

    def test_uploads_cannot_run_as_a_page_of_the_site(self):
        response = self.clients["anonymous"].get(_media_url(self.world, "public", "document"))
        self.assertEqual(response["Content-Security-Policy"].split(";")[0], "default-src 'none'")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")


class TestMediaPaths(MediaTestCase):
    def test_paths_leaving_the_media_folder_are_not_found(self):
        cover = self.world.media["public"].cover.file.name
        for path in (
            "/media/../docs_platform/settings/base.py",
            "/media/%2e%2e/docs_platform/settings/base.py",
            f"/media/original_images/../{cover}",
            f"/media/original_images/..%2f..%2f{cover}",
            "/media//etc/passwd",
            "/media/%2fetc%2fpasswd",
            "/media/..\\..\\etc\\passwd",
            f"/media/./{cover}",
            f"/media/{cover.replace('/', '//')}",
        ):
            with self.subTest(path=path):
                self.assertEqual(self.clients["staff"].get(path).status_code, 404)

    def test_file_missing_from_storage_is_not_found(self):
        image = CarnetImageFactory(project=self.world.projects["public"])
        default_storage.delete(image.file.name)
        self.assertEqual(self.clients["anonymous"].get(image.file.url).status_code, 404)

    def test_folders_are_not_found(self):
        for path in ("/media/original_images", "/media/original_images/", "/media/"):
            with self.subTest(path=path):
                self.assertEqual(self.clients["staff"].get(path).status_code, 404)

    def test_a_file_no_photo_owns_in_the_photo_folders_is_refused(self):
        name = default_storage.save("original_images/left-behind.png", ContentFile(b"png"))
        self.addCleanup(default_storage.delete, name)
        self.assertEqual(self.clients["staff"].get(f"/media/{name}").status_code, 404)

    def test_other_uploads_such_as_avatars_are_public(self):
        name = default_storage.save("avatars/nora.png", ContentFile(b"png"))
        self.addCleanup(default_storage.delete, name)
        response = self.clients["anonymous"].get(f"/media/{name}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), b"png")
        self.assertEqual(response["Cache-Control"], PUBLIC_CACHE)

    def test_only_reads_are_allowed(self):
        url = _media_url(self.world, "public", "cover")
        self.assertEqual(self.clients["anonymous"].head(url).status_code, 200)
        self.assertEqual(self.clients["owner"].post(url).status_code, 405)


class TestMediaQueries(MediaTestCase):
    def test_a_public_photo_costs_one_query(self):
        for file in ("cover", "rendition", "journal_photo", "document"):
            with self.subTest(file=file), self.assertNumQueries(1):
                self.clients["anonymous"].get(_media_url(self.world, "public", file))

    def test_a_restricted_photo_for_its_owner_costs_a_constant_few_queries(self):
        client = self.clients["tribe_member"]
        client.get(_media_url(self.world, "tribe", "cover"))  # warm the session cache
        # The rendition's answer for anyone (not public), the user, the answer for this user.
        with self.assertNumQueries(3):
            response = client.get(_media_url(self.world, "tribe", "rendition"))
        self.assertEqual(response.status_code, 200)


@override_settings(CARNET_MEDIA_ACCEL_REDIRECT="/protected-media/")
class TestMediaAccelRedirect(MediaTestCase):
    def test_nginx_sends_the_file_once_the_policy_said_yes(self):
        cover = self.world.media["tribe"].cover
        response = self.clients["tribe_member"].get(cover.file.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["X-Accel-Redirect"], f"/protected-media/{cover.file.name}")
        self.assertEqual(response.content, b"")
        self.assertEqual(response["Content-Type"], mimetypes.guess_type(cover.file.name)[0])
        self.assertEqual(response["Cache-Control"], "private, no-store")

    def test_refused_files_get_no_redirect(self):
        response = self.clients["other"].get(_media_url(self.world, "tribe", "cover"))
        self.assertEqual(response.status_code, 404)
        self.assertFalse(response.has_header("X-Accel-Redirect"))

    def test_names_are_quoted_for_nginx(self):
        name = default_storage.save("avatars/photo de Nora é.png", ContentFile(b"png"))
        self.addCleanup(default_storage.delete, name)
        response = self.clients["anonymous"].get(default_storage.url(name))
        self.assertEqual(
            response["X-Accel-Redirect"], "/protected-media/avatars/photo%20de%20Nora%20%C3%A9.png"
        )
