"""Shared test set-up: uploads go to a temporary MEDIA_ROOT for the whole session."""

import tempfile

import pytest
from django.test import override_settings


@pytest.fixture(scope="session", autouse=True)
def _temporary_media_root():
    """Uploads made by the tests go to a throw-away directory, never to ./media."""
    with (
        tempfile.TemporaryDirectory(prefix="carnet-test-media-") as media_root,
        override_settings(MEDIA_ROOT=media_root),
    ):
        yield media_root


def pytest_collection_modifyitems(items):
    """Every test that commits (transactional tests, live servers) restores the data the
    migrations wrote (page tree, content types) afterwards. A flush without that restore would
    re-create content types through post_migrate, and the next restoring test would then fail
    on duplicates: mixing both kinds breaks depending on the order the tests run in."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", None)
        if fixtures is None:
            continue
        commits = (marker is not None and marker.kwargs.get("transaction")) or (
            "transactional_db" in fixtures or "live_server" in fixtures
        )
        if commits and "django_db_serialized_rollback" not in fixtures:
            fixtures.append("django_db_serialized_rollback")


@pytest.fixture(autouse=True)
def _empty_caches_after_each_test():
    """Caches outlive the rolled-back data: a rendition or a count cached by one test would
    answer for a row of the same id in the next one (SQLite reuses ids after a rollback)."""
    yield
    from django.core.cache import caches

    from core.markdown import recent_html

    for cache in caches.all(initialized_only=True):
        cache.clear()
    recent_html.clear()
