"""Every change to projects and journals goes through here: views, commands and the demo
loader call these functions. Each page change is saved as a Wagtail revision and published,
so the project's history keeps every version."""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Collection

from core.frontend_cache import purge_on_commit
from core.markdown import MarkdownValidator
from core.pages import publish_page, unique_child_slug
from core.validators import validate_upload_size
from images.services import image_create_from_upload

from .blocks import STEP_BODY_MAX_LENGTH
from .cache import journal_entry_urls
from .models import RESERVED_PROJECT_SLUGS, JournalEntry, ProjectIndexPage, ProjectPage


@transaction.atomic
def project_create(
    *, owner, title: str, summary: str, photo: UploadedFile | Any | None = None
) -> ProjectPage:
    """Create and publish a project under the project index; `photo` is an upload or an image."""
    index = ProjectIndexPage.objects.get()
    page = ProjectPage(
        title=title.strip(),
        summary=summary.strip(),
        owner=owner,
        slug=unique_child_slug(index, title, reserved=RESERVED_PROJECT_SLUGS, fallback="projet"),
    )
    page.full_clean(exclude=["path", "depth"])
    index.add_child(instance=page)
    if photo is not None:
        page.cover_image = _as_image(photo, title=title, user=owner, project=page)
    return publish_page(page, user=owner)


@transaction.atomic
def project_update(*, project: ProjectPage, user, **fields) -> ProjectPage:
    """Change plain fields and relations (tags, machines, collaborators…) and publish."""
    page = project.get_latest_revision_as_object()
    many_to_many = {"tags", "collaborators", "machines", "materials", "tribes"}
    for name, value in fields.items():
        if name in many_to_many:
            getattr(page, name).set(list(value))
        else:
            setattr(page, name, value)
    return publish_page(page, user=user)


@transaction.atomic
def project_cover_set(*, project: ProjectPage, user, photo) -> ProjectPage:
    """Make `photo` (an upload or a stored image) the project's cover."""
    image = _as_image(photo, title=project.title, user=user, project=project)
    return project_update(project=project, user=user, cover_image=image)


def _as_image(photo, *, title: str, user, project: ProjectPage):
    """An upload or a stored image, as an image that belongs to `project` (for its visibility)."""
    if isinstance(photo, UploadedFile):
        return image_create_from_upload(file=photo, title=title, uploaded_by=user, project=project)
    if photo.project_id is None:
        photo.project = project
        photo.save(update_fields=["project"])
    return photo


def _step_value(title: str, body: str, photos: Sequence) -> dict:
    # full_clean() does not look inside StreamField blocks: the step's text is checked here.
    MarkdownValidator(STEP_BODY_MAX_LENGTH)(body)
    return {"title": title, "body": body, "photos": list(photos)}


@transaction.atomic
def project_step_add(
    *, project: ProjectPage, user, title: str, body: str = "", photos: Iterable = ()
) -> str:
    """Append a realisation step; returns its block id."""
    page = project.get_latest_revision_as_object()
    images = [_as_image(p, title=title, user=user, project=project) for p in photos]
    block_id = str(uuid.uuid4())
    page.steps.append(("step", _step_value(title, body, images), block_id))
    publish_page(page, user=user)
    return block_id


def _find_block(stream, block_id: str) -> int:
    for position, block in enumerate(stream):
        if block.id == block_id:
            return position
    raise ValidationError(_("This step no longer exists; someone may have deleted it."))


@transaction.atomic
def project_step_update(
    *,
    project: ProjectPage,
    user,
    step_id: str,
    title: str,
    body: str = "",
    add_photos: Iterable = (),
    remove_photo_ids: Iterable[int] = (),
) -> None:
    page = project.get_latest_revision_as_object()
    position = _find_block(page.steps, step_id)
    removed = set(remove_photo_ids)
    kept = [image for image in page.steps[position].value["photos"] if image.pk not in removed]
    kept += [_as_image(p, title=title, user=user, project=project) for p in add_photos]
    page.steps[position] = ("step", _step_value(title, body, kept), step_id)
    publish_page(page, user=user)


@transaction.atomic
def project_step_delete(*, project: ProjectPage, user, step_id: str) -> None:
    page = project.get_latest_revision_as_object()
    del page.steps[_find_block(page.steps, step_id)]
    publish_page(page, user=user)


@transaction.atomic
def project_step_move(*, project: ProjectPage, user, step_id: str, offset: int) -> None:
    """Move a step up (offset -1) or down (+1)."""
    page = project.get_latest_revision_as_object()
    position = _find_block(page.steps, step_id)
    target = position + offset
    if not 0 <= target < len(page.steps):
        return
    page.steps[position], page.steps[target] = page.steps[target], page.steps[position]
    publish_page(page, user=user)


@transaction.atomic
def project_bill_of_materials_set(*, project: ProjectPage, user, rows: Sequence[dict]) -> None:
    """Replace the bill of materials; each row: item, quantity, unit, supplier, link, unit_cost."""
    page = project.get_latest_revision_as_object()
    page.bill_of_materials = [("item", row) for row in rows]
    publish_page(page, user=user)


@transaction.atomic
def project_file_add(*, project: ProjectPage, user, file: UploadedFile, description: str = ""):
    validate_upload_size(file)
    document_model = get_document_model()
    document = document_model(
        title=file.name[:255],
        file=file,
        uploaded_by_user=user,
        collection=Collection.get_first_root_node(),
        project=project,
    )
    document._set_document_file_metadata()
    document.full_clean()
    document.save()
    page = project.get_latest_revision_as_object()
    page.files.append(("file", {"document": document, "description": description}))
    publish_page(page, user=user)
    return document


@transaction.atomic
def project_file_remove(*, project: ProjectPage, user, block_id: str) -> None:
    page = project.get_latest_revision_as_object()
    del page.files[_find_block(page.files, block_id)]
    publish_page(page, user=user)


def _save_journal_entry(entry: JournalEntry, *, user, photos: Iterable) -> JournalEntry:
    entry.full_clean()
    entry.save()
    title = entry.title or entry.get_kind_display()
    images = [_as_image(p, title=title, user=user, project=entry.project) for p in photos]
    if images:
        entry.photos.add(*images)
    entry.save_revision(user=user, log_action=True)
    purge_on_commit(journal_entry_urls, entry)
    return entry


@transaction.atomic
def journal_entry_create(
    *,
    project: ProjectPage,
    author,
    kind: str,
    body: str = "",
    title: str = "",
    outcome: str = "",
    machine=None,
    parameters: dict | None = None,
    photos: Iterable = (),
    job=None,
) -> JournalEntry:
    entry = JournalEntry(
        project=project,
        author=author,
        kind=kind,
        title=title.strip(),
        body=body,
        outcome=outcome,
        machine=machine,
        parameters=parameters or {},
        job=job,
    )
    return _save_journal_entry(entry, user=author, photos=photos)


@transaction.atomic
def journal_entry_update(
    *,
    entry: JournalEntry,
    user,
    add_photos: Iterable = (),
    remove_photo_ids: Iterable[int] = (),
    **fields,
) -> JournalEntry:
    for name, value in fields.items():
        setattr(entry, name, value)
    removed = list(entry.photos.filter(pk__in=list(remove_photo_ids)))
    if removed:
        entry.photos.remove(*removed)
    entry = _save_journal_entry(entry, user=user, photos=add_photos)
    _delete_photos_no_longer_shown(entry.project, removed)
    return entry


@transaction.atomic
def journal_entry_delete(*, entry: JournalEntry, user) -> None:
    from wagtail.log_actions import log

    photos = list(entry.photos.all())
    purge_on_commit(journal_entry_urls, entry)
    log(instance=entry, action="wagtail.delete", user=user)
    entry.delete()
    _delete_photos_no_longer_shown(entry.project, photos)


def _delete_photos_no_longer_shown(project: ProjectPage, images: Iterable) -> None:
    """Photos taken off a journal entry, or of a deleted one, go with it unless the project still
    shows them (another entry, the cover, a step). Kept as mere project photos they would outlive
    the entry's privacy: a hidden entry's photos would show again (docs/media.md)."""
    in_steps = {
        # A ListBlock stores its items as {"type": "item", "value": id} (older data: bare ids).
        item.get("value") if isinstance(item, dict) else item
        for block in project.steps.raw_data
        for item in (block.get("value") or {}).get("photos") or ()
    }
    for image in images:
        if (
            image.pk == project.cover_image_id
            or image.pk in in_steps
            or image.journal_entries.exists()
        ):
            continue
        image.delete()  # Wagtail removes the file and its renditions once committed
