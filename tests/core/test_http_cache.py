"""Cache headers: an anonymous page sets no cookie and a proxy may keep it; nothing else is
shared (core/http_cache.py, docs/deployment.md "Caching").

The walk below GETs every URL of Carnet (the Wagtail admin aside) and every live page of a small
site as an anonymous visitor. None may set a cookie, unless it shows a form with its CSRF token
or is the language link; each answer a proxy may share says `public` with `s-maxage`. A new view
fails `test_every_view_is_walked` until it is listed in PATHS (or has no arguments), and a new
page type fails `test_every_page_type_is_walked` until the site below has one.
"""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.models import Page, get_page_models

from calls.factories import CallForProjectsPageFactory, OrganisationFactory
from core.http_cache import NOT_FOUND_MAX_SECONDS, CacheHeadersMiddleware
from machines.factories import MachineFactory, MachineJobFactory
from projects.factories import (
    JournalEntryFactory,
    ProjectDocumentFactory,
    ProjectPageFactory,
    file_block,
)
from showcases.factories import ShowcasePageFactory
from tests.helpers import shared_data
from tribes.factories import TribeInvitationFactory, TribePageFactory
from users.factories import UserFactory

pytestmark = pytest.mark.django_db

MISSING = 987654
KIOSK_TOKEN = "cache-kiosk-secret"
INVITATION_TOKEN = "cache-invitation-token"


def _build_world():
    owner = UserFactory(username="cache-owner")
    document = ProjectDocumentFactory(uploaded_by_user=owner)
    project = ProjectPageFactory(
        owner=owner, slug="cache-project", files=[file_block(document, block_id="file-plan")]
    )
    document.project = project
    document.save()
    tribe = TribePageFactory(slug="cache-tribe")
    TribeInvitationFactory(tribe=tribe, created_by=owner, token=INVITATION_TOKEN, link=True)
    organisation = OrganisationFactory(slug="cache-organisation")
    machine = MachineFactory(slug="cache-laser", tribe=tribe, kiosk_token=KIOSK_TOKEN)
    return SimpleNamespace(
        owner=owner,
        project=project,
        entry=JournalEntryFactory(project=project),
        document=document,
        tribe=tribe,
        organisation=organisation,
        call=CallForProjectsPageFactory(slug="cache-call", organisation=organisation),
        showcase=ShowcasePageFactory(items=[project]),
        machine=machine,
        job=MachineJobFactory(machine=machine, member=owner),
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker, _build_world) as data:
        yield data


def _project(w, tail=""):
    return f"/projects/{w.project.slug}/{tail}"


def _tribe(w, tail=""):
    return f"/tribes/{w.tribe.slug}/{tail}"


# The path to GET for every view whose URL takes arguments (the others' paths are their routes).
# Member-only views are walked too: their answer to a visitor (a redirect to log in) sets no cookie.
PATHS = {
    "media": lambda w: "/media/original_images/nothing-here.png",
    "document_serve": lambda w: f"/documents/{w.document.pk}/{w.document.filename}",
    "wagtaildocs_authenticate_with_password": (
        lambda w: f"/documents/authenticate_with_password/{MISSING}/"
    ),
    "pages:detail": lambda w: f"/api/v2/pages/{w.project.pk}/",
    "images:detail": lambda w: f"/api/v2/images/{MISSING}/",
    "documents:detail": lambda w: f"/api/v2/documents/{w.document.pk}/",
    "machines_api:record_event": lambda w: f"/api/machines/{w.machine.slug}/events",
    "language_switch": lambda w: "/language/en/?next=/projects/",
    "users:password_reset_confirm": lambda w: "/accounts/password-reset/MQ/bad-token/",
    "members:profile": lambda w: f"/members/{w.owner.username}/",
    "members:contact": lambda w: f"/members/{w.owner.username}/contact/",
    "journal_feed": lambda w: _project(w, "journal/feed/"),
    "journal_feed_atom": lambda w: _project(w, "journal/feed/atom/"),
    "projects:detail": lambda w: _project(w),
    "projects:edit_section": lambda w: _project(w, "edit/details/"),
    "projects:step_add": lambda w: _project(w, "steps/add/"),
    "projects:step_edit": lambda w: _project(w, "steps/step-cut/"),
    "projects:step_delete": lambda w: _project(w, "steps/step-cut/delete/"),
    "projects:step_move": lambda w: _project(w, "steps/step-cut/move/"),
    "projects:bill_of_materials": lambda w: _project(w, "bill-of-materials/"),
    "projects:file_add": lambda w: _project(w, "files/add/"),
    "projects:file_remove": lambda w: _project(w, "files/file-plan/remove/"),
    "projects:journal_entry_add": lambda w: _project(w, "journal/new/"),
    "projects:journal_entry": lambda w: _project(w, f"journal/{w.entry.pk}/"),
    "projects:journal_entry_edit": lambda w: _project(w, f"journal/{w.entry.pk}/edit/"),
    "projects:journal_entry_delete": lambda w: _project(w, f"journal/{w.entry.pk}/delete/"),
    "projects:history": lambda w: _project(w, "history/"),
    "projects:preview": lambda w: _project(w, "preview/"),
    "projects:publish": lambda w: _project(w, "publish/"),
    "projects:unpublish": lambda w: _project(w, "unpublish/"),
    "projects:export_markdown": lambda w: _project(w, "export.md"),
    "tribe_feed": lambda w: _tribe(w, "feed/"),
    "tribe_feed_atom": lambda w: _tribe(w, "feed/atom/"),
    "tribes:invitation": lambda w: f"/tribes/invitations/{INVITATION_TOKEN}/",
    "tribes:edit": lambda w: _tribe(w, "edit/"),
    "tribes:join": lambda w: _tribe(w, "join/"),
    "tribes:leave": lambda w: _tribe(w, "leave/"),
    "tribes:decline": lambda w: _tribe(w, "decline/"),
    "tribes:members": lambda w: _tribe(w, "members/"),
    "tribes:invite": lambda w: _tribe(w, "members/invite/"),
    "tribes:link_create": lambda w: _tribe(w, "members/links/"),
    "tribes:invitation_revoke": lambda w: _tribe(w, f"members/invitations/{MISSING}/revoke/"),
    "tribes:accept": lambda w: _tribe(w, f"members/{MISSING}/accept/"),
    "tribes:refuse": lambda w: _tribe(w, f"members/{MISSING}/refuse/"),
    "tribes:role": lambda w: _tribe(w, f"members/{MISSING}/role/"),
    "tribes:remove": lambda w: _tribe(w, f"members/{MISSING}/remove/"),
    "calls:organisation": lambda w: f"/calls/organisations/{w.organisation.slug}/",
    "calls:organisation_member_add": (
        lambda w: f"/calls/organisations/{w.organisation.slug}/members/"
    ),
    "calls:organisation_member_remove": (
        lambda w: f"/calls/organisations/{w.organisation.slug}/members/{MISSING}/remove/"
    ),
    "calls:application": lambda w: f"/calls/applications/{MISSING}/",
    "calls:application_withdraw": lambda w: f"/calls/applications/{MISSING}/withdraw/",
    "calls:application_decide": lambda w: f"/calls/applications/{MISSING}/accept/",
    "calls:preview": lambda w: f"/calls/{w.call.slug}/preview/",
    "calls:edit": lambda w: f"/calls/{w.call.slug}/edit/",
    "calls:submit": lambda w: f"/calls/{w.call.slug}/submit/",
    "calls:close": lambda w: f"/calls/{w.call.slug}/close/",
    "calls:award": lambda w: f"/calls/{w.call.slug}/award/",
    "calls:apply": lambda w: f"/calls/{w.call.slug}/apply/",
    "calls:applications": lambda w: f"/calls/{w.call.slug}/applications/",
    "machines:job": lambda w: f"/machines/jobs/{w.job.pk}/",
    "machines:job_debrief": lambda w: f"/machines/jobs/{w.job.pk}/debrief/",
    "machines:detail": lambda w: f"/machines/{w.machine.slug}/",
    "machines:edit": lambda w: f"/machines/{w.machine.slug}/edit/",
    "machines:token_rotate": lambda w: f"/machines/{w.machine.slug}/token/",
    "machines:kiosk_rotate": lambda w: f"/machines/{w.machine.slug}/kiosk-link/",
    "machines:job_here": lambda w: f"/machines/{w.machine.slug}/job/",
    "machines:kiosk": lambda w: f"/machines/{w.machine.slug}/kiosk/?token={KIOSK_TOKEN}",
    "machines:kiosk_state": (
        lambda w: f"/machines/{w.machine.slug}/kiosk/state/?token={KIOSK_TOKEN}"
    ),
    "machines:kiosk_stream": (
        lambda w: f"/machines/{w.machine.slug}/kiosk/stream/?token={KIOSK_TOKEN}"
    ),
    "notifications:open": lambda w: f"/notifications/{MISSING}/",
    "moderation:report": lambda w: f"/moderation/report/project/{w.project.pk}/",
    "stats:csv": lambda w: "/stats/projects.csv",
    "wagtailcore_authenticate_with_password": (
        lambda w: f"/_util/authenticate_with_password/{MISSING}/{w.project.pk}/"
    ),
}
# Views not walked here, and why.
NOT_WALKED = {
    "wagtail_serve": "Wagtail's pages: every live page is walked by its URL",
    "wagtaildocs_serve": "shadowed by document_serve, which comes first",
}
# Pages that show a form with its CSRF token (or set a cookie by design) to a visitor.
SET_A_COOKIE = {
    "language_switch",
    "users:login",
    "users:signup",
    "users:password_reset",
    "wagtailcore_login",
}
# Answers a proxy may share: the same for every visitor who asks for the URL.
SHAREABLE_STATUSES = (200, 301, 404)
# Uploaded files: visibility/views.py says how long a public one may be kept.
FILES = {"media", "document_serve"}


def _walk(patterns, prefix="", route=""):
    for pattern in patterns:
        # Regular expressions without groups read as plain paths once anchored.
        piece = str(pattern.pattern).removeprefix("^").removesuffix("$")
        if isinstance(pattern, URLResolver):
            if piece == "admin/":
                continue  # the Wagtail admin, for staff only
            namespace = f"{pattern.namespace}:" if pattern.namespace else prefix
            yield from _walk(pattern.url_patterns, namespace, route + piece)
        elif isinstance(pattern, URLPattern):
            yield prefix, pattern, f"/{route}{piece}"


def _views() -> dict[str, str | None]:
    """Every view's name, and its path when its URL takes no arguments."""
    found = {}
    for prefix, pattern, path in _walk(get_resolver().url_patterns):
        name = f"{prefix}{pattern.name}" if pattern.name else pattern.callback.__name__
        takes_arguments = pattern.pattern.converters or pattern.pattern.regex.groups
        found[name] = None if takes_arguments else path
    return found


def test_every_view_is_walked():
    views = _views()
    with_arguments = {name for name, path in views.items() if path is None}
    unwalked = with_arguments - PATHS.keys() - NOT_WALKED.keys()
    assert not unwalked, f"Give {sorted(unwalked)} a path in PATHS (or a reason in NOT_WALKED)."
    assert not (PATHS.keys() | NOT_WALKED.keys() | SET_A_COOKIE) - views.keys()


def test_every_page_type_is_walked(world):
    walked = {page.specific_class for page in Page.objects.live().exclude(depth=1)}
    missing = set(get_page_models()) - walked - {Page}
    assert not missing, f"Add a live {sorted(m.__name__ for m in missing)} to _build_world."


def _anonymous_paths(world):
    for name, path in sorted(_views().items()):
        if name not in NOT_WALKED:
            yield name, path or PATHS[name](world)
    for page in Page.objects.live().exclude(depth=1).specific():
        yield f"page {type(page).__name__}", page.url


def _check(name, path, response):
    cache_control = response.get("Cache-Control", "")
    where = f"{name} ({path}): {response.status_code}, Cache-Control: {cache_control!r}"
    if response.cookies:
        assert name in SET_A_COOKIE, f"{where} sets {sorted(response.cookies)}"
        assert "private" in cache_control and "public" not in cache_control, where
    elif response.status_code in SHAREABLE_STATUSES and "public" in cache_control:
        assert "s-maxage=" in cache_control or name in FILES, where
    else:
        assert response.status_code not in SHAREABLE_STATUSES or cache_control, where
        assert "public" not in cache_control, where


def test_no_anonymous_get_sets_a_cookie_and_shared_ones_say_so(world):
    seen_public = set()
    for name, path in _anonymous_paths(world):
        response = Client().get(path)
        _check(name, path, response)
        if "public" in response.get("Cache-Control", ""):
            seen_public.add(name)
    # The pages a visitor lands on are the ones a proxy keeps.
    for expected in (
        "page HomePage",
        "page ProjectIndexPage",
        "projects:detail",
        "projects:journal_entry",
        "page TribePage",
        "page CallForProjectsPage",
        "page ShowcasePage",
        "search:search",
        "members:directory",
        "members:profile",
        "machines:detail",
        "project_feed",
        "tribe_feed",
        "sitemap",
    ):
        assert expected in seen_public, f"{expected} is not cacheable by a proxy"


def test_an_anonymous_page_is_kept_by_the_proxy_and_revalidated_by_browsers(world):
    with override_settings(CARNET_PROXY_CACHE_SECONDS=123):
        response = Client().get(_project(world))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=123"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
    assert not response.cookies


def test_head_is_shared_like_get(world):
    response = Client().head("/projects/")
    assert response["Cache-Control"] == (
        f"public, max-age=0, s-maxage={settings.CARNET_PROXY_CACHE_SECONDS}"
    )


def test_a_missing_page_is_kept_briefly(world):
    response = Client().get("/projects/nothing-here-at-all/")
    assert response.status_code == 404
    assert f"s-maxage={NOT_FOUND_MAX_SECONDS}" in response["Cache-Control"]


def test_a_member_page_is_private(world):
    client = Client()
    client.force_login(world.owner)
    for path in ("/", _project(world), "/projects/"):
        response = client.get(path)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-cache", path


def test_a_visitor_with_a_session_is_not_shared(world):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session"
    assert client.get("/projects/")["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_a_form_page_sets_the_csrf_cookie_and_is_private(world, path):
    response = Client().get(path)
    assert settings.CSRF_COOKIE_NAME in response.cookies
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_post_is_private(world):
    response = Client().post("/search/")
    assert "public" not in response["Cache-Control"]


def test_the_language_link_works_anonymously_and_pages_stay_shared(world):
    client = Client()
    french = client.get("/projects/?page=1")
    assert "public" in french["Cache-Control"] and not french.cookies
    assert b'href="/language/en/?next=/projects/%3Fpage%3D1"' in french.content
    switch = client.get("/language/en/", {"next": "/projects/?page=1"})
    assert switch.status_code == 302 and switch.url == "/projects/?page=1"
    assert switch.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "public" not in switch["Cache-Control"] and "no-store" in switch["Cache-Control"]
    english = client.get(switch.url)
    assert b'<html lang="en">' in english.content
    assert b'aria-current="true">EN</a>' in english.content
    # Shared still: the proxy keys on the language cookie (Vary: Cookie).
    assert "public" in english["Cache-Control"] and not english.cookies
    assert "Cookie" in english["Vary"]


def test_the_language_link_never_leaves_the_site(world):
    for unsafe in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = Client().get("/language/en/", {"next": unsafe})
        assert response.url == "/", unsafe


def test_media_keep_their_own_headers(world):
    path = f"/documents/{world.document.pk}/{world.document.filename}"
    response = Client().get(path)
    assert response.status_code == 200
    assert "s-maxage" not in response["Cache-Control"]  # media.py decides for files


def _through_middleware(response, method="GET", cookies=None):
    request = RequestFactory().generic(method, "/")
    request.COOKIES.update(cookies or {})
    return CacheHeadersMiddleware(lambda request: response)(request)


def test_a_response_setting_a_cookie_is_never_public():
    said_public = HttpResponse()
    said_public["Cache-Control"] = "public, max-age=600"
    said_public.set_cookie("messages", "x")
    assert "public" not in _through_middleware(said_public)["Cache-Control"]
    plain = HttpResponse()
    plain.set_cookie("messages", "x")
    assert _through_middleware(plain)["Cache-Control"] == "private, no-cache"


def test_a_view_with_its_own_cache_control_keeps_it():
    response = HttpResponse()
    response["Cache-Control"] = "no-store"
    assert _through_middleware(response)["Cache-Control"] == "no-store"
