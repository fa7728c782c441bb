"""Django's SQLite backend, with the write transactions of one process waiting in line.

SQLite lets one connection write at a time; the others poll the lock (the busy timeout) with
growing pauses, so under a steady stream of writes a waiter that polls slowly can lose to
newcomers until its timeout runs out. Within a process, writers therefore queue on a lock of
their own first (woken at once when the previous one commits), and only the head of each
process's queue polls SQLite. Memory databases (the tests') are left as Django has them."""

import sqlite3
import threading

from django.db.backends.sqlite3 import base


def _busy_error() -> sqlite3.OperationalError:
    error = sqlite3.OperationalError("database is locked")
    error.sqlite_errorcode, error.sqlite_errorname = sqlite3.SQLITE_BUSY, "SQLITE_BUSY"
    return error


class DatabaseWrapper(base.DatabaseWrapper):
    _write_locks: dict[str, threading.Lock] = {}
    _write_locks_guard = threading.Lock()

    def _write_lock(self) -> threading.Lock:
        name = str(self.settings_dict["NAME"])
        with self._write_locks_guard:
            return self._write_locks.setdefault(name, threading.Lock())

    def _start_transaction_under_autocommit(self):
        if self.is_in_memory_db():
            return super()._start_transaction_under_autocommit()
        lock = self._write_lock()
        if not lock.acquire(timeout=self.settings_dict["OPTIONS"].get("timeout", 5)):
            with self.wrap_database_errors:
                raise _busy_error()
        self._held_write_lock = lock
        try:
            return super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> None:
        lock = self.__dict__.pop("_held_write_lock", None)
        if lock is not None:
            lock.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_write_lock()
