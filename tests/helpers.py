"""Small builders for uploads, clients and shared data, used by the test modules.

Two ways to share data across the tests of a class, both rolled back afterwards:
- Django `TestCase` with `setUpTestData` (most test modules);
- `shared_data`, for pytest modules that need `parametrize` (the permission matrix): it builds
  the data once inside a transaction that is rolled back at the end.
"""

import contextlib
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from PIL import Image

from projects.services import project_publish
from users.factories import DEFAULT_PASSWORD


def image_bytes(size=(8, 6), image_format="PNG", color="teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=image_format)
    return buffer.getvalue()


def image_upload(name="photo.png", size=(8, 6), image_format="PNG") -> SimpleUploadedFile:
    content_type = f"image/{image_format.lower()}"
    return SimpleUploadedFile(name, image_bytes(size, image_format), content_type=content_type)


def text_upload(name="notes.txt", content=b"hello, maker\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


class EnglishClient(Client):
    """A browser that asks for English, so assertions can quote Carnet's source strings."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("headers", {"accept-language": "en"})
        super().__init__(*args, **kwargs)


def published(project):
    """A project from projects.services.project_create (a draft), published by its owner."""
    return project_publish(project=project, user=project.owner)


def login(client: Client, user) -> Client:
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    return client


@contextlib.contextmanager
def shared_data(django_db_blocker, build):
    """Yield `build()`'s result, created once, then roll the database back.

    Use it in a module- or class-scoped fixture; tests then run in savepoints inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


def form_errors(response) -> object:
    """The errors of the form(s) a re-rendered page carries: a readable assertion message."""
    context = getattr(response, "context", None) or {}
    found = {}
    for name in ("form", "formset"):
        if name in context:
            form = context[name]
            found[name] = getattr(form, "errors", None) or getattr(form, "non_form_errors", list)()
    return found or response.status_code
