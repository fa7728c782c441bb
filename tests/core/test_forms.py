"""Photo fields and KeepsPhotosForm: photos survive an error elsewhere in the form, and only
for the member who uploaded them."""

from django import forms
from django.core import signing
from django.test import TestCase
from django.utils.datastructures import MultiValueDict

from core.forms import KeepsPhotosForm, PhotoInput, PhotosField
from images.factories import CarnetImageFactory
from images.models import CarnetImage
from tests.helpers import image_upload, text_upload
from users.factories import UserFactory


class NoteForm(KeepsPhotosForm):
    name = forms.CharField(max_length=10)


def _files(*uploads) -> MultiValueDict:
    return MultiValueDict({"photos": list(uploads)})


class TestPhotosField(TestCase):
    def test_each_bad_file_is_named_in_its_error(self):
        field = PhotosField()
        with self.assertRaises(forms.ValidationError) as caught:
            field.clean([image_upload("good.png"), text_upload("holiday.jpg")])
        messages = caught.exception.messages
        self.assertEqual(len(messages), 1)
        self.assertTrue(messages[0].startswith("holiday.jpg: "))

    def test_no_file_is_fine_when_optional(self):
        self.assertEqual(PhotosField().clean(None), [])

    def test_no_file_is_an_error_when_required(self):
        with self.assertRaises(forms.ValidationError):
            PhotosField(required=True).clean(None)

    def test_photo_inputs_offer_camera_and_gallery_and_single_ones_are_not_multiple(self):
        single, several = PhotoInput(multiple=False), PhotoInput()
        for widget in (single, several):
            html = widget.render("photos", None)
            self.assertIn('accept="image/*"', html)
            # `capture` would open the camera only, without the gallery.
            self.assertNotIn("capture", html)
        self.assertNotIn("multiple", single.render("photos", None))
        self.assertIn("multiple", several.render("photos", None))


class TestKeepsPhotosForm(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory()
        cls.other = UserFactory()

    def _invalid_form_with_photo(self):
        form = NoteForm(
            {"name": "far too long a name"}, _files(image_upload("kept.png")), user=self.member
        )
        self.assertFalse(form.is_valid())
        form.keep_uploaded_photos()
        return form

    def test_valid_photo_is_stored_and_signed_when_another_field_fails(self):
        form = self._invalid_form_with_photo()
        image = CarnetImage.objects.get()
        self.assertEqual(image.uploaded_by_user, self.member)
        self.assertEqual(form.kept_photo_previews, [image])
        token = form.data["kept_photos"]
        self.assertEqual(signing.loads(token, salt="carnet.kept-upload"), image.pk)
        self.assertIn(f'value="{token}"', str(form["kept_photos"]))

    def test_resubmitting_the_token_without_the_file_gives_the_photo_back(self):
        token = self._invalid_form_with_photo().data["kept_photos"]
        form = NoteForm({"name": "ok", "kept_photos": token}, user=self.member)
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.photo_images(), [CarnetImage.objects.get()])

    def test_invalid_photo_is_not_kept_but_valid_ones_are(self):
        form = NoteForm(
            {"name": "far too long a name"},
            _files(image_upload("good.png"), text_upload("bad.jpg")),
            user=self.member,
        )
        self.assertFalse(form.is_valid())
        form.keep_uploaded_photos()
        self.assertEqual([image.title for image in form.kept_photo_previews], ["good.png"])

    def test_token_for_another_members_image_is_ignored(self):
        image = CarnetImageFactory(uploaded_by_user=self.other)
        token = signing.dumps(image.pk, salt="carnet.kept-upload")
        form = NoteForm({"name": "ok", "kept_photos": token}, user=self.member)
        self.assertTrue(form.is_valid())
        self.assertEqual(form.photo_images(), [])

    def test_forged_or_foreign_salt_token_is_ignored(self):
        image = CarnetImageFactory(uploaded_by_user=self.member)
        forged = [
            "not-a-token",
            signing.dumps(image.pk),  # right key, wrong salt
            signing.dumps("abc", salt="carnet.kept-upload"),
        ]
        form = NoteForm({"name": "ok", "kept_photos": ",".join(forged)}, user=self.member)
        self.assertTrue(form.is_valid())
        self.assertEqual(form.photo_images(), [])

    def test_kept_photos_come_before_new_uploads(self):
        kept = CarnetImageFactory(uploaded_by_user=self.member)
        token = signing.dumps(kept.pk, salt="carnet.kept-upload")
        upload = image_upload("new.png")
        form = NoteForm({"name": "ok", "kept_photos": token}, _files(upload), user=self.member)
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.photo_images(), [kept, upload])
