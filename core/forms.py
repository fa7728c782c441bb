"""Form pieces every app shares: the photo control, photo uploads that survive a form error."""

import copy
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from taggit import forms as taggit_forms
from taggit.models import Tag
from wagtail.images import get_image_model

from core.markdown import MAX_LENGTH_MEDIUM, MarkdownValidator
from core.validators import validate_image_upload, validate_upload_size

_KEPT_UPLOAD_SALT = "carnet.kept-upload"


class SizeCheckedFileInput(forms.ClearableFileInput):
    """A file input that lets the page refuse an oversized file before sending it.

    The limit and its message are added at render time, in the language of the request.
    """

    def get_context(self, name, value, attrs):
        from django.conf import settings

        limit = settings.CARNET_MAX_UPLOAD_SIZE
        attrs = {
            **(attrs or {}),
            "data-max-size": limit,
            "data-max-size-message": _("Too large (at most %(mb)s MB):")
            % {"mb": limit // (1024 * 1024)},
        }
        return super().get_context(name, value, attrs)


class PhotoInput(SizeCheckedFileInput):
    """The photo control's file input. No `capture` attribute: it would force the camera, while
    without it a phone's chooser offers the camera and the gallery. components/form.html shows
    it as components/photo_picker.html (a large labelled button, previews, captions, order),
    enhanced by static/js/photos.js; without JavaScript it is a plain file input."""

    photo_picker = True

    def __init__(self, attrs=None, *, multiple: bool = True):
        # Set before __init__, which reads it to add the `multiple` attribute.
        self.allow_multiple_selected = multiple
        super().__init__({"accept": "image/*", "data-photo-input": "", **(attrs or {})})


class PhotosField(forms.FileField):
    """Zero or more photos; each is checked on its own so one bad file names itself."""

    def __init__(self, *, multiple: bool = True, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", PhotoInput(multiple=multiple))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        errors = []
        for file in files:
            try:
                validate_image_upload(file)
            except ValidationError as exc:
                errors.extend(f"{file.name}: {message}" for message in exc.messages)
        if errors:
            raise ValidationError(errors)
        return list(files)


class UploadField(forms.FileField):
    def __init__(self, **kwargs):
        from django.conf import settings

        kwargs.setdefault(
            "widget",
            forms.ClearableFileInput(attrs={"data-max-size": settings.CARNET_MAX_UPLOAD_SIZE}),
        )
        kwargs.setdefault("validators", [validate_upload_size])
        super().__init__(**kwargs)


@dataclass(frozen=True)
class PlacedPhoto:
    """A photo as the member placed it in a form: a new upload or a stored image, with its
    caption (None: leave a stored photo's caption as it is)."""

    photo: Any
    caption: str | None = None


# Wagtail's image description, which holds the caption and is the photo's alt text.
CAPTION_MAX_LENGTH = 255
_NEW_PHOTO = "new"


class KeepsPhotosForm(forms.Form):
    """A form with a `photos` field: new uploads and the photos the form already holds (a step's
    or a journal entry's, given as `existing_photos`), with their captions and their order, and
    uploads that survive when another field has an error.

    The member's choices travel as plain fields, so the form works without JavaScript:
    `photo_order` lists the photos (a stored one by its id, the i-th new upload as `new<i>`),
    `photo_caption_<key>` gives each its caption, `remove_photos` the stored ones to take off.
    New uploads the page did not place (without JavaScript) come last, in the order chosen.

    When the form is invalid, the view calls `keep_uploaded_photos()`: every photo that passed
    its checks is stored with its caption, and its signed id travels in the hidden
    `kept_photos` field, so the member does not pick the photos again.
    """

    # Set by forms whose photos are shown with captions (a project's).
    photo_captions = False

    photos = PhotosField(label=_("Photos"))
    kept_photos = forms.CharField(widget=forms.HiddenInput, required=False)
    remove_photos = forms.TypedMultipleChoiceField(
        label=_("Remove these photos"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user=None, project=None, existing_photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Photos kept for a project's form belong to it at once, so they follow its visibility.
        self.project = project
        self.existing_photos = list(existing_photos)
        self.kept_photo_previews = []
        if self.is_bound and self.data.get(self.add_prefix("kept_photos")):
            # Photos already received count as chosen.
            self.fields["photos"].required = False
        self._offer_removal()

    def _offer_removal(self) -> None:
        """Offer to remove the stored photos, when there are some."""
        stored = self._stored_photos()
        if not stored:
            self.fields.pop("remove_photos", None)
            return
        if "remove_photos" not in self.fields:
            self.fields["remove_photos"] = copy.deepcopy(self.base_fields["remove_photos"])
        self.fields["remove_photos"].choices = [
            (image.pk, image.title) for image in stored.values()
        ]

    @property
    def photo_names(self) -> dict:
        """The names of the photo control's inputs (components/photo_picker.html)."""
        return {
            name: self.add_prefix(name)
            for name in ("photo_order", "photo_caption_", "remove_photos")
        }

    def clean_kept_photos(self):
        value = self.cleaned_data.get("kept_photos", "")
        return self._unsign_images(value)

    def clean(self):
        cleaned = super().clean()
        captions = [
            self.data.get(name) or ""
            for name in self.data
            if name.startswith(self.add_prefix("photo_caption_"))
        ]
        if any(len(caption.strip()) > CAPTION_MAX_LENGTH for caption in captions):
            self.add_error(
                "photos",
                format_lazy(
                    _("A caption may be at most {limit} characters."), limit=CAPTION_MAX_LENGTH
                ),
            )
        return cleaned

    def _unsign_images(self, value: str) -> list:
        ids = []
        for token in filter(None, value.split(",")):
            try:
                ids.append(int(signing.loads(token, salt=_KEPT_UPLOAD_SALT)))
            except (signing.BadSignature, ValueError, TypeError):
                continue
        if not ids or self.user is None:
            return []
        images = get_image_model().objects.filter(pk__in=ids, uploaded_by_user=self.user)
        return list(images)

    def kept_images(self) -> list:
        if hasattr(self, "cleaned_data") and "kept_photos" in self.cleaned_data:
            return self.cleaned_data["kept_photos"]
        if not hasattr(self, "_kept_images"):
            self._kept_images = self._unsign_images(
                self.data.get(self.add_prefix("kept_photos"), "")
            )
        return self._kept_images

    def _stored_photos(self) -> dict:
        """The stored photos this form may place, by key: its own, then those kept."""
        return {str(image.pk): image for image in [*self.existing_photos, *self.kept_images()]}

    def _data_list(self, name: str) -> list[str]:
        key = self.add_prefix(name)
        if hasattr(self.data, "getlist"):
            return self.data.getlist(key)
        value = self.data.get(key)
        return value if isinstance(value, list) else [value] if value else []

    def _caption(self, key: str) -> str | None:
        caption = self.data.get(self.add_prefix(f"photo_caption_{key}"))
        return caption.strip() if self.photo_captions and caption is not None else None

    def _placed(self, uploads) -> list[tuple[str, Any, str | None]]:
        """(key, photo, caption) of every photo in the member's order, removed ones included."""
        available = {
            **self._stored_photos(),
            **{f"{_NEW_PHOTO}{index}": upload for index, upload in enumerate(uploads)},
        }
        order = dict.fromkeys(key for key in self._data_list("photo_order") if key in available)
        order.update(dict.fromkeys(available))  # the photos the page did not place, last
        return [(key, available[key], self._caption(key)) for key in order]

    def placed_photos(self) -> list[PlacedPhoto]:
        """The photos the member chose, in their order, with their captions; not those removed."""
        removed = {str(pk) for pk in self.cleaned_data.get("remove_photos", ())}
        return [
            PlacedPhoto(photo, caption)
            for key, photo, caption in self._placed(self.cleaned_data.get("photos", []))
            if key not in removed
        ]

    def photo_images(self) -> list:
        """The chosen uploads and stored images, in the order the member gave them."""
        return [placed.photo for placed in self.placed_photos()]

    def photo_rows(self) -> list[dict]:
        """The stored photos the form shows (its own and those kept), in the member's order, with
        the caption typed and whether they are to be removed (components/photo_picker.html)."""
        removed = set(self._data_list("remove_photos"))
        return [
            {
                "key": key,
                "image": image,
                "caption": image.description if caption is None else caption,
                "removed": key in removed,
            }
            for key, image, caption in self._placed(())
        ]

    def keep_uploaded_photos(self) -> None:
        from images.services import image_create_from_upload

        kept = self.kept_images()
        keys = {}
        for index, file in enumerate(self.files.getlist(self.add_prefix("photos"))):
            caption = self._caption(f"{_NEW_PHOTO}{index}") or ""
            try:
                image = image_create_from_upload(
                    file=file,
                    caption=caption[:CAPTION_MAX_LENGTH],
                    uploaded_by=self.user,
                    project=self.project,
                )
            except ValidationError:
                continue  # already reported by the field; the valid ones are kept
            kept.append(image)
            keys[f"{_NEW_PHOTO}{index}"] = str(image.pk)
        data = self.data.copy()
        data[self.add_prefix("kept_photos")] = ",".join(
            signing.dumps(image.pk, salt=_KEPT_UPLOAD_SALT) for image in kept
        )
        # The new uploads, stored now, keep their place and their caption as it was typed.
        order = [keys.get(key, key) for key in self._data_list("photo_order")]
        if hasattr(data, "setlist"):
            data.setlist(self.add_prefix("photo_order"), order)
        else:
            data[self.add_prefix("photo_order")] = order
        for new_key, image_key in keys.items():
            caption = data.pop(self.add_prefix(f"photo_caption_{new_key}"), None)
            if caption is not None:
                data[self.add_prefix(f"photo_caption_{image_key}")] = (
                    caption[-1] if isinstance(caption, list) else caption
                )
        self.data = data
        self._kept_images = kept
        self.kept_photo_previews = kept
        self._offer_removal()


class TagField(taggit_forms.TagField):
    """Taggit's comma-separated field, refusing a tag longer than the tags table's column
    (PostgreSQL would refuse it with a server error)."""

    def clean(self, value):
        tags = super().clean(value)
        limit = Tag._meta.get_field("name").max_length
        if any(len(tag) > limit for tag in tags):
            raise ValidationError(
                _("Each tag may be at most %(limit)d characters long."),
                code="max_length",
                params={"limit": limit},
            )
        return tags


class ModelChoiceField(forms.ModelChoiceField):
    """Django's field, answering "not a valid choice" to an id beyond 64 bits: SQLite raises
    OverflowError for it (on a page's id) instead of finding nothing."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, answering "not a valid value" to an id beyond 64 bits, which SQLite
    refuses with OverflowError in an `__in` lookup."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_pk_value"],
                code="invalid_pk_value",
                params={"pk": max(value, key=lambda pk: len(str(pk)))},  # the longest id
            ) from None


MARKDOWN_ATTRS = {"data-markdown-preview": "", "rows": 12}


def markdown_field(
    label, *, max_length: int = MAX_LENGTH_MEDIUM, required: bool = False, help_text=None
) -> forms.CharField:
    """A Markdown textarea with its formatting toolbar and live preview, checked like the model
    field it fills (components/form.html adds both to a textarea marked data-markdown-preview).

    The help text says what to write, not the syntax: the toolbar writes it for the member.
    No maxlength attribute: a browser would cut a pasted text short without a word; the server
    refuses it with a message instead, and the form keeps the whole text.
    """
    limit = format_lazy(_("At most {limit} characters."), limit=max_length)
    return forms.CharField(
        label=label,
        required=required,
        validators=[MarkdownValidator(max_length)],
        widget=forms.Textarea(attrs={**MARKDOWN_ATTRS, "data-max-length": max_length}),
        help_text=format_lazy("{} {}", help_text, limit) if help_text else limit,
    )
