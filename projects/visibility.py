"""Who may see projects and their journal entries, and the photos and files they use
(docs/visibility.md). Registered with visibility.registry from ProjectsConfig.ready().

Projects
    staff: everything · owner and collaborators: their projects, drafts included ·
    everyone: public published projects · active members of one of the project's tribes:
    its published tribe-only projects. Private projects: owner, collaborators, staff.
Journal entries follow their project. A project's photos and files follow the project; a photo
that only hidden journal entries show follows those entries.
Hidden by the moderators: a hidden project or journal entry is seen by staff and by the
project's owner and collaborators only, on every surface.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage

from tribes.models import MembershipState, TribeMembership
from users.roles import is_active_member, is_staff
from visibility.registry import (
    PUBLIC_AUDIENCE,
    MediaUse,
    OpenPageRule,
    VisibilityRule,
    register,
)

from .models import JournalEntry, ProjectIndexPage, ProjectPage, ProjectVisibility
from .permissions import can_edit_project


def _active_tribe_ids(user) -> QuerySet:
    return TribeMembership.objects.filter(user=user, state=MembershipState.ACTIVE).values(
        "tribe_id"
    )


# Projects -----------------------------------------------------------------------------------


def project_is_public(project: ProjectPage) -> bool:
    return project.live and project.visibility == ProjectVisibility.PUBLIC and not project.hidden


def can_view_project(user, project: ProjectPage) -> bool:
    if project_is_public(project):
        return True
    if can_edit_project(user, project):
        return True
    if (
        project.hidden
        or not project.live
        or project.visibility != ProjectVisibility.TRIBE
        or not is_active_member(user)
    ):
        return False
    return TribeMembership.objects.filter(
        user=user, state=MembershipState.ACTIVE, tribe__in=project.tribes.all()
    ).exists()


def projects_visible_to(user) -> QuerySet[ProjectPage]:
    projects = ProjectPage.objects.all()
    if is_staff(user):
        return projects
    rule = Q(live=True, visibility=ProjectVisibility.PUBLIC, hidden=False)
    if is_active_member(user):
        rule |= Q(owner=user)
        rule |= Q(
            pk__in=ProjectPage.collaborators.through.objects.filter(user=user).values(
                "projectpage_id"
            )
        )
        rule |= Q(
            live=True,
            visibility=ProjectVisibility.TRIBE,
            hidden=False,
            pk__in=ProjectPage.tribes.through.objects.filter(
                tribepage_id__in=_active_tribe_ids(user)
            ).values("projectpage_id"),
        )
    return projects.filter(rule)


def projects_public() -> QuerySet[ProjectPage]:
    return projects_visible_to(AnonymousUser())


def _project_editors(project: ProjectPage) -> set[str]:
    tokens = {f"user:{project.owner_id}"} if project.owner_id else set()
    return tokens | {f"user:{person.pk}" for person in project.collaborators.all()}


def _project_audiences(project: ProjectPage) -> set[str]:
    if project_is_public(project):
        return {PUBLIC_AUDIENCE}
    tokens = _project_editors(project)
    if project.live and project.visibility == ProjectVisibility.TRIBE and not project.hidden:
        tokens |= {f"tribe:{tribe.pk}" for tribe in project.tribes.all()}
    return tokens


# Journal entries ----------------------------------------------------------------------------


def can_view_journal_entry(user, entry: JournalEntry) -> bool:
    """As its project; a hidden entry only for those who may edit the project (and staff)."""
    if entry.hidden and not can_edit_project(user, entry.project):
        return False
    return can_view_project(user, entry.project)


def journal_entries_visible_to(user) -> QuerySet[JournalEntry]:
    entries = JournalEntry.objects.all()
    if is_staff(user):
        return entries
    entries = entries.filter(project__in=projects_visible_to(user).values("pk"))
    rule = Q(hidden=False)
    if is_active_member(user):
        rule |= Q(project__owner=user) | Q(
            project_id__in=ProjectPage.collaborators.through.objects.filter(user=user).values(
                "projectpage_id"
            )
        )
    return entries.filter(rule)


def journal_entries_public() -> QuerySet[JournalEntry]:
    return journal_entries_visible_to(AnonymousUser())


def journal_entries_of_project_visible_to(user, project: ProjectPage) -> QuerySet[JournalEntry]:
    """The entries of a project this user may see (they may see the project): all of them for
    those who may edit it, the ones not hidden by the moderators for the others."""
    entries = JournalEntry.objects.filter(project=project)
    return entries if can_edit_project(user, project) else entries.filter(hidden=False)


# Photos and files ---------------------------------------------------------------------------


def _projects_edited_by(user) -> QuerySet:
    """The projects whose hidden journal entries this member may still see (owner,
    collaborators): those can_edit_project allows, staff aside."""
    return ProjectPage.objects.filter(
        Q(owner=user)
        | Q(
            pk__in=ProjectPage.collaborators.through.objects.filter(user=user).values(
                "projectpage_id"
            )
        )
    )


def _only_in_hidden_journal_entries() -> Q:
    """Photos of hidden journal entries that no visible entry and no cover shows."""
    through = JournalEntry.photos.through
    return (
        Q(pk__in=through.objects.filter(journalentry__hidden=True).values("carnetimage_id"))
        & ~Q(pk__in=through.objects.filter(journalentry__hidden=False).values("carnetimage_id"))
        & ~Q(pk__in=ProjectPage.objects.filter(cover_image__isnull=False).values("cover_image_id"))
    )


def _project_photos_visible_to(user) -> Q:
    # As can_view_journal_entry: a hidden entry's photos for those who may edit the project.
    hidden = _only_in_hidden_journal_entries()
    if is_active_member(user):
        hidden &= ~Q(project__in=_projects_edited_by(user).values("pk"))
    return Q(project__in=projects_visible_to(user).values("pk")) & ~hidden


def _project_files_visible_to(user) -> Q:
    return Q(project__in=projects_visible_to(user).values("pk"))


def _of_a_project() -> Q:
    return Q(project__isnull=False)


# Rules --------------------------------------------------------------------------------------


class ProjectRule(VisibilityRule):
    serves_pages = True

    def can_view(self, user, obj) -> bool:
        return can_view_project(user, obj)

    def visible_to(self, user) -> QuerySet:
        return projects_visible_to(user)

    def audiences(self, obj) -> set[str]:
        return _project_audiences(obj)

    def media_uses(self) -> list[MediaUse]:
        # Cover, steps, files and journal photos all carry their project (`project`).
        return [
            MediaUse(AbstractImage, used=_of_a_project, visible_to=_project_photos_visible_to),
            MediaUse(AbstractDocument, used=_of_a_project, visible_to=_project_files_visible_to),
        ]


class JournalEntryRule(VisibilityRule):
    def can_view(self, user, obj) -> bool:
        return can_view_journal_entry(user, obj)

    def visible_to(self, user) -> QuerySet:
        return journal_entries_visible_to(user)

    def audiences(self, obj) -> set[str]:
        # A hidden entry keeps only the audience of those who may still see it.
        return _project_editors(obj.project) if obj.hidden else _project_audiences(obj.project)


register(ProjectRule(ProjectPage))
register(JournalEntryRule(JournalEntry))
register(OpenPageRule(ProjectIndexPage))
