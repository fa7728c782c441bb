"""Background work every app shares (docs/deployment.md): queue a task once the transaction
commits, and try a failed one again later, waiting longer each time."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task

# The waits before attempts 2 to 5: a mail server restarting, then one down for an afternoon.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """Queue `task` once the current transaction commits (at once outside one): the worker then
    reads the committed change, and a change rolled back queues nothing. Robust: a queue that
    cannot take the task is logged and never turns a saved change into an error page."""

    def enqueue() -> None:
        # A named function: Django logs a robust callback's failure by its __qualname__, which
        # a functools.partial lacks (the logging itself then failed, answering 500).
        task.enqueue(*args, **kwargs)

    transaction.on_commit(enqueue, robust=True)


def retry_later(task: Task, *, attempt: int, **kwargs) -> bool:
    """Queue `task` (which takes an `attempt` keyword) again as attempt `attempt + 1`, after
    that attempt's wait; False once MAX_ATTEMPTS are spent. Backends that cannot defer (the
    immediate one of the tests) run it again at once."""
    if attempt >= MAX_ATTEMPTS:
        return False
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + RETRY_DELAYS[attempt - 1])
    task.enqueue(attempt=attempt + 1, **kwargs)
    return True
