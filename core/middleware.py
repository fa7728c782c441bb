from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from .views import page_not_found


class UploadTooLargeMiddleware:
    """Answer a clear 413 page when a request body is far larger than any allowed upload.

    Forms check each file against CARNET_MAX_UPLOAD_SIZE and keep what was typed; this only
    stops bodies so large that reading them would waste the server's time. The page's own
    JavaScript warns before sending a file over the limit, so members rarely meet this page.
    """

    # A form may carry a few files at the limit at once.
    FILES_PER_REQUEST = 5

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.CARNET_MAX_UPLOAD_SIZE * self.FILES_PER_REQUEST:
            return render(
                request,
                "413.html",
                {
                    "message": _(
                        "What you sent is too large. Each file may weigh at most %(mb)s MB."
                    )
                    % {"mb": settings.CARNET_MAX_UPLOAD_SIZE // (1024 * 1024)}
                },
                status=413,
            )
        return self.get_response(request)


class NulCharacterMiddleware:
    """No database stores a NUL character (PostgreSQL refuses it in any query), so it could only
    turn into an error deeper down: it is dropped from query strings, and an address holding
    one gets the 400 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return render(request, "400.html", status=400)
        query_string = request.META.get("QUERY_STRING", "")
        if "%00" in query_string:
            request.META["QUERY_STRING"] = query_string.replace("%00", "")
            request.__dict__.pop("GET", None)  # parsed again, lazily, from the cleaned string
        return self.get_response(request)


class NotFoundPageMiddleware:
    """With DEBUG on (`make demo`), a missing page still shows Carnet's 404 page rather than
    Django's debug page, which lists the site's URL patterns. Added by the dev settings only:
    without DEBUG, Django already answers with handler404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
