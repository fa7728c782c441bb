from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import TestCase
from wagtail.models import Collection

from images.models import CarnetImage
from images.services import image_create_from_upload
from tests.helpers import image_upload, text_upload
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
