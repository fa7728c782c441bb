"""Renditions: made by the task worker after an upload, and read from the prefetched ones by
the pages without writing them back to the cache."""

from unittest import mock

from django.core.cache.backends.locmem import LocMemCache
from django.template import Context, Template
from django.test import TestCase

from images.factories import CarnetImageFactory
from images.models import CarnetImage
from images.renditions import UPLOAD_RENDITIONS
from images.services import image_create_from_upload, image_renditions_make
from projects.factories import JournalEntryFactory, ProjectPageFactory, step_block
from tests.helpers import image_upload
from tests.images.test_broken_stored_images import BROKEN
from users.factories import UserFactory


def rendition_cache_writes():
    """Patches the cache so that it records the rendition keys written (Wagtail's keys)."""
    written = []
    real_set, real_set_many = LocMemCache.set, LocMemCache.set_many

    def set_(cache, key, *args, **kwargs):
        written.append(key)
        return real_set(cache, key, *args, **kwargs)

    def set_many(cache, data, *args, **kwargs):
        written.extend(data)
        return real_set_many(cache, data, *args, **kwargs)

    patches = [
        mock.patch.object(LocMemCache, "set", set_),
        mock.patch.object(LocMemCache, "set_many", set_many),
    ]
    return patches, written


class TestRenditionsMadeAtUpload(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory()

    def test_the_page_sizes_exist_once_the_uploads_task_ran(self):
        with self.captureOnCommitCallbacks(execute=True):
            image = image_create_from_upload(
                file=image_upload(size=(1600, 1200)), uploaded_by=self.member
            )
        self.assertEqual(
            sorted(image.renditions.values_list("filter_spec", flat=True)),
            sorted(UPLOAD_RENDITIONS),
        )

    def test_nothing_is_made_before_the_upload_commits(self):
        with self.captureOnCommitCallbacks(execute=False) as queued:
            image = image_create_from_upload(file=image_upload(), uploaded_by=self.member)
        self.assertEqual(len(queued), 1)
        self.assertFalse(image.renditions.exists())

    def test_sizes_already_made_are_not_made_again(self):
        image = CarnetImageFactory()
        image.get_rendition(UPLOAD_RENDITIONS[0])
        self.assertEqual(
            image_renditions_make(image_id=image.pk, specs=list(UPLOAD_RENDITIONS)),
            len(UPLOAD_RENDITIONS) - 1,
        )
        self.assertEqual(image_renditions_make(image_id=image.pk, specs=list(UPLOAD_RENDITIONS)), 0)

    def test_an_image_deleted_before_its_task_ran_is_skipped(self):
        image = CarnetImageFactory()
        image_id = image.pk
        image.delete()
        self.assertEqual(image_renditions_make(image_id=image_id, specs=["width-1200"]), 0)

    def test_an_image_that_cannot_be_rendered_is_logged_and_makes_none(self):
        for kind, make_broken in BROKEN.items():
            with self.subTest(kind), self.assertLogs("images", "WARNING"):
                image = make_broken()
                made = image_renditions_make(image_id=image.pk, specs=list(UPLOAD_RENDITIONS))
            self.assertEqual(made, 0)
            self.assertFalse(image.renditions.exists())


class TestPrefetchedRenditionsAreNotWrittenToTheCache(TestCase):
    def test_image_tag_on_a_prefetched_rendition_writes_nothing(self):
        photo = CarnetImageFactory()
        photo.get_rendition("fill-320x240")
        prefetched = CarnetImage.objects.prefetch_renditions("fill-320x240").get(pk=photo.pk)
        template = Template("{% load carnet_images %}{% image photo fill-320x240 %}")
        patches, written = rendition_cache_writes()
        with patches[0], patches[1]:
            html = template.render(Context({"photo": prefetched}))
        self.assertIn("<img", html)
        self.assertEqual(written, [])

    def test_a_rendition_made_on_the_spot_is_still_cached(self):
        photo = CarnetImageFactory()
        prefetched = CarnetImage.objects.prefetch_renditions("fill-320x240").get(pk=photo.pk)
        patches, written = rendition_cache_writes()
        with patches[0], patches[1]:
            prefetched.get_rendition("fill-320x240")
        self.assertEqual(len([key for key in written if key.startswith("wagtail-rendition")]), 1)

    def test_a_warm_project_page_writes_no_rendition_to_the_cache(self):
        photos = CarnetImageFactory.create_batch(3)
        project = ProjectPageFactory(
            cover_image=photos[0], steps=[step_block("Découper", photos=photos[1:])]
        )
        JournalEntryFactory(project=project, photos=photos[1:])
        self.assertEqual(self.client.get(project.url).status_code, 200)  # renditions made
        patches, written = rendition_cache_writes()
        with patches[0], patches[1]:
            response = self.client.get(project.url)
        self.assertGreaterEqual(response.content.count(b"<img"), 5)
        self.assertEqual([key for key in written if key.startswith("wagtail-rendition")], [])
