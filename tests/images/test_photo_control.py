"""The photo control: several photos at once, each with its caption, in the order the member
gave, kept across a form error; captions shown under the photos and used as their alt text;
thumbnails that open the large version, never the original."""

from django.test import TestCase
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.html import escape

from images.factories import CarnetImageFactory
from images.models import CarnetImage
from projects import services
from projects.forms import JournalEntryForm, ProjectStepForm
from projects.models import ProjectPage
from tests.helpers import EnglishClient, form_errors, image_upload, text_upload
from users.factories import UserFactory


def entry_data(**data) -> MultiValueDict:
    """A journal entry form's data; lists for the fields sent several times."""
    values = {"kind": ["trial"], "body": ["Découpe du couvercle."]}
    values.update(
        {name: value if isinstance(value, list) else [value] for name, value in data.items()}
    )
    return MultiValueDict(values)


def uploads(*names) -> MultiValueDict:
    return MultiValueDict({"photos": [image_upload(name) for name in names]})


class PhotoFormTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory()
        cls.project = services.project_create(
            owner=cls.owner, title="Boîte à bijoux", summary="Une boîte gravée."
        )

    def form(self, data, files=None, **kwargs):
        return JournalEntryForm(data, files, user=self.owner, project=self.project, **kwargs)

    def create_entry(self, form):
        self.assertTrue(form.is_valid(), form.errors)
        return services.journal_entry_create(
            project=self.project,
            author=self.owner,
            photos=form.placed_photos(),
            **form.entry_fields(),
        )

    def shown(self, entry) -> list[tuple[str, str]]:
        """(title, caption) of an entry's photos, as pages list them."""
        return [(photo.title, photo.description) for photo in entry.photos.all()]


class TestNewPhotos(PhotoFormTestCase):
    def test_several_photos_are_saved_with_their_captions_in_the_order_given(self):
        form = self.form(
            entry_data(
                title="Premier essai",
                photo_order=["new2", "new0", "new1"],
                photo_caption_new0="Le couvercle",
                photo_caption_new1="",
                photo_caption_new2="  Les bords brûlés  ",
            ),
            uploads("a.png", "b.png", "c.png"),
        )
        entry = self.create_entry(form)
        captions = [caption for _title, caption in self.shown(entry)]
        self.assertEqual(captions, ["Les bords brûlés", "Le couvercle", ""])
        self.assertEqual({title for title, _caption in self.shown(entry)}, {"Premier essai"})

    def test_without_javascript_new_photos_come_last_in_the_order_chosen(self):
        existing = [CarnetImageFactory(project=self.project, description=f"{n}") for n in "12"]
        entry = self.create_entry(self.form(entry_data(), None))
        services.journal_entry_update(entry=entry, user=self.owner, photos=existing)
        form = self.form(
            # What the page sends without JavaScript: the stored photos' rows, then the files.
            entry_data(
                photo_order=[str(existing[1].pk), str(existing[0].pk)],
                photo_caption_new0="a",
                photo_caption_new1="b",
            ),
            uploads("a.png", "b.png"),
            existing_photos=entry.photos.all(),
        )
        self.assertTrue(form.is_valid(), form.errors)
        services.journal_entry_update(entry=entry, user=self.owner, photos=form.placed_photos())
        self.assertEqual([caption for _t, caption in self.shown(entry)], ["2", "1", "a", "b"])

    def test_a_caption_too_long_is_a_form_error_and_keeps_the_photos_and_the_caption(self):
        too_long = "é" * 256
        form = self.form(
            entry_data(
                photo_order=["new0", "new1"],
                photo_caption_new0="Court",
                photo_caption_new1=too_long,
            ),
            uploads("a.png", "b.png"),
        )
        self.assertFalse(form.is_valid())
        self.assertIn("at most 255 characters", " ".join(form.errors["photos"]))
        form.keep_uploaded_photos()
        rows = form.photo_rows()
        self.assertEqual([row["caption"] for row in rows], ["Court", too_long])
        self.assertEqual(CarnetImage.objects.count(), 2)

    def test_a_form_error_keeps_photos_captions_and_order_and_the_next_send_saves_them(self):
        form = self.form(
            entry_data(
                kind="not-a-kind",
                photo_order=["new1", "new0"],
                photo_caption_new0="Premier",
                photo_caption_new1="Second",
            ),
            MultiValueDict(
                {"photos": [image_upload("a.png"), text_upload("notes.jpg"), image_upload("c.png")]}
            ),
        )
        self.assertFalse(form.is_valid())
        self.assertIn("notes.jpg", " ".join(form.errors["photos"]))
        form.keep_uploaded_photos()
        rows = form.photo_rows()
        # The bad file is left out; the others keep their place and their caption.
        self.assertEqual([row["caption"] for row in rows], ["Premier", ""])
        self.assertEqual(rows[0]["image"].description, "Premier")
        # The page sends back what it shows, now by the stored photos' ids.
        data = form.data.copy()
        data["kind"] = "trial"
        data.setlist("photo_order", [rows[1]["key"], rows[0]["key"]])
        data[f"photo_caption_{rows[1]['key']}"] = "Troisième"
        entry = self.create_entry(self.form(data, None))
        self.assertEqual([caption for _t, caption in self.shown(entry)], ["Troisième", "Premier"])


class TestStoredPhotos(PhotoFormTestCase):
    def setUp(self):
        self.photos = [
            CarnetImageFactory(project=self.project, description=caption)
            for caption in ("Avant", "Pendant", "Après")
        ]
        self.entry = self.create_entry(self.form(entry_data(), None))
        services.journal_entry_update(entry=self.entry, user=self.owner, photos=self.photos)

    def edit(self, data, files=None):
        form = self.form(data, files, existing_photos=self.entry.photos.all())
        self.assertTrue(form.is_valid(), form.errors)
        services.journal_entry_update(
            entry=self.entry, user=self.owner, photos=form.placed_photos(), **form.entry_fields()
        )

    def test_the_edit_form_lists_the_photos_in_order_with_their_captions(self):
        rows = self.form(None, existing_photos=self.entry.photos.all()).photo_rows()
        self.assertEqual([row["caption"] for row in rows], ["Avant", "Pendant", "Après"])

    def test_reordering_recaptioning_and_removing(self):
        before, during, after = self.photos
        self.edit(
            entry_data(
                photo_order=[str(after.pk), str(during.pk), str(before.pk)],
                **{f"photo_caption_{after.pk}": "Fini"},
                remove_photos=[str(during.pk)],
            )
        )
        self.assertEqual([caption for _t, caption in self.shown(self.entry)], ["Fini", "Avant"])
        # Taken off the entry and shown nowhere else: deleted with its files.
        self.assertFalse(CarnetImage.objects.filter(pk=during.pk).exists())

    def test_photos_not_placed_keep_their_place_and_caption(self):
        self.edit(entry_data())  # a client sending none of the photo fields
        self.assertEqual(
            [caption for _t, caption in self.shown(self.entry)], ["Avant", "Pendant", "Après"]
        )

    def test_photos_of_another_entry_or_member_cannot_be_placed_or_removed(self):
        stranger = CarnetImageFactory(description="Ailleurs")
        foreign = CarnetImageFactory(uploaded_by_user=self.owner, project=self.project)
        form = self.form(
            entry_data(photo_order=[str(stranger.pk), str(foreign.pk)]),
            existing_photos=self.entry.photos.all(),
        )
        self.assertTrue(form.is_valid(), form.errors)
        self.assertNotIn(stranger, form.photo_images())
        self.assertNotIn(foreign, form.photo_images())
        form = self.form(
            entry_data(remove_photos=[str(stranger.pk)]), existing_photos=self.entry.photos.all()
        )
        self.assertFalse(form.is_valid())
        self.assertIn("remove_photos", form.errors)


class TestStepPhotos(PhotoFormTestCase):
    client_class = EnglishClient

    def test_a_step_saves_several_photos_with_captions_in_order_and_shows_them(self):
        self.client.force_login(self.owner)
        response = self.client.post(
            reverse("projects:step_add", kwargs={"slug": self.project.slug}),
            {
                "title": "Graver le couvercle",
                "body": "",
                "photos": [image_upload("a.png"), image_upload("b.png")],
                "photo_order": ["new1", "new0"],
                "photo_caption_new0": "Le motif",
                "photo_caption_new1": "La machine <réglée>",
            },
        )
        self.assertEqual(response.status_code, 302, form_errors(response))
        project = ProjectPage.objects.get(pk=self.project.pk).get_latest_revision_as_object()
        (step,) = project.steps
        self.assertEqual(
            [photo.description for photo in step.value["photos"]],
            ["La machine <réglée>", "Le motif"],
        )
        form = ProjectStepForm(
            None, user=self.owner, project=self.project, existing_photos=step.value["photos"]
        )
        self.assertEqual(
            [row["caption"] for row in form.photo_rows()], ["La machine <réglée>", "Le motif"]
        )


class TestPhotosShown(PhotoFormTestCase):
    client_class = EnglishClient

    def setUp(self):
        self.client.force_login(self.owner)
        form = self.form(
            entry_data(
                title="Premier essai",
                photo_order=["new0", "new1"],
                photo_caption_new0="Le couvercle <gravé>",
            ),
            uploads("a.png", "b.png"),
        )
        self.entry = self.create_entry(form)

    def pages(self):
        detail = reverse(
            "projects:journal_entry", kwargs={"slug": self.project.slug, "pk": self.entry.pk}
        )
        return [self.project.url, detail]

    def test_captions_are_shown_under_the_photos_and_are_their_alt_text(self):
        captioned, plain = self.entry.photos.all()
        for url in self.pages():
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                caption = escape("Le couvercle <gravé>")
                self.assertIn(f"<figcaption>{caption}</figcaption>", html)
                self.assertIn(f'alt="{caption}"', html)
                # Without a caption, the entry's title says what the photo is about.
                self.assertIn('alt="Premier essai"', html)

    def test_thumbnails_open_the_large_version_never_the_original(self):
        for url in self.pages():
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                for photo in self.entry.photos.all():
                    large = photo.get_rendition("width-1200")
                    self.assertIn(f'href="{large.url}" data-lightbox', html)
                    self.assertNotIn(f'href="{photo.file.url}"', html)

    def test_every_photo_field_is_the_photo_control_without_forced_camera(self):
        journal = reverse("projects:journal_entry_add", kwargs={"slug": self.project.slug})
        cover = reverse(
            "projects:edit_section", kwargs={"slug": self.project.slug, "section": "cover"}
        )
        step = reverse("projects:step_add", kwargs={"slug": self.project.slug})
        pages = [
            (journal, True),
            (step, True),
            (cover, False),
            (reverse("projects:create"), False),
            (reverse("users:profile_edit"), False),
        ]
        for url, several in pages:
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                self.assertIn("data-photo-picker", html)
                self.assertNotIn("capture=", html)
                self.assertIn("Add photos" if several else "Choose a photo", html)
                self.assertEqual("data-multiple" in html, several)
