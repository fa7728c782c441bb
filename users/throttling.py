"""Throttling of the doors a guesser knocks at (docs/security.md).

Logins, on Carnet's page and the Wagtail admin's, are counted by django-axes in the database
(every process agrees): a locked account or address is refused, even with the right password,
until its cool-off ends. Sign-ups and password-reset requests are counted by django-ratelimit in
the cache. Whoever is refused gets the page they were on, with what they typed and a message
saying when to try again.
"""

from datetime import timedelta

from axes.backends import AxesBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.middleware import AxesMiddleware
from django.conf import settings
from django.db.models import Sum
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage


def client_ip(request) -> str:
    """The visitor's address: REMOTE_ADDR, or, behind CARNET_PROXY_COUNT reverse proxies that
    each append to X-Forwarded-For, the address the outermost one saw (what the visitor sent
    in that header is ignored, so it cannot be used to dodge the limits)."""
    proxies = settings.CARNET_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [address for address in forwarded if address]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - an address, not a bind


def _minutes(delta: timedelta | int) -> int:
    seconds = delta.total_seconds() if isinstance(delta, timedelta) else delta
    return max(1, -(-int(seconds) // 60))


def _try_again_in(minutes: int) -> str:
    return ngettext(
        "Try again in %(minutes)d minute.", "Try again in %(minutes)d minutes.", minutes
    ) % {"minutes": minutes}


def login_locked_message() -> str:
    reason = _(
        "Too many failed attempts to log in with this account or from this connection: "
        "logging in is paused, even with the right password."
    )
    return f"{reason} {_try_again_in(_minutes(settings.AXES_COOLOFF_TIME))}"


class LoginThrottleBackend(AxesBackend):
    """Refuses a locked account or address before any password is checked. Logins that carry
    no request (the test client, the shell) come from no address: there is nothing to count.

    It authenticates nobody itself (the next backend checks the password), but loads the user
    of a session like Django's own backend, so sessions that name it stay valid."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginThrottleHandler(AxesDatabaseHandler):
    """Counts failures by account and by address, each against its own limit: the members of a
    lab often share one address, so the address may fail more often than one account.

    Axes compares one number with AXES_FAILURE_LIMIT (the account's limit); the address's
    failures are scaled to that limit, so each reaches it exactly at its own limit."""

    def get_failures(self, request, credentials=None) -> int:
        by_account, by_address = (
            attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        per_account = settings.AXES_FAILURE_LIMIT
        per_address = settings.CARNET_LOGIN_FAILURES_PER_ADDRESS
        return max(by_account, by_address * per_account // per_address)


class LoginThrottleMiddleware(AxesMiddleware):
    # Synchronous only: Axes's asynchronous path drops the page the view rendered.
    async_capable = False


def login_locked_response(request, original_response=None, credentials=None) -> HttpResponse:
    """The login page the view rendered, whose form says why and when (LockedOutMessageMixin),
    answered with 429; a bare message for any other door."""
    if original_response is not None and original_response.status_code == 200:
        original_response.status_code = settings.AXES_HTTP_RESPONSE_CODE
        return original_response
    return HttpResponse(
        login_locked_message(),
        status=settings.AXES_HTTP_RESPONSE_CODE,
        content_type="text/plain; charset=utf-8",
    )


def over_rate(request, *, group: str, rate: str, value: str | None = None) -> str | None:
    """Counts one more request of `group` from this address (or for `value`, an e-mail say);
    once over `rate` ("10/h"), returns the message to show, else None."""
    key = "ip" if value is None else (lambda group, request: value)
    usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    reason = _("Too many attempts in a short time.")
    return f"{reason} {_try_again_in(_minutes(max(usage['time_left'], 60)))}"
