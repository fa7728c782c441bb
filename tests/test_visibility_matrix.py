"""The permission matrix: every role × every project visibility × every surface.

Each cell asserts exactly whether that person sees that project (or its journal entry, photo or
file) on that surface. The expected answer comes from the table in docs/visibility.md, written
out below independently of visibility.policy, so a leak anywhere fails here."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.images import get_image_model

from machines import services as machine_services
from machines.factories import MachineFactory, MachineJobFactory
from moderation import services as moderation
from projects import services
from projects.models import ProjectPage, ProjectVisibility
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
# "draft": never published (a new project); "unpublished": published, then put back in draft.
VISIBILITIES = ["public", "tribe", "private", "draft", "unpublished"]
# Codenames that appear nowhere else, so "is it on the page?" is a plain substring test.
CODENAMES = {
    "public": "Aurore",
    "tribe": "Bastide",
    "private": "Colibri",
    "draft": "Dalmatien",
    "unpublished": "Eider",
}
DRAFTS = {"draft", "unpublished"}

# Who may see a project of each visibility (docs/visibility.md).
ALLOWED = {
    "public": set(ROLES),
    "tribe": {"tribe_member", "collaborator", "owner", "staff"},
    "private": {"collaborator", "owner", "staff"},
    "draft": {"collaborator", "owner", "staff"},
    "unpublished": {"collaborator", "owner", "staff"},
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
            visibility=ProjectVisibility.PUBLIC if visibility in DRAFTS else visibility,
        )
        if visibility != "draft":
            project = services.project_publish(project=project, user=owner)
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
        step_id = services.project_step_add(project=project, user=owner, title=f"Étape {codename}")
        hidden_entry = services.journal_entry_create(
            project=project,
            author=owner,
            kind="trial",
            body=f"Masqué {codename}",
            photos=[image_upload(f"hidden-{codename}.png")],
        )
        report = moderation.report_create(
            reporter=people["staff"], target=hidden_entry, reason="other"
        )
        moderation.report_hide(user=people["staff"], report=report, message="Masqué.")
        if visibility == "unpublished":
            services.project_unpublish(project=project, user=owner)
        project.refresh_from_db()
        # The kiosk beside a machine running a job for the project.
        machine = MachineFactory(name=f"Laser {codename}")
        machine_services.machine_kiosk_token_rotate(machine=machine)
        MachineJobFactory(machine=machine, member=owner, project=project)
        cover = project.cover_image
        projects[visibility] = SimpleNamespace(
            page=project,
            title=project.title,
            entry=entry,
            cover=cover,
            cover_rendition=cover.get_rendition("fill-480x320"),
            entry_photo=entry.photos.get(),
            hidden_photo=hidden_entry.photos.get(),
            document=document,
            step_id=step_id,
            machine=machine,
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
    # A photo of a journal entry hidden by the moderators: those who may fix the entry only.
    "photo of a hidden journal entry": (
        lambda c, p, w: _file_ok(c.get(p.hidden_photo.file.url)),
        "viewer, editor",
    ),
    "API v2 image of a hidden journal entry": (
        lambda c, p, w: _status_ok(c.get(f"/api/v2/images/{p.hidden_photo.pk}/")),
        "nobody",
    ),
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
    # A shared screen: the project's title only where anyone may see the project.
    "kiosk": (lambda c, p, w: _contains(c.get(p.machine.kiosk_url), p.title), "public"),
}


def _expected(rule: str, role: str, visibility: str) -> bool:
    if rule == "public":
        return visibility == "public"
    if rule == "nobody":
        return False
    if "editor" in rule and role not in {"collaborator", "owner", "staff"}:
        return False
    allowed = role in ALLOWED[visibility]
    if "live" in rule:
        return allowed and visibility not in DRAFTS
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
    """visibility.policy answers the same as the table, for projects, entries, photos, files,
    one object at a time and through each type's registered rule (its queryset)."""
    from visibility.policy import can_view
    from visibility.registry import rule_for

    for visibility, project in world.projects.items():
        for role in ROLES:
            user = AnonymousUser() if role == "anonymous" else world.people[role]
            expected = role in ALLOWED[visibility]
            for obj in (project.page, project.entry, project.cover, project.document):
                obj = type(obj).objects.get(pk=obj.pk)
                assert can_view(user, obj) == expected, (role, visibility, type(obj).__name__)
                listed = rule_for(type(obj)).visible_to(user).filter(pk=obj.pk).exists()
                assert listed == expected, (role, visibility, type(obj).__name__, "visible_to")


def test_search_audiences_agree_with_the_matrix(world):
    """Search shows a hit when the reader's tokens meet the object's (visibility.policy): a
    draft's are its authors' only."""
    from visibility.policy import audiences_for, audiences_of

    for visibility, project in world.projects.items():
        for role in ROLES:
            if role == "staff":
                continue  # staff read every hit (audiences_of gives None)
            user = AnonymousUser() if role == "anonymous" else world.people[role]
            for obj in (project.page, project.entry):
                obj = type(obj).objects.get(pk=obj.pk)
                found = bool(audiences_for(obj) & audiences_of(user))
                assert found == (role in ALLOWED[visibility]), (role, visibility, obj)


def test_a_photo_nothing_uses_is_private_to_staff_and_its_uploader(world):
    from visibility.policy import can_view

    uploader = world.people["member"]
    photo = get_image_model().objects.create(
        title="logo", file=image_upload("logo.png"), uploaded_by_user=uploader
    )
    for role in ROLES:
        user = AnonymousUser() if role == "anonymous" else world.people[role]
        assert can_view(user, photo) == (role in {"member", "staff"}), role


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_photos_and_files_of_a_deleted_project(world, visibility):
    """Deleted with the project (docs/media.md): served to nobody, listed nowhere."""
    project = world.projects[visibility]
    urls = [
        project.cover.file.url,
        project.cover_rendition.url,
        project.entry_photo.file.url,
        project.hidden_photo.file.url,
        project.document.url,
        project.document.file.url,
    ]
    ProjectPage.objects.get(pk=project.page.pk).delete()
    for role in ROLES:
        client = _client(world, role)
        for url in urls:
            assert not _file_ok(client.get(url)), f"{role} still gets {url}"
    anonymous = EnglishClient()
    for endpoint, item in (("images", project.cover), ("documents", project.document)):
        assert not _status_ok(anonymous.get(f"/api/v2/{endpoint}/{item.pk}/"))
        listed = anonymous.get(f"/api/v2/{endpoint}/", {"limit": 20}).json()["items"]
        assert item.pk not in {row["id"] for row in listed}


def test_surfaces_cover_the_issue_list():
    """The matrix keeps every surface the visibility issue names."""
    names = " ".join(SURFACES).lower()
    for surface in ("project page", "listing", "tribe", "profile", "journal entry", "photo",
                    "document", "api v2", "feed", "sitemap"):  # fmt: skip
        assert surface in names


# Changing a project: every edit, history and delete URL. Whoever may not see the project gets
# the 404 of a project that does not exist, whoever sees it but may not change it a 403, its
# editors the form (or, for a POST-only action, the redirect back to the project). Anonymous
# visitors are sent to log in, whatever the project (docs/visibility.md, "404 or 403").
EDITORS = {"collaborator", "owner", "staff"}
EDIT_URLS = {
    "edit presentation": ("get", "edit/presentation/"),
    "edit details": ("get", "edit/details/"),
    "edit cover": ("get", "edit/cover/"),
    "add a step": ("get", "steps/add/"),
    "edit a step": ("get", "steps/{step}/"),
    "delete a step": ("post", "steps/{step}/delete/"),
    "move a step": ("post", "steps/{step}/move/"),
    "bill of materials": ("get", "bill-of-materials/"),
    "add a file": ("get", "files/add/"),
    "remove a file": ("post", "files/{file}/remove/"),
    "new journal entry": ("get", "journal/new/"),
    "edit a journal entry": ("get", "journal/{entry}/edit/"),
    "delete a journal entry": ("post", "journal/{entry}/delete/"),
    "history": ("get", "history/"),
    "preview": ("get", "preview/"),
    "publish": ("post", "publish/"),
    "put back in draft": ("post", "unpublish/"),
}


def _edit_answer(role: str, visibility: str, method: str) -> int:
    if role == "anonymous":
        return 302
    if role not in ALLOWED[visibility]:
        return 404
    if role not in EDITORS:
        return 403
    return 200 if method == "get" else 302


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("url", EDIT_URLS)
def test_edit_matrix(world, url, visibility, role):
    method, tail = EDIT_URLS[url]
    project = world.projects[visibility]
    ids = {
        "entry": project.entry.pk,
        "step": project.step_id,
        "file": project.page.get_latest_revision_as_object().files[0].id,
    }
    address = f"/projects/{project.page.slug}/{tail.format(**ids)}"
    response = getattr(_client(world, role), method)(address)
    expected = _edit_answer(role, visibility, method)
    assert response.status_code == expected, f"{role} on the {visibility} project: {url}"
    if expected == 302 and role == "anonymous":
        assert response.url.startswith("/accounts/login/?next=")
    elif expected == 302:
        assert response.url.startswith(f"/projects/{project.page.slug}/")
