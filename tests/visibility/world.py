"""One small world for the public-surface tests: a project of each visibility, with its photos,
renditions and files, and the people who look at them.

    public   everyone
    tribe    shared with the tribe "Textile" (private tribe too, to check tribe rules)
    private  owner, collaborator, staff
    draft    never published: owner, collaborator, staff

plus the logos of a public and a private tribe, and a photo and a file that nothing uses.
"""

from types import SimpleNamespace

from django.core.cache import cache

from images.factories import CarnetImageFactory
from projects import services
from projects.factories import JournalEntryFactory, ProjectDocumentFactory, ProjectPageFactory
from tribes.models import MembershipState, TribeIndexPage, TribeMembership, TribePage
from users.factories import UserFactory

RENDITION_SPEC = "fill-8x6"
KINDS = ("public", "tribe", "private", "draft")
VIEWERS = ("anonymous", "other", "tribe_member", "invited", "collaborator", "owner", "staff")
# Who may see a project of each kind (and so its photos and files).
MAY_SEE = {
    "public": set(VIEWERS),
    "tribe": {"tribe_member", "collaborator", "owner", "staff"},
    "private": {"collaborator", "owner", "staff"},
    "draft": {"collaborator", "owner", "staff"},
}


def tribe_create(title: str, *, visibility: str = "public", live: bool = True) -> TribePage:
    tribe = TribePage(title=title, visibility=visibility, live=live)
    TribeIndexPage.objects.get().add_child(instance=tribe)
    return tribe


def _project_media(project) -> SimpleNamespace:
    cover = CarnetImageFactory(project=project, title=f"{project.title} cover")
    rendition = cover.get_rendition(RENDITION_SPEC)
    journal_photo = CarnetImageFactory(project=project, title=f"{project.title} journal")
    JournalEntryFactory(project=project, photos=[journal_photo], title=f"{project.title} essai")
    document = ProjectDocumentFactory(project=project, title=f"{project.title} plan.svg")
    return SimpleNamespace(
        cover=cover, rendition=rendition, journal_photo=journal_photo, document=document
    )


def build_world() -> SimpleNamespace:
    # Wagtail caches renditions by image id; ids come back after another class's rollback.
    cache.clear()
    people = SimpleNamespace(
        owner=UserFactory(display_name="Nora Owner"),
        collaborator=UserFactory(),
        tribe_member=UserFactory(),
        invited=UserFactory(),
        other=UserFactory(),
        staff=UserFactory(staff=True),
    )
    tribe = tribe_create("Textile")
    private_tribe = tribe_create("Cercle secret", visibility="private")
    TribeMembership.objects.create(tribe=tribe, user=people.tribe_member)
    TribeMembership.objects.create(tribe=tribe, user=people.invited, state=MembershipState.INVITED)

    projects = {}
    for kind in KINDS:
        projects[kind] = ProjectPageFactory(
            title=f"Projet {kind}",
            owner=people.owner,
            collaborators=[people.collaborator],
            live=kind != "draft",
        )
    projects["tribe"] = services.project_update(
        project=projects["tribe"], user=people.owner, visibility="tribe", tribes=[tribe]
    )
    projects["private"] = services.project_update(
        project=projects["private"], user=people.owner, visibility="private"
    )
    media = {kind: _project_media(project) for kind, project in projects.items()}
    # Photos follow what uses them: a public tribe's logo is public, a private tribe's is not.
    logo = _logo_of(tribe, "Logo Textile")
    private_logo = _logo_of(private_tribe, "Logo Cercle secret")
    TribeMembership.objects.create(tribe=private_tribe, user=people.tribe_member)
    # What nothing uses is private: staff and the member who uploaded it.
    orphan_photo = CarnetImageFactory(title="Photo orpheline", uploaded_by_user=people.other)
    orphan_document = ProjectDocumentFactory(title="charte.pdf", uploaded_by_user=people.other)
    return SimpleNamespace(
        people=people,
        tribe=tribe,
        private_tribe=private_tribe,
        projects=projects,
        media=media,
        logo=logo,
        private_logo=private_logo,
        orphan_photo=orphan_photo,
        orphan_document=orphan_document,
    )


def _logo_of(tribe: TribePage, title: str):
    tribe.logo = CarnetImageFactory(title=title)
    tribe.save_revision().publish()
    return tribe.logo
