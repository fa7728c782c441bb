"""The permission matrix: every role × every project visibility × every surface.

Each cell asserts exactly whether that person sees that project (or its journal entry, photo or
file) on that surface. The expected answer comes from the table in docs/visibility.md, written
out below independently of visibility.policy, so a leak anywhere fails here."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.images import get_image_model

from projects import services
from projects.models import ProjectVisibility
from tests.helpers import EnglishClient, image_upload, login, shared_data, text_upload
from tribes.models import (
    MembershipRole,
    MembershipState,
    TribeIndexPage,
    TribeMembership,
    TribePage,
)
from users.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "member",
    "tribe_member",
    "other_tribe_admin",
    "collaborator",
    "owner",
    "staff",
]
VISIBILITIES = ["public", "tribe", "private", "draft"]
# Codenames that appear nowhere else, so "is it on the page?" is a plain substring test.
CODENAMES = {"public": "Aurore", "tribe": "Bastide", "private": "Colibri", "draft": "Dalmatien"}

# Who may see a project of each visibility (docs/visibility.md).
ALLOWED = {
    "public": set(ROLES),
    "tribe": {"tribe_member", "collaborator", "owner", "staff"},
    "private": {"collaborator", "owner", "staff"},
    "draft": {"collaborator", "owner", "staff"},
}


def _tribe(title, slug):
    index = TribeIndexPage.objects.get()
    tribe = TribePage(title=title, slug=slug, description="", visibility="public")
    index.add_child(instance=tribe)
    return tribe


def _build_world():
    people = {
        "member": UserFactory(username="member"),
        "tribe_member": UserFactory(username="tribe-member"),
        "other_tribe_admin": UserFactory(username="other-admin"),
        "collaborator": UserFactory(username="collaborator"),
        "owner": UserFactory(username="owner"),
        "staff": UserFactory(username="staff", staff=True),
    }
    tribe = _tribe("Atelier du jeudi", "atelier-du-jeudi")
    other_tribe = _tribe("Autre tribu", "autre-tribu")
    for user, in_tribe, role in [
        (people["tribe_member"], tribe, MembershipRole.MEMBER),
        (people["owner"], tribe, MembershipRole.MEMBER),
        (people["other_tribe_admin"], other_tribe, MembershipRole.ADMIN),
    ]:
        TribeMembership.objects.create(
            tribe=in_tribe, user=user, role=role, state=MembershipState.ACTIVE
        )
    owner = people["owner"]
    projects = {}
    for visibility, codename in CODENAMES.items():
        project = services.project_create(
            owner=owner,
            title=f"Projet {codename}",
            summary=f"Résumé {codename}.",
            photo=image_upload(f"{codename}.png"),
        )
        project = services.project_update(
            project=project,
            user=owner,
            collaborators=[people["collaborator"]],
            tribes=[tribe],
            visibility=ProjectVisibility.PUBLIC if visibility == "draft" else visibility,
        )
        entry = services.journal_entry_create(
            project=project,
            author=owner,
            kind="failure",
            body=f"Échec noté {codename}",
            photos=[image_upload(f"entry-{codename}.png")],
        )
        document = services.project_file_add(
            project=project, user=owner, file=text_upload(f"plan-{codename}.txt")
        )
        if visibility == "draft":
            project.unpublish()
        project.refresh_from_db()
        cover = project.cover_image
        projects[visibility] = SimpleNamespace(
            page=project,
            title=project.title,
            entry=entry,
            cover=cover,
            cover_rendition=cover.get_rendition("fill-480x320"),
            entry_photo=entry.photos.get(),
            document=document,
        )
    return SimpleNamespace(people=people, tribe=tribe, projects=projects)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker, _build_world) as data:
        yield data


def _client(world, role):
    client = EnglishClient()
    if role != "anonymous":
        login(client, world.people[role])
    return client


def _status_ok(response) -> bool:
    assert response.status_code in (200, 404), response.status_code
    return response.status_code == 200


def _contains(response, text) -> bool:
    assert response.status_code == 200, response.status_code
    return text in response.content.decode()


def _file_ok(response) -> bool:
    ok = _status_ok(response)
    if response.streaming:
        # Reading to the end lets the test client close the file (and nothing else).
        b"".join(response.streaming_content)
    return ok


# surface name → (what it answers for this client and project, whose rules apply)
SURFACES = {
    "project page": (lambda c, p, w: _status_ok(c.get(p.page.url)), "viewer"),
    "project listing": (lambda c, p, w: _contains(c.get("/projects/"), p.title), "viewer, live"),
    "tribe page": (lambda c, p, w: _contains(c.get(w.tribe.url), p.title), "viewer, live"),
    "profile page": (lambda c, p, w: _contains(c.get("/members/owner/"), p.title), "viewer"),
    "home page activity": (lambda c, p, w: _contains(c.get("/"), p.entry.body), "viewer, live"),
    "journal entry": (lambda c, p, w: _status_ok(c.get(p.entry.get_absolute_url())), "viewer"),
    "Markdown export": (
        lambda c, p, w: _status_ok(c.get(f"/projects/{p.page.slug}/export.md")),
        "viewer",
    ),
    "cover photo file": (lambda c, p, w: _file_ok(c.get(p.cover.file.url)), "viewer"),
    "cover rendition": (lambda c, p, w: _file_ok(c.get(p.cover_rendition.url)), "viewer"),
    "journal photo file": (lambda c, p, w: _file_ok(c.get(p.entry_photo.file.url)), "viewer"),
    "document (Wagtail URL)": (lambda c, p, w: _file_ok(c.get(p.document.url)), "viewer"),
    "document file": (lambda c, p, w: _file_ok(c.get(p.document.file.url)), "viewer"),
    "API v2 page": (lambda c, p, w: _status_ok(c.get(f"/api/v2/pages/{p.page.pk}/")), "public"),
    "API v2 page listing": (
        lambda c, p, w: _contains(c.get("/api/v2/pages/?type=projects.ProjectPage"), p.title),
        "public",
    ),
    "API v2 image": (lambda c, p, w: _status_ok(c.get(f"/api/v2/images/{p.cover.pk}/")), "public"),
    "API v2 document": (
        lambda c, p, w: _status_ok(c.get(f"/api/v2/documents/{p.document.pk}/")),
        "public",
    ),
    "projects feed": (lambda c, p, w: _contains(c.get("/projects/feed/"), p.title), "public"),
    "sitemap": (lambda c, p, w: _contains(c.get("/sitemap.xml"), p.page.slug), "public"),
}


def _expected(rule: str, role: str, visibility: str) -> bool:
    if rule == "public":
        return visibility == "public"
    allowed = role in ALLOWED[visibility]
    if "live" in rule:
        return allowed and visibility != "draft"
    return allowed


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("surface", SURFACES)
def test_visibility_matrix(world, surface, visibility, role):
    check, rule = SURFACES[surface]
    seen = check(_client(world, role), world.projects[visibility], world)
    expected = _expected(rule, role, visibility)
    assert seen == expected, (
        f"{role} {'should' if expected else 'must not'} see the {visibility} project "
        f"on the {surface}"
    )


def test_the_policy_agrees_with_the_matrix_for_every_object(world):
    """visibility.policy answers the same as the table, for projects, entries, photos, files."""
    from visibility.policy import can_view

    for visibility, project in world.projects.items():
        for role in ROLES:
            user = AnonymousUser() if role == "anonymous" else world.people[role]
            expected = role in ALLOWED[visibility]
            for obj in (project.page, project.entry, project.cover, project.document):
                obj = type(obj).objects.get(pk=obj.pk)
                assert can_view(user, obj) == expected, (role, visibility, type(obj).__name__)


def test_a_photo_without_a_project_is_public(world):
    from visibility.policy import can_view

    logo = get_image_model().objects.create(title="logo", file=image_upload("logo.png"))
    assert can_view(AnonymousUser(), logo)


def test_surfaces_cover_the_issue_list():
    """The matrix keeps every surface the visibility issue names."""
    names = " ".join(SURFACES).lower()
    for surface in ("project page", "listing", "tribe", "profile", "journal entry", "photo",
                    "document", "api v2", "feed", "sitemap"):  # fmt: skip
        assert surface in names
