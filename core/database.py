"""When the database cannot be reached: a short 503 page that says to try again, not a 500.

A restart of PostgreSQL, a connection cut by the network or by an administrator, a pool with no
free connection in time, or an SQLite file still locked after the busy timeout: the request
fails, but the next one (a few seconds later) succeeds, since Django drops a broken connection
at the end of the request and the pool checks each connection it hands out. Other database
errors (a missing table, a bad query) are bugs and stay 500s."""

import logging
import sqlite3

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger(__name__)

# Seconds a browser or a machine is asked to wait: about what a database restart takes.
RETRY_AFTER_SECONDS = 5

# PostgreSQL SQLSTATEs of a lost or refused connection: class 08 (connection exception), and
# 57P01-57P03 (terminated by an administrator or a shutdown, crashed, still starting up).
LOST_CONNECTION_SQLSTATES = ("08", "57P01", "57P02", "57P03")
# SQLite: another connection held the file past the busy timeout.
BUSY_SQLITE_ERRORS = {"SQLITE_BUSY", "SQLITE_LOCKED"}


def database_unreachable(error: BaseException | None) -> bool:
    """Whether `error` says the database could not be reached, rather than a fault in a query."""
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    cause = error.__cause__  # the driver's own exception, kept by Django's error wrapper
    if isinstance(cause, sqlite3.Error):
        return getattr(cause, "sqlite_errorname", "") in BUSY_SQLITE_ERRORS
    if not hasattr(cause, "sqlstate"):  # not psycopg
        return False
    if isinstance(error, InterfaceError):
        return True  # psycopg: "the connection is closed"
    # psycopg gives no SQLSTATE when the server never answered: the connection failed or
    # dropped, or the pool had no connection to give in time (PoolTimeout).
    return cause.sqlstate is None or cause.sqlstate.startswith(LOST_CONNECTION_SQLSTATES)


def database_unavailable_response(request, error: BaseException) -> HttpResponse:
    """The 503 answer: JSON for the API (machines retry on their own), a page for people.
    The page is rendered without the request's context processors, which may need the
    database."""
    logger.warning("Database unreachable during %s %s: %r", request.method, request.path, error)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": "The database is unavailable for a moment: send the event again."},
            status=503,
        )
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection met by a view (or its template) into the 503 answer.
    Errors met in other middleware reach the 500 handler, which asks the same question
    (core.views.server_error)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if database_unreachable(exception):
            return database_unavailable_response(request, exception)
        return None
