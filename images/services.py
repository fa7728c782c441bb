import logging

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError
from wagtail.models import Collection

from core.forms import PlacedPhoto
from core.image_files import StoredImageOutcome, clean_image_upload, stored_file_clean
from core.tasks import enqueue_on_commit

from .renditions import UPLOAD_RENDITIONS

logger = logging.getLogger(__name__)


@transaction.atomic
def image_create_from_upload(
    *, file: UploadedFile, title: str = "", caption: str = "", uploaded_by, project=None
) -> "object":
    """Store an uploaded photo as a Wagtail image, after the same checks the forms make.

    What is stored is the cleaned photo (core.image_files): decoded whole, upright, without
    location or other metadata, HEIC/AVIF converted to JPEG.
    A photo given a project is exactly as visible as that project (see visibility.policy)."""
    cleaned = clean_image_upload(file)
    image_model = get_image_model()
    image = image_model(
        title=(title or file.name or "photo")[:255],
        description=caption,
        file=cleaned,
        uploaded_by_user=uploaded_by,
        collection=Collection.get_first_root_node(),
        project=project,
    )
    image._set_image_file_metadata()
    image.full_clean()
    image.save()
    from .tasks import image_renditions_task  # tasks.py imports this module

    enqueue_on_commit(image_renditions_task, image.pk, list(UPLOAD_RENDITIONS))
    return image


@transaction.atomic
def image_place(
    *, photo, title: str, uploaded_by, project=None, position: int | None = None
) -> "object":
    """A photo a form gave (an upload, a stored image, or either as a PlacedPhoto with its
    caption), stored with its caption and its place among the photos shown with it.

    A photo without a project is given `project`, so it is exactly as visible as that project."""
    caption = None
    if isinstance(photo, PlacedPhoto):
        photo, caption = photo.photo, photo.caption
    if isinstance(photo, UploadedFile):
        image = image_create_from_upload(
            file=photo, title=title, caption=caption or "", uploaded_by=uploaded_by, project=project
        )
        changed = {}
    else:
        image = photo
        changed = {"description": caption} if caption is not None else {}
        if project is not None and image.project_id is None:
            # An upload kept across a form error joins its project now, named like the others.
            changed["project"] = project
            if title:
                changed["title"] = title[:255]
    if position is not None:
        changed["position"] = position
    changed = {name: value for name, value in changed.items() if getattr(image, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(image, name, value)
        image.full_clean()
        image.save(update_fields=list(changed))
    return image


def image_renditions_make(*, image_id: int, specs: list[str]) -> int:
    """Make the renditions `specs` of an image that lacks them; how many were made. An image
    deleted since makes none; one that cannot be rendered is logged and makes none."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return 0
    missing = set(specs) - set(
        image.renditions.filter(filter_spec__in=specs).values_list("filter_spec", flat=True)
    )
    if not missing:
        return 0
    try:
        image.get_renditions(*sorted(missing))
    except SourceImageIOError as exc:
        logger.warning("No renditions for image %s: %s", image_id, exc)
        return 0
    return len(missing)


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
