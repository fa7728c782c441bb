"""Who may use each member-facing editing URL of projects/urls.py.

Anonymous visitors are sent to the login page, other members get 403 and change nothing, the
owner, a collaborator and a staff member may open each form and save it, and each save is
recorded as a revision (or log entry) by that user."""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import ModelLogEntry, Revision

from projects.factories import (
    JournalEntryFactory,
    ProjectDocumentFactory,
    ProjectPageFactory,
    bill_of_materials_row,
    file_block,
    step_block,
)
from projects.models import JournalEntry, ProjectPage
from projects.permissions import can_edit_project
from tests.helpers import EnglishClient, form_errors, image_upload, shared_data, text_upload
from users.factories import UserFactory

pytestmark = pytest.mark.django_db

STEP_ID = "step-cut"
OTHER_STEP_ID = "step-glue"
FILE_ID = "file-plan"


def _build_world():
    owner = UserFactory(username="owner")
    collaborator = UserFactory(username="collaborator")
    staff = UserFactory(username="staff", staff=True)
    other = UserFactory(username="other")
    document = ProjectDocumentFactory(uploaded_by_user=owner)
    project = ProjectPageFactory(
        title="Boîte à outils",
        owner=owner,
        collaborators=[collaborator],
        steps=[
            step_block("Découper", block_id=STEP_ID),
            step_block("Coller", block_id=OTHER_STEP_ID),
        ],
        bill_of_materials=[
            bill_of_materials_row("Contreplaqué 3 mm", quantity=2, unit_cost="4.50")
        ],
        files=[file_block(document, "Plan de découpe", block_id=FILE_ID)],
    )
    entry = JournalEntryFactory(project=project, author=owner, body="Premier essai.")
    return SimpleNamespace(
        owner=owner,
        collaborator=collaborator,
        staff=staff,
        other=other,
        project=project,
        entry=entry,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker, _build_world) as data:
        yield data


def _project(world) -> ProjectPage:
    return ProjectPage.objects.get(pk=world.project.pk)


def _latest_project_revision(world):
    return _project(world).revisions.order_by("-pk").first()


def _journal_revisions():
    return Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(JournalEntry)
    ).order_by("-pk")


# What each save must leave behind, checked after a successful POST.


def _project_saved_by(world, user):
    revision = _latest_project_revision(world)
    assert revision is not None, "the save recorded no revision"
    assert revision.user == user


def _project_saved_with(predicate):
    def check(world, user):
        _project_saved_by(world, user)
        assert predicate(_project(world))

    return check


def _journal_saved_by(world, user):
    revision = _journal_revisions().first()
    assert revision is not None, "the journal entry save recorded no revision"
    assert revision.user == user


def _journal_deleted_by(world, user):
    assert not JournalEntry.objects.filter(pk=world.entry.pk).exists()
    assert ModelLogEntry.objects.filter(action="wagtail.delete", user=user).exists()


@dataclass
class Case:
    name: str
    url_name: str
    kwargs: object  # world -> URL kwargs
    data: object = None  # world -> POST data (None: GET only)
    check: object = None  # (world, user) -> asserts what the save changed
    get: bool = True  # False: POST-only endpoint

    def url(self, world) -> str:
        return reverse(f"projects:{self.url_name}", kwargs=self.kwargs(world))

    def __str__(self):
        return self.name


def _slug(world, **extra):
    return {"slug": world.project.slug, **extra}


def _bom_data(world):
    return {
        "bom-TOTAL_FORMS": "2",
        "bom-INITIAL_FORMS": "1",
        "bom-MIN_NUM_FORMS": "0",
        "bom-MAX_NUM_FORMS": "1000",
        "bom-0-item": "Contreplaqué 5 mm",
        "bom-0-quantity": "3",
        "bom-0-unit_cost": "6.00",
        "bom-1-item": "",
        "bom-1-quantity": "",
    }


CASES = [
    Case(
        "details",
        "edit_section",
        lambda w: _slug(w, section="details"),
        data=lambda w: {
            "title": "Boîte à outils v2",
            "summary": "Une boîte.",
            "status": "prototype_works",
            "difficulty": "beginner",
            "visibility": "public",
            "licence": "CC-BY-4.0",
            "tags": "bois, atelier",
        },
        check=_project_saved_with(lambda p: p.status == "prototype_works"),
    ),
    Case(
        "presentation",
        "edit_section",
        lambda w: _slug(w, section="presentation"),
        data=lambda w: {"text": "## Pourquoi\nParce que."},
        check=_project_saved_with(lambda p: "Parce que." in p.presentation),
    ),
    Case(
        "cover",
        "edit_section",
        lambda w: _slug(w, section="cover"),
        data=lambda w: {"photos": image_upload("cover.png")},
        check=_project_saved_with(lambda p: p.cover_image is not None),
    ),
    Case(
        "step_add",
        "step_add",
        _slug,
        data=lambda w: {"title": "Poncer", "body": "Grain 120."},
        check=_project_saved_with(lambda p: [s.value["title"] for s in p.steps][-1] == "Poncer"),
    ),
    Case(
        "step_edit",
        "step_edit",
        lambda w: _slug(w, step_id=STEP_ID),
        data=lambda w: {"title": "Découper au laser", "body": ""},
        check=_project_saved_with(lambda p: p.steps[0].value["title"] == "Découper au laser"),
    ),
    Case(
        "step_delete",
        "step_delete",
        lambda w: _slug(w, step_id=STEP_ID),
        data=lambda w: {},
        check=_project_saved_with(lambda p: [s.id for s in p.steps] == [OTHER_STEP_ID]),
        get=False,
    ),
    Case(
        "step_move",
        "step_move",
        lambda w: _slug(w, step_id=OTHER_STEP_ID),
        data=lambda w: {"direction": "up"},
        check=_project_saved_with(lambda p: [s.id for s in p.steps] == [OTHER_STEP_ID, STEP_ID]),
        get=False,
    ),
    Case(
        "bill_of_materials",
        "bill_of_materials",
        _slug,
        data=_bom_data,
        check=_project_saved_with(
            lambda p: [r.value["item"] for r in p.bill_of_materials] == ["Contreplaqué 5 mm"]
        ),
    ),
    Case(
        "file_add",
        "file_add",
        _slug,
        data=lambda w: {"file": text_upload("cut.gcode", b"G0 X0 Y0\n"), "description": "G-code"},
        check=_project_saved_with(lambda p: len(p.files) == 2),
    ),
    Case(
        "file_remove",
        "file_remove",
        lambda w: _slug(w, block_id=FILE_ID),
        data=lambda w: {},
        check=_project_saved_with(lambda p: len(p.files) == 0),
        get=False,
    ),
    Case(
        "journal_entry_add",
        "journal_entry_add",
        _slug,
        data=lambda w: {"kind": "failure", "body": "Brûlé.", "parameters": "Puissance: 90 %"},
        check=_journal_saved_by,
    ),
    Case(
        "journal_entry_edit",
        "journal_entry_edit",
        lambda w: _slug(w, pk=w.entry.pk),
        data=lambda w: {"kind": "lesson", "body": "Moins de puissance."},
        check=_journal_saved_by,
    ),
    Case(
        "journal_entry_delete",
        "journal_entry_delete",
        lambda w: _slug(w, pk=w.entry.pk),
        data=lambda w: {},
        check=_journal_deleted_by,
        get=False,
    ),
    Case("history", "history", _slug),
]

GET_CASES = [case for case in CASES if case.get]
POST_CASES = [case for case in CASES if case.data is not None]
POST_ONLY_CASES = [case for case in CASES if not case.get]
EDITORS = ["owner", "collaborator", "staff"]


def _send(client, method, case, world):
    if method == "get":
        return client.get(case.url(world))
    return client.post(case.url(world), case.data(world))


def _both_methods():
    return [pytest.param("get", case, id=f"GET-{case}") for case in GET_CASES] + [
        pytest.param("post", case, id=f"POST-{case}") for case in POST_CASES
    ]


def _state(world):
    project = _project(world)
    return (
        project.revisions.count(),
        project.latest_revision_id,
        JournalEntry.objects.count(),
        _journal_revisions().count(),
    )


class TestAnonymousVisitor:
    @pytest.mark.parametrize(("method", "case"), _both_methods())
    def test_is_redirected_to_login_with_next(self, world, method, case):
        response = _send(EnglishClient(), method, case, world)
        assert response.status_code == 302
        assert response.url == f"/accounts/login/?next={case.url(world)}"

    def test_is_redirected_to_login_on_new_project(self, world):
        response = EnglishClient().get(reverse("projects:create"))
        assert response.status_code == 302
        assert response.url == "/accounts/login/?next=/projects/new/"


class TestOtherMember:
    @pytest.mark.parametrize(("method", "case"), _both_methods())
    def test_gets_403_and_changes_nothing(self, world, method, case):
        client = EnglishClient()
        client.force_login(world.other)
        before = _state(world)
        response = _send(client, method, case, world)
        assert response.status_code == 403
        assert _state(world) == before

    def test_may_open_the_new_project_form(self, world):
        client = EnglishClient()
        client.force_login(world.other)
        assert client.get(reverse("projects:create")).status_code == 200


class TestEditors:
    """The owner, a collaborator and staff: every form opens, every save redirects."""

    @pytest.mark.parametrize("role", EDITORS)
    @pytest.mark.parametrize("case", GET_CASES, ids=str)
    def test_opens_the_form(self, world, role, case):
        client = EnglishClient()
        client.force_login(getattr(world, role))
        response = client.get(case.url(world))
        assert response.status_code == 200

    @pytest.mark.parametrize("role", EDITORS)
    @pytest.mark.parametrize("case", POST_CASES, ids=str)
    def test_saves_and_is_redirected_to_the_project(self, world, role, case):
        user = getattr(world, role)
        client = EnglishClient()
        client.force_login(user)
        response = client.post(case.url(world), case.data(world))
        assert response.status_code == 302, form_errors(response)
        assert response.url.startswith(world.project.url)
        case.check(world, user)


@pytest.mark.parametrize("case", POST_ONLY_CASES, ids=str)
def test_post_only_endpoint_rejects_get_with_405(world, case):
    client = EnglishClient()
    client.force_login(world.owner)
    assert client.get(case.url(world)).status_code == 405


class TestPermissionPolicy:
    def test_owner_collaborator_and_staff_may_edit(self, world):
        for user in (world.owner, world.collaborator, world.staff):
            assert can_edit_project(user, world.project)
            assert can_edit_project(user, world.entry.project)

    def test_other_member_may_not_edit(self, world):
        assert not can_edit_project(world.other, world.project)
        assert not can_edit_project(world.other, world.entry.project)

    def test_anonymous_may_not_edit(self, world):
        from django.contrib.auth.models import AnonymousUser

        assert not can_edit_project(AnonymousUser(), world.project)

    def test_deactivated_owner_may_not_edit(self, world):
        owner = UserFactory.build(pk=world.owner.pk, is_active=False)
        assert not can_edit_project(owner, world.project)
