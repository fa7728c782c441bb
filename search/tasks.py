"""Background tasks (django-tasks) that keep search documents current. The request only queues
them once its transaction commits; the task worker runs them (`manage.py db_worker`,
docs/deployment.md), or the web process at once with CARNET_TASKS=immediate. A failure (the
database busy, a search server away) is tried again later."""

import logging

from django.db import transaction
from django_tasks import task

from core.tasks import retry_later

from . import services

INDEXERS = {
    "project": lambda pk: services.search_index_project(project_id=pk),
    "journal_entry": lambda pk: services.search_index_journal_entry(entry_id=pk),
    "tribe": lambda pk: services.search_index_tribe(tribe_id=pk),
    "member": lambda pk: services.search_index_member(user_id=pk),
    "call": lambda pk: services.search_index_call(call_id=pk),
}


logger = logging.getLogger("carnet.search")


@task()
def search_index_task(kind: str, source_id: int, *, attempt: int = 1) -> str:
    try:
        # One transaction: on Elasticsearch/OpenSearch, every document it writes (a project and
        # its journal entries) goes to the index in one bulk request once it commits.
        with transaction.atomic():
            INDEXERS[kind](source_id)
    except Exception as exc:
        if not retry_later(search_index_task, attempt=attempt, kind=kind, source_id=source_id):
            raise  # the last attempt fails the task: staff see it in the admin's failed tasks
        logger.warning(
            "Indexing %s %s failed (attempt %s), tried again later: %s",
            kind,
            source_id,
            attempt,
            exc,
        )
        return f"attempt {attempt} failed, retry queued"
    return "indexed"


@task()
def search_reindex_task() -> str:
    """The whole index rebuilt (`manage.py reindex`), queued when the server's index was built
    with another mapping than this version of Carnet's (search.apps, after `migrate`)."""
    return f"{services.search_reindex_all()} documents indexed"
