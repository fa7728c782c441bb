from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Collection

from core.validators import validate_image_upload


@transaction.atomic
def image_create_from_upload(
    *, file: UploadedFile, title: str = "", uploaded_by, project=None
) -> "object":
    """Store an uploaded photo as a Wagtail image, after the same checks the forms make.
    A photo given a project is exactly as visible as that project (see visibility.policy)."""
    validate_image_upload(file)
    image_model = get_image_model()
    image = image_model(
        title=(title or file.name or "photo")[:255],
        file=file,
        uploaded_by_user=uploaded_by,
        collection=Collection.get_first_root_node(),
        project=project,
    )
    image._set_image_file_metadata()
    image.full_clean()
    image.save()
    return image
