"""Demo tribes for `manage.py load_demo_data`: La Machinerie, the public tribe of the lab that
holds most members, and the Thursday sewing workshop, a small private tribe.

Everything goes through the tribe services, as members would do it: a tribe is created by its
first admin, members ask to join and are accepted, or are invited and accept. No e-mail is sent
and no invitation token is printed. Tribes, memberships and invitations are looked up before
being created, so loading twice creates nothing twice. Run after the members and projects.
"""

import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page, PageLogEntry

from core.demo_images import demo_avatar
from projects.models import ProjectPage, ProjectVisibility
from projects.services import project_update
from users.models import User

from .models import (
    JoinPolicy,
    MembershipRole,
    MembershipState,
    TribeInvitation,
    TribeMembership,
    TribePage,
    TribeVisibility,
)
from .services import (
    tribe_create,
    tribe_invitation_accept,
    tribe_join,
    tribe_member_invite,
    tribe_member_role_set,
    tribe_request_accept,
)


def md(text: str) -> str:
    return textwrap.dedent(text).strip()


@dataclass(frozen=True)
class DemoTribe:
    title: str
    description: str
    place: str
    website: str
    visibility: str
    join_policy: str
    admins: tuple[str, ...]  # usernames; the first creates the tribe
    members: tuple[str, ...]

    @property
    def slug(self) -> str:
        return slugify(self.title)[:60].strip("-")


LA_MACHINERIE = DemoTribe(
    title="La Machinerie",
    description=md(
        """
        Le fab lab, le coworking et l'atelier partagé de **La Machinerie**, à Amiens.

        - Ateliers ouverts du mercredi au samedi, formations machines le mardi soir ;
        - découpe laser, impression 3D, fraiseuse numérique, brodeuse, électronique ;
        - un projet documenté ici profite au prochain membre : notez aussi vos ratés.

        Les nouveaux membres demandent à rejoindre la tribu ; un fab manager répond vite.
        """
    ),
    place="Amiens",
    website="https://lamachinerie.example.org",
    visibility=TribeVisibility.PUBLIC,
    join_policy=JoinPolicy.REQUEST,
    admins=("admin", "camille.lefebvre"),
    members=(
        "julien.moreau",
        "nadia.benali",
        "bernard.caron",
        "thomas.petit",
        "amandine.roux",
        "sophie.dubois",
        "club.jules-verne",
    ),
)

SEWING_CIRCLE = DemoTribe(
    title="Atelier couture du jeudi",
    description=md(
        """
        Le jeudi soir, autour de la brodeuse numérique et des machines à coudre de l'atelier.
        On répare, on brode, on coud des cerfs-volants.

        Petit groupe sur invitation : demandez à Nadia.
        """
    ),
    place="La Machinerie, salle textile",
    website="",
    visibility=TribeVisibility.PRIVATE,
    join_policy=JoinPolicy.INVITATION,
    admins=("nadia.benali",),
    members=("sophie.dubois", "amandine.roux"),
)

TRIBES = (LA_MACHINERIE, SEWING_CIRCLE)
# Projects shared with the sewing circle only, and one kept private by its owner.
SEWING_CIRCLE_PROJECTS = ("Écusson brodé de La Machinerie", "Cerf-volant delta avec Léo")
PRIVATE_PROJECT = "Support vélo mural en aluminium"
# Still waiting: an invitation sent to someone without an account, and a member's request.
INVITED_EMAIL = "lea.martin@example.org"
ASKING_MEMBER = "hugo.lemaire"

# What load_tribes() yields, for the progress bar.
SIZE = 2 * len(TRIBES) + 5


def load_tribes() -> Iterator[tuple[str, bool]]:
    """Create the demo tribes and memberships; yield (label, created) for each item."""
    tribes = {}
    for demo in TRIBES:
        tribe, created = _tribe(demo)
        tribes[demo.title] = tribe
        yield demo.title, created
        yield f"{demo.title} : membres", _members(demo, tribe)
    machinerie, circle = tribes[LA_MACHINERIE.title], tribes[SEWING_CIRCLE.title]
    yield "Projets partagés avec La Machinerie", _share_public_projects(machinerie)
    yield "Projets réservés à l'atelier couture", _share_with_circle(circle)
    yield "Projet privé", _make_private()
    yield "Invitation en attente", _pending_invitation(machinerie)
    yield "Demande en attente", _pending_request(machinerie)


def _users(*usernames: str) -> dict[str, User]:
    users = User.objects.in_bulk(usernames, field_name="username")
    if missing := set(usernames) - set(users):
        raise LookupError(f"Demo tribes need members {sorted(missing)}: load them first.")
    return users


@transaction.atomic
def _tribe(demo: DemoTribe) -> tuple[TribePage, bool]:
    existing = TribePage.objects.filter(slug=demo.slug).first()
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
def _share_public_projects(tribe: TribePage) -> bool:
    """The lab's public projects appear on its tribe page."""
    members = tribe.memberships.filter(state=MembershipState.ACTIVE).values("user_id")
    projects = (
        ProjectPage.objects.filter(visibility=ProjectVisibility.PUBLIC, owner__in=members)
        .exclude(title__in=(*SEWING_CIRCLE_PROJECTS, PRIVATE_PROJECT))
        .exclude(tribes=tribe)
        .select_related("owner")
        .order_by("pk")
    )
    return _each(projects, lambda p: _update_keeping_dates(p, tribes=[*p.tribes.all(), tribe]))


@transaction.atomic
def _share_with_circle(circle: TribePage) -> bool:
    projects = _projects_by_title(SEWING_CIRCLE_PROJECTS).values()
    pending = [p for p in projects if p.visibility != ProjectVisibility.TRIBE]
    return _each(
        pending,
        lambda p: _update_keeping_dates(p, visibility=ProjectVisibility.TRIBE, tribes=[circle]),
    )


@transaction.atomic
def _make_private() -> bool:
    project = _projects_by_title([PRIVATE_PROJECT])[PRIVATE_PROJECT]
    if project.visibility == ProjectVisibility.PRIVATE:
        return False
    _update_keeping_dates(project, visibility=ProjectVisibility.PRIVATE)
    return True


def _each(items, change: Callable[[ProjectPage], None]) -> bool:
    changed = False
    for item in items:
        change(item)
        changed = True
    return changed


@transaction.atomic
def _pending_invitation(tribe: TribePage) -> bool:
    if TribeInvitation.objects.filter(tribe=tribe, email=INVITED_EMAIL).exists():
        return False
    admin = tribe.memberships.filter(role=MembershipRole.ADMIN).select_related("user").first()
    tribe_member_invite(tribe=tribe, user=admin.user, email=INVITED_EMAIL, notify=False)
    return True


@transaction.atomic
def _pending_request(tribe: TribePage) -> bool:
    person = _users(ASKING_MEMBER)[ASKING_MEMBER]
    if TribeMembership.objects.filter(tribe=tribe, user=person).exists():
        return False
    tribe_join(user=person, tribe=tribe)
    return True
