"""Reads about projects and journals, each with the joins it needs so query counts stay flat."""

import difflib
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable
from django.urls import reverse
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Revision

from core.markdown import render_markdown_many
from core.render_cache import KeptHTML
from images.renditions import CARD_RENDITION, COVER_RENDITION, PHOTO_RENDITIONS
from tribes.visibility import tribes_shown_to
from users.roles import is_active_member

from .completeness import HAS_FAILURE_OR_LESSON, failure_or_lesson_exists, listed
from .filters import ProjectFilterForm
from .models import MARKDOWN_SECTIONS, JournalEntry, JournalEntryKind, ProjectPage
from .permissions import can_edit_project
from .visibility import (
    can_view_project,
    journal_entries_of_project_visible_to,
    journal_entries_visible_to,
    project_is_public,
    projects_visible_to,
)

JOURNAL_PAGE_SIZE = 20
PROJECTS_PER_PAGE = 12
# The query parameters the project page reads (the journal's kind and page).
PROJECT_PAGE_PARAMETERS = {"kind", "journal"}


def _images_with_renditions(*specs: str) -> QuerySet:
    return get_image_model().objects.prefetch_renditions(*specs)


def project_detail_queryset(user) -> QuerySet[ProjectPage]:
    """Projects with what their page header shows, and what decides how `user` sees them (the
    view loads one through visibility.loaders, which answers 404 to whoever may not see it).
    The relations shown only in the page's body are fetched when it is rendered
    (project_detail_related), not when it is served as kept (core.render_cache)."""
    projects = ProjectPage.objects.select_related("owner", "cover_image").prefetch_related("tribes")
    if not is_active_member(user):
        return projects
    return (
        # Who may edit, and for them the completeness checklist (projects/completeness.py).
        projects.prefetch_related("collaborators").annotate(
            **{HAS_FAILURE_OR_LESSON: failure_or_lesson_exists()}
        )
    )


def project_as_shown(project: ProjectPage) -> ProjectPage:
    """A draft is shown as its latest revision (to those who may see drafts)."""
    if project.live:
        return project
    draft = project.get_latest_revision_as_object()
    setattr(draft, HAS_FAILURE_OR_LESSON, getattr(project, HAS_FAILURE_OR_LESSON))
    return draft


def project_get_for_viewer(*, user, slug: str) -> ProjectPage:
    """The project at `slug` as this user may see it, with what its page header shows.

    Raises ProjectPage.DoesNotExist when there is no such project or the user may not see it.
    """
    project = project_detail_queryset(user).get(slug=slug)
    if not can_view_project(user, project):
        raise ProjectPage.DoesNotExist
    return project_as_shown(project)


# What a card never shows: a project's long texts and stream fields (JSON), its owner's bio.
CARD_DEFERRED_FIELDS = (
    *MARKDOWN_SECTIONS,
    "steps",
    "bill_of_materials",
    "files",
    "search_description",
    "owner__bio",
)


class ProjectCardIterable(ModelIterable):
    """Projects as cards, each with its `journal_entry_count`, counted in one query for the
    projects fetched only: a page of 12 costs the same whatever the size of the site."""

    def __iter__(self):
        projects = list(super().__iter__())
        counts = dict(
            JournalEntry.objects.filter(project__in=[project.pk for project in projects])
            .order_by()
            .values_list("project")
            .annotate(Count("pk"))
            if projects
            else ()
        )
        for project in projects:
            project.journal_entry_count = counts.get(project.pk, 0)
        yield from projects


def project_cards(projects: QuerySet[ProjectPage]) -> QuerySet[ProjectPage]:
    """What a project card shows, fetched in a fixed number of queries, newest first."""
    cards = (
        projects.select_related("owner")
        .defer(*CARD_DEFERRED_FIELDS)
        .prefetch_related(
            "tags",
            Prefetch("cover_image", queryset=_images_with_renditions(CARD_RENDITION)),
        )
        .order_by("-last_published_at", "-pk")
    )
    cards._iterable_class = ProjectCardIterable
    return cards


def projects_listed_to(user) -> QuerySet[ProjectPage]:
    """What the listings (/projects/, the home page, tribe pages) show `user`: the published
    projects they may see that have some content (completeness.listed); drafts never."""
    return projects_visible_to(user).live().filter(listed())


def project_list(
    *, user, tag: str = "", status: str = "", machine: str = "", licence: str = ""
) -> QuerySet[ProjectPage]:
    """Listed projects this user may see, filtered as the /projects/ page asks."""
    projects = projects_listed_to(user)
    if tag:
        projects = projects.filter(tags__slug=tag)
    if status:
        projects = projects.filter(status=status)
    if machine:
        projects = projects.filter(machines__slug=machine)
    if licence:
        projects = projects.filter(licence=licence)
    return project_cards(projects.distinct())


def project_list_latest(*, user, limit: int) -> list[ProjectPage]:
    return list(project_list(user=user)[:limit])


def project_list_for_member(*, user, member) -> QuerySet[ProjectPage]:
    """A member's projects (owned or shared), drafts included for those who may see them."""
    mine = projects_visible_to(user).filter(Q(owner=member) | Q(collaborators=member)).distinct()
    return project_cards(mine)


def project_list_owned_by(member) -> QuerySet[ProjectPage]:
    """The projects `member` owns or collaborates on (the ones they add journal entries to),
    most recently changed first."""
    if not (member and member.is_authenticated):
        return ProjectPage.objects.none()
    own = Q(owner=member) | Q(
        pk__in=ProjectPage.collaborators.through.objects.filter(user=member).values(
            "projectpage_id"
        )
    )
    return ProjectPage.objects.filter(own).order_by("-latest_revision_created_at", "-pk")


def project_filter_choices(*, user) -> dict:
    """What the /projects/ filters offer: only values some listed project uses."""
    visible = projects_listed_to(user).values("pk")
    tags = Tag.objects.filter(projects_projectpagetag_items__content_object__in=visible).distinct()
    machine_model = ProjectPage._meta.get_field("machines").related_model
    machines = machine_model.objects.filter(projects__in=visible).distinct().order_by("name")
    return {"tags": list(tags), "machines": list(machines)}


@dataclass
class JournalTimeline:
    entries: list[JournalEntry]
    kind: str
    page_number: int
    has_next: bool


def journal_entry_timeline(
    project: ProjectPage, *, kind: str = "", page_number: int = 1, user=None
) -> JournalTimeline:
    """One page of a project's journal as `user` sees it (an anonymous visitor by default: no
    entry hidden by the moderators), newest first, with photos and their renditions."""
    entries = (
        journal_entries_of_project_visible_to(user or AnonymousUser(), project)
        .select_related("author", "machine")
        .prefetch_related("photos")
    )
    if kind in JournalEntryKind.values:
        entries = entries.filter(kind=kind)
    else:
        kind = ""
    page_number = max(page_number, 1)
    start = (page_number - 1) * JOURNAL_PAGE_SIZE
    # One extra row tells whether an older page exists, without a COUNT query.
    rows = list(entries[start : start + JOURNAL_PAGE_SIZE + 1])
    return JournalTimeline(
        entries=rows[:JOURNAL_PAGE_SIZE],
        kind=kind,
        page_number=page_number,
        has_next=len(rows) > JOURNAL_PAGE_SIZE,
    )


def project_page_prefetch_renditions(project: ProjectPage, entries: list[JournalEntry]) -> None:
    """Fetch, in one query, the renditions of every photo the project page shows: the cover,
    the steps' photos and the journal's photos. Without it each photo would cost a query
    whenever the rendition cache is cold."""
    images = [project.cover_image] if project.cover_image else []
    for step in project.steps:
        images.extend(step.value["photos"])
    for entry in entries:
        images.extend(entry.photos.all())
    if images:
        renditions = (
            get_image_model()
            .get_rendition_model()
            .objects.filter(filter_spec__in=[COVER_RENDITION, *PHOTO_RENDITIONS])
        )
        prefetch_related_objects(images, Prefetch("renditions", queryset=renditions))


def journal_entry_export(project: ProjectPage, *, user=None) -> QuerySet[JournalEntry]:
    """Every entry of a project `user` may see, oldest first, as the Markdown export tells the
    story."""
    return (
        journal_entries_of_project_visible_to(user or AnonymousUser(), project)
        .select_related("author", "machine")
        .prefetch_related("photos")
        .order_by("created_at", "pk")
    )


def journal_entry_list_recent(*, user, limit: int, author=None) -> list[JournalEntry]:
    """The latest journal entries of published projects this user may see."""
    entries = journal_entries_visible_to(user).filter(project__live=True)
    if author is not None:
        entries = entries.filter(author=author)
    return list(entries.select_related("author", "project").order_by("-created_at")[:limit])


def project_index_listing(*, user, params) -> dict:
    """What /projects/ shows `user`: a page (`params` "page") of the projects the filters in
    `params` select, the filters, and the values they offer."""
    form = ProjectFilterForm(params)
    filters = form.filters()
    paginator = Paginator(project_list(user=user, **filters), PROJECTS_PER_PAGE)
    return {
        "filter_form": form,
        "active_filters": filters,
        "projects": paginator.get_page(params.get("page")),
        "filter_choices": project_filter_choices(user=user),
    }


def project_page_detail(
    *, project: ProjectPage, user, journal_kind: str = "", journal_page: int = 1
) -> dict:
    """What a project page shows `user`, with one page of its journal (of one kind, or all)."""
    timeline = journal_entry_timeline(
        project, kind=journal_kind, page_number=journal_page, user=user
    )
    project_page_prefetch_renditions(project, timeline.entries)
    render_markdown_many(
        [
            *(getattr(project, name) for name in MARKDOWN_SECTIONS),
            *(step.value["body"] for step in project.steps),
            *(entry.body for entry in timeline.entries),
        ]
    )
    sections = [
        {
            "anchor": name,
            "label": ProjectPage._meta.get_field(name).verbose_name,
            "text": getattr(project, name),
            "hint": hint,
        }
        for name, hint in MARKDOWN_SECTIONS.items()
    ]
    return {
        **project_detail_related(project),
        "sections": sections,
        "timeline": timeline,
        "journal_kinds": JournalEntryKind.choices,
        "can_edit": can_edit_project(user, project),
        # A private tribe's name is shown to those who may see the tribe only.
        "tribes": tribes_shown_to(user, project.tribes.all()),
        # Feeds carry public content only.
        "journal_feed_url": (
            reverse("journal_feed", kwargs={"slug": project.slug})
            if project_is_public(project)
            else None
        ),
    }


def project_page_body_cache(*, project: ProjectPage, user, path: str, params) -> KeptHTML | None:
    """The project page's body as kept for every reader who sees it as others do
    (core.render_cache); None for a reader it is rendered for alone: its editors (their buttons
    and forms), the few who see a draft or a hidden project, and an address with parameters the
    page does not read (each would be kept apart). No query but for a private tribe's name."""
    if (
        not project.live
        or project.hidden
        or can_edit_project(user, project)
        or set(params) - PROJECT_PAGE_PARAMETERS
    ):
        return None
    reader = (
        # Signed-in members see a "Report" link.
        user.is_authenticated and user.is_active,
        [tribe.pk for tribe in tribes_shown_to(user, project.tribes.all())],
        sorted(params.lists()),
    )
    return KeptHTML.for_reader(path, reader)


def project_detail_related(project: ProjectPage) -> dict:
    """The project's own relations, one query for each not prefetched yet."""
    prefetch_related_objects(
        [project], "tags", "collaborators", "machines", "materials", "remixed_from"
    )
    return {
        "tags": project.tags.all(),
        "collaborators": project.collaborators.all(),
        "machines": project.machines.all(),
        "materials": project.materials.all(),
    }


def project_revisions(project: ProjectPage) -> list:
    return list(project.revisions.select_related("user").order_by("-created_at", "-pk"))


def journal_revisions(project: ProjectPage) -> list:
    """Saved versions of the project's journal entries, newest first."""
    entry_ids = [str(pk) for pk in project.journal_entries.values_list("pk", flat=True)]
    return list(
        Revision.objects.filter(
            base_content_type=ContentType.objects.get_for_model(JournalEntry),
            object_id__in=entry_ids,
        )
        .select_related("user")
        .order_by("-created_at", "-pk")[:100]
    )


@dataclass
class DiffLine:
    operation: str  # "equal", "insert" or "delete"
    text: str


@dataclass
class FieldDiff:
    label: str
    lines: list[DiffLine]


def _project_as_text(project: ProjectPage) -> list[tuple[str, str]]:
    """Each field a member edits, as text, in the order the page shows them."""
    fields = [
        (_("Title"), project.title),
        (_("Summary"), project.summary),
        (_("Status"), project.get_status_display()),
        (_("Difficulty"), project.get_difficulty_display()),
        (_("Duration"), project.duration),
        (_("Approximate cost (€)"), str(project.cost or "")),
        (_("Licence"), project.get_licence_display()),
        (_("Tags"), ", ".join(sorted(tag.name for tag in project.tags.all()))),
        (_("Cover photo"), project.cover_image.title if project.cover_image else ""),
        (_("Presentation"), project.presentation),
        (_("Methodology"), project.methodology),
        (_("How it is built"), project.technical_architecture),
    ]
    steps = []
    for number, step in enumerate(project.steps, start=1):
        photos = ", ".join(image.title for image in step.value["photos"])
        steps.append(f"## {number}. {step.value['title']}\n{step.value['body']}")
        if photos:
            steps.append(f"[{_('Photos')}: {photos}]")
    fields.append((_("Realisation steps"), "\n".join(steps)))
    fields.append(
        (
            _("Materials and supplies"),
            "\n".join(
                " | ".join(
                    str(row.value.get(key) or "")
                    for key in ("item", "quantity", "unit", "supplier", "link", "unit_cost")
                )
                for row in project.bill_of_materials
            ),
        )
    )
    fields.append(
        (
            _("Files"),
            "\n".join(
                f"{_document_title(block.value['document'])} — {block.value['description']}"
                for block in project.files
            ),
        )
    )
    return fields


def _document_title(document) -> str:
    return document.title if document else "?"


def _line_diff(old: str, new: str) -> list[DiffLine]:
    old_lines, new_lines = (old or "").splitlines(), (new or "").splitlines()
    lines = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if operation == "equal":
            lines += [DiffLine("equal", text) for text in old_lines[a_start:a_end]]
            continue
        lines += [DiffLine("delete", text) for text in old_lines[a_start:a_end]]
        lines += [DiffLine("insert", text) for text in new_lines[b_start:b_end]]
    return lines


def project_revision_diff(project: ProjectPage, older_id: int, newer_id: int) -> list[FieldDiff]:
    """What changed between two saved versions of a project, field by field (changed only)."""
    revisions = {
        revision.pk: revision for revision in project.revisions.filter(pk__in=[older_id, newer_id])
    }
    if older_id not in revisions or newer_id not in revisions:
        raise LookupError("revision not found for this project")
    old_fields = _project_as_text(revisions[older_id].as_object())
    new_fields = _project_as_text(revisions[newer_id].as_object())
    return [
        FieldDiff(label=label, lines=_line_diff(old, new))
        for (label, old), (_label, new) in zip(old_fields, new_fields, strict=True)
        if old != new
    ]


TRIBE_RECENT_ENTRIES = 10


def tribe_projects_detail(*, tribe, user, page: int = 1) -> dict:
    """What a tribe page shows of projects (tribes.selectors.TRIBE_PAGE_CONTENT_HOOK): a page of
    the tribe's listed projects `user` may see, as cards, and their latest journal entries."""
    projects = project_cards(projects_listed_to(user).filter(tribes=tribe))
    entries = journal_entries_visible_to(user).filter(project__live=True, project__tribes=tribe)
    return {
        "projects": Paginator(projects, PROJECTS_PER_PAGE).get_page(page),
        "entries": list(
            entries.select_related("author", "project").order_by("-created_at")[
                :TRIBE_RECENT_ENTRIES
            ]
        ),
    }
