"""Who may fetch a stored file: the policy's answers for the rows that own it (docs/media.md).

Asked by the media view (`visibility.views.media_serve`) and by Wagtail's document view, through
the `before_serve_document` hook (`documents/wagtail_hooks.py`), which may not import views.
"""

import posixpath
from collections.abc import Callable
from functools import cache

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from .policy import media_access

# Set on the request by `document_access` for `document_serve`: may shared caches keep it?
_DOCUMENT_IS_PUBLIC = "_carnet_document_is_public"


# Who owns a stored file ---------------------------------------------------------------------


def _images_stored_as(user, name: str) -> list[tuple[bool, bool]]:
    return media_access(user, get_image_model().objects.filter(file=name))


def _rendition_images_stored_as(user, name: str) -> list[tuple[bool, bool]]:
    renditions = get_image_model().get_rendition_model().objects.filter(file=name)
    return media_access(user, renditions, ref="image")


def _documents_stored_as(user, name: str) -> list[tuple[bool, bool]]:
    return media_access(user, get_document_model().objects.filter(file=name))


def _upload_folder(model) -> str:
    """The folder a model stores its files in, asked to the model itself ("original_images")."""
    return posixpath.dirname(model._meta.get_field("file").generate_filename(model(), "probe"))


@cache
def _owner_lookups() -> dict[str, Callable[[object, str], list[tuple[bool, bool]]]]:
    """Folder → the policy's answers for the rows that own a file stored there."""
    image_model = get_image_model()
    return {
        _upload_folder(image_model): _images_stored_as,
        _upload_folder(image_model.get_rendition_model()): _rendition_images_stored_as,
        _upload_folder(get_document_model()): _documents_stored_as,
    }


def _access(answers_for: Callable, user, key) -> tuple[bool, bool]:
    """Public first, without looking at who asks: a public file's answer then does not vary
    with the session cookie, so shared caches keep one copy. One query for a public file."""
    answers = answers_for(AnonymousUser(), key)
    if not answers:
        return False, False
    if all(public for _, public in answers):
        return True, True
    return all(visible for visible, _ in answers_for(user, key)), False


def media_file_access(user, name: str) -> tuple[bool, bool]:
    """(may `user` fetch the stored file `name`, may shared caches keep it).

    Originals, renditions and documents follow their photo or document (visibility.policy:
    what uses it). A file in one of their folders that no row owns (left behind) is refused:
    fail closed. Any other file (avatars…) is public.
    """
    for folder, answers_for in _owner_lookups().items():
        if name.startswith(f"{folder}/"):
            return _access(answers_for, user, name)
    return True, True


# Wagtail's document links (/documents/<id>/<filename>) --------------------------------------


def document_access(document, request) -> None:
    """The `before_serve_document` check: a 404 for whoever may not see the document (the same
    404 Wagtail gives for a document that does not exist)."""
    documents = type(document).objects.filter(pk=document.pk)
    allowed, public = _access(lambda user, _: media_access(user, documents), request.user, None)
    if not allowed:
        raise Http404
    setattr(request, _DOCUMENT_IS_PUBLIC, public)


def document_is_public(request) -> bool:
    """Whether `document_access` found the document of this request public."""
    return getattr(request, _DOCUMENT_IS_PUBLIC, False)
