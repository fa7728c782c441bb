"""Uploaded files, served through the visibility policy (docs/media.md).

Every file under MEDIA_URL goes through `media_serve`, in every environment: a photo or a file
is exactly as visible as what uses it (its project, journal entry, tribe…). The web server must
never expose MEDIA_ROOT itself; it may send the bytes for us (X-Accel-Redirect) once this view
has said yes.

Whoever may not see a file gets the same 404 as for a file that does not exist.
"""

import mimetypes
import posixpath
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from wagtail.documents.views.serve import serve as wagtail_document_serve

from .media import document_is_public, media_file_access

# Shared caches may keep a public file this long (seconds).
PUBLIC_MEDIA_MAX_AGE = 60 * 60 * 24
# Uploaded files never run as a page on our origin (an SVG with a script, say).
MEDIA_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


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


def document_serve(request, document_id, document_filename) -> HttpResponse:
    """Wagtail's document view, with the same cache headers as `media_serve`.

    Public only when `document_access` found the document public and Wagtail served it (not a
    collection's password form); anything else is private."""
    response = wagtail_document_serve(request, document_id, document_filename)
    public = document_is_public(request) and response.status_code in (200, 304)
    return _set_cache_headers(response, public=public)
