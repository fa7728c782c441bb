"""The database settings built from the environment (docs_platform/settings/env.py) and the 503
answer when the database cannot be reached (core/database.py).

SQLite is checked on a file of its own, opened through Django with the settings Carnet builds,
not on the test database (in memory, where WAL and locks mean nothing)."""

import json
import sqlite3
import threading
import time
import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import InterfaceError, OperationalError, connections, transaction
from django.test import RequestFactory

from core.database import (
    DatabaseUnavailableMiddleware,
    database_unavailable_response,
    database_unreachable,
)
from core.views import server_error
from docs_platform.settings.env import database_from_url

WRITERS = 8
TRANSACTIONS_PER_WRITER = 25


@pytest.fixture
def sqlite_file_alias(tmp_path, django_db_blocker):
    """A database alias on a fresh SQLite file, configured by database_from_url. Each thread
    that uses it gets its own connection, as each request of a server does."""
    aliases = []

    def add(engine=None, **options):
        alias = f"sqlite_file_{uuid.uuid4().hex}"
        config = database_from_url(f"sqlite:///{tmp_path / alias}.sqlite3")
        config["OPTIONS"].update(options)
        if engine:
            config["ENGINE"] = engine
        connections.settings[alias] = connections.configure_settings({"default": config})["default"]
        aliases.append(alias)
        return alias

    with django_db_blocker.unblock():
        yield add
        for alias in aliases:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]


def _count_up(alias: str, writer: int, barrier: threading.Barrier, errors: list) -> None:
    """Read the highest number, then write the next one, in one transaction, many times: the
    read-then-write shape of most services (machine events, journal entries)."""
    barrier.wait()
    try:
        for _ in range(TRANSACTIONS_PER_WRITER):
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT COALESCE(MAX(n), 0) FROM counter")
                (highest,) = cursor.fetchone()
                time.sleep(0.001)  # others try to write meanwhile
                cursor.execute(
                    "INSERT INTO counter (n, writer) VALUES (%s, %s)", [highest + 1, writer]
                )
    except Exception as error:  # every failure is reported by the test, not lost in a thread
        errors.append(error)
    finally:
        connections[alias].close()


def _write_concurrently(alias: str) -> tuple[list, list[int]]:
    with connections[alias].cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n INTEGER NOT NULL UNIQUE, writer INTEGER)")
    connections[alias].close()
    errors, barrier = [], threading.Barrier(WRITERS)
    threads = [
        threading.Thread(target=_count_up, args=(alias, writer, barrier, errors))
        for writer in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT n FROM counter ORDER BY n")
        numbers = [n for (n,) in cursor.fetchall()]
    return errors, numbers


@pytest.mark.parametrize(
    "engine",
    [
        "docs_platform.sqlite",  # Carnet's: writers of one process queue, then BEGIN IMMEDIATE
        "django.db.backends.sqlite3",  # with the same options: what separate processes rely on
    ],
)
def test_concurrent_write_transactions_on_sqlite_all_succeed_in_turn(sqlite_file_alias, engine):
    errors, numbers = _write_concurrently(sqlite_file_alias(engine=engine))
    assert errors == []
    # Each transaction saw the one before it: no number twice, none missing.
    assert numbers == list(range(1, WRITERS * TRANSACTIONS_PER_WRITER + 1))


def test_deferred_transactions_would_fail_with_database_is_locked(sqlite_file_alias):
    """Why transaction_mode is IMMEDIATE: the same load with SQLite's default transactions."""
    alias = sqlite_file_alias(engine="django.db.backends.sqlite3", transaction_mode=None)
    errors, _ = _write_concurrently(alias)
    assert errors
    assert all("database is locked" in str(error) for error in errors)


def test_sqlite_connection_uses_wal_normal_sync_and_a_busy_timeout(sqlite_file_alias, monkeypatch):
    monkeypatch.setenv("DATABASE_SQLITE_TIMEOUT", "7")
    alias = sqlite_file_alias()
    with connections[alias].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone() == (1,)  # NORMAL
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone() == (7000,)
    assert connections[alias].transaction_mode == "IMMEDIATE"


def test_in_memory_sqlite_accepts_the_same_options():
    config = database_from_url("sqlite://")
    assert config["NAME"] == ":memory:"
    connection = sqlite3.connect(":memory:", timeout=config["OPTIONS"]["timeout"])
    for command in config["OPTIONS"]["init_command"].split(";"):
        connection.execute(command)
    # Memory databases keep their own journal: the pragma is harmless there.
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("memory",)


# PostgreSQL's pool, from the environment --------------------------------------------------

POSTGRES_URL = "postgres://carnet:secret@db.example.org:5432/carnet?sslmode=require"


def test_postgres_uses_a_bounded_pool_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_POOL_MIN_SIZE", "3")
    monkeypatch.setenv("DATABASE_POOL_MAX_SIZE", "12")
    monkeypatch.setenv("DATABASE_POOL_TIMEOUT", "4")
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "60")
    config = database_from_url(POSTGRES_URL)
    assert config["OPTIONS"] == {
        "sslmode": "require",
        "pool": {"min_size": 3, "max_size": 12, "timeout": 4},
    }
    assert config["CONN_MAX_AGE"] == 0  # Django refuses persistent connections with a pool
    assert config["CONN_HEALTH_CHECKS"] is True


def test_pool_defaults_suit_two_workers_on_a_default_postgres(monkeypatch):
    for name in ("DATABASE_POOL_MIN_SIZE", "DATABASE_POOL_MAX_SIZE", "DATABASE_POOL_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    pool = database_from_url(POSTGRES_URL)["OPTIONS"]["pool"]
    assert pool["min_size"] <= pool["max_size"]
    # Two workers, with room left for the bridges, the task worker and an administrator.
    assert 2 * pool["max_size"] <= 100 - 3 - 10


def test_pool_options_are_ones_psycopg_pool_accepts(monkeypatch):
    psycopg_pool = pytest.importorskip("psycopg_pool")
    monkeypatch.setenv("DATABASE_POOL_MAX_SIZE", "5")
    pool_options = database_from_url(POSTGRES_URL)["OPTIONS"]["pool"]
    pool = psycopg_pool.ConnectionPool("", open=False, **pool_options)
    assert (pool.min_size, pool.max_size, pool.timeout) == (2, 5, 10)


def test_pool_size_zero_turns_the_pool_off(monkeypatch):
    monkeypatch.setenv("DATABASE_POOL_MAX_SIZE", "0")
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "30")
    config = database_from_url(POSTGRES_URL)
    assert "pool" not in config["OPTIONS"]
    assert config["CONN_MAX_AGE"] == 30


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DATABASE_POOL_MAX_SIZE", "-1", "DATABASE_POOL_MAX_SIZE must be 0 or more"),
        ("DATABASE_POOL_MIN_SIZE", "20", "DATABASE_POOL_MIN_SIZE must be between 0 and"),
        ("DATABASE_POOL_MIN_SIZE", "-2", "DATABASE_POOL_MIN_SIZE must be between 0 and"),
        ("DATABASE_POOL_TIMEOUT", "0", "DATABASE_POOL_TIMEOUT must be more than 0"),
        ("DATABASE_POOL_MAX_SIZE", "ten", "DATABASE_POOL_MAX_SIZE must be a whole number"),
    ],
)
def test_wrong_pool_settings_are_refused_with_a_message(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        database_from_url(POSTGRES_URL)


# What counts as an unreachable database ----------------------------------------------------


def _error_of(alias: str, sql: str, params=None) -> Exception:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
    except Exception as error:
        return error
    raise AssertionError(f"{sql!r} did not fail")


def test_sqlite_locked_past_the_timeout_is_unreachable_not_a_bug(sqlite_file_alias, tmp_path):
    alias = sqlite_file_alias(timeout=0.05)
    with connections[alias].cursor() as cursor:
        cursor.execute("CREATE TABLE note (text TEXT)")
    holder = sqlite3.connect(connections[alias].settings_dict["NAME"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing, for longer than the timeout
    try:
        locked = _error_of(alias, "INSERT INTO note VALUES ('x')")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert isinstance(locked, OperationalError)
    assert database_unreachable(locked)
    assert not database_unreachable(_error_of(alias, "SELECT * FROM missing_table"))
    assert not database_unreachable(_error_of(alias, "SELEC 1"))
    unbindable = _error_of(alias, "SELECT %s", [object()])
    assert not database_unreachable(unbindable)
    assert not database_unreachable(ValueError("not a database error"))
    assert not database_unreachable(None)


def test_writer_queued_past_the_timeout_gets_the_busy_error(sqlite_file_alias):
    alias = sqlite_file_alias(timeout=0.05)
    holding, done, errors = threading.Event(), threading.Event(), []

    def hold_the_lock():
        with transaction.atomic(using=alias):
            holding.set()
            done.wait(5)
        connections[alias].close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    holding.wait(5)
    try:
        with transaction.atomic(using=alias):
            pass
    except OperationalError as error:
        errors.append(error)
    finally:
        done.set()
        holder.join()
    assert len(errors) == 1
    assert database_unreachable(errors[0])


@pytest.fixture
def locked_error(sqlite_file_alias):
    alias = sqlite_file_alias(timeout=0.01)
    holder = sqlite3.connect(connections[alias].settings_dict["NAME"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield _error_of(alias, "CREATE TABLE note (text TEXT)")
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_unreachable_database_gets_a_503_page_in_both_languages(locked_error):
    request = RequestFactory().post("/projects/lanterne/journal/new/", {"text": "x"})
    response = DatabaseUnavailableMiddleware(lambda request: None).process_exception(
        request, locked_error
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "Carnet could not reach its database" in page
    assert "Carnet n’a pas pu joindre sa base de données" in page
    assert "what you typed is still there" in page


def test_unreachable_database_answers_json_to_the_api(locked_error):
    request = RequestFactory().post("/api/machines/prusa/events", content_type="application/json")
    response = database_unavailable_response(request, locked_error)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "send the event again" in json.loads(response.content)["detail"]


def test_other_errors_are_left_to_the_500_handler(sqlite_file_alias):
    error = _error_of(sqlite_file_alias(), "SELECT * FROM missing_table")
    request = RequestFactory().get("/projects/")
    assert (
        DatabaseUnavailableMiddleware(lambda request: None).process_exception(request, error)
        is None
    )


def test_500_handler_answers_503_for_an_unreachable_database_met_in_a_middleware(locked_error):
    request = RequestFactory().get("/projects/")
    try:
        raise locked_error
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


def test_500_handler_still_answers_500_for_other_errors_without_the_database():
    request = RequestFactory().get("/projects/")
    try:
        raise InterfaceError("a closed cursor")  # no driver cause: a bug, not a lost server
    except InterfaceError:
        response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
