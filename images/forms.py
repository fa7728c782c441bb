from django.core.files.uploadedfile import UploadedFile
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from core.image_files import clean_image_upload
from core.validators import validate_image_upload


class CarnetImageField(WagtailImageField):
    def to_python(self, data):
        # Carnet's checks first: Wagtail's own fail with an OSError (a 500) on a truncated file.
        if isinstance(data, UploadedFile):
            validate_image_upload(data)
        return super().to_python(data)


class CarnetImageForm(BaseImageForm):
    """The Wagtail admin's image form (WAGTAILIMAGES_IMAGE_FORM_BASE): a photo staff upload is
    checked and stored as cleanly as a member's (core.image_files)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if field := self.fields.get("file"):
            self.fields["file"] = CarnetImageField(
                label=field.label, required=field.required, widget=field.widget
            )

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):  # not when only the title or focal point changes
            return clean_image_upload(file, name=file.name)
        return file
