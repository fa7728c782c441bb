"""Uploaded files, served through the visibility policy (docs/media.md).

Every file under MEDIA_URL goes through `media_serve`, in every environment: a photo or a file
is exactly as visible as what uses it (its project, journal entry, tribe…). The web server must
never expose MEDIA_ROOT itself; it may send the bytes for us (X-Accel-Redirect) once this view
has said yes.

Whoever may not see a file gets the same 404 as for a file that does not exist.
"""

import mimetypes
import posixpath
from collections.abc import Callable
from functools import cache
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve as wagtail_document_serve
from wagtail.images import get_image_model

from .policy import media_access

# Shared caches may keep a public file this long (seconds).
PUBLIC_MEDIA_MAX_AGE = 60 * 60 * 24
# Uploaded files never run as a page on our origin (an SVG with a script, say).
MEDIA_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
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


# Responses ----------------------------------------------------------------------------------


def _clean_name(path: str) -> str | None:
    """The storage name for a requested path, or None for anything but a plain relative path."""
    if not path or path.startswith("/") or "\\" in path or "\x00" in path:
        return None
    if ".." in path.split("/") or posixpath.normpath(path) != path:
        return None
    return path


def _set_cache_headers(response: HttpResponse, *, public: bool) -> HttpResponse:
    if public:
        patch_cache_control(response, public=True, max_age=PUBLIC_MEDIA_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _accel_redirect_response(name: str, location: str) -> HttpResponse:
    """An empty answer that has nginx send the file from its internal location.

    nginx keeps our Content-Type (Django's default would be text/html), so it is set here."""
    content_type, encoding = mimetypes.guess_type(name)
    response = HttpResponse(content_type=content_type or "application/octet-stream")
    if encoding:
        response["Content-Encoding"] = encoding
    response["X-Accel-Redirect"] = f"{location.rstrip('/')}/{quote(name)}"
    return response


def _file_response(name: str) -> FileResponse:
    try:
        file = default_storage.open(name, "rb")
    except (OSError, SuspiciousFileOperation) as exc:
        # Missing, a folder, unreadable, or outside the storage: all the same 404.
        raise Http404 from exc
    return FileResponse(file)


@require_safe
def media_serve(request, path: str) -> HttpResponse:
    """GET /media/<path>: the stored file, if the policy lets this visitor see it."""
    name = _clean_name(path)
    if name is None:
        raise Http404
    allowed, public = media_file_access(request.user, name)
    if not allowed:
        raise Http404
    location = getattr(settings, "CARNET_MEDIA_ACCEL_REDIRECT", "")
    response = _accel_redirect_response(name, location) if location else _file_response(name)
    response["Content-Security-Policy"] = MEDIA_CONTENT_SECURITY_POLICY
    return _set_cache_headers(response, public=public)


# Wagtail's document links (/documents/<id>/<filename>) --------------------------------------


def document_access(document, request) -> None:
    """The `before_serve_document` check: a 404 for whoever may not see the document (the same
    404 Wagtail gives for a document that does not exist)."""
    documents = type(document).objects.filter(pk=document.pk)
    allowed, public = _access(lambda user, _: media_access(user, documents), request.user, None)
    if not allowed:
        raise Http404
    setattr(request, _DOCUMENT_IS_PUBLIC, public)


def document_serve(request, document_id, document_filename) -> HttpResponse:
    """Wagtail's document view, with the same cache headers as `media_serve`.

    Public only when `document_access` found the document public and Wagtail served it (not a
    collection's password form); anything else is private."""
    response = wagtail_document_serve(request, document_id, document_filename)
    public = getattr(request, _DOCUMENT_IS_PUBLIC, False) and response.status_code in (200, 304)
    return _set_cache_headers(response, public=public)
