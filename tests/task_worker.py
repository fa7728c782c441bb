"""The task queue as in production, for the tests of the queued path: tasks wait in the database
(django_tasks_db) until the worker, `manage.py db_worker`, runs them. The test settings run
tasks at once instead (docs_platform/settings/test.py)."""

import logging
import signal

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

database_tasks = override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
)

_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
_LOGGERS = ("django_tasks", "django_tasks_db")


def run_task_worker() -> None:
    """Run `manage.py db_worker` in this process until no task is ready, then give back the
    signal handlers and log levels it sets for a long run."""
    handlers = {number: signal.getsignal(number) for number in _SIGNALS}
    levels = {name: logging.getLogger(name).level for name in _LOGGERS}
    # The worker closes stale connections between tasks; inside a test's transaction that would
    # close the test's own (Django's TestCase keeps requests from doing so the same way).
    closer, db_worker.close_old_connections = db_worker.close_old_connections, lambda: None
    try:
        call_command(
            "db_worker", batch=True, reload=False, interval=0, startup_delay=False, verbosity=0
        )
    finally:
        db_worker.close_old_connections = closer
        for number, handler in handlers.items():
            signal.signal(number, handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def make_deferred_tasks_due() -> int:
    """Stand for the wait of a retry: tasks queued to run later are due now."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
        run_after=timezone.now()
    )
