"""PostgreSQL under faults and load (run by `make test-postgres`): connections cut by the server
give a 503 or a fresh connection, never a 500, and the pool bounds the connections held.

The connections are really cut, with pg_terminate_backend, as a restart or a network failure
would; the pages are served by a real threaded server (the live server) or the test client."""

import threading
import time
import urllib.error
import urllib.request

import pytest
from django.db import OperationalError, close_old_connections, connection, connections, transaction
from django.db.utils import ProgrammingError

from core.database import database_unreachable
from docs_platform.settings.env import database_from_url
from tests.helpers import EnglishClient

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: run by `make test-postgres` and CI",
)
committing = pytest.mark.django_db(transaction=True)

PAGE = "/machines/"


def _raw_connection():
    """A connection of our own, outside Django and its pool, to watch and cut the others."""
    import psycopg

    params = connection.get_connection_params()
    keys = ("dbname", "user", "password", "host", "port")
    return psycopg.connect(**{key: params[key] for key in keys if params.get(key)}, autocommit=True)


def _terminate_other_backends(raw) -> int:
    """Cut every connection to the test database but `raw`'s, as a restart would."""
    rows = raw.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    ).fetchall()
    return len(rows)


def _get(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@committing
def test_request_meeting_a_cut_connection_gets_the_503_page_then_the_next_succeeds():
    client = EnglishClient()
    assert client.get(PAGE).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with _raw_connection() as raw:
        raw.execute("SELECT pg_terminate_backend(%s)", [pid])

    response = client.get(PAGE)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Carnet could not reach its database" in response.content.decode()
    # What a server does after each request: drop the broken connection. The next one works.
    close_old_connections()
    assert client.get(PAGE).status_code == 200


@committing
def test_live_server_never_answers_500_while_connections_are_cut(live_server):
    url = live_server.url + PAGE
    assert _get(url)[0] == 200
    answers, stop = [], threading.Event()

    def browse():
        for _ in range(300):  # bounded: stops by itself even if the test fails
            if stop.is_set():
                return
            answers.append(_get(url))

    browsers = [threading.Thread(target=browse) for _ in range(4)]
    for browser in browsers:
        browser.start()
    with _raw_connection() as raw:
        cut = 0
        for _ in range(5):
            time.sleep(0.3)
            cut += _terminate_other_backends(raw)
    stop.set()
    # The test's own connection was cut too: drop it, so the clean-up after the test (and the
    # tests after it) get a new one.
    connection.close()
    for browser in browsers:
        browser.join()

    assert cut > 0
    statuses = [status for status, _, _ in answers]
    assert 500 not in statuses
    assert set(statuses) <= {200, 503}, statuses
    for status, headers, _ in answers:
        if status == 503:
            assert headers["Retry-After"] == "5"
    # The server recovered by itself.
    assert _get(url)[0] == 200


@committing
def test_pool_bounds_the_connections_held_under_concurrent_requests(live_server):
    url = live_server.url + PAGE
    pool_size = connection.pool.max_size
    counts, statuses, done = [], [], threading.Event()

    def watch(raw):
        while not done.is_set():
            (count,) = raw.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()
            counts.append(count)
            time.sleep(0.02)

    def browse():
        for _ in range(5):
            statuses.append(_get(url)[0])

    with _raw_connection() as raw:
        watcher = threading.Thread(target=watch, args=(raw,))
        watcher.start()
        browsers = [threading.Thread(target=browse) for _ in range(4 * pool_size)]
        for browser in browsers:
            browser.start()
        for browser in browsers:
            browser.join()
        done.set()
        watcher.join()

    assert statuses == [200] * len(statuses)
    assert len(statuses) == 20 * pool_size
    assert max(counts) <= pool_size


@committing
def test_lost_connections_are_unreachable_but_query_errors_are_not():
    with connection.cursor() as cursor, pytest.raises(OperationalError) as cut:
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
    assert database_unreachable(cut.value)
    connection.close()

    # SET LOCAL: a pooled connection goes back to the pool with its session settings.
    with (
        pytest.raises(OperationalError) as cancelled,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL statement_timeout = 10")
        cursor.execute("SELECT pg_sleep(1)")
    assert not database_unreachable(cancelled.value)  # a slow query, not a lost server
    connection.close()
    with pytest.raises(ProgrammingError) as bad_sql, connection.cursor() as cursor:
        cursor.execute("SELEC 1")
    assert not database_unreachable(bad_sql.value)


def test_refused_connections_are_unreachable_with_and_without_the_pool(
    monkeypatch, django_db_blocker
):
    """No server at all: refused without a pool, and a pool that cannot fill in time."""
    for pool_size in ("0", "2"):
        monkeypatch.setenv("DATABASE_POOL_MAX_SIZE", pool_size)
        monkeypatch.setenv("DATABASE_POOL_TIMEOUT", "1")
        alias = f"nowhere_{pool_size}"
        config = database_from_url("postgresql://postgres@:5432/carnet?host=/nonexistent")
        connections.settings[alias] = connections.configure_settings({"default": config})["default"]
        try:
            with django_db_blocker.unblock(), pytest.raises(OperationalError) as refused:
                connections[alias].ensure_connection()
            assert database_unreachable(refused.value)
        finally:
            connections[alias].close_pool()
            del connections[alias]
            del connections.settings[alias]
