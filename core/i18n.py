"""The reader's language: sentences translated when read, and the cookie that keeps it."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.functional import lazy


def interpolate_lazy(message, params: dict) -> str:
    """`message % params`, done when the text is read rather than now. A lazy translation's `%`
    translates at once, in the writer's language; this one lets a notification be worded in
    its recipient's language (notifications.services.notification_send). Parameters may be
    lazy translations too."""
    return lazy(lambda: str(message) % params, str)()


def set_language_cookie(response: HttpResponse, code: str) -> None:
    """The cookie LocaleMiddleware reads first; an unknown language code sets nothing."""
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
