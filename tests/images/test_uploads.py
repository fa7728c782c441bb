"""Every way a photo enters Carnet stores it clean (no location, upright) and turns what Carnet
cannot show into a form error that keeps the text and the other photos: member forms, avatars,
the Wagtail admin."""

import io

from django.core import signing
from django.test import TestCase
from PIL import Image
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form

from images.models import CarnetImage
from projects import services
from projects.models import JournalEntry
from tests.helpers import EnglishClient
from tests.images.photos import (
    assert_no_metadata,
    photo_bytes,
    photo_upload,
    plain_bytes,
    truncated_jpeg,
    upload,
)
from users.factories import UserFactory
from users.models import User


class TestJournalPhotos(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory()
        cls.project = services.project_create(owner=cls.owner, title="Lampe", summary="Bois.")

    def setUp(self):
        self.client.force_login(self.owner)
        self.url = f"/projects/{self.project.slug}/journal/new/"

    def test_bad_photos_are_named_and_the_text_and_good_photo_come_back(self):
        response = self.client.post(
            self.url,
            {
                "kind": "trial",
                "body": "Découpe à 60 % de puissance",
                "photos": [
                    photo_upload("bon.jpg"),
                    upload("scan.tiff", plain_bytes("TIFF")),
                    upload("coupee.jpg", truncated_jpeg()),
                ],
            },
        )
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors["photos"]
        self.assertTrue(any(e.startswith("scan.tiff: ") and "TIFF" in e for e in errors), errors)
        self.assertTrue(any(e.startswith("coupee.jpg: ") for e in errors), errors)
        self.assertFalse(any(e.startswith("bon.jpg") for e in errors), errors)
        self.assertContains(response, "Découpe à 60 % de puissance")
        self.assertFalse(JournalEntry.objects.exists())
        # Only the good photo was kept, clean, and comes back with the form.
        kept = CarnetImage.objects.get()
        self.assertEqual(kept.title, "bon.jpg")
        token = response.context["form"].data["kept_photos"]
        self.assertEqual(signing.loads(token, salt="carnet.kept-upload"), kept.pk)
        # Shown in the photo control, from the thumbnail made at upload.
        self.assertContains(response, kept.get_rendition("fill-320x240").url)
        with kept.open_file() as stored:
            assert_no_metadata(stored.read())
        # Sent again with the kept photo, the entry is saved with it.
        response = self.client.post(
            self.url, {"kind": "trial", "body": "Découpe", "kept_photos": token}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(list(JournalEntry.objects.get().photos.all()), [kept])

    def test_heic_journal_photo_is_stored_as_jpeg_without_location(self):
        response = self.client.post(
            self.url,
            {"kind": "trial", "body": "Essai", "photos": [photo_upload("IMG.HEIC", "HEIF")]},
        )
        self.assertEqual(response.status_code, 302)
        photo = JournalEntry.objects.get().photos.get()
        self.assertTrue(photo.file.name.endswith(".jpg"))
        with photo.open_file() as stored:
            assert_no_metadata(stored.read())


class TestAvatar(TestCase):
    client_class = EnglishClient
    url = "/accounts/profile/"

    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory()

    def setUp(self):
        self.client.force_login(self.member)

    def test_avatar_is_stored_upright_without_location(self):
        response = self.client.post(
            self.url,
            {"display_name": "Sacha", "avatar": photo_upload("moi.jpg", orientation=6)},
        )
        self.assertEqual(response.status_code, 302)
        avatar = User.objects.get(pk=self.member.pk).avatar
        data = avatar.read()
        assert_no_metadata(data)
        with Image.open(io.BytesIO(data)) as image:
            self.assertEqual(image.size, (30, 60))

    def test_heic_avatar_becomes_a_jpeg(self):
        response = self.client.post(
            self.url, {"display_name": "Sacha", "avatar": photo_upload("moi.heic", "HEIF")}
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(User.objects.get(pk=self.member.pk).avatar.name.endswith(".jpg"))

    def test_tiff_or_truncated_avatar_is_refused_and_the_text_is_kept(self):
        for name, data in (("moi.tiff", plain_bytes("TIFF")), ("moi.jpg", truncated_jpeg())):
            with self.subTest(name):
                response = self.client.post(
                    self.url, {"display_name": "Sacha a tapé ça", "avatar": upload(name, data)}
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn("avatar", response.context["form"].errors)
                self.assertContains(response, "Sacha a tapé ça")
                self.assertFalse(User.objects.get(pk=self.member.pk).avatar)


class TestWagtailAdminUpload(TestCase):
    """Staff upload through Wagtail's image form (WAGTAILIMAGES_IMAGE_FORM_BASE)."""

    @classmethod
    def setUpTestData(cls):
        cls.staff = UserFactory(is_staff=True, is_superuser=True)

    def _form(self, file):
        form_class = get_image_form(get_image_model())
        return form_class({"title": "Photo"}, {"file": file}, user=self.staff)

    def test_admin_upload_is_stored_clean_and_upright(self):
        form = self._form(photo_upload("atelier.jpg", orientation=8))
        self.assertTrue(form.is_valid(), form.errors)
        image = form.save()
        with image.open_file() as stored:
            assert_no_metadata(stored.read())
        self.assertEqual((image.width, image.height), (30, 60))

    def test_admin_heic_upload_is_stored_as_jpeg(self):
        form = self._form(upload("atelier.heic", photo_bytes("HEIF")))
        self.assertTrue(form.is_valid(), form.errors)
        self.assertTrue(form.save().file.name.endswith(".jpg"))

    def test_admin_truncated_upload_is_a_form_error(self):
        form = self._form(upload("coupee.jpg", truncated_jpeg()))
        self.assertFalse(form.is_valid())
        self.assertIn("file", form.errors)
        self.assertFalse(CarnetImage.objects.exists())

    def test_admin_multiple_upload_view_stores_the_photo_clean(self):
        self.client.force_login(self.staff)
        response = self.client.post(
            "/admin/images/multiple/add/", {"files[]": photo_upload("atelier.jpg")}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.json()["success"], response.json())
        with CarnetImage.objects.get().open_file() as stored:
            assert_no_metadata(stored.read())
