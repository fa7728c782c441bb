"""The demo tribes, and who sees which project.

Everything goes through the tribe services, as members would do it: a tribe is created by its
first admin, members ask to join and are accepted, or are invited and accept. No e-mail is sent
and no invitation token is printed. Tribes, memberships and invitations are looked up before
being created, so loading twice creates nothing twice. Run after the members and projects."""

from collections.abc import Callable, Iterator

from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page, PageLogEntry

from projects.models import ProjectPage, ProjectVisibility
from projects.services import project_update
from tribes.models import (
    JoinPolicy,
    MembershipRole,
    MembershipState,
    TribeInvitation,
    TribeMembership,
    TribePage,
)
from tribes.services import (
    tribe_create,
    tribe_invitation_accept,
    tribe_join,
    tribe_member_invite,
    tribe_member_role_set,
    tribe_request_accept,
)
from users.models import User

from ..photos import demo_avatar
from ..reader import DemoContent, DemoProject, DemoTribe


def tribe_slug(demo: DemoTribe) -> str:
    return slugify(demo.title)[:60].strip("-")


def tribes_size(content: DemoContent) -> int:
    """What load_tribes() yields, for the progress bar."""
    tribes = content.tribes
    visibilities = {project.visibility for project in content.projects}
    return (
        2 * len(tribes)
        + sum(tribe.shares_members_public_projects for tribe in tribes)
        + (ProjectVisibility.TRIBE in visibilities)
        + (ProjectVisibility.PRIVATE in visibilities)
        + sum(bool(tribe.pending_invitations) for tribe in tribes)
        + sum(bool(tribe.pending_requests) for tribe in tribes)
    )


def load_tribes(content: DemoContent) -> Iterator[tuple[str, bool]]:
    """Create the demo tribes and memberships, then share the projects as their files say;
    yield (label, created) for each item."""
    tribes = {}
    for demo in content.tribes:
        tribe, created = _tribe(demo)
        tribes[demo.title] = tribe
        yield demo.title, created
        yield f"{demo.title} : membres", _members(demo, tribe)
    not_public = {p.title for p in content.projects if p.visibility != ProjectVisibility.PUBLIC}
    for demo in content.tribes:
        if demo.shares_members_public_projects:
            shared = _share_public_projects(tribes[demo.title], not_public)
            yield f"Projets partagés avec {demo.title}", shared
    if tribe_only := [p for p in content.projects if p.visibility == ProjectVisibility.TRIBE]:
        yield "Projets réservés à leurs tribus", _restrict_to_tribes(tribe_only, tribes)
    if private := [p.title for p in content.projects if p.visibility == ProjectVisibility.PRIVATE]:
        yield "Projets privés", _make_private(private)
    for demo in content.tribes:
        if demo.pending_invitations:
            label = f"Invitations en attente ({demo.title})"
            yield label, _pending_invitations(tribes[demo.title], demo.pending_invitations)
    for demo in content.tribes:
        if demo.pending_requests:
            label = f"Demandes en attente ({demo.title})"
            yield label, _pending_requests(tribes[demo.title], demo.pending_requests)


def _users(*usernames: str) -> dict[str, User]:
    users = User.objects.in_bulk(usernames, field_name="username")
    if missing := set(usernames) - set(users):
        raise LookupError(f"Demo tribes need members {sorted(missing)}: load them first.")
    return users


@transaction.atomic
def _tribe(demo: DemoTribe) -> tuple[TribePage, bool]:
    existing = TribePage.objects.filter(slug=tribe_slug(demo)).first()
    if existing is not None:
        return existing, False
    creator = _users(demo.admins[0])[demo.admins[0]]
    tribe = tribe_create(
        creator=creator,
        title=demo.title,
        description=demo.description,
        logo=demo_avatar(name=demo.title),
        place=demo.place,
        website=demo.website,
        visibility=demo.visibility,
        join_policy=demo.join_policy,
    )
    return tribe, True


@transaction.atomic
def _members(demo: DemoTribe, tribe: TribePage) -> bool:
    """Bring in the tribe's members the way the tribe's policy says, then name the admins."""
    users = _users(*demo.admins, *demo.members)
    first_admin = users[demo.admins[0]]
    present = set(tribe.memberships.values_list("user__username", flat=True))
    created = False
    for username in (*demo.admins[1:], *demo.members):
        if username in present:
            continue
        person = users[username]
        if demo.join_policy == JoinPolicy.INVITATION:
            issued = tribe_member_invite(
                tribe=tribe, user=first_admin, email=person.email, notify=False
            )
            tribe_invitation_accept(user=person, token=issued.token)
        else:
            membership = tribe_join(user=person, tribe=tribe)
            if membership.state == MembershipState.REQUESTED:
                tribe_request_accept(user=first_admin, membership=membership)
        created = True
    for username in demo.admins[1:]:
        membership = tribe.memberships.get(user=users[username])
        if membership.role != MembershipRole.ADMIN:
            tribe_member_role_set(user=first_admin, membership=membership, role="admin")
            created = True
    return created


def _update_keeping_dates(project: ProjectPage, **fields) -> None:
    """Change a demo project without making it look edited today: the listings (newest first)
    and the history keep the demo's dates."""
    page = Page.objects.get(pk=project.pk)
    dates = {
        "last_published_at": page.last_published_at,
        "latest_revision_created_at": page.latest_revision_created_at,
    }
    updated = project_update(project=project, user=project.owner, **fields)
    if dates["last_published_at"]:
        updated.revisions.filter(pk=updated.latest_revision_id).update(
            created_at=dates["last_published_at"]
        )
        PageLogEntry.objects.filter(page=updated, timestamp__gt=dates["last_published_at"]).update(
            timestamp=dates["last_published_at"]
        )
    Page.objects.filter(pk=project.pk).update(**dates)


def _projects_by_title(titles) -> dict[str, ProjectPage]:
    projects = {
        p.title: p for p in ProjectPage.objects.filter(title__in=titles).select_related("owner")
    }
    if missing := set(titles) - set(projects):
        raise LookupError(f"Demo tribes need projects {sorted(missing)}: load them first.")
    return projects


@transaction.atomic
def _share_public_projects(tribe: TribePage, not_public: set[str]) -> bool:
    """The tribe's members' public projects appear on its page (not those whose file keeps them
    to a tribe or to their owner: they are still public at this point)."""
    members = tribe.memberships.filter(state=MembershipState.ACTIVE).values("user_id")
    projects = (
        ProjectPage.objects.filter(visibility=ProjectVisibility.PUBLIC, owner__in=members)
        .exclude(title__in=not_public)
        .exclude(tribes=tribe)
        .select_related("owner")
        .order_by("pk")
    )
    return _each(projects, lambda p: _update_keeping_dates(p, tribes=[*p.tribes.all(), tribe]))


@transaction.atomic
def _restrict_to_tribes(demos: list[DemoProject], tribes: dict[str, TribePage]) -> bool:
    """Tribe-only projects, shared with the tribes their files name."""
    projects = _projects_by_title([demo.title for demo in demos])
    changed = False
    for demo in demos:
        project = projects[demo.title]
        if project.visibility != ProjectVisibility.TRIBE:
            shared_with = [tribes[title] for title in demo.tribes]
            _update_keeping_dates(project, visibility=ProjectVisibility.TRIBE, tribes=shared_with)
            changed = True
    return changed


@transaction.atomic
def _make_private(titles: list[str]) -> bool:
    pending = [
        project
        for project in _projects_by_title(titles).values()
        if project.visibility != ProjectVisibility.PRIVATE
    ]
    return _each(pending, lambda p: _update_keeping_dates(p, visibility=ProjectVisibility.PRIVATE))


def _each(items, change: Callable[[ProjectPage], None]) -> bool:
    changed = False
    for item in items:
        change(item)
        changed = True
    return changed


@transaction.atomic
def _pending_invitations(tribe: TribePage, emails: tuple[str, ...]) -> bool:
    """Invitations sent to people without an account, still waiting."""
    admin = tribe.memberships.filter(role=MembershipRole.ADMIN).select_related("user").first()
    changed = False
    for email in emails:
        if not TribeInvitation.objects.filter(tribe=tribe, email=email).exists():
            tribe_member_invite(tribe=tribe, user=admin.user, email=email, notify=False)
            changed = True
    return changed


@transaction.atomic
def _pending_requests(tribe: TribePage, usernames: tuple[str, ...]) -> bool:
    """Members who asked to join, still waiting for an admin."""
    changed = False
    for person in _users(*usernames).values():
        if not TribeMembership.objects.filter(tribe=tribe, user=person).exists():
            tribe_join(user=person, tribe=tribe)
            changed = True
    return changed
