"""Every change to projects and journals goes through here: views, commands and the demo
loader call these functions. Each page change is saved as a Wagtail revision, so the project's
history keeps every version: published at once for a published project, kept as the draft's
content for a draft (docs/projects.md, "Drafts")."""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.documents import get_document_model
from wagtail.models import Collection

from core.frontend_cache import purge_on_commit
from core.markdown import MarkdownValidator
from core.pages import publish_page, unique_child_slug
from core.validators import validate_upload_size
from images.services import image_place

from .blocks import STEP_BODY_MAX_LENGTH
from .cache import journal_entry_urls
from .models import RESERVED_PROJECT_SLUGS, JournalEntry, ProjectIndexPage, ProjectPage


@transaction.atomic
def project_create(
    *, owner, title: str, summary: str, photo: UploadedFile | Any | None = None
) -> ProjectPage:
    """Create a project under the project index, as a draft its authors publish when they are
    ready (project_publish); `photo` is an upload or an image."""
    index = ProjectIndexPage.objects.get()
    page = ProjectPage(
        title=title.strip(),
        summary=summary.strip(),
        owner=owner,
        slug=unique_child_slug(index, title, reserved=RESERVED_PROJECT_SLUGS, fallback="projet"),
        live=False,
    )
    page.full_clean(exclude=["path", "depth"])
    index.add_child(instance=page)
    if photo is not None:
        page.cover_image = _as_image(photo, title=title, user=owner, project=page)
    return _save(page, user=owner)


def _latest(project: ProjectPage) -> ProjectPage:
    """The version to change: a published project's own row (it is its latest revision), or a
    draft's latest revision, read afresh since the caller's copy may predate its last save."""
    if project.live:
        return project.get_latest_revision_as_object()
    return project.revisions.order_by("-created_at", "-pk").first().as_object()


def _save(page: ProjectPage, *, user) -> ProjectPage:
    """Save a change as a revision: published at once on a published project; on a draft, the
    revision and the row both, since who may see it (the visibility policy) and the listings
    read the row (owner, collaborators, tribes), and it stays a draft."""
    if page.live:
        return publish_page(page, user=user)
    page.save_revision(user=user, log_action=True)
    page.save(clean=False)  # save_revision() validated it
    return page


@transaction.atomic
def project_publish(*, project: ProjectPage, user) -> ProjectPage:
    """Publish a draft (its latest revision): from now on whoever its visibility allows sees it.
    Wagtail's page_published signal purges the public addresses (projects/cache.py). A project
    already published is left as it is (a second tap records nothing)."""
    project = ProjectPage.objects.get(pk=project.pk)  # as it is now, not as the caller read it
    if project.live:
        return project
    return publish_page(_latest(project), user=user)


@transaction.atomic
def project_unpublish(*, project: ProjectPage, user) -> ProjectPage:
    """Back to a draft, seen by its authors and staff only; its content and history stay.
    Carnet's permissions decided already: members hold no Wagtail admin permission."""
    project = ProjectPage.objects.get(pk=project.pk)  # as it is now, not as the caller read it
    UnpublishPageAction(project, user=user).execute(skip_permission_checks=True)
    return project


@transaction.atomic
def project_update(*, project: ProjectPage, user, **fields) -> ProjectPage:
    """Change plain fields and relations (tags, machines, collaborators…)."""
    page = _latest(project)
    many_to_many = {"tags", "collaborators", "machines", "materials", "tribes"}
    for name, value in fields.items():
        if name in many_to_many:
            getattr(page, name).set(list(value))
        else:
            setattr(page, name, value)
    return _save(page, user=user)


@transaction.atomic
def project_cover_set(*, project: ProjectPage, user, photo) -> ProjectPage:
    """Make `photo` (an upload or a stored image) the project's cover."""
    image = _as_image(photo, title=project.title, user=user, project=project)
    return project_update(project=project, user=user, cover_image=image)


def _as_image(photo, *, title: str, user, project: ProjectPage, position: int | None = None):
    """An upload or a stored image (either as a PlacedPhoto with its caption), as an image that
    belongs to `project` (for its visibility)."""
    return image_place(
        photo=photo, title=title, uploaded_by=user, project=project, position=position
    )


def _as_images(photos: Iterable, *, title: str, user, project: ProjectPage) -> list:
    """Photos shown together, as images numbered in the order given."""
    return [
        _as_image(photo, title=title, user=user, project=project, position=position)
        for position, photo in enumerate(photos)
    ]


def _step_value(title: str, body: str, photos: Sequence) -> dict:
    # full_clean() does not look inside StreamField blocks: the step's text is checked here.
    MarkdownValidator(STEP_BODY_MAX_LENGTH)(body)
    return {"title": title, "body": body, "photos": list(photos)}


@transaction.atomic
def project_step_add(
    *, project: ProjectPage, user, title: str, body: str = "", photos: Iterable = ()
) -> str:
    """Append a realisation step; returns its block id."""
    page = _latest(project)
    images = _as_images(photos, title=title, user=user, project=project)
    block_id = str(uuid.uuid4())
    page.steps.append(("step", _step_value(title, body, images), block_id))
    _save(page, user=user)
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
    photos: Iterable | None = None,
) -> None:
    """Change a step; `photos` are its photos in order (None leaves them as they are)."""
    page = _latest(project)
    position = _find_block(page.steps, step_id)
    if photos is None:
        images = page.steps[position].value["photos"]
    else:
        images = _as_images(photos, title=title, user=user, project=project)
    page.steps[position] = ("step", _step_value(title, body, images), step_id)
    _save(page, user=user)


@transaction.atomic
def project_step_delete(*, project: ProjectPage, user, step_id: str) -> None:
    page = _latest(project)
    del page.steps[_find_block(page.steps, step_id)]
    _save(page, user=user)


@transaction.atomic
def project_step_move(
    *, project: ProjectPage, user, step_id: str, offset: int = 0, position: int | None = None
) -> None:
    """Move a step up (offset -1), down (+1), or to `position` (0: the first place)."""
    page = _latest(project)
    current = _find_block(page.steps, step_id)
    target = current + offset if position is None else position
    if target == current or not 0 <= target < len(page.steps):
        return
    step = page.steps[current]
    del page.steps[current]
    page.steps.insert(target, step)
    _save(page, user=user)


@transaction.atomic
def project_bill_of_materials_set(*, project: ProjectPage, user, rows: Sequence[dict]) -> None:
    """Replace the bill of materials; each row: item, quantity, unit, supplier, link, unit_cost."""
    page = _latest(project)
    page.bill_of_materials = [("item", row) for row in rows]
    _save(page, user=user)


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
    page = _latest(project)
    page.files.append(("file", {"document": document, "description": description}))
    _save(page, user=user)
    return document


@transaction.atomic
def project_file_remove(*, project: ProjectPage, user, block_id: str) -> None:
    page = _latest(project)
    del page.files[_find_block(page.files, block_id)]
    _save(page, user=user)


def _save_journal_entry(entry: JournalEntry, *, user, photos: Iterable | None) -> JournalEntry:
    entry.full_clean()
    entry.save()
    if photos is not None:
        title = entry.title or entry.get_kind_display()
        entry.photos.set(_as_images(photos, title=title, user=user, project=entry.project))
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
    submission_key: uuid.UUID | None = None,
) -> JournalEntry:
    """`submission_key`: an entry the browser may send twice (queued offline, or its answer
    lost) is created once; sent again, the entry already made is returned."""
    if submission_key:
        sent_before = JournalEntry.objects.filter(
            author=author, submission_key=submission_key
        ).first()
        if sent_before:
            return sent_before
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
        submission_key=submission_key,
    )
    return _save_journal_entry(entry, user=author, photos=photos)


@transaction.atomic
def journal_entry_update(
    *,
    entry: JournalEntry,
    user,
    photos: Iterable | None = None,
    **fields,
) -> JournalEntry:
    """Change an entry; `photos` are its photos in order (None leaves them as they are)."""
    for name, value in fields.items():
        setattr(entry, name, value)
    previous = list(entry.photos.all())
    entry = _save_journal_entry(entry, user=user, photos=photos)
    if photos is not None:
        shown = set(entry.photos.all())
        _delete_photos_no_longer_shown(
            entry.project, [image for image in previous if image not in shown]
        )
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
