"""Purging the proxy cache in front of Carnet (deploy/nginx/carnet.conf, docs/deployment.md,
"Proxy cache"). Wagtail's frontend_cache purges a page's own address when it is published; each
app lists the other public addresses that show its objects (`<app>/cache.py`), and its services
and signal handlers hand that list to `purge_on_commit`."""

from collections.abc import Callable, Iterable
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.models import Site

from .render_cache import pages_changed
from .tasks import enqueue_on_commit

# Task priorities run from -100 to 100 (django-tasks); everything else is queued at 0.
PURGE_PRIORITY = 50


class NginxPurgeBackend(HTTPBackend):
    """nginx keeps one copy of a page per language: each address is purged once per language,
    named by the first segment of the purge request's path (`/en/projects/…`)."""

    def purge(self, url):
        parts = urlsplit(url)
        for code, _name in settings.LANGUAGES:
            super().purge(urlunsplit(parts._replace(path=f"/{code}{parts.path}")))


def frontend_cache_enabled() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def absolute_urls(paths: Iterable[str]) -> list[str]:
    """`paths` on the default site, as Wagtail names its pages when it purges them (a page of
    another site already comes with its address)."""
    site = Site.objects.filter(is_default_site=True).first()
    root = site.root_url if site else ""
    return [path if "://" in path else root + path for path in paths if path]


def purge_on_commit(list_urls: Callable[..., Iterable[str]], *args, **kwargs) -> None:
    """Purge the addresses `list_urls(*args, **kwargs)` returns once the transaction commits:
    the bodies Carnet keeps for them (core.render_cache) at once, the proxy's copies through the
    task queue. Without a frontend cache configured, the pages' short shared-cache lifetime
    (CARNET_PROXY_CACHE_SECONDS) is the proxy's only limit."""
    urls = sorted(set(list_urls(*args, **kwargs)))
    pages_changed(urls)
    if urls and frontend_cache_enabled():
        from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task

        # Ahead of the indexing queued by the same change: visitors wait on the purge.
        enqueue_on_commit(purge_urls_from_cache_task.using(priority=PURGE_PRIORITY), urls)
