"""Rendered page bodies kept between requests (docs/performance.md, "Rendered once").

Most readers of a page see it exactly as every other reader does: its body is rendered once and
kept in the "pages" cache, which every process serving the site shares. Each address has a
version; the change that purges an address from the proxy cache (core.frontend_cache) gives it a
new version, at once and again on commit, so a body kept under the old one is never served
again. What no purge list
names (a member renaming themselves on someone else's project) stays at most as long as the
proxy may keep the page (CARNET_PROXY_CACHE_SECONDS, the cache's lifetime).

A page asks `KeptHTML.for_reader(path, parts)` for its body, and renders only on a miss, inside
`{% cached_body %}` (core/templatetags/carnet_tags.py), which keeps what it rendered. A view may
also keep its whole page for visitors (`for_visitor`): they all see the same page, which the
proxy cache in front keeps too, on the same promise that a change purges its address."""

import functools
import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.dispatch import receiver
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from wagtail.signals import page_published, page_unpublished

from core.markdown import MARKDOWN_RULES_VERSION

# What a body is made of besides the data: a new release renders again.
CODE_SUFFIXES = {".py", ".html", ".txt", ".mo"}


def _pages():
    return caches["pages"]


def _version_key(path: str) -> str:
    return f"version:{path}"


@functools.cache
def code_version() -> str:
    """A digest of Carnet's own modules, templates and compiled translations: a body rendered by
    one release is never served by another (a shared Redis outlives a deploy)."""
    # Carnet's apps sit at the top of the project (the libraries' do not).
    base = Path(settings.BASE_DIR)
    folders = [Path(c.path) for c in apps.get_app_configs() if Path(c.path).parent == base]
    folders += [Path(folder) for folder in settings.LOCALE_PATHS]
    folders += [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    digest = hashlib.sha256()
    for folder in sorted(set(folders)):
        for path in sorted(folder.rglob("*")):
            if path.suffix in CODE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def page_version(path: str) -> str:
    """The current version of the address `path`; one is drawn the first time it is asked (or
    after the cache forgot it), never an earlier one again."""
    key = _version_key(path)
    version = _pages().get(key)
    if version is None:
        _pages().add(key, uuid.uuid4().hex, timeout=None)
        version = _pages().get(key)
    return version


def pages_changed(urls: Iterable[str]) -> None:
    """New versions for these addresses (absolute or not): at once, so what this transaction
    renders next shows its change, and again once it commits, so a reader who rendered the
    page in between from what was committed then does not keep it."""
    keys = {_version_key(urlsplit(url).path) for url in urls}
    if keys:
        _new_versions(keys)
        transaction.on_commit(lambda: _new_versions(keys))


def _new_versions(keys: set[str]) -> None:
    _pages().set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)


@dataclass
class KeptHTML:
    """Rendered HTML as one reader sees it (a page's body, or a whole page for visitors): its
    key, and the HTML when it is already kept."""

    key: str
    html: SafeString | None

    @classmethod
    def for_reader(cls, path: str, parts: Iterable) -> "KeptHTML":
        """`parts`: whatever makes this reader's body differ from another's on the same address
        (what they may see, the query parameters the page uses); the language is added."""
        described = repr((get_language(), MARKDOWN_RULES_VERSION, code_version(), *parts))
        digest = hashlib.sha256(described.encode()).hexdigest()
        key = f"body:{path}:{page_version(path)}:{digest}"
        html = _pages().get(key)
        return cls(key=key, html=None if html is None else mark_safe(html))  # noqa: S308 - ours

    def keep(self, html: str) -> None:
        self.html = mark_safe(html)  # noqa: S308 - rendered by our templates
        _pages().set(self.key, str(html))


@receiver(page_published)
@receiver(page_unpublished)  # also sent when a live page is deleted
def page_changed(sender, instance, **kwargs):
    """Wagtail purges a published page's own address from the proxy (the apps' purge lists
    leave it out): its kept bodies go too."""
    if instance.url:
        pages_changed([instance.url])


def for_visitor(request, *, parameters: set[str]) -> KeptHTML | None:
    """The whole page at this address as kept for visitors, or None when this request may be
    shown anything of its own: a session (a login, messages), credentials, or query parameters
    the page does not read (`parameters` are those it does). Served without asking the
    visibility policy again: like the proxy's copy, it is dropped by every change to who may
    see the page (core.frontend_cache.purge_on_commit, Wagtail's unpublish)."""
    if (
        request.method not in ("GET", "HEAD")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
        or set(request.GET) - parameters
    ):
        return None
    return KeptHTML.for_reader(request.path, ("whole page", sorted(request.GET.lists())))
