"""Hostile input into every member-facing form never gives a server error.

The URL walk below finds every view of Carnet (the Wagtail admin aside) and opens it as the
member who may act there (the project's owner, the tribe's admin, the organisation's member, an
applicant, staff…) and as an anonymous visitor. Every form the page carries is read from its
HTML, then sent back with each field in turn set to a hostile value: 100,000 characters, NUL and
other control characters, odd Unicode, numbers too large, negative or not numbers at all, choices
that do not exist, the field twice, empty, HTML, a path, or missing. Files are not sent (uploads
have their own tests) but multipart forms are posted without them. Every answer must be below
500: a form error, a 4xx with a message, or a redirect; and a form shown again with an error
still holds the HTML and the odd Unicode typed into its text fields.

A new view fails `test_every_view_is_sent_hostile_input` until it is listed in URL_KWARGS (with
the arguments naming real objects, and who acts there) or in NOT_FORMS with the reason.
PostgreSQL refuses over-long values for varchar columns and NUL characters where SQLite takes
them: run this module on both (`make test`, `make test-postgres`).
"""

import html
import itertools
import re
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from calls.factories import (
    ApplicationFactory,
    CallForProjectsPageFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
)
from calls.models import CallStatus
from machines.factories import MachineFactory, MachineJobFactory, MaterialFactory
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

# Views from these modules are Carnet's own (as in tests/visibility/test_existence.py).
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
INVITATION_TOKEN = "hostile-invitation-token"

LONG = "x" * 100_000
HOSTILE = {
    "long": LONG,
    "control": "a\x00b\x01\x08\x0b\x1b[31m\x7f\x9fc",
    "unicode": "\u202eevil\u202c\u200d\u200b👩\u200d🔧e\u0301\u0301\u0301\ufeff\ufffe\U0010ffff",
    "huge": "99999999999999999999",
    "negative": "-1",
    "inf": "1e309",
    "nan": "NaN",
    "choice": "not-a-choice-☃",
    "empty": "",
    "html": '<script>alert(1)</script><img src=x onerror="alert(1)">',
    "path": "../../etc/passwd",
}
# Fields a member types into, and the variants whose value must come back on a re-shown form.
TYPED_IN = ("text", "textarea", "search", "email", "url")
KEPT = ("html", "unicode")
# Each field gets these, and a rotating sample of the others (the full cross product is slow).
ALWAYS = ("long", "control", "twice")
SAMPLED = (
    "unicode",
    "huge",
    "negative",
    "inf",
    "nan",
    "choice",
    "empty",
    "html",
    "path",
    "missing",
)
PER_FIELD_SAMPLE = 2


def _build_world():
    owner = UserFactory(username="owner")
    member = UserFactory(username="member", open_to_contact=True)
    applicant = UserFactory(username="applicant")
    staff = UserFactory(username="staff", staff=True)
    document = ProjectDocumentFactory(uploaded_by_user=owner)
    project = ProjectPageFactory(
        owner=owner,
        slug="hostile-project",
        steps=[step_block("Découpe", block_id="step-cut")],
        files=[file_block(document, block_id="file-plan")],
    )
    document.project = project
    document.save()
    entry = JournalEntryFactory(project=project)
    tribe = TribePageFactory(slug="hostile-tribe")
    admin = TribeMembershipFactory(tribe=tribe, user=owner, admin=True)
    TribeMembershipFactory(tribe=tribe, user=member)
    requested = TribeMembershipFactory(tribe=tribe, requested=True)
    invitation = TribeInvitationFactory(tribe=tribe, created_by=owner)
    TribeInvitationFactory(tribe=tribe, created_by=owner, token=INVITATION_TOKEN, link=True)
    organisation = OrganisationFactory(slug="hostile-organisation")
    OrganisationMembershipFactory(organisation=organisation, user=owner, owner=True)
    colleague = OrganisationMembershipFactory(organisation=organisation)
    draft_call = CallForProjectsPageFactory(
        slug="hostile-draft-call", organisation=organisation, draft=True
    )
    open_call = CallForProjectsPageFactory(slug="hostile-open-call", organisation=organisation)
    closed_call = CallForProjectsPageFactory(
        slug="hostile-closed-call", organisation=organisation, status=CallStatus.CLOSED
    )
    application = ApplicationFactory(call=open_call, applicant_user=applicant)
    ApplicationFactory(call=closed_call, applicant_user=applicant)
    machine = MachineFactory(tribe=tribe)
    MaterialFactory()
    job = MachineJobFactory(machine=machine, member=owner)
    return SimpleNamespace(
        actors={"owner": owner, "member": member, "applicant": applicant, "staff": staff},
        project=project,
        entry=entry,
        tribe=tribe,
        admin=admin,
        requested=requested,
        invitation=invitation,
        organisation=organisation,
        colleague=colleague,
        draft_call=draft_call,
        open_call=open_call,
        closed_call=closed_call,
        application=application,
        machine=machine,
        job=job,
        notification=NotificationFactory(recipient=owner),
        uid=urlsafe_base64_encode(force_bytes(member.pk)),
        reset_token=default_token_generator.make_token(member),
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker, _build_world) as data:
        yield data


@pytest.fixture(autouse=True)
def _no_throttles():
    """Throttles would answer 429 before the form is read: the forms are what is tested here."""
    with override_settings(RATELIMIT_ENABLE=False, AXES_ENABLED=False):
        yield


def _project(w, **extra):
    return {"slug": w.project.slug, **extra}


def _tribe(w, **extra):
    return {"slug": w.tribe.slug, **extra}


# URL name → (the URL's arguments, the members who act there). Anonymous visitors are always
# added. Views without arguments take {}.
OWNER = ("owner",)
URL_KWARGS = {
    "markdown_preview": (lambda w: {}, OWNER),
    "users:signup": (lambda w: {}, ()),
    "users:login": (lambda w: {}, ()),
    "users:logout": (lambda w: {}, OWNER),
    "users:profile_edit": (lambda w: {}, ("member",)),
    "users:password_reset": (lambda w: {}, ()),
    "users:password_reset_done": (lambda w: {}, ()),
    "users:password_reset_confirm": (lambda w: {"uidb64": w.uid, "token": w.reset_token}, ()),
    "users:password_reset_complete": (lambda w: {}, ()),
    "members:directory": (lambda w: {}, ("member",)),
    "members:profile": (lambda w: {"username": "member"}, OWNER),
    "members:contact": (lambda w: {"username": "member"}, OWNER),
    "projects:create": (lambda w: {}, OWNER),
    "projects:detail": (_project, OWNER),
    "projects:edit_section": (lambda w: _project(w, section="details"), OWNER),
    "projects:step_add": (_project, OWNER),
    "projects:step_edit": (lambda w: _project(w, step_id="step-cut"), OWNER),
    "projects:step_delete": (lambda w: _project(w, step_id="step-cut"), OWNER),
    "projects:step_move": (lambda w: _project(w, step_id="step-cut"), OWNER),
    "projects:bill_of_materials": (_project, OWNER),
    "projects:file_add": (_project, OWNER),
    "projects:file_remove": (lambda w: _project(w, block_id="file-plan"), OWNER),
    "projects:journal_entry_add": (_project, OWNER),
    "projects:journal_entry": (lambda w: _project(w, pk=w.entry.pk), OWNER),
    "projects:journal_entry_edit": (lambda w: _project(w, pk=w.entry.pk), OWNER),
    "projects:journal_entry_delete": (lambda w: _project(w, pk=w.entry.pk), OWNER),
    "projects:history": (_project, OWNER),
    "projects:publish": (_project, OWNER),
    "projects:unpublish": (_project, OWNER),
    "tribes:create": (lambda w: {}, OWNER),
    "tribes:invitation": (lambda w: {"token": INVITATION_TOKEN}, ("staff",)),
    "tribes:edit": (_tribe, OWNER),
    "tribes:join": (_tribe, ("staff",)),
    "tribes:leave": (_tribe, ("member",)),
    "tribes:decline": (_tribe, ("member",)),
    "tribes:members": (_tribe, OWNER),
    "tribes:invite": (_tribe, OWNER),
    "tribes:link_create": (_tribe, OWNER),
    "tribes:invitation_revoke": (lambda w: _tribe(w, pk=w.invitation.pk), OWNER),
    "tribes:accept": (lambda w: _tribe(w, pk=w.requested.pk), OWNER),
    "tribes:refuse": (lambda w: _tribe(w, pk=w.requested.pk), OWNER),
    "tribes:role": (lambda w: _tribe(w, pk=w.admin.pk), OWNER),
    "tribes:remove": (lambda w: _tribe(w, pk=w.admin.pk), OWNER),
    "calls:create": (lambda w: {}, OWNER),
    "calls:mine": (lambda w: {}, OWNER),
    "calls:organisation_request": (lambda w: {}, ("member",)),
    "calls:organisation": (lambda w: {"slug": w.organisation.slug}, OWNER),
    "calls:organisation_member_add": (lambda w: {"slug": w.organisation.slug}, OWNER),
    "calls:organisation_member_remove": (
        lambda w: {"slug": w.organisation.slug, "pk": w.colleague.pk},
        OWNER,
    ),
    "calls:application": (lambda w: {"pk": w.application.pk}, ("owner", "applicant")),
    "calls:application_withdraw": (lambda w: {"pk": w.application.pk}, ("applicant",)),
    "calls:application_decide": (
        lambda w: {"pk": w.application.pk, "decision": "accept"},
        OWNER,
    ),
    "calls:preview": (lambda w: {"slug": w.draft_call.slug}, OWNER),
    "calls:edit": (lambda w: {"slug": w.draft_call.slug}, OWNER),
    "calls:submit": (lambda w: {"slug": w.draft_call.slug}, OWNER),
    "calls:close": (lambda w: {"slug": w.open_call.slug}, OWNER),
    "calls:award": (lambda w: {"slug": w.closed_call.slug}, OWNER),
    "calls:apply": (lambda w: {"slug": w.open_call.slug}, ("member",)),
    "calls:applications": (lambda w: {"slug": w.open_call.slug}, OWNER),
    "machines:list": (lambda w: {}, OWNER),
    "machines:create": (lambda w: {}, ("staff",)),
    "machines:documentation_rate": (lambda w: {}, ("staff",)),
    "machines:job": (lambda w: {"pk": w.job.pk}, OWNER),
    "machines:job_debrief": (lambda w: {"pk": w.job.pk}, OWNER),
    "machines:detail": (lambda w: {"slug": w.machine.slug}, OWNER),
    "machines:edit": (lambda w: {"slug": w.machine.slug}, OWNER),
    "machines:token_rotate": (lambda w: {"slug": w.machine.slug}, OWNER),
    "machines:kiosk_rotate": (lambda w: {"slug": w.machine.slug}, OWNER),
    "machines:job_here": (lambda w: {"slug": w.machine.slug}, OWNER),
    "notifications:list": (lambda w: {}, OWNER),
    "notifications:read_all": (lambda w: {}, OWNER),
    "notifications:open": (lambda w: {"pk": w.notification.pk}, OWNER),
    "search:search": (lambda w: {}, ("member",)),
    "moderation:report": (
        lambda w: {"kind": ReportKind.PROJECT, "pk": w.project.pk},
        ("member",),
    ),
    "stats:index": (lambda w: {}, ("staff",)),
}

# Views that carry no form a member fills in: why each is left out.
NOT_FORMS = {
    "language_switch": "a link that sets the language cookie (tests/core/test_http_cache.py)",
    "media": "serves files (tests/visibility/test_media.py)",
    "document_serve": "serves files (tests/visibility/test_media.py)",
    "machines:banner_state": "a live fragment, read-only",
    "machines:banner_stream": "an event stream, read-only",
    "machines:kiosk": "a read-only screen opened by a secret token",
    "machines:kiosk_state": "a read-only fragment opened by a secret token",
    "machines:kiosk_stream": "an event stream opened by a secret token",
    "projects:export_markdown": "a download",
    "project_feed": "a feed, read-only",
    "project_feed_atom": "a feed, read-only",
    "journal_feed": "a feed, read-only",
    "journal_feed_atom": "a feed, read-only",
    "tribe_feed": "a feed, read-only",
    "tribe_feed_atom": "a feed, read-only",
    "search:autocomplete": "JSON answers to a query string: tests/search",
    "stats:csv": "a download",
    "projects:preview": "the project page as others will see it, read-only",
    "service_worker": "a script, read-only (tests/core/test_service_worker.py)",
}

# Pages served by Wagtail that carry forms posting to the views above (join, apply…).
WAGTAIL_PAGES = {
    "tribe page": (lambda w: w.tribe.url, ("staff", "member")),
    "call page": (lambda w: w.open_call.url, ("member",)),
    "home page": (lambda w: "/", OWNER),
}
# Field names a view that only answers POST may read (no page shows its form to this actor).
STRAY_FIELDS = ("text", "next", "pk", "position", "direction", "role", "email", "reason")
# Forms every page carries (search, log out, the login a redirect leads to) are sent once per
# actor, not from every page: (actor, method, path, field names) already sent in this run.
_SENT: set[tuple] = set()


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) == "admin/":
                continue  # the Wagtail admin, for staff only
            namespace = f"{pattern.namespace}:" if pattern.namespace else prefix
            yield from _walk(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern):
            yield prefix, pattern


def _own_views() -> set[str]:
    found = set()
    for prefix, pattern in _walk(get_resolver().url_patterns):
        callback = pattern.callback
        module = getattr(callback, "__module__", "") or type(callback).__module__
        if getattr(callback, "view_class", None) is not None:
            module = callback.view_class.__module__
        if module.startswith(OWN_MODULES) or prefix == "users:":
            found.add(f"{prefix}{pattern.name}" if pattern.name else callback.__name__)
    return found


def test_every_view_is_sent_hostile_input():
    views = _own_views()
    unchecked = views - URL_KWARGS.keys() - NOT_FORMS.keys()
    assert not unchecked, (
        f"List {sorted(unchecked)} in URL_KWARGS (its arguments and who acts there) or in "
        "NOT_FORMS (with the reason) in this test."
    )
    assert not (URL_KWARGS.keys() | NOT_FORMS.keys()) - views - {"media", "document_serve"}


class _FormReader(HTMLParser):
    """The forms of a page: method, action, enctype and fields (name, kind, value, options)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = {
                "method": attrs.get("method", "get").lower(),
                "action": attrs.get("action", ""),
                "enctype": attrs.get("enctype", ""),
                "fields": [],
            }
            self.forms.append(self._form)
            return
        if tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value", ""))
            if "selected" in attrs:
                self._select["value"] = attrs.get("value", "")
            return
        if self._form is None or "name" not in attrs:
            return
        field = {"name": attrs["name"], "tag": tag, "options": [], "value": None}
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("file", "image", "reset"):
                return
            field["type"] = kind
            if kind in ("checkbox", "radio"):
                field["value"] = attrs.get("value", "on") if "checked" in attrs else None
                field["options"] = [attrs.get("value", "on")]
            else:
                field["value"] = attrs.get("value", "")
            field["required"] = "required" in attrs
        elif tag == "button":
            if attrs.get("type", "submit") != "submit":
                return
            field.update(type="submit", value=attrs.get("value", ""))
        elif tag == "textarea":
            field.update(type="textarea", value="")
            self._textarea = field
        elif tag == "select":
            field.update(type="select", multiple="multiple" in attrs)
            self._select = field
        else:
            return
        self._form["fields"].append(field)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def _read_forms(html: str) -> list[dict]:
    reader = _FormReader()
    reader.feed(html)
    return reader.forms


PLAUSIBLE = {
    "email": "someone@example.org",
    "number": "1",
    "date": "2026-06-01",
    "datetime-local": "2026-06-01T10:00",
    "time": "10:00",
    "url": "https://example.org",
    "password": "a-long-test-password",
}


def _baseline(fields: list[dict]) -> dict[str, list[str]]:
    """What a member who filled the form in sensibly would send."""
    data: dict[str, list[str]] = {}
    for field in fields:
        name, kind, value = field["name"], field.get("type"), field["value"]
        if kind == "submit":
            continue  # a named button is sent in the variants only when it is the one pressed
        if kind in ("checkbox", "radio"):
            if value is not None:
                data.setdefault(name, []).append(value)
            continue
        if kind == "select":
            if value is None:
                value = next((option for option in field["options"] if option), "")
            data.setdefault(name, []).append(value)
            continue
        if not value and kind not in ("hidden",):
            value = PLAUSIBLE.get(kind, "Essai de découpe")
        data.setdefault(name, []).append(value)
    # A radio group or a required choice with nothing checked: the first option.
    for field in fields:
        if field.get("type") == "radio" and field["name"] not in data:
            data[field["name"]] = [field["options"][0]]
    return data


def _variants(form: dict):
    """(label, data) pairs: each field hostile in turn, then all fields at once."""
    baseline = _baseline(form["fields"])
    buttons = [f for f in form["fields"] if f.get("type") == "submit" and f["name"]]
    pressed = {buttons[0]["name"]: [buttons[0]["value"]]} if buttons else {}
    names = list(dict.fromkeys(f["name"] for f in form["fields"]))
    names = [name for name in names if name != "csrfmiddlewaretoken"]
    # In a formset, the second row's fields are read like the first's: one row is enough.
    hostile = [name for name in names if not re.search(r"-[1-9][0-9]*-", name)]
    rotation = itertools.cycle(SAMPLED)
    yield "as filled in", {**baseline, **pressed}
    for name in hostile:
        sample = list(ALWAYS) + [next(rotation) for _ in range(PER_FIELD_SAMPLE)]
        for label in sample:
            data = {**baseline, **pressed}
            if label == "missing":
                data.pop(name, None)
            elif label == "twice":
                data[name] = [*data.get(name, ["1"]), HOSTILE["choice"]]
            else:
                data[name] = [HOSTILE[label]]
            yield f"{name}={label}", data
    hidden = {"csrfmiddlewaretoken"}
    for label, value in HOSTILE.items():
        if label == "long" and len(names) > 10:
            value = value[:10_000]  # stay under DATA_UPLOAD_MAX_MEMORY_SIZE: reach the form
        data = {name: [value] for name in names if name not in hidden}
        yield f"all={label}", {**data, **{k: v for k, v in baseline.items() if k in hidden}}


def _send(client, form, data, multipart):
    action = form["action"]
    if form["method"] == "get":
        return client.get(action, data)
    if multipart:
        return client.post(action, data)
    from urllib.parse import urlencode

    body = urlencode(data, doseq=True)
    return client.post(action, body, content_type="application/x-www-form-urlencoded")


def _attempt(client, form, label, data, failures):
    """Send one variant in a savepoint rolled back afterwards, so a delete or a leave does not
    take the object away from the next variant. A server error is recorded, not raised."""
    multipart = form.get("enctype") == "multipart/form-data"
    try:
        with transaction.atomic():
            response = _send(client, form, data, multipart)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001 - the test client re-raises the view's error
        failures.append(f"{form['method'].upper()} {form['action']} {label}: {error!r:.300}")
        return None
    if response.status_code >= 500:
        failures.append(
            f"{form['method'].upper()} {form['action']} {label}: {response.status_code}"
        )
    return response


def _assert_kept(response, form, label, value, lost):
    """A form shown again with an error still holds what was typed into a text field."""
    page = response.content.decode()
    if urlsplit(form["action"]).path not in page and form["action"] not in page:
        return  # another page (a login form, a message): not the form shown again
    if html.escape(value) not in page and html.escape(value, quote=False) not in page:
        lost.append(f"{form['action']} {label}")


def _forms_of(client, url) -> tuple[int, str, list[dict]]:
    response = client.get(url, follow=True)
    final = response.redirect_chain[-1][0] if response.redirect_chain else url
    final = urljoin(url, final)
    if getattr(response, "streaming", False) or "html" not in response.get("Content-Type", ""):
        return response.status_code, final, []
    forms = _read_forms(response.content.decode())
    for form in forms:
        form["action"] = urljoin(final, form["action"] or final)
    return response.status_code, final, forms


def _is_ours(form) -> bool:
    path = urlsplit(form["action"]).path
    if path.startswith("/admin/"):
        return False
    try:
        resolve(path)
    except Exception:  # noqa: BLE001 - a form posting nowhere is another test's business
        return False
    return True


def _cases():
    for name, (_, actors) in sorted(URL_KWARGS.items()):
        for actor in ("anonymous", *actors):
            yield pytest.param("view", name, actor, id=f"{name}-{actor}")
    for name, (_, actors) in sorted(WAGTAIL_PAGES.items()):
        for actor in ("anonymous", *actors):
            yield pytest.param("page", name, actor, id=f"{name}-{actor}")


def _client_for(world, actor):
    client = EnglishClient()
    if actor != "anonymous":
        login(client, world.actors[actor])
    return client


@pytest.mark.parametrize(("kind", "name", "actor"), list(_cases()))
def test_hostile_input_never_gives_a_server_error(world, kind, name, actor):
    client = _client_for(world, actor)
    if kind == "view":
        url = reverse(name, kwargs=URL_KWARGS[name][0](world))
    else:
        url = WAGTAIL_PAGES[name][0](world)
    failures: list[str] = []
    lost: list[str] = []
    status, final, forms = _forms_of(client, url)
    assert status < 500, f"GET {url}: {status}"
    forms = [form for form in forms if _is_ours(form)]
    for form in forms:
        path = urlsplit(form["action"]).path
        key = (actor, form["method"], path, tuple(sorted(f["name"] for f in form["fields"])))
        if key in _SENT:
            continue
        _SENT.add(key)
        typed_in = {f["name"] for f in form["fields"] if f.get("type") in TYPED_IN}
        for label, data in _variants(form):
            response = _attempt(client, form, label, data, failures)
            field, _, variant = label.partition("=")
            typed = field in typed_in or (field == "all" and typed_in)
            if variant in KEPT and typed and response and response.status_code == 200:
                _assert_kept(response, form, label, HOSTILE[variant], lost)
    if status == 405:
        # A view that only answers POST (join, leave, delete…) and whose form is on another
        # page: the fields it might read, hostile.
        form = {"method": "post", "action": url, "fields": []}
        for label, value in HOSTILE.items():
            data = {name: [value] for name in STRAY_FIELDS}
            _attempt(client, form, f"stray={label}", data, failures)
    assert not failures, "\n".join(failures[:40])
    assert not lost, "What the member typed is not on the re-shown form:\n" + "\n".join(lost)
