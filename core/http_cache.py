"""Cache-Control on every answer, decided in one place (docs/deployment.md, "Caching").

An anonymous visitor's page is the same for everyone who asks in that language, so a shared
cache (the nginx in front of Carnet) may keep it for CARNET_PROXY_CACHE_SECONDS; browsers
revalidate at once, and a purge on change makes edits visible before that. Anything that may
be someone's own (a member's page, a form with its CSRF token, a message, a cookie being set)
is kept out of shared caches. A view that sets its own Cache-Control (media files, live
fragments, secret links) keeps it.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers

SAFE_METHODS = ("GET", "HEAD")
# Answers that are the same for every anonymous visitor of the URL.
SHAREABLE_STATUSES = (200, 301, 404)
# A missing page may be created at any moment: its 404 is kept briefly, the purge on publish
# aside.
NOT_FOUND_MAX_SECONDS = 60


def _is_shareable(request, response) -> bool:
    return (
        request.method in SAFE_METHODS
        and response.status_code in SHAREABLE_STATUSES
        and not response.cookies
        # A session may hold a login or messages: the page would be the visitor's own.
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


class CacheHeadersMiddleware:
    """Placed before the middleware that set cookies (session, CSRF, messages), so it sees every
    Set-Cookie of the answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            if response.cookies:
                # Never public with a cookie, whatever the view said: a proxy would hand it out.
                patch_cache_control(response, private=True)
            return response
        if _is_shareable(request, response):
            seconds = settings.CARNET_PROXY_CACHE_SECONDS
            if response.status_code == 404:
                seconds = min(seconds, NOT_FOUND_MAX_SECONDS)
            patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
            # The language cookie picks the language before Accept-Language does.
            patch_vary_headers(response, ("Cookie",))
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response
