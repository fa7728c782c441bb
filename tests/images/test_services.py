from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import TestCase
from wagtail.models import Collection

from images.models import CarnetImage
from images.services import image_create_from_upload
from tests.helpers import image_upload, text_upload
from tests.images.photos import (
    SIZE,
    assert_no_metadata,
    photo_upload,
    plain_bytes,
    truncated_jpeg,
    upload,
)
from users.factories import UserFactory


class TestImageCreateFromUpload(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory()

    def test_stores_the_photo_with_its_size_uploader_and_root_collection(self):
        image = image_create_from_upload(
            file=image_upload("bench.png", size=(12, 9)), title="Établi", uploaded_by=self.member
        )
        image.refresh_from_db()
        self.assertEqual((image.title, image.width, image.height), ("Établi", 12, 9))
        self.assertEqual(image.uploaded_by_user, self.member)
        self.assertEqual(image.collection, Collection.get_first_root_node())
        self.assertTrue(image.file_size)

    def test_title_defaults_to_the_file_name(self):
        image = image_create_from_upload(file=image_upload("vis.png"), uploaded_by=self.member)
        self.assertEqual(image.title, "vis.png")

    def test_file_lands_in_the_temporary_media_root(self):
        image = image_create_from_upload(file=image_upload(), uploaded_by=self.member)
        media_root = Path(settings.MEDIA_ROOT).resolve()
        self.assertTrue(Path(image.file.path).resolve().is_relative_to(media_root))
        self.assertNotIn(str(Path(settings.BASE_DIR) / "media"), image.file.path)

    def test_non_image_is_refused_and_nothing_is_stored(self):
        with self.assertRaises(ValidationError):
            image_create_from_upload(file=text_upload("photo.jpg"), uploaded_by=self.member)
        self.assertFalse(CarnetImage.objects.exists())


class TestStoredPhotosCarryNoMetadata(TestCase):
    """A journal photo of a public project is served to anyone, original and renditions."""

    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory()

    def _store(self, name="IMG_0001.jpg", image_format="JPEG", **kwargs):
        upload = photo_upload(name, image_format, **kwargs)
        return image_create_from_upload(file=upload, uploaded_by=self.member)

    def test_original_is_stored_without_location_serial_owner_or_comments(self):
        image = self._store(orientation=6)
        with image.open_file() as stored:
            assert_no_metadata(stored.read())
        # Upright: width and height are those of the turned photo.
        self.assertEqual((image.width, image.height), (SIZE[1], SIZE[0]))

    def test_every_rendition_is_made_without_metadata(self):
        image = self._store()
        for spec in ("width-1200", "fill-320x240", "fill-480x320", "max-20x20|format-webp"):
            with self.subTest(spec=spec), image.get_rendition(spec).file.open("rb") as file:
                assert_no_metadata(file.read())

    def test_heic_from_a_phone_is_stored_as_a_jpeg_pages_can_show(self):
        image = self._store("IMG_0002.HEIC", "HEIF")
        self.assertTrue(image.file.name.endswith(".jpg"), image.file.name)
        self.assertEqual(image.title, "IMG_0002.HEIC")
        with image.open_file() as stored:
            assert_no_metadata(stored.read())
        self.assertTrue(image.get_rendition("fill-320x240").file.name.endswith(".jpg"))

    def test_tiff_and_truncated_jpeg_are_refused_and_nothing_is_stored(self):
        for name, data in (("scan.tiff", plain_bytes("TIFF")), ("cut.jpg", truncated_jpeg())):
            with self.subTest(name), self.assertRaises(ValidationError):
                image_create_from_upload(file=upload(name, data), uploaded_by=self.member)
        self.assertFalse(CarnetImage.objects.exists())
