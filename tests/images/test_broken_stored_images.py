"""One stored photo that cannot be rendered (a TIFF, a truncated JPEG, a file gone from storage)
must not break pages for everyone: the pages show no picture for it and answer 200."""

from pathlib import Path

from django.core.files.base import ContentFile
from django.test import TestCase
from wagtail.images.models import SourceImageIOError

from images.models import CarnetImage
from projects.factories import JournalEntryFactory, ProjectPageFactory, step_block
from tests.helpers import EnglishClient
from tests.images.photos import plain_bytes, truncated_jpeg
from tribes.factories import TribeMembershipFactory, TribePageFactory
from users.factories import UserFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _stored(name: str, data: bytes, **fields) -> CarnetImage:
    """A photo stored as it was before uploads were checked (or by a bug, or a lost disk)."""
    storage = CarnetImage._meta.get_field("file").storage
    stored_name = storage.save(f"original_images/{name}", ContentFile(data))
    # Width and height as recorded then: measuring them again would decode the file.
    return CarnetImage.objects.create(title=name, file=stored_name, width=24, height=16, **fields)


def _missing(name: str = "gone.jpg", **fields) -> CarnetImage:
    image = _stored(name, plain_bytes("JPEG"), **fields)
    image.file.storage.delete(image.file.name)
    return image


BROKEN = {
    "tiff": lambda **fields: _stored("scan.tiff", plain_bytes("TIFF"), **fields),
    "truncated jpeg": lambda **fields: _stored("cut.jpg", truncated_jpeg(), **fields),
    "missing file": lambda **fields: _missing(**fields),
}


class TestPagesWithABrokenStoredPhoto(TestCase):
    client_class = EnglishClient

    def _site_using(self, make_broken):
        member = UserFactory()
        project = ProjectPageFactory(owner=member)
        photo = make_broken(project=project)
        project.cover_image = photo
        project.steps = [step_block("Découper", photos=[make_broken(project=project)])]
        project.save()
        JournalEntryFactory(project=project, photos=[make_broken(project=project)])
        tribe = TribePageFactory(logo=make_broken())
        TribeMembershipFactory(tribe=tribe, user=member)
        avatar = make_broken()
        member.avatar.name = avatar.file.name  # an avatar file in the same state
        member.save()
        return project, tribe, member

    def _assert_pages_answer(self, kind: str):
        project, tribe, member = self._site_using(BROKEN[kind])
        for url in ("/", "/projects/", project.url, member.get_absolute_url(), tribe.url):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, f"{kind}: {url}")
        # No picture at all, rather than a broken one or an empty link.
        response = self.client.get(project.url)
        self.assertNotContains(response, "not-found")
        self.assertNotContains(response, '<a href="">')

    def test_the_api_answers_200_with_a_broken_cover_and_logo(self):
        for kind, make_broken in BROKEN.items():
            with self.subTest(kind):
                project, tribe, _member = self._site_using(make_broken)
                for page, field in ((project, "cover_thumbnail"), (tribe, "logo_thumbnail")):
                    response = self.client.get(f"/api/v2/pages/{page.pk}/?fields={field}")
                    self.assertEqual(response.status_code, 200, f"{kind}: {field}")
                    self.assertEqual(response.json()[field], {"error": "SourceImageIOError"})

    def test_pages_answer_200_with_a_stored_tiff(self):
        self._assert_pages_answer("tiff")

    def test_pages_answer_200_with_a_stored_truncated_jpeg(self):
        self._assert_pages_answer("truncated jpeg")

    def test_pages_answer_200_with_a_photo_missing_from_storage(self):
        self._assert_pages_answer("missing file")

    def test_the_image_reports_a_broken_file_as_wagtail_reports_a_missing_one(self):
        # Wagtail's API fields and admin already handle SourceImageIOError.
        for kind, make_broken in BROKEN.items():
            with self.subTest(kind), self.assertRaises(SourceImageIOError):
                make_broken().get_rendition("fill-160x160")

    def test_a_good_photo_beside_a_broken_one_is_still_shown(self):
        project = ProjectPageFactory(title="Boîte")
        good = _stored("good.png", plain_bytes("PNG"), project=project)
        JournalEntryFactory(project=project, photos=[BROKEN["tiff"](project=project), good])
        response = self.client.get(project.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, good.get_rendition("fill-320x240").url)


def test_templates_use_the_image_tag_that_tolerates_broken_photos():
    loading_wagtails = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "wagtailimages_tags" in path.read_text()
    ]
    assert loading_wagtails == [], "load carnet_images instead of wagtailimages_tags"
