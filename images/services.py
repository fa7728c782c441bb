from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Collection

from core.image_files import StoredImageOutcome, clean_image_upload, stored_file_clean


@transaction.atomic
def image_create_from_upload(
    *, file: UploadedFile, title: str = "", uploaded_by, project=None
) -> "object":
    """Store an uploaded photo as a Wagtail image, after the same checks the forms make.

    What is stored is the cleaned photo (core.image_files): decoded whole, upright, without
    location or other metadata, HEIC/AVIF converted to JPEG.
    A photo given a project is exactly as visible as that project (see visibility.policy)."""
    cleaned = clean_image_upload(file)
    image_model = get_image_model()
    image = image_model(
        title=(title or file.name or "photo")[:255],
        file=cleaned,
        uploaded_by_user=uploaded_by,
        collection=Collection.get_first_root_node(),
        project=project,
    )
    image._set_image_file_metadata()
    image.full_clean()
    image.save()
    return image


@transaction.atomic
def image_clean_stored(*, image) -> StoredImageOutcome:
    """Rewrite an image already stored without its metadata, and delete its renditions (they
    are made again from the clean original). Idempotent: a clean image is left as it is."""
    outcome, old_name = stored_file_clean(image.file)
    if outcome is StoredImageOutcome.CLEANED:
        image._set_image_file_metadata()
        image.save()
        image.renditions.all().delete()  # Wagtail deletes their files and cache entries
        storage = image.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return outcome
