"""Reads for running the site: the background tasks that failed for good."""

from django.db.models import QuerySet
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def task_results_failed() -> QuerySet[DBTaskResult]:
    """Failed tasks, newest first. A task that will be tried again is not failed: its attempt
    ended by queueing the next one (core.tasks.retry_later)."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).order_by(
        "-finished_at", "-enqueued_at"
    )
