"""Form pieces every app shares: photo uploads that survive a form error."""

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
    """Opens the camera or the gallery on a phone."""

    def __init__(self, attrs=None, *, multiple: bool = True):
        defaults = {"accept": "image/*"}
        if not multiple:
            defaults["capture"] = "environment"
        # Set before __init__, which reads it to add the `multiple` attribute.
        self.allow_multiple_selected = multiple
        super().__init__({**defaults, **(attrs or {})})


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


class KeepsPhotosForm(forms.Form):
    """A form with a `photos` field whose uploads survive when another field has an error.

    When the form is invalid, the view calls `keep_uploaded_photos()`: every photo that passed
    its checks is stored, and its signed id travels in the hidden `kept_photos` field, so the
    member does not pick the photos again. `photo_images()` returns kept images plus new uploads.
    """

    photos = PhotosField(label=_("Photos"))
    kept_photos = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Photos kept for a project's form belong to it at once, so they follow its visibility.
        self.project = project
        self.kept_photo_previews = []
        if self.is_bound and self.data.get(self.add_prefix("kept_photos")):
            # Photos already received count as chosen.
            self.fields["photos"].required = False

    def clean_kept_photos(self):
        value = self.cleaned_data.get("kept_photos", "")
        return self._unsign_images(value)

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
        return self._unsign_images(self.data.get(self.add_prefix("kept_photos"), ""))

    def photo_images(self) -> list:
        """Kept images and new uploads, in the order the member gave them."""
        return [*self.kept_images(), *self.cleaned_data.get("photos", [])]

    def keep_uploaded_photos(self) -> None:
        from images.services import image_create_from_upload

        kept = self.kept_images()
        for file in self.files.getlist(self.add_prefix("photos")):
            try:
                kept.append(
                    image_create_from_upload(file=file, uploaded_by=self.user, project=self.project)
                )
            except ValidationError:
                continue  # already reported by the field; the valid ones are kept
        data = self.data.copy()
        data[self.add_prefix("kept_photos")] = ",".join(
            signing.dumps(image.pk, salt=_KEPT_UPLOAD_SALT) for image in kept
        )
        self.data = data
        self.kept_photo_previews = kept


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
    """A Markdown textarea with its live preview, checked like the model field it fills.

    No maxlength attribute: a browser would cut a pasted text short without a word; the server
    refuses it with a message instead, and the form keeps the whole text.
    """
    hint = help_text or _("Markdown: **bold**, lists with -, # headings, ``` for code.")
    return forms.CharField(
        label=label,
        required=required,
        validators=[MarkdownValidator(max_length)],
        widget=forms.Textarea(attrs={**MARKDOWN_ATTRS, "data-max-length": max_length}),
        help_text=format_lazy(
            "{} {}", hint, format_lazy(_("At most {limit} characters."), limit=max_length)
        ),
    )
