"""No existence oracle: an object someone may not see answers exactly like one that does not
exist, on every URL that names an object (docs/visibility.md, "404 or 403").

The URL walk below finds every view of Carnet that takes a slug, a pk, a username… and asks it,
as a member who may not see the object and as an anonymous visitor, for a hidden object and for
a missing one: the answers must be the same. A new object view fails here until it loads its
object through visibility.loaders and is listed in HIDDEN (or, for a view whose objects are
public or whose key is a secret, in NOT_HIDDEN with the reason).
"""

from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from calls.factories import (
    ApplicationFactory,
    CallForProjectsPageFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
)
from calls.models import CallStatus
from machines.factories import MachineFactory, MachineJobFactory
from moderation.models import ReportKind
from notifications.factories import NotificationFactory
from projects.factories import (
    JournalEntryFactory,
    ProjectDocumentFactory,
    ProjectPageFactory,
    file_block,
    step_block,
)
from tests.helpers import EnglishClient, login, shared_data
from tribes.factories import TribeInvitationFactory, TribeMembershipFactory, TribePageFactory
from users.factories import UserFactory

pytestmark = pytest.mark.django_db

# Views from these modules are Carnet's own; Wagtail's, Django's and the API frameworks' URLs
# are checked by their own tests (the permission matrix covers the API and the media).
OWN_MODULES = (
    "calls.",
    "core.",
    "machines.",
    "members.",
    "moderation.",
    "notifications.",
    "projects.",
    "search.",
    "showcases.",
    "stats.",
    "tribes.",
    "users.",
    "visibility.",
)
MISSING = {"slug": "nothing-here-at-all", "pk": 987654, "username": "nobody-at-all"}


def _build_world():
    outsider = UserFactory(username="outsider")
    owner = UserFactory(username="owner")
    document = ProjectDocumentFactory(uploaded_by_user=owner)
    project = ProjectPageFactory(
        owner=owner,
        slug="secret-project",
        visibility="private",
        steps=[step_block("Découpe", block_id="step-cut")],
        files=[file_block(document, block_id="file-plan")],
    )
    entry = JournalEntryFactory(project=project)
    tribe = TribePageFactory(slug="secret-tribe", private=True)
    admin = TribeMembershipFactory(tribe=tribe, user=owner, admin=True)
    requested = TribeMembershipFactory(tribe=tribe, requested=True)
    invitation = TribeInvitationFactory(tribe=tribe, created_by=owner)
    organisation = OrganisationFactory(slug="secret-organisation", pending=True)
    organisation_member = OrganisationMembershipFactory(
        organisation=organisation, user=owner, owner=True
    )
    public_organisation = OrganisationFactory()
    OrganisationMembershipFactory(organisation=public_organisation, user=owner, owner=True)
    draft_call = CallForProjectsPageFactory(
        slug="secret-call", organisation=public_organisation, draft=True
    )
    under_review = CallForProjectsPageFactory(
        slug="call-under-review",
        organisation=public_organisation,
        status=CallStatus.SUBMITTED,
        live=False,
    )
    application = ApplicationFactory(call=CallForProjectsPageFactory(), applicant_user=owner)
    hidden_member = UserFactory(username="hidden-member", hidden=True)
    job = MachineJobFactory(machine=MachineFactory(), member=owner)
    # What the outsider sees but may not change.
    open_project = ProjectPageFactory(owner=owner, slug="open-project")
    open_tribe = TribePageFactory(slug="open-tribe")
    TribeMembershipFactory(tribe=open_tribe, user=owner, admin=True)
    open_call = CallForProjectsPageFactory(slug="open-call", organisation=public_organisation)
    return SimpleNamespace(
        outsider=outsider,
        owner=owner,
        moderated=ProjectPageFactory(owner=owner, slug="moderated-project", hidden=True),
        open_project=open_project,
        open_tribe=open_tribe,
        open_call=open_call,
        public_organisation=public_organisation,
        project=project,
        entry=entry,
        tribe=tribe,
        admin=admin,
        requested=requested,
        invitation=invitation,
        organisation=organisation,
        organisation_member=organisation_member,
        draft_call=draft_call,
        under_review=under_review,
        application=application,
        hidden_member=hidden_member,
        notification=NotificationFactory(recipient=owner),
        job=job,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker, _build_world) as data:
        yield data


def _project(w, **extra):
    return {"slug": w.project.slug, **extra}


def _tribe(w, **extra):
    return {"slug": w.tribe.slug, **extra}


# URL name → the URL's arguments naming an object the outsider may not see. The same URL with
# every object key replaced by one that names nothing must answer the same.
HIDDEN = {
    "projects:detail": _project,
    "projects:edit_section": lambda w: _project(w, section="details"),
    "projects:step_add": _project,
    "projects:step_edit": lambda w: _project(w, step_id="step-cut"),
    "projects:step_delete": lambda w: _project(w, step_id="step-cut"),
    "projects:step_move": lambda w: _project(w, step_id="step-cut"),
    "projects:bill_of_materials": _project,
    "projects:file_add": _project,
    "projects:file_remove": lambda w: _project(w, block_id="file-plan"),
    "projects:journal_entry_add": _project,
    "projects:journal_entry": lambda w: _project(w, pk=w.entry.pk),
    "projects:journal_entry_edit": lambda w: _project(w, pk=w.entry.pk),
    "projects:journal_entry_delete": lambda w: _project(w, pk=w.entry.pk),
    "projects:history": _project,
    "projects:preview": _project,
    "projects:publish": _project,
    "projects:unpublish": _project,
    "projects:export_markdown": _project,
    "journal_feed": _project,
    "journal_feed_atom": _project,
    "tribe_feed": _tribe,
    "tribe_feed_atom": _tribe,
    "tribes:edit": _tribe,
    "tribes:join": _tribe,
    "tribes:leave": _tribe,
    "tribes:decline": _tribe,
    "tribes:members": _tribe,
    "tribes:invite": _tribe,
    "tribes:link_create": _tribe,
    "tribes:invitation_revoke": lambda w: _tribe(w, pk=w.invitation.pk),
    "tribes:accept": lambda w: _tribe(w, pk=w.requested.pk),
    "tribes:refuse": lambda w: _tribe(w, pk=w.requested.pk),
    "tribes:role": lambda w: _tribe(w, pk=w.admin.pk),
    "tribes:remove": lambda w: _tribe(w, pk=w.admin.pk),
    "calls:organisation": lambda w: {"slug": w.organisation.slug},
    "calls:organisation_member_add": lambda w: {"slug": w.organisation.slug},
    "calls:organisation_member_remove": lambda w: {
        "slug": w.organisation.slug,
        "pk": w.organisation_member.pk,
    },
    "calls:application": lambda w: {"pk": w.application.pk},
    "calls:application_withdraw": lambda w: {"pk": w.application.pk},
    "calls:application_decide": lambda w: {"pk": w.application.pk, "decision": "accept"},
    "calls:preview": lambda w: {"slug": w.draft_call.slug},
    "calls:edit": lambda w: {"slug": w.under_review.slug},
    "calls:submit": lambda w: {"slug": w.draft_call.slug},
    "calls:close": lambda w: {"slug": w.under_review.slug},
    "calls:award": lambda w: {"slug": w.draft_call.slug},
    "calls:apply": lambda w: {"slug": w.draft_call.slug},
    "calls:applications": lambda w: {"slug": w.under_review.slug},
    "machines:job": lambda w: {"pk": w.job.pk},
    "machines:job_debrief": lambda w: {"pk": w.job.pk},
    "notifications:open": lambda w: {"pk": w.notification.pk},
    "moderation:report": lambda w: {"kind": ReportKind.PROJECT, "pk": w.project.pk},
    "members:profile": lambda w: {"username": w.hidden_member.username},
    "members:contact": lambda w: {"username": w.hidden_member.username},
}

# Views that name an object without hiding any: why each may answer as it does.
NOT_HIDDEN = {
    "language_switch": "the key is a language code, not an object",
    "machines:detail": "machines are public: their page is open to anyone",
    "machines:edit": "machines are public; their settings answer 403 to non-admins",
    "machines:token_rotate": "machines are public; their settings answer 403 to non-admins",
    "machines:kiosk_rotate": "machines are public; their settings answer 403 to non-admins",
    "machines:job_here": "machines are public; the running job is checked by machines:job",
    "machines:kiosk": "machines are public; the kiosk opens with its secret token",
    "machines:kiosk_state": "machines are public; the kiosk opens with its secret token",
    "machines:kiosk_stream": "machines are public; the kiosk opens with its secret token",
    "tribes:invitation": "the key is a secret token: without it nothing can be probed",
    "stats:csv": "the key names a table, not an object; ?tribe= answers the same for all",
    "media": "media files: tests/visibility/test_media.py and the permission matrix",
    "document_serve": "project files: tests/visibility/test_media.py and the permission matrix",
}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) == "admin/":
                continue  # the Wagtail admin, for staff only
            namespace = f"{pattern.namespace}:" if pattern.namespace else prefix
            yield from _walk(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern):
            yield prefix, pattern


def _object_views() -> set[str]:
    """The names of Carnet's views whose URL carries an argument."""
    found = set()
    for prefix, pattern in _walk(get_resolver().url_patterns):
        callback = pattern.callback
        module = getattr(callback, "__module__", "") or type(callback).__module__
        if not module.startswith(OWN_MODULES):
            continue
        if not (pattern.pattern.converters or pattern.pattern.regex.groups):
            continue
        found.add(f"{prefix}{pattern.name}" if pattern.name else callback.__name__)
    return found


def test_every_object_view_is_checked_for_existence_leaks():
    unchecked = _object_views() - HIDDEN.keys() - NOT_HIDDEN.keys()
    assert not unchecked, (
        f"Load the object of {sorted(unchecked)} through visibility.loaders, then list the "
        "view in HIDDEN (or, if its objects are public, in NOT_HIDDEN) in this test."
    )
    assert not (HIDDEN.keys() | NOT_HIDDEN.keys()) - _object_views() - {"media", "document_serve"}


def _missing(kwargs: dict) -> dict:
    return {key: MISSING.get(key, value) for key, value in kwargs.items()}


def _answer(response):
    """What a visitor learns: the status, and where a redirect leads (minus the `next` path)."""
    location = response.get("Location", "")
    return response.status_code, urlsplit(location).path if location else ""


def _both(client, method, name, kwargs):
    hidden_url = reverse(name, kwargs=kwargs)
    missing_url = reverse(name, kwargs=_missing(kwargs))
    assert hidden_url != missing_url
    send = getattr(client, method)
    hidden = send(hidden_url)
    if getattr(hidden, "streaming", False):
        b"".join(hidden.streaming_content)
    return _answer(hidden), _answer(send(missing_url))


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", sorted(HIDDEN))
def test_a_member_cannot_tell_a_hidden_object_from_a_missing_one(world, name, method):
    client = login(EnglishClient(), world.outsider)
    hidden, missing = _both(client, method, name, HIDDEN[name](world))
    assert hidden == missing, f"{method.upper()} {name}: {hidden} for a hidden object"
    assert hidden[0] in (404, 405), f"{method.upper()} {name}: {hidden}"


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", sorted(HIDDEN))
def test_a_visitor_cannot_tell_a_hidden_object_from_a_missing_one(world, name, method):
    hidden, missing = _both(EnglishClient(), method, name, HIDDEN[name](world))
    assert hidden == missing, f"{method.upper()} {name}: {hidden} for a hidden object"
    assert hidden[0] in (302, 404, 405), f"{method.upper()} {name}: {hidden}"


@pytest.mark.parametrize(
    "name", ["projects:journal_entry", "notifications:open", "calls:application"]
)
def test_an_id_too_large_for_the_database_is_404(world, name):
    client = login(EnglishClient(), world.outsider)
    kwargs = {**HIDDEN[name](world), "pk": 10**20}
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 404


def _seen_but_not_changed(w):
    """(method, URL, the reason the 403 page gives) for objects the outsider sees."""
    project = f"/projects/{w.open_project.slug}"
    only_owners = "Only the project&#x27;s owner and collaborators can change it."
    return [
        ("get", f"{project}/edit/details/", only_owners),
        ("post", f"{project}/steps/step-x/delete/", only_owners),
        ("get", f"{project}/history/", only_owners),
        ("get", f"/tribes/{w.open_tribe.slug}/members/", "Only the tribe&#x27;s admins"),
        ("post", f"/tribes/{w.open_tribe.slug}/edit/", "Only the tribe&#x27;s admins"),
        ("get", f"/calls/{w.open_call.slug}/edit/", "Only the members of"),
        ("get", f"/calls/{w.open_call.slug}/applications/", "Only the members of"),
        ("post", f"/calls/{w.open_call.slug}/close/", "Only the members of"),
        (
            "post",
            f"/calls/organisations/{w.public_organisation.slug}/members/",
            "Only the organisation&#x27;s owners",
        ),
        ("get", f"/machines/{w.job.machine.slug}/edit/", "Only the lab&#x27;s admins"),
    ]


def test_who_sees_an_object_but_may_not_change_it_gets_403_with_the_reason(world):
    client = login(EnglishClient(), world.outsider)
    for method, url, reason in _seen_but_not_changed(world):
        response = getattr(client, method)(url)
        assert response.status_code == 403, (method, url, response.status_code)
        assert reason in response.content.decode(), (method, url)


def test_an_applicant_deciding_on_their_own_application_gets_403(world):
    client = login(EnglishClient(), world.owner)
    response = client.post(f"/calls/applications/{world.application.pk}/accept/")
    assert response.status_code == 403
    assert "Only the members of" in response.content.decode()


MODERATED_URLS = ["", "edit/details/", "steps/add/", "journal/new/", "history/", "export.md"]


@pytest.mark.parametrize("tail", MODERATED_URLS)
def test_a_project_hidden_by_the_moderators_is_404_to_others_and_open_to_its_owner(world, tail):
    url = f"/projects/{world.moderated.slug}/{tail}"
    assert login(EnglishClient(), world.outsider).get(url).status_code == 404
    assert login(EnglishClient(), world.owner).get(url).status_code == 200


def test_the_machine_qr_code_says_when_another_member_runs_the_job(world):
    client = login(EnglishClient(), world.outsider)
    machine = world.job.machine
    response = client.get(f"/machines/{machine.slug}/job/", follow=True)
    assert response.redirect_chain[0][0] == machine.get_absolute_url()
    assert f"Another member is using {machine}" in response.content.decode()
