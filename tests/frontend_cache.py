"""A frontend cache for tests: it keeps the addresses it is asked to purge."""

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from django.test import override_settings
from wagtail.contrib.frontend_cache.backends import BaseBackend


class RecordingBackend(BaseBackend):
    purged: list[str] = []

    def purge(self, url) -> None:
        RecordingBackend.purged.append(url)


@contextmanager
def purged_paths() -> Iterator[set[str]]:
    """The paths purged while inside, filled when it exits (after the tasks ran on commit)."""
    paths: set[str] = set()
    RecordingBackend.purged.clear()
    backend = {"recording": {"BACKEND": "tests.frontend_cache.RecordingBackend"}}
    with override_settings(WAGTAILFRONTENDCACHE=backend):
        yield paths
    paths.update(urlsplit(url).path for url in RecordingBackend.purged)
    RecordingBackend.purged.clear()
