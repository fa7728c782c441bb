"""`manage.py clean_stored_images`: photos stored before uploads were cleaned lose their
location; their renditions are made again; running it twice changes nothing more."""

import io

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import TestCase
from PIL import Image

from images.models import CarnetImage
from tests.images.photos import GPS_IFD, assert_no_metadata, photo_bytes, plain_bytes
from users.factories import UserFactory


def _stored(name: str, data: bytes) -> CarnetImage:
    storage = CarnetImage._meta.get_field("file").storage
    stored_name = storage.save(f"original_images/{name}", ContentFile(data))
    return CarnetImage.objects.create(title=name, file=stored_name, width=60, height=30)


class TestCleanStoredImages(TestCase):
    def _run(self) -> str:
        out = io.StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("clean_stored_images", stdout=out)
        return out.getvalue()

    def test_old_photo_and_its_renditions_lose_their_location(self):
        image = _stored("old.jpg", photo_bytes("JPEG", orientation=6))
        rendition = image.get_rendition("width-40")
        with rendition.file.open("rb") as file, Image.open(file) as made:
            # What the command is for: Wagtail copies the original's EXIF into renditions.
            self.assertTrue(made.getexif().get_ifd(GPS_IFD))
        old_name, old_rendition = image.file.name, rendition.file.name
        storage = image.file.storage

        output = self._run()

        self.assertIn("Stored photos: 1 cleaned", output)
        image.refresh_from_db()
        with image.open_file() as stored:
            assert_no_metadata(stored.read())
        self.assertEqual((image.width, image.height), (30, 60))  # turned upright
        self.assertFalse(storage.exists(old_name))
        self.assertFalse(image.renditions.exists())
        self.assertFalse(storage.exists(old_rendition))
        with image.get_rendition("width-40").file.open("rb") as file:
            assert_no_metadata(file.read())

    def test_running_it_again_changes_nothing(self):
        image = _stored("old.png", photo_bytes("PNG"))
        self._run()
        image.refresh_from_db()
        name, file_hash = image.file.name, image.file_hash
        output = self._run()
        self.assertIn("0 cleaned, 1 already clean", output)
        image.refresh_from_db()
        self.assertEqual((image.file.name, image.file_hash), (name, file_hash))

    def test_photos_it_cannot_read_are_reported_and_left(self):
        tiff = _stored("scan.tiff", plain_bytes("TIFF"))
        gone = _stored("gone.jpg", plain_bytes("JPEG"))
        gone.file.storage.delete(gone.file.name)
        output = self._run()
        self.assertIn(f"image {tiff.pk}", output)
        self.assertIn("not a photo Carnet can show", output)
        self.assertIn(f"image {gone.pk}", output)
        self.assertIn("missing from storage", output)
        self.assertIn("1 unreadable, 1 missing", output)
        tiff.refresh_from_db()
        self.assertTrue(tiff.file.name.endswith(".tiff"))

    def test_avatars_are_cleaned_too(self):
        member = UserFactory()
        member.avatar.save("me.jpg", ContentFile(photo_bytes("JPEG")), save=True)
        output = self._run()
        self.assertIn(f"avatar of {member.username}", output)
        member.refresh_from_db()
        assert_no_metadata(member.avatar.read())
