"""Page bodies rendered once (core/render_cache.py): kept for readers who see a page alike,
never for one who sees it alone, and rendered again after every kind of change."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core import render_cache
from moderation import services as moderation
from projects import services
from projects.factories import JournalEntryFactory, ProjectPageFactory
from projects.models import ProjectPage
from projects.selectors import project_page_body_cache
from tests.helpers import EnglishClient
from tribes.factories import TribeMembershipFactory, TribePageFactory
from users.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/projects/lampe/"


def retitle_behind_the_sites_back(project, title: str) -> None:
    """A change no service makes (no purge): a kept body still shows the old title."""
    ProjectPage.objects.filter(pk=project.pk).update(title=title)


def body(client, path=PAGE, **params) -> str:
    response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def owner():
    return UserFactory(username="alice", display_name="Alice Martin")


@pytest.fixture
def project(owner):
    project = ProjectPageFactory(slug="lampe", title="Lampe de chevet", owner=owner)
    JournalEntryFactory(project=project, author=owner, title="Premier essai", body="Trop fort.")
    return project


def member_client() -> Client:
    client = Client()
    client.force_login(UserFactory())
    return client


def test_a_body_is_rendered_once_for_every_reader_who_sees_it_alike(project):
    assert "Lampe de chevet" in body(member_client())
    retitle_behind_the_sites_back(project, "Lampe retitrée")
    second_reader = member_client()
    with CaptureQueriesContext(connection) as queries:
        kept = body(second_reader)
    assert "Premier essai" in kept and "Lampe retitrée" not in kept.split("<main")[1]
    # The member and the header's unread notifications; the project and its tribes, which
    # decide who may see it: none of the body's (entries, photos, people, tags).
    sql = [query["sql"] for query in queries]
    assert len(sql) <= 5, sql
    assert not [query for query in sql if "rendition" in query or "taggit" in query], sql


def test_visitors_are_served_the_whole_page_kept_without_a_query(project):
    assert "Lampe de chevet" in body(Client())
    retitle_behind_the_sites_back(project, "Lampe retitrée")
    with CaptureQueriesContext(connection) as queries:
        kept = body(Client())
    assert "Lampe retitrée" not in kept
    assert not queries, [query["sql"] for query in queries]


@pytest.mark.parametrize(
    "request_kind",
    ["a session", "messages", "credentials", "an unknown parameter"],
)
def test_a_visitor_with_anything_of_their_own_is_not_served_the_kept_page(project, request_kind):
    body(Client())
    retitle_behind_the_sites_back(project, "Lampe retitrée")
    client, params = Client(), {}
    if request_kind == "a session":
        client.cookies[settings.SESSION_COOKIE_NAME] = "expired-or-forged"
    elif request_kind == "messages":
        client.cookies["messages"] = "anything"
    elif request_kind == "credentials":
        client.defaults["HTTP_AUTHORIZATION"] = "Token nothing"
    else:
        params = {"utm_source": "x"}
    assert "Lampe retitrée" in body(client, **params)


@pytest.mark.parametrize(
    "reader",
    ["owner", "collaborator", "staff", "preview"],
)
def test_a_body_is_never_kept_for_whoever_sees_the_page_alone(project, owner, reader):
    collaborator = UserFactory(username="bob")
    project.collaborators.add(collaborator)
    users = {
        "owner": owner,
        "collaborator": collaborator,
        "staff": UserFactory(is_staff=True),
    }
    client = Client()
    if reader in users:
        client.force_login(users[reader])
        body(client)
        retitle_behind_the_sites_back(project, "Lampe retitrée")
        assert "Lampe retitrée" in body(client)
    else:
        # Wagtail's preview renders a revision not published: never kept, never served kept.
        request = Client().get(PAGE).wsgi_request
        request.is_preview = True
        assert project.get_context(request)["body_cache"] is None


@pytest.mark.parametrize("state", ["draft", "hidden"])
def test_a_draft_or_a_hidden_project_is_never_kept(project, state):
    """Seen by its people and staff only, who are shown it alone anyway: a rule of its own all
    the same, so that a policy seeing them wider never serves a kept copy."""
    setattr(project, {"draft": "live", "hidden": "hidden"}[state], state == "hidden")
    request = Client().get("/").wsgi_request
    assert project_page_body_cache(project=project, user=request.user, path=PAGE, params={}) is None


def test_parameters_the_page_does_not_read_are_never_kept(project):
    client = Client()
    body(client, utm_source="x")
    retitle_behind_the_sites_back(project, "Lampe retitrée")
    assert "Lampe retitrée" in body(client, utm_source="x")
    # The journal's own parameters are kept apart from each other.
    assert "Premier essai" in body(client, kind="trial")
    assert "Premier essai" not in body(client, kind="failure")


def test_readers_who_see_different_things_get_different_bodies(project, owner):
    member = member_client()
    anonymous = Client()
    # Each kind of reader second: the other's kept body must not be handed to them.
    assert "/moderation/" not in body(anonymous)
    assert "/moderation/" in body(member)
    assert "/moderation/" not in body(anonymous)
    # A private tribe's name: to its members only.
    tribe = TribePageFactory(title="Club secret", slug="club", private=True)
    project.tribes.add(tribe)
    project.save()
    insider_user = UserFactory()
    TribeMembershipFactory(tribe=tribe, user=insider_user)
    insider = Client()
    insider.force_login(insider_user)
    assert "Club secret" in body(insider)
    assert "Club secret" not in body(member)
    # And each language apart.
    english = EnglishClient()
    assert "Journal of trials and errors" in body(english)
    assert "Journal of trials and errors" not in body(anonymous)


def change_entry(project, owner):
    entry = project.journal_entries.get()
    services.journal_entry_update(entry=entry, user=owner, title="Deuxième essai", body="Mieux.")


def add_entry(project, owner):
    services.journal_entry_create(
        project=project, author=owner, kind="trial", title="Deuxième essai", body="Mieux."
    )


def delete_entry(project, owner):
    services.journal_entry_delete(entry=project.journal_entries.get(), user=owner)


def hide_entry(project, owner):
    entry = project.journal_entries.get()
    report = moderation.report_create(reporter=UserFactory(), target=entry, reason="spam")
    moderation.report_hide(user=UserFactory(is_staff=True), report=report, message="Hors sujet.")


def edit_project(project, owner):
    services.project_update(project=project, user=owner, summary="Deuxième essai de résumé.")


def add_step(project, owner):
    services.project_step_add(
        project=project, user=owner, title="Deuxième essai", body="Poncer.", photos=[]
    )


def restrict_to_a_tribe(project, owner):
    services.project_update(
        project=project, user=owner, visibility="tribe", tribes=[TribePageFactory(slug="atelier")]
    )


def unpublish(project, owner):
    services.project_unpublish(project=project, user=owner)


def hide_project(project, owner):
    report = moderation.report_create(reporter=UserFactory(), target=project, reason="spam")
    moderation.report_hide(user=UserFactory(is_staff=True), report=report, message="Hors sujet.")


def delete_project(project, owner):
    project.delete()


# Each change, and what an anonymous reader sees next: a text, gone text, or no page.
CHANGES = [
    (change_entry, "Deuxième essai", "Premier essai"),
    (add_entry, "Deuxième essai", None),
    (delete_entry, None, "Premier essai"),
    (hide_entry, None, "Premier essai"),
    (edit_project, "Deuxième essai de résumé", None),
    (add_step, "Poncer", None),
    (restrict_to_a_tribe, 404, None),
    (unpublish, 404, None),
    (hide_project, 404, None),
    (delete_project, 404, None),
]


@pytest.mark.parametrize(
    ("change", "shown", "gone"), CHANGES, ids=[change.__name__ for change, *_ in CHANGES]
)
@pytest.mark.parametrize("reader", ["visitor", "member"])
def test_every_kind_of_change_is_shown_to_the_next_reader(
    project, owner, change, shown, gone, reader, django_capture_on_commit_callbacks
):
    """A visitor is served the kept whole page, a member the kept body: each is dropped."""
    client = Client() if reader == "visitor" else member_client()
    assert "Premier essai" in body(client)
    with django_capture_on_commit_callbacks(execute=True):
        change(ProjectPage.objects.get(pk=project.pk), owner)
    response = client.get(PAGE)
    if shown == 404:
        assert response.status_code == 404
        return
    page = response.content.decode()
    if shown:
        assert shown in page
    if gone:
        assert gone not in page


def test_a_forgotten_version_is_never_drawn_again(project):
    first = render_cache.page_version(PAGE)
    assert render_cache.page_version(PAGE) == first
    caches["pages"].clear()
    assert render_cache.page_version(PAGE) != first


def test_a_new_release_renders_again(settings, tmp_path):
    """A template (or module, or translation) that changes changes the bodies' keys."""
    template = tmp_path / "page.html"
    template.write_text("<p>un</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    render_cache.code_version.cache_clear()
    try:
        before = render_cache.code_version()
        template.write_text("<p>deux</p>")
        render_cache.code_version.cache_clear()
        assert render_cache.code_version() != before
    finally:
        render_cache.code_version.cache_clear()
