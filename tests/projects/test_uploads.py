"""Bad uploads are refused with a clear message, and nothing the member typed or sent in good
order is lost: valid photos are kept across a form error."""

from unittest import mock

from django.core import signing
from django.test import TestCase, override_settings
from PIL import Image

from images.factories import CarnetImageFactory
from images.models import CarnetImage
from projects import services
from projects.models import JournalEntry, ProjectPage
from tests.helpers import EnglishClient, image_upload, text_upload
from users.factories import UserFactory


class UploadTestCase(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory()
        cls.project = services.project_create(
            owner=cls.owner, title="Sac à dos", summary="Cousu main."
        )

    def setUp(self):
        self.client.force_login(self.owner)

    def journal_url(self):
        return f"/projects/{self.project.slug}/journal/new/"

    def post_journal(self, **data):
        return self.client.post(self.journal_url(), {"kind": "trial", "body": "Texte tapé", **data})

    def assert_photo_refused(self, response, file_name):
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors.get("photos", [])
        self.assertTrue(any(error.startswith(f"{file_name}: ") for error in errors), errors)
        self.assertContains(response, file_name)
        self.assertContains(response, "Texte tapé")
        self.assertFalse(JournalEntry.objects.exists())


class TestRefusedUploads(UploadTestCase):
    @override_settings(CARNET_MAX_UPLOAD_SIZE=500)
    def test_file_over_the_upload_limit_is_refused_with_a_clear_message(self):
        response = self.client.post(
            f"/projects/{self.project.slug}/files/add/",
            {"file": text_upload("big.gcode", b"G1 X1\n" * 200), "description": "Tapé"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This file weighs")
        self.assertContains(response, "500")
        self.assertContains(response, "Tapé")
        self.assertEqual(len(ProjectPage.objects.get(pk=self.project.pk).files), 0)

    @override_settings(CARNET_MAX_UPLOAD_SIZE=100)
    def test_photo_over_the_upload_limit_is_refused(self):
        response = self.post_journal(photos=[image_upload("huge.png", size=(64, 64))])
        self.assert_photo_refused(response, "huge.png")
        self.assertContains(response, "This file weighs")

    def test_text_file_named_jpg_is_refused_as_a_photo(self):
        response = self.post_journal(photos=[text_upload("photo.jpg", b"just text")])
        self.assert_photo_refused(response, "photo.jpg")
        self.assertContains(response, "not an image")

    def test_text_file_named_jpg_is_refused_as_a_step_photo_and_new_project_cover(self):
        response = self.client.post(
            f"/projects/{self.project.slug}/steps/add/",
            {"title": "Coudre", "photos": [text_upload("step.jpg")]},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("photos", response.context["form"].errors)
        response = self.client.post(
            "/projects/new/", {"title": "T", "summary": "S", "photos": text_upload("cover.jpg")}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("photos", response.context["form"].errors)
        self.assertEqual(ProjectPage.objects.count(), 1)

    @override_settings(CARNET_MAX_IMAGE_PIXELS=1_000)
    def test_image_over_the_pixel_limit_is_refused(self):
        response = self.post_journal(photos=[image_upload("wide.png", size=(100, 20))])
        self.assert_photo_refused(response, "wide.png")
        self.assertContains(response, "100×20")

    def test_pillow_decompression_bomb_is_refused(self):
        with mock.patch.object(Image, "MAX_IMAGE_PIXELS", 100):
            response = self.post_journal(photos=[image_upload("bomb.png", size=(30, 30))])
        self.assert_photo_refused(response, "bomb.png")
        self.assertContains(response, "too large to process")
        self.assertFalse(CarnetImage.objects.exists())

    def test_avatar_decompression_bomb_is_refused(self):
        with mock.patch.object(Image, "MAX_IMAGE_PIXELS", 100):
            response = self.client.post(
                "/accounts/profile/",
                {
                    "display_name": "X",
                    "badge_uid": "B2",
                    "avatar": image_upload("a.png", size=(30, 30)),
                },
            )
        self.assertEqual(response.status_code, 200)
        self.assertIn("avatar", response.context["form"].errors)


class TestPhotosKeptAcrossErrors(UploadTestCase):
    def _post_with_bad_parameters(self):
        response = self.post_journal(
            body="Le fil casse à chaque tour.",
            parameters="this line has no colon",
            photos=[image_upload("kept.png")],
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("parameters", response.context["form"].errors)
        return response

    def test_valid_photo_is_kept_and_typed_text_shown_again(self):
        response = self._post_with_bad_parameters()
        self.assertContains(response, "Le fil casse à chaque tour.")
        image = CarnetImage.objects.get()
        self.assertEqual(image.uploaded_by_user, self.owner)
        token = response.context["form"].data["kept_photos"]
        self.assertEqual(signing.loads(token, salt="carnet.kept-upload"), image.pk)
        self.assertContains(response, f'name="kept_photos" value="{token}"', html=False)
        self.assertFalse(JournalEntry.objects.exists())

    def test_resubmitting_without_the_file_attaches_the_kept_photo(self):
        token = self._post_with_bad_parameters().context["form"].data["kept_photos"]
        response = self.post_journal(
            body="Le fil casse à chaque tour.", parameters="Tension: 4", kept_photos=token
        )
        self.assertEqual(response.status_code, 302)
        entry = JournalEntry.objects.get()
        self.assertEqual(list(entry.photos.all()), [CarnetImage.objects.get()])
        self.assertEqual(entry.parameters, {"Tension": "4"})

    def test_token_for_another_members_image_is_ignored(self):
        stranger_image = CarnetImageFactory(uploaded_by_user=UserFactory())
        token = signing.dumps(stranger_image.pk, salt="carnet.kept-upload")
        response = self.post_journal(kept_photos=token)
        self.assertEqual(response.status_code, 302)
        self.assertFalse(JournalEntry.objects.get().photos.exists())

    def test_valid_photo_kept_when_another_photo_is_bad(self):
        response = self.post_journal(photos=[image_upload("good.png"), text_upload("bad.jpg")])
        self.assertEqual(response.status_code, 200)
        self.assertEqual([image.title for image in CarnetImage.objects.all()], ["good.png"])
        token = response.context["form"].data["kept_photos"]
        self.assertEqual(self.post_journal(kept_photos=token).status_code, 302)
        self.assertEqual(JournalEntry.objects.get().photos.get().title, "good.png")

    def test_step_photo_kept_when_title_is_missing(self):
        response = self.client.post(
            f"/projects/{self.project.slug}/steps/add/",
            {"title": "", "body": "Corps tapé", "photos": [image_upload("s.png")]},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Corps tapé")
        token = response.context["form"].data["kept_photos"]
        response = self.client.post(
            f"/projects/{self.project.slug}/steps/add/", {"title": "Titre", "kept_photos": token}
        )
        self.assertEqual(response.status_code, 302)
        step = ProjectPage.objects.get(pk=self.project.pk).steps[0]
        self.assertEqual(len(step.value["photos"]), 1)
