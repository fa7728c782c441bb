"""Background tasks (django-tasks) that keep search documents current. With the default
immediate backend they run at once after the transaction commits; a task worker takes them in
production (docs/search.md)."""

from django_tasks import task

from . import services

INDEXERS = {
    "project": lambda pk: services.search_index_project(project_id=pk),
    "journal_entry": lambda pk: services.search_index_journal_entry(entry_id=pk),
    "tribe": lambda pk: services.search_index_tribe(tribe_id=pk),
    "member": lambda pk: services.search_index_member(user_id=pk),
    "call": lambda pk: services.search_index_call(call_id=pk),
}


@task()
def search_index_task(kind: str, source_id: int) -> None:
    INDEXERS[kind](source_id)
