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
